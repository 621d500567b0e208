//! The selected field's properties: its type, label, rules, options and the condition that
//! shows it.

use super::*;

#[component]
pub(super) fn FieldProperties(
    id: String,
    node: BuilderField,
    earlier: Vec<(String, String)>,
    nodes: RwSignal<Vec<BuilderField>>,
    problem: Memo<Option<AppError>>,
) -> impl IntoView {
    let id = StoredValue::new(id);
    let f = node.field;
    let set = move |change: Box<dyn FnOnce(&mut crate::domain::form::FormField)>| {
        nodes.update(|t| {
            if let Some(n) = find_mut(t, &id.get_value()) {
                change(&mut n.field);
            }
        });
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let opt = |s: String| {
        let s = s.trim().to_string();
        (!s.is_empty()).then_some(s)
    };
    let num = |s: String| s.trim().parse::<f64>().ok();
    let count = |s: String| s.trim().parse::<u32>().ok();
    let t = f.field_type;
    let texty = matches!(
        t,
        FieldType::Text
            | FieldType::Textarea
            | FieldType::Email
            | FieldType::Url
            | FieldType::Phone
            | FieldType::Password
            | FieldType::Array
    );
    let numeric = matches!(t, FieldType::Number | FieldType::Integer)
        || (t == FieldType::Array
            && matches!(f.item_type, Some(ItemType::Number | ItemType::Integer)));
    let listy = matches!(t, FieldType::Array | FieldType::Multiselect);
    let choices = matches!(
        t,
        FieldType::Select | FieldType::Multiselect | FieldType::Radio
    );
    let options_text = f
        .options
        .iter()
        .map(|o| {
            if o.label == o.value {
                o.value.clone()
            } else {
                format!("{}|{}", o.value, o.label)
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let v = f.validation.clone();
    // This field's problem in the schema, if the first one is here.
    let here = move || {
        problem.with(|p| {
            p.as_ref().and_then(|e| {
                let at = e.field()?;
                let hit =
                    nodes.with(|n| edit::node_at_error(n, at).map(|n| n.id == id.get_value()))?;
                hit.then(|| {
                    format!(
                        "{}: {}",
                        at.rsplit('.').next().unwrap_or(at),
                        e.user_message()
                    )
                })
            })
        })
    };
    let number_input =
        move |label: &'static str,
              value: Option<f64>,
              apply: fn(&mut crate::domain::form::FormField, Option<f64>)| {
            view! {
                <label class=LABEL>{label}
                    <input type="number" step="any" class=INPUT value=value.map(|n| n.to_string()).unwrap_or_default()
                        on:change=move |e| { let n = num(event_target_value(&e)); set(Box::new(move |f| apply(f, n))); } />
                </label>
            }
        };
    let count_input =
        move |label: &'static str,
              value: Option<u32>,
              apply: fn(&mut crate::domain::form::FormField, Option<u32>)| {
            view! {
                <label class=LABEL>{label}
                    <input type="number" min="0" step="1" class=INPUT value=value.map(|n| n.to_string()).unwrap_or_default()
                        on:change=move |e| { let n = count(event_target_value(&e)); set(Box::new(move |f| apply(f, n))); } />
                </label>
            }
        };
    view! {
        <div class="space-y-3 text-sm">
            {move || here().map(|e| view! { <p role="alert" class="rounded bg-red-50 px-2 py-1 text-xs text-red-800">{e}</p> })}
            <label class=LABEL>"Label"
                <input class=INPUT value=f.label.clone() data-testid="prop-label" maxlength="200"
                    on:input=move |e| { let v = event_target_value(&e); set(Box::new(move |f| f.label = v)); } />
            </label>
            <label class=LABEL>"Name (the value's key)"
                <input class=format!("{INPUT} font-mono") value=f.name.clone() data-testid="prop-name" maxlength="64"
                    on:change=move |e| { let v = event_target_value(&e).trim().to_string(); set(Box::new(move |f| f.name = v)); } />
            </label>
            <label class=LABEL>"Type"
                <select class=INPUT data-testid="prop-type" on:change=move |e| {
                    if let Some(t) = FieldType::parse(&event_target_value(&e)) {
                        set(Box::new(move |f| {
                            let fresh = edit::new_field(t, &[]);
                            f.field_type = t;
                            f.item_type = fresh.item_type;
                            if f.options.is_empty() { f.options = fresh.options; }
                        }));
                    }
                }>
                    {FieldType::ALL.iter().filter(|x| **x != FieldType::Group || t == FieldType::Group).map(|x| view! { <option value=x.as_str() selected=*x == t>{x.as_str()}</option> }).collect_view()}
                </select>
            </label>
            {(t != FieldType::Section && t != FieldType::Group).then(|| view! {
                <label class="flex items-center gap-2 text-xs font-medium text-slate-700">
                    <input type="checkbox" checked=f.required data-testid="prop-required"
                        on:change=move |e| { let on = event_target_checked(&e); set(Box::new(move |f| f.required = on)); } />
                    "Required"
                </label>
            })}
            <label class=LABEL>"Width"
                <select class=INPUT on:change=move |e| { let w = Width::parse(&event_target_value(&e)); set(Box::new(move |f| f.width = w)); }>
                    {Width::ALL.iter().map(|w| view! { <option value=w.as_str() selected=f.width.unwrap_or(Width::Full) == *w>{w.as_str()}</option> }).collect_view()}
                </select>
            </label>
            <label class=LABEL>"Help text"
                <input class=INPUT value=text(&f.help) maxlength="1000"
                    on:input=move |e| { let v = opt(event_target_value(&e)); set(Box::new(move |f| f.help = v)); } />
            </label>
            {(f.holds_value() && !matches!(t, FieldType::Checkbox | FieldType::Switch | FieldType::Hidden)).then(|| view! {
                <label class=LABEL>"Placeholder"
                    <input class=INPUT value=text(&f.placeholder) maxlength="200"
                        on:input=move |e| { let v = opt(event_target_value(&e)); set(Box::new(move |f| f.placeholder = v)); } />
                </label>
            })}
            {f.holds_value().then(|| view! {
                <label class=LABEL>"Default value"
                    <input class=INPUT value=f.default.as_ref().map(values::text).unwrap_or_default()
                        on:change=move |e| {
                            let raw = event_target_value(&e);
                            let v = (!raw.trim().is_empty()).then(|| serde_json::from_str(&raw).unwrap_or(serde_json::Value::String(raw)));
                            set(Box::new(move |f| f.default = v));
                        } />
                </label>
            })}
            {(t == FieldType::Array).then(|| view! {
                <label class=LABEL>"Item type"
                    <select class=INPUT on:change=move |e| { let it = ItemType::parse(&event_target_value(&e)); set(Box::new(move |f| f.item_type = it)); }>
                        {ItemType::ALL.iter().map(|x| view! { <option value=x.as_str() selected=f.item_type == Some(*x)>{x.as_str()}</option> }).collect_view()}
                    </select>
                </label>
            })}
            {choices.then(|| view! {
                <label class=LABEL>"Options (one per line; value|label)"
                    <textarea class=format!("{INPUT} font-mono text-xs") rows="4" data-testid="prop-options"
                        on:change=move |e| {
                            let options: Vec<FieldOption> = event_target_value(&e).lines().filter(|l| !l.trim().is_empty()).map(|l| {
                                let (value, label) = l.split_once('|').unwrap_or((l, l));
                                FieldOption { value: value.trim().to_string(), label: label.trim().to_string() }
                            }).collect();
                            set(Box::new(move |f| f.options = options));
                        } inner_html=textarea_html(&options_text)></textarea>
                </label>
            })}
            {texty.then(|| view! {
                <div class="grid grid-cols-2 gap-2">
                    {count_input("Min length", v.min_length, |f, n| f.validation.min_length = n)}
                    {count_input("Max length", v.max_length, |f, n| f.validation.max_length = n)}
                </div>
                <label class=LABEL>"Pattern (regular expression)"
                    <input class=format!("{INPUT} font-mono") value=text(&v.pattern) maxlength="500" data-testid="prop-pattern"
                        on:change=move |e| { let p = opt(event_target_value(&e)); set(Box::new(move |f| f.validation.pattern = p)); } />
                </label>
            })}
            {numeric.then(|| view! {
                <div class="grid grid-cols-3 gap-2">
                    {number_input("Min", v.min, |f, n| f.validation.min = n)}
                    {number_input("Max", v.max, |f, n| f.validation.max = n)}
                    {number_input("Step", v.step, |f, n| f.validation.step = n)}
                </div>
            })}
            {listy.then(|| view! {
                <div class="grid grid-cols-2 gap-2">
                    {count_input("Min items", v.min_items, |f, n| f.validation.min_items = n)}
                    {count_input("Max items", v.max_items, |f, n| f.validation.max_items = n)}
                </div>
                <label class="flex items-center gap-2 text-xs font-medium text-slate-700">
                    <input type="checkbox" checked=v.unique_items
                        on:change=move |e| { let on = event_target_checked(&e); set(Box::new(move |f| f.validation.unique_items = on)); } />
                    "Items must be unique"
                </label>
            })}
            <ConditionEditor title="Show only when" testid="show-if" current=f.show_if.clone() earlier=earlier.clone()
                apply=Callback::new(move |c: Option<Condition>| set(Box::new(move |f| f.show_if = c))) />
            {(f.holds_value()).then(|| view! {
                <ConditionEditor title="Required only when" testid="required-if" current=f.required_if.clone() earlier=earlier.clone()
                    apply=Callback::new(move |c: Option<Condition>| set(Box::new(move |f| f.required_if = c))) />
            })}
        </div>
    }
}

/// A condition on an earlier field: which field, which test, which value(s).
#[component]
pub(super) fn ConditionEditor(
    title: &'static str,
    testid: &'static str,
    current: Option<Condition>,
    earlier: Vec<(String, String)>,
    apply: Callback<Option<Condition>>,
) -> impl IntoView {
    let field = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.field.clone())
            .unwrap_or_default(),
    );
    let (test, value) = match current.as_ref().map(|c| &c.test) {
        Some(Test::Equals(v)) => ("equals", values::text(v)),
        Some(Test::OneOf(vs)) => (
            "oneOf",
            vs.iter().map(values::text).collect::<Vec<_>>().join(", "),
        ),
        Some(Test::NotEmpty(_)) => ("notEmpty", String::new()),
        None => ("equals", String::new()),
    };
    let test = RwSignal::new(test.to_string());
    let value = RwSignal::new(value);
    let commit = move || {
        let f = field.get_untracked();
        if f.is_empty() {
            return apply.run(None);
        }
        let scalar = |s: &str| -> serde_json::Value {
            match s.trim() {
                "true" => true.into(),
                "false" => false.into(),
                other => serde_json::Value::String(other.to_string()),
            }
        };
        let t = match test.get_untracked().as_str() {
            "oneOf" => Test::OneOf(value.get_untracked().split(',').map(scalar).collect()),
            "notEmpty" => Test::NotEmpty(true),
            _ => Test::Equals(scalar(&value.get_untracked())),
        };
        apply.run(Some(Condition { field: f, test: t }));
    };
    view! {
        <fieldset class="rounded-md border border-slate-200 p-2" data-testid=testid>
            <legend class="px-1 text-xs font-medium text-slate-700">{title}</legend>
            <div class="grid grid-cols-2 gap-2">
                <select class=INPUT aria-label=format!("{title}: field") data-testid=format!("{testid}-field")
                    on:change=move |e| { field.set(event_target_value(&e)); commit(); }>
                    <option value="" selected=field.get_untracked().is_empty()>"Always"</option>
                    {earlier.into_iter().map(|(path, label)| {
                        let selected = field.get_untracked() == path;
                        view! { <option value=path.clone() selected=selected>{format!("{label} ({path})")}</option> }
                    }).collect_view()}
                </select>
                <select class=INPUT aria-label=format!("{title}: test") data-testid=format!("{testid}-test")
                    on:change=move |e| { test.set(event_target_value(&e)); commit(); }>
                    {[("equals", "equals"), ("oneOf", "is one of"), ("notEmpty", "is filled in")].into_iter().map(|(k, l)| {
                        view! { <option value=k selected=test.get_untracked() == k>{l}</option> }
                    }).collect_view()}
                </select>
            </div>
            <input class=INPUT placeholder="value (one of: a, b, c)" aria-label=format!("{title}: value") data-testid=format!("{testid}-value")
                value=value.get_untracked()
                hidden=move || test.get() == "notEmpty"
                on:change=move |e| { value.set(event_target_value(&e)); commit(); } />
        </fieldset>
    }
}
