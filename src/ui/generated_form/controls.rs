//! One field of a generated form as its control: input, select, text area, checkbox group,
//! list of items, nested group.

use super::*;

pub(super) fn field_view(field: &FormField, path: &str, ctx: Ctx) -> AnyView {
    let id = dom_id(path);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let error = {
        let path = path.to_string();
        Memo::new(move |_| ctx.error(&path))
    };
    let key = StoredValue::new(path.to_string());
    let required = move || key.with_value(|p| ctx.rules.with(|r| r.required(p)));
    let has_help = field.help.is_some();
    let described = {
        let (help_id, error_id) = (help_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_help {
                ids.push(help_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error.with(Option::is_some).then_some("true");
    let label_text = field.label.clone();
    let star = move || {
        required().then(|| view! { <span class="text-red-600" aria-hidden="true">" *"</span> })
    };
    let Some(state) = ctx.field(path) else {
        return ().into_any();
    };
    let control = control(
        field,
        path,
        &id,
        state,
        ctx,
        described.clone(),
        invalid,
        required,
    );
    let is_choice_group = matches!(
        field.field_type,
        FieldType::Radio | FieldType::Multiselect | FieldType::Array
    );
    let is_flag = matches!(field.field_type, FieldType::Checkbox | FieldType::Switch);
    let help = field.help.clone().map(|h| {
        view! { <p id=help_id.clone() class="mt-1 text-xs text-slate-500">{h}</p> }
    });
    let error_view = move || {
        error.get().map(|m| {
            view! { <p id=error_id.clone() class="mt-1 text-xs font-medium text-red-700" data-testid="field-error">{m}</p> }
        })
    };
    if is_choice_group {
        view! {
            <fieldset aria-describedby=described.clone() aria-invalid=invalid>
                <legend class="text-sm font-medium text-slate-800">{label_text}{star}</legend>
                {control}
                {help}
                {error_view}
            </fieldset>
        }
        .into_any()
    } else if is_flag {
        view! {
            <div>
                <label for=id.clone() class="flex items-center gap-2 text-sm font-medium text-slate-800">
                    {control}
                    <span>{label_text}{star}</span>
                </label>
                {help}
                {error_view}
            </div>
        }
        .into_any()
    } else {
        view! {
            <div>
                <label for=id.clone() class="block text-sm font-medium text-slate-800">{label_text}{star}</label>
                {control}
                {help}
                {error_view}
            </div>
        }
        .into_any()
    }
}

pub(super) fn input_type(t: FieldType) -> &'static str {
    match t {
        FieldType::Email => "email",
        FieldType::Url => "url",
        FieldType::Phone => "tel",
        FieldType::Password => "password",
        FieldType::Number | FieldType::Integer => "number",
        FieldType::Date => "date",
        FieldType::Datetime => "datetime-local",
        _ => "text",
    }
}

pub(super) fn item_input_type(t: Option<ItemType>) -> &'static str {
    match t {
        Some(ItemType::Email) => "email",
        Some(ItemType::Url) => "url",
        Some(ItemType::Phone) => "tel",
        Some(ItemType::Number | ItemType::Integer) => "number",
        Some(ItemType::Date) => "date",
        _ => "text",
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn control(
    field: &FormField,
    path: &str,
    id: &str,
    state: Field,
    ctx: Ctx,
    described: impl Fn() -> Option<String> + Send + Sync + Clone + 'static,
    invalid: impl Fn() -> Option<&'static str> + Send + Sync + Copy + 'static,
    required: impl Fn() -> bool + Send + Sync + Copy + 'static,
) -> AnyView {
    let name = input_name(path);
    // Copy closures (a stored path), so every option and item can hold them.
    let key = StoredValue::new(path.to_string());
    let touch = move || {
        if let Some(f) = key.with_value(|p| ctx.field(p)) {
            f.touched.set(true);
        }
    };
    let edited = move || key.with_value(|p| ctx.edited(p));
    let aria_required = move || required().then_some("true");
    let placeholder = field.placeholder.clone();
    let disabled = ctx.disabled;
    match (field.field_type, state.input) {
        (FieldType::Textarea, Input::Text(value)) => view! {
            <textarea
                id=id.to_string() name=name rows="4" class=INPUT placeholder=placeholder disabled=disabled
                aria-describedby=described aria-invalid=invalid aria-required=aria_required
                prop:value=move || value.get()
                on:input=move |e| { value.set(event_target_value(&e)); edited(); }
                on:blur=move |_| touch()
                inner_html=textarea_html(&value.get_untracked())
            ></textarea>
        }
        .into_any(),
        (FieldType::Select, Input::Text(value)) => {
            let options = field.options.clone();
            view! {
                <select
                    id=id.to_string() name=name class=INPUT disabled=disabled
                    aria-describedby=described aria-invalid=invalid aria-required=aria_required
                    prop:value=move || value.get()
                    on:change=move |e| { value.set(event_target_value(&e)); edited(); }
                    on:blur=move |_| touch()
                >
                    <option value="">{placeholder.unwrap_or_else(|| "Choose…".into())}</option>
                    {options.into_iter().map(|o| {
                        let selected = value.get_untracked() == o.value;
                        view! { <option value=o.value.clone() selected=selected>{o.label}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        (FieldType::Radio, Input::Text(value)) => {
            let options = field.options.clone();
            view! {
                <div class="mt-2 space-y-1">
                    {options.into_iter().enumerate().map(|(i, o)| {
                        let option_id = format!("{id}-{i}");
                        let v = o.value.clone();
                        let checked = { let v = v.clone(); move || value.get() == v };
                        view! {
                            <label for=option_id.clone() class="flex items-center gap-2 text-sm text-slate-700">
                                <input
                                    type="radio" id=option_id.clone() name=name.clone() value=o.value.clone() disabled=disabled
                                    class="h-4 w-4 border-slate-300 text-amber-600"
                                    prop:checked=checked.clone()
                                    checked=checked
                                    on:change=move |_| { value.set(v.clone()); edited(); touch(); }
                                />
                                <span>{o.label}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        (FieldType::Multiselect, Input::Choices(chosen)) => {
            let options = field.options.clone();
            view! {
                <div class="mt-2 space-y-1">
                    {options.into_iter().enumerate().map(|(i, o)| {
                        let option_id = format!("{id}-{i}");
                        let v = o.value.clone();
                        let checked = { let v = v.clone(); move || chosen.with(|c| c.contains(&v)) };
                        view! {
                            <label for=option_id.clone() class="flex items-center gap-2 text-sm text-slate-700">
                                <input
                                    type="checkbox" id=option_id.clone() name=format!("values[{path}.{i}]") value=o.value.clone() disabled=disabled
                                    class="h-4 w-4 rounded border-slate-300 text-amber-600"
                                    prop:checked=checked.clone()
                                    checked=checked
                                    on:change=move |e| {
                                        let on = event_target_checked(&e);
                                        chosen.update(|c| {
                                            c.retain(|x| x != &v);
                                            if on { c.push(v.clone()); }
                                        });
                                        edited();
                                        touch();
                                    }
                                />
                                <span>{o.label}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        (FieldType::Checkbox | FieldType::Switch, Input::Flag(on)) => {
            let switch = field.field_type == FieldType::Switch;
            view! {
                <input
                    type="checkbox" id=id.to_string() name=name value="true" disabled=disabled
                    role=switch.then_some("switch")
                    class="h-4 w-4 rounded border-slate-300 text-amber-600"
                    aria-describedby=described aria-invalid=invalid aria-required=aria_required
                    prop:checked=move || on.get()
                    checked=move || on.get()
                    on:change=move |e| { on.set(event_target_checked(&e)); edited(); touch(); }
                />
            }
            .into_any()
        }
        (FieldType::Array, Input::Items(items)) => {
            let kind = item_input_type(field.item_type);
            let label = field.label.clone();
            let path = path.to_string();
            let base = id.to_string();
            let numbered = move || -> Vec<(usize, (u32, RwSignal<String>))> {
                items.get().into_iter().enumerate().collect()
            };
            view! {
                <ul class="mt-2 space-y-2">
                    <For
                        each=numbered
                        key=|(i, (k, _))| (*i, *k)
                        children=move |(i, (k, value)): (usize, (u32, RwSignal<String>))| {
                            let item_id = format!("{base}-{i}");
                            let remove_label = format!("Remove {} item {}", label, i + 1);
                            view! {
                                <li class="flex items-center gap-2">
                                    <label for=item_id.clone() class="sr-only">{format!("{} item {}", label, i + 1)}</label>
                                    <input
                                        type=kind id=item_id name=format!("values[{path}.{i}]") class=INPUT disabled=disabled
                                        prop:value=move || value.get()
                                        value=value.get_untracked()
                                        on:input=move |e| { value.set(event_target_value(&e)); edited(); }
                                        on:blur=move |_| touch()
                                    />
                                    <button
                                        type="button" class="mt-1 rounded-md border border-slate-300 px-2 py-2 text-xs hover:bg-slate-50"
                                        aria-label=remove_label disabled=disabled
                                        hidden=move || !ctx.hydrated.get()
                                        on:click=move |_| items.update(|list| list.retain(|(key, _)| *key != k))
                                    >"Remove"</button>
                                </li>
                            }
                        }
                    />
                </ul>
                <button
                    type="button" class="mt-2 rounded-md border border-slate-300 px-3 py-1.5 text-xs font-medium hover:bg-slate-50"
                    disabled=disabled hidden=move || !ctx.hydrated.get()
                    on:click=move |_| {
                        let key = ctx.next_key.get_value() + 1;
                        ctx.next_key.set_value(key);
                        items.update(|list| list.push((key, RwSignal::new(String::new()))));
                    }
                >{format!("Add {}", crate::ui::text::lowercase(&field.label))}</button>
            }
            .into_any()
        }
        (t, Input::Text(value)) => {
            let rule = &field.validation;
            let step = match t {
                FieldType::Integer => Some(rule.step.map_or("1".to_string(), |s| s.to_string())),
                FieldType::Number => Some(rule.step.map_or("any".to_string(), |s| s.to_string())),
                _ => None,
            };
            let numeric = matches!(t, FieldType::Number | FieldType::Integer);
            view! {
                <input
                    type=input_type(t) id=id.to_string() name=name class=INPUT placeholder=placeholder disabled=disabled
                    step=step
                    min=numeric.then(|| rule.min.map(|m| m.to_string())).flatten()
                    max=numeric.then(|| rule.max.map(|m| m.to_string())).flatten()
                    autocomplete=(t == FieldType::Password).then_some("new-password")
                    aria-describedby=described aria-invalid=invalid aria-required=aria_required
                    prop:value=move || value.get()
                    value=value.get_untracked()
                    on:input=move |e| { value.set(event_target_value(&e)); edited(); }
                    on:blur=move |_| touch()
                />
            }
            .into_any()
        }
        _ => ().into_any(),
    }
}
