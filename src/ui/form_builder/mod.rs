//! The form builder (`/admin/forms/{service}`, platform `service:update`): a palette of field
//! types to drag in (or add with a click), the fields as a sortable tree (the menu editor's
//! drag-and-drop component: pointer, touch and keyboard), a property panel, a live preview
//! that is the real generated form ("try it" validates), a JSON view that edits both ways,
//! schema errors shown at their field, and versions to save, compare and restore.

mod panels;
mod properties;

pub use self::panels::*;
pub use self::properties::*;

use leptos::{either::Either, ev, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::forms::{form_builder, form_version, RestoreForm, SaveForm},
    domain::{
        error::AppError,
        form::{
            any_pattern,
            edit::{self, BuilderField},
            schema::{Condition, FieldOption, FieldType, FormSchema, ItemType, Test, Width},
            values,
            view::{BuilderView, FormVersionView},
        },
        line_diff::{diff, Line},
        service::reader::JsonPath,
        tree::{find, find_mut, insert, moved, place, step, take, Placement},
    },
    ui::{
        dnd::{indicator_class, Announcer, DragHandle, Sortable},
        form::{BUTTON, INPUT},
        generated_form::{GeneratedForm, Mode},
        text::textarea_html,
    },
};

const CARD: &str = "rounded-xl border border-slate-200 bg-white p-5 shadow-sm";
const SMALL: &str =
    "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-50";
const LABEL: &str = "block text-xs font-medium text-slate-700";
/// The drop zone after the last field.
const END: &str = "__end";
const PALETTE: &str = "palette:";

#[component]
pub fn FormBuilderPage() -> impl IntoView {
    let params = use_params_map();
    let service = move || params.read().get("service").unwrap_or_default();
    let loaded = crate::ui::resource(service, form_builder);
    view! {
        <div class="mx-auto max-w-7xl space-y-6">
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(view) => Either::Left(view! { <Builder view /> }),
                        Err(e) => Either::Right(view! {
                            <Title text="Form builder" />
                            <p role="alert" class="text-red-700">{e.user_message()}</p>
                        }),
                    }
                })}
            </Transition>
        </div>
    }
}

fn empty_schema() -> FormSchema {
    FormSchema {
        fields: Vec::new(),
        endpoint: None,
        submit_label: None,
    }
}

/// The schema as the server would read it: the first problem, at its JSON path.
fn check(schema: &FormSchema) -> Option<AppError> {
    let value = serde_json::to_value(schema).ok()?;
    FormSchema::parse(&value, JsonPath::root("schema"), any_pattern).err()
}

#[component]
fn Builder(view: BuilderView) -> impl IntoView {
    let BuilderView {
        service,
        title,
        schema,
        version: start_version,
        versions: start_versions,
    } = view;
    let start = schema.unwrap_or_else(empty_schema);
    let next = StoredValue::new(0u32);
    let start_nodes = next
        .try_update_value(|n| edit::nodes(&start.fields, n))
        .unwrap_or_default();
    let base = RwSignal::new(start.clone());
    let nodes = RwSignal::new(start_nodes);
    let saved = RwSignal::new(start);
    let selected = RwSignal::new(None::<String>);
    let version = RwSignal::new(start_version);
    let versions = RwSignal::new(start_versions);
    let note = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<Result<String, String>>);
    let schema = Memo::new(move |_| nodes.with(|n| base.with(|b| edit::schema(n, b))));
    let problem = Memo::new(move |_| schema.with(check));
    let dirty = Memo::new(move |_| schema.with(|s| saved.with(|v| s != v)));
    let service = StoredValue::new(service);

    let guard = window_event_listener(ev::beforeunload, move |e| {
        if dirty.get_untracked() {
            e.prevent_default();
            e.set_return_value("");
        }
    });
    on_cleanup(move || guard.remove());

    let fresh_id = move || {
        next.update_value(|n| *n += 1);
        format!("f{}", next.get_value())
    };
    // A new field from the palette, placed near `target` (or last).
    let add = move |t: FieldType, near: Option<(String, Placement)>| -> Result<String, String> {
        let mut tree = nodes.get_untracked();
        let parent = match &near {
            Some((target, Placement::Inside)) => Some(target.clone()),
            Some((target, _)) if target != END => {
                crate::domain::tree::parent_of(&tree, target).ok_or("the target is gone")?
            }
            _ => None,
        };
        crate::domain::tree::check_parent(&tree, parent.as_deref(), None, 1)?;
        let taken = match &parent {
            Some(p) => find(&tree, p)
                .map(|n| n.children.clone())
                .unwrap_or_default(),
            None => tree.clone(),
        };
        let field = edit::new_field(t, &taken);
        let label = field.label.clone();
        let id = fresh_id();
        let node = BuilderField {
            id: id.clone(),
            field,
            children: Vec::new(),
        };
        let near = near.filter(|(target, _)| target != END);
        insert(
            &mut tree,
            node,
            parent.as_deref(),
            near.as_ref().map(|(t, p)| (t.as_str(), *p)),
        );
        nodes.set(tree);
        selected.set(Some(id));
        Ok(format!("{label} added."))
    };
    let snapshot = StoredValue::new(None::<Vec<BuilderField>>);
    let label_of = move |id: &str| {
        nodes
            .with_untracked(|t| find(t, id).map(|n| n.field.label.clone()))
            .unwrap_or_default()
    };
    let sortable = Sortable::new(
        Callback::new(
            move |(item, target, placement): (String, String, Placement)| {
                if let Some(t) = item.strip_prefix(PALETTE) {
                    let t = FieldType::parse(t).ok_or("unknown field type")?;
                    let placement = if target == END {
                        Placement::After
                    } else {
                        placement
                    };
                    return add(t, Some((target, placement)));
                }
                if target == END {
                    let mut tree = nodes.get_untracked();
                    let node = take(&mut tree, &item).ok_or("the field is gone")?;
                    insert(&mut tree, node, None, None);
                    nodes.set(tree);
                    return Ok(format!("{} moved to the end.", label_of(&item)));
                }
                let mut tree = nodes.get_untracked();
                place(&mut tree, &item, &target, placement)?;
                let (what, whom) = (label_of(&item), label_of(&target));
                nodes.set(tree);
                Ok(moved(placement, &what, &whom))
            },
        ),
        Callback::new(
            move |(item, direction): (String, crate::domain::tree::Step)| {
                let mut tree = nodes.get_untracked();
                let said = step(&mut tree, &item, direction)?;
                nodes.set(tree);
                Ok(said)
            },
        ),
        Callback::new(move |_| snapshot.set_value(Some(nodes.get_untracked()))),
        Callback::new(move |_| {
            if let Some(before) = snapshot.get_value() {
                nodes.set(before);
            }
        }),
    );

    let save = ServerAction::<SaveForm>::new();
    let restore = ServerAction::<RestoreForm>::new();
    let adopt = move |result: Option<Result<BuilderView, AppError>>, done: &str| match result {
        Some(Ok(view)) => {
            let schema = view.schema.unwrap_or_else(empty_schema);
            let tree = next
                .try_update_value(|n| edit::nodes(&schema.fields, n))
                .unwrap_or_default();
            base.set(schema.clone());
            nodes.set(tree);
            saved.set(schema);
            version.set(view.version);
            versions.set(view.versions);
            selected.set(None);
            note.set(String::new());
            notice.set(Some(Ok(format!("{done} Now version {}.", view.version))));
        }
        Some(Err(e)) => notice.set(Some(Err(match e.field() {
            Some(f) if f != "baseVersion" => format!("{f}: {}", e.user_message()),
            _ => e.user_message(),
        }))),
        None => {}
    };
    Effect::new(move |_| adopt(save.value().get(), "Saved."));
    Effect::new(move |_| adopt(restore.value().get(), "Restored."));
    let do_save = move |_| {
        save.dispatch(SaveForm {
            service: service.get_value(),
            base_version: version.get_untracked(),
            schema: serde_json::to_string(&schema.get_untracked()).unwrap_or_default(),
            note: note.get_untracked(),
        });
    };

    view! {
        <Title text=format!("Form builder · {title}") />
        <header class="flex flex-wrap items-end justify-between gap-4">
            <div>
                <p class="text-sm text-slate-500"><a class="hover:underline" href="/admin/services">"Service registry"</a>" / "{title.clone()}</p>
                <h1 class="text-2xl font-semibold">"Form builder"</h1>
                <p class="mt-1 text-sm text-slate-600">
                    "The form users of " <a class="font-medium text-amber-700 hover:underline" href=format!("/forms/{}", service.get_value())>{title.clone()}</a>
                    " fill in. Each save is a new version; submissions record the version they used."
                </p>
            </div>
            <div class="flex flex-wrap items-end gap-2">
                <label class="text-xs font-medium text-slate-700">"Note for this version"
                    <input class=INPUT maxlength="500" placeholder="What changed" prop:value=move || note.get()
                        on:input=move |e| note.set(event_target_value(&e)) data-testid="version-note" />
                </label>
                <button type="button" class=BUTTON on:click=do_save data-testid="save-form"
                    disabled=move || !dirty.get() || problem.with(Option::is_some) || save.pending().get()>
                    {move || if save.pending().get() { "Saving…" } else { "Save as new version" }}
                </button>
                <button type="button" class=SMALL disabled=move || !dirty.get() on:click=move |_| {
                    let s = saved.get_untracked();
                    let tree = next.try_update_value(|n| edit::nodes(&s.fields, n)).unwrap_or_default();
                    base.set(s);
                    nodes.set(tree);
                    selected.set(None);
                }>"Discard changes"</button>
            </div>
        </header>
        <p class="text-sm text-slate-500" data-testid="form-version">
            {move || format!("Version {}{}", version.get(), if dirty.get() { " · unsaved changes" } else { "" })}
        </p>
        {move || notice.get().map(|n| match n {
            Ok(text) => view! { <p role="status" class="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{text}</p> }.into_any(),
            Err(text) => view! { <p role="alert" class="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="builder-error">{text}</p> }.into_any(),
        })}
        {move || problem.get().map(|e| view! {
            <p role="alert" class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="schema-problem">
                {format!("{}: {}", e.field().unwrap_or("schema"), e.user_message())}
            </p>
        })}
        <Announcer sortable />
        // The pointer handlers sit around the palette and the fields alike: a drag from the
        // palette is captured by its handle, and its events bubble from there.
        <div
            class="grid gap-6 lg:grid-cols-[12rem_minmax(0,1fr)_22rem]"
            on:pointermove=sortable.pointer_move()
            on:pointerup=sortable.pointer_up()
            on:pointercancel=sortable.pointer_cancel()
        >
            <Palette sortable add />
            <section class=CARD aria-labelledby="fields-title">
                <div class="mb-3 flex items-center justify-between">
                    <h2 id="fields-title" class="font-semibold">"Fields"</h2>
                    <p class="text-xs text-slate-500">"Drag by the handle, or focus it and press Space."</p>
                </div>
                <div data-testid="builder-fields">
                    {move || rows(nodes.get(), 1, nodes, selected, problem, sortable)}
                    <div
                        data-dnd-id=END
                        class=move || format!("mt-2 rounded-lg border-2 border-dashed border-slate-200 px-3 py-4 text-center text-xs text-slate-500 {}", indicator_class(sortable.indicator(END)))
                        data-testid="builder-drop-end"
                    >
                        {move || if nodes.with(Vec::is_empty) { "Drag a field type here, or click one in the palette." } else { "Drop here to put a field last." }}
                    </div>
                </div>
            </section>
            <Properties nodes selected problem />
        </div>
        <div class="grid gap-6 lg:grid-cols-2">
            <section class=CARD aria-labelledby="preview-title">
                <h2 id="preview-title" class="mb-1 font-semibold">"Preview"</h2>
                <p class="mb-4 text-xs text-slate-500">"The real form. Try it: it validates without sending anything."</p>
                <div data-testid="builder-preview">
                    {move || {
                        let schema = schema.get();
                        let initial = values::initial_pairs(&schema, None);
                        view! { <GeneratedForm schema initial mode=Mode::Try /> }
                    }}
                </div>
            </section>
            <JsonView schema nodes base next />
        </div>
        <Versions service=service.get_value() versions version restore />
    }
}

#[component]
fn Palette<F>(sortable: Sortable, add: F) -> impl IntoView
where
    F: Fn(FieldType, Option<(String, Placement)>) -> Result<String, String>
        + Copy
        + Send
        + Sync
        + 'static,
{
    view! {
        <section class=CARD aria-labelledby="palette-title">
            <h2 id="palette-title" class="mb-1 font-semibold">"Field types"</h2>
            <p class="mb-3 text-xs text-slate-500">"Drag one into the form, or click to add it last."</p>
            <ul class="space-y-1" data-testid="palette">
                {FieldType::ALL.iter().map(|t| {
                    let t = *t;
                    let id = format!("{PALETTE}{}", t.as_str());
                    view! {
                        <li class="flex items-center gap-1">
                            <span
                                class="cursor-grab touch-none select-none rounded px-1 text-slate-400 hover:bg-slate-100"
                                aria-hidden="true"
                                data-testid=format!("palette-drag-{}", t.as_str())
                                on:pointerdown=sortable.pointer_down(id)
                            >"⠿"</span>
                            <button type="button" class="flex-1 rounded-md border border-slate-200 bg-white px-2 py-1 text-left text-xs font-medium hover:border-amber-400"
                                aria-label=format!("Add a {} field", t.as_str())
                                on:click=move |_| { let _ = add(t, None); }
                            >{t.as_str()}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

fn rows(
    list: Vec<BuilderField>,
    depth: usize,
    nodes: RwSignal<Vec<BuilderField>>,
    selected: RwSignal<Option<String>>,
    problem: Memo<Option<AppError>>,
    sortable: Sortable,
) -> AnyView {
    view! {
        <ul class=if depth == 1 { "space-y-1" } else { "mt-1 space-y-1 border-l-2 border-slate-100 pl-5" } role="list">
            {list.into_iter().map(|node| row(node, depth, nodes, selected, problem, sortable)).collect_view()}
        </ul>
    }
    .into_any()
}

fn row(
    node: BuilderField,
    depth: usize,
    nodes: RwSignal<Vec<BuilderField>>,
    selected: RwSignal<Option<String>>,
    problem: Memo<Option<AppError>>,
    sortable: Sortable,
) -> AnyView {
    let BuilderField {
        id,
        field,
        children,
    } = node;
    let nest = depth < edit_max_depth() && field.field_type == FieldType::Group;
    let indicator = {
        let id = id.clone();
        Memo::new(move |_| indicator_class(sortable.indicator(&id)))
    };
    let moving = {
        let id = id.clone();
        Memo::new(move |_| sortable.is_moving(&id))
    };
    let is_selected = {
        let id = id.clone();
        Memo::new(move |_| selected.with(|s| s.as_deref() == Some(id.as_str())))
    };
    // The schema's first problem, when it is about this field.
    let error = {
        let id = id.clone();
        move || {
            problem.with(|p| {
                p.as_ref().and_then(|e| {
                    let at = e.field()?;
                    let hit = nodes.with(|n| edit::node_at_error(n, at).map(|n| n.id == id))?;
                    hit.then(|| format!("{}: {}", at, e.user_message()))
                })
            })
        }
    };
    let (id_select, id_remove) = (id.clone(), id.clone());
    let label = field.label.clone();
    let conditional = field.show_if.is_some() || field.required_if.is_some();
    view! {
        <li data-dnd-id=id.clone() data-dnd-nest=nest.to_string() data-testid=format!("builder-field-{}", field.name)>
            <div class=move || format!(
                "flex flex-wrap items-center gap-2 rounded-lg border px-2 py-1.5 {} {}",
                if moving.get() { "border-amber-400 bg-amber-50" } else if is_selected.get() { "border-amber-500 bg-amber-50/50" } else { "border-slate-200 bg-white" },
                indicator.get(),
            )>
                <DragHandle sortable id=id.clone() name=label.clone() moving />
                <button type="button" class="min-w-0 flex-1 text-left text-sm"
                    aria-pressed=move || is_selected.get().to_string()
                    on:click=move |_| selected.set(Some(id_select.clone()))>
                    <span class="font-medium">{label.clone()}</span>
                    <span class="ml-2 font-mono text-xs text-slate-500">{field.name.clone()}</span>
                </button>
                <span class="rounded bg-slate-100 px-1.5 text-[10px] font-semibold uppercase text-slate-600">{field.field_type.as_str()}</span>
                {field.required.then(|| view! { <span class="text-[10px] font-semibold uppercase text-red-700">"Required"</span> })}
                {conditional.then(|| view! { <span class="rounded bg-sky-100 px-1.5 text-[10px] font-semibold uppercase text-sky-800">"Conditional"</span> })}
                <button type="button" class=SMALL aria-label=format!("Remove {label}") on:click=move |_| {
                    nodes.update(|t| { take(t, &id_remove); });
                    selected.set(None);
                }>"Remove"</button>
            </div>
            {move || error().map(|e| view! { <p role="alert" class="ml-8 mt-1 text-xs text-red-700" data-testid="field-problem">{e}</p> })}
            {(!children.is_empty()).then(|| rows(children, depth + 1, nodes, selected, problem, sortable))}
        </li>
    }
    .into_any()
}

fn edit_max_depth() -> usize {
    crate::domain::form::schema::MAX_DEPTH
}

/// Edits the selected field's properties.
#[component]
fn Properties(
    nodes: RwSignal<Vec<BuilderField>>,
    selected: RwSignal<Option<String>>,
    problem: Memo<Option<AppError>>,
) -> impl IntoView {
    view! {
        <section class=CARD aria-labelledby="properties-title" data-testid="properties">
            <h2 id="properties-title" class="mb-3 font-semibold">"Properties"</h2>
            {move || selected.with(Option::is_none).then(|| view! { <p class="text-sm text-slate-500">"Select a field to edit it."</p> })}
            // Keyed by the field: another selection builds fresh inputs (patching the old
            // ones would keep what was typed into them), and edits do not rebuild them.
            // A change of type shows other properties: that rebuilds them too.
            <For
                each=move || {
                    selected.get().and_then(|id| {
                        nodes.with(|t| {
                            find(t, &id).map(|n| (id.clone(), n.field.field_type, n.field.item_type))
                        })
                    })
                }
                key=|(id, t, item)| (id.clone(), *t, *item)
                let((id, _, _))
            >
                {
                    let node = nodes.with_untracked(|t| find(t, &id).cloned());
                    let earlier = earlier_fields(&nodes.get_untracked(), &id);
                    node.map(|node| view! { <FieldProperties id node earlier nodes problem /> })
                }
            </For>
        </section>
    }
}

/// (value path, label) of the fields before `id` that hold a value: what a condition may
/// name.
fn earlier_fields(tree: &[BuilderField], id: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut done = false;
    fn go(
        nodes: &[BuilderField],
        prefix: &str,
        id: &str,
        out: &mut Vec<(String, String)>,
        done: &mut bool,
    ) {
        for n in nodes {
            if *done {
                return;
            }
            if n.id == id {
                *done = true;
                return;
            }
            let path = crate::domain::form::schema::join(prefix, &n.field.name);
            if n.field.holds_value() {
                out.push((path.clone(), n.field.label.clone()));
            }
            go(&n.children, &path, id, out, done);
        }
    }
    go(tree, "", id, &mut out, &mut done);
    out
}
