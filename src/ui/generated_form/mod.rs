//! The form generated from a schema: rendered on the server as a plain form that posts to
//! the `forms_submit` server function (so it works without JavaScript), then hydrated for
//! live validation with the same `validate` the server runs. Each field has its own signal,
//! so typing touches one input; conditions hide fields once hydrated (without JavaScript
//! every field shows, with a note, and the server ignores the hidden ones). Labels, help and
//! options are text, never HTML.

mod controls;

use self::controls::*;

use std::collections::HashMap;

use leptos::{either::Either, ev, html, prelude::*};

use crate::{
    api::forms::SubmitForm,
    domain::form::{
        rules::Rules,
        schema::{join, Condition, FieldType, FormField, FormSchema, ItemType, Test, Width},
        validate,
        values::{self, Pairs},
        FieldError, PATTERN_MISMATCH,
    },
    ui::{
        form::{BUTTON, INPUT},
        text::textarea_html,
    },
};

/// What submitting does: send to the service, or (the builder's preview) only check.
#[derive(Clone)]
pub enum Mode {
    Submit {
        service: String,
        version: i32,
        /// The record an edit form changes: its id and the version it was read at.
        record: Option<(String, i32)>,
        action: ServerAction<SubmitForm>,
    },
    Try,
}

/// Checks a pattern where the form runs: the browser's RegExp once hydrated (a pattern it
/// cannot read is left to the server), the server's linear-time `regex` when rendering.
fn pattern_matches(pattern: &str, value: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::{JsCast, JsValue};
        let args = js_sys::Array::of2(&JsValue::from_str(pattern), &JsValue::from_str("u"));
        // `new RegExp(pattern)` throws on a pattern it cannot read; `Reflect.construct`
        // turns that into an error instead of a panic.
        let constructor = js_sys::RegExp::new(".", "").constructor();
        match js_sys::Reflect::construct(constructor.unchecked_ref::<js_sys::Function>(), &args) {
            Ok(re) => re.unchecked_into::<js_sys::RegExp>().test(value),
            Err(_) => true,
        }
    }
    #[cfg(all(feature = "ssr", not(feature = "hydrate")))]
    {
        crate::server::pattern::pattern_matches(pattern, value)
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        let _ = (pattern, value);
        true
    }
}

/// One field's input state.
#[derive(Clone, Copy)]
enum Input {
    Text(RwSignal<String>),
    Flag(RwSignal<bool>),
    /// A multiselect's chosen option values.
    Choices(RwSignal<Vec<String>>),
    /// An array's items, each with a key that survives removals.
    Items(RwSignal<Vec<(u32, RwSignal<String>)>>),
}

#[derive(Clone, Copy)]
struct Field {
    input: Input,
    /// Left once (blur), or edited: its errors show from then on.
    touched: RwSignal<bool>,
}

#[derive(Clone, Copy)]
struct Ctx {
    fields: StoredValue<HashMap<String, Field>>,
    rules: Memo<Rules>,
    errors: Memo<Vec<FieldError>>,
    /// Errors the server answered, shown until their field is edited.
    server: RwSignal<Vec<FieldError>>,
    /// A submit was tried: every error shows.
    tried: RwSignal<bool>,
    hydrated: RwSignal<bool>,
    disabled: bool,
    labels: StoredValue<HashMap<String, String>>,
    next_key: StoredValue<u32>,
}

impl Ctx {
    fn field(&self, path: &str) -> Option<Field> {
        self.fields.with_value(|f| f.get(path).copied())
    }

    /// The message to show under `path`, if any.
    fn error(&self, path: &str) -> Option<String> {
        let shows = self.tried.get() || self.field(path).is_some_and(|f| f.touched.get());
        let local = self.errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.field() == path)
                .map(|e| self.describe(e, path))
        });
        let server = || {
            self.server.with(|errors| {
                errors
                    .iter()
                    .find(|e| e.field() == path)
                    .map(|e| self.describe(e, path))
            })
        };
        if shows {
            local.or_else(server)
        } else {
            server()
        }
    }

    fn edited(&self, path: &str) {
        if let Some(f) = self.field(path) {
            f.touched.set(true);
        }
        if self
            .server
            .with_untracked(|s| s.iter().any(|e| e.field() == path))
        {
            self.server.update(|s| s.retain(|e| e.field() != path));
        }
    }
}

impl Ctx {
    /// An item's error names the row it shows in (`Item 2: does not have the expected
    /// format`): the values skip blank rows, the page does not.
    fn describe(&self, e: &FieldError, path: &str) -> String {
        let Some(rest) = e.path.strip_prefix(path).and_then(|r| r.strip_prefix('[')) else {
            return e.message.clone();
        };
        let n: usize = rest.trim_end_matches(']').parse().unwrap_or(0);
        let row = match self.field(path).map(|f| f.input) {
            Some(Input::Items(items)) => items.with_untracked(|list| {
                list.iter()
                    .enumerate()
                    .filter(|(_, (_, v))| !v.with_untracked(|t| t.trim().is_empty()))
                    .nth(n)
                    .map_or(n, |(row, _)| row)
            }),
            _ => n,
        };
        format!("Item {}: {}", row + 1, e.message)
    }
}

/// The HTML id of a field's input.
fn dom_id(path: &str) -> String {
    format!("field-{}", path.replace('.', "-"))
}

fn input_name(path: &str) -> String {
    format!("values[{path}]")
}

fn width_class(width: Option<Width>) -> &'static str {
    match width {
        Some(Width::Half) => "col-span-6 sm:col-span-3",
        Some(Width::Third) => "col-span-6 sm:col-span-2",
        Some(Width::TwoThirds) => "col-span-6 sm:col-span-4",
        Some(Width::Full) | None => "col-span-6",
    }
}

fn state(schema: &FormSchema, initial: &Pairs) -> (HashMap<String, Field>, u32) {
    let mut fields = HashMap::new();
    let mut key = 0u32;
    for (field, path) in schema.paths() {
        if !field.holds_value() {
            continue;
        }
        let path = path.as_str();
        {
            let items =
                || -> Vec<String> { values::posted_items(path, initial).cloned().collect() };
            let input = match field.field_type {
                FieldType::Checkbox | FieldType::Switch => Input::Flag(RwSignal::new(
                    initial.get(path).is_some_and(|v| values::is_checked(v)),
                )),
                FieldType::Multiselect => Input::Choices(RwSignal::new(items())),
                FieldType::Array => {
                    let mut list: Vec<(u32, RwSignal<String>)> = items()
                        .into_iter()
                        .map(|v| {
                            key += 1;
                            (key, RwSignal::new(v))
                        })
                        .collect();
                    // One empty slot to type into (without JavaScript, the way to add one).
                    key += 1;
                    list.push((key, RwSignal::new(String::new())));
                    Input::Items(RwSignal::new(list))
                }
                _ => Input::Text(RwSignal::new(
                    initial.get(path).cloned().unwrap_or_default(),
                )),
            };
            fields.insert(
                path.to_string(),
                Field {
                    input,
                    touched: RwSignal::new(false),
                },
            );
        }
    }
    (fields, key)
}

/// The form post the inputs stand for (tracks every input).
fn pairs(fields: &HashMap<String, Field>) -> Pairs {
    let mut out = Pairs::new();
    for (path, field) in fields {
        match field.input {
            Input::Text(s) => {
                let v = s.get();
                if !v.is_empty() {
                    out.insert(path.clone(), v);
                }
            }
            Input::Flag(b) => {
                if b.get() {
                    out.insert(path.clone(), "true".into());
                }
            }
            Input::Choices(c) => {
                for (i, v) in c.get().into_iter().enumerate() {
                    out.insert(format!("{path}.{i}"), v);
                }
            }
            Input::Items(items) => {
                for (i, (_, v)) in items.get().into_iter().enumerate() {
                    out.insert(format!("{path}.{i}"), v.get());
                }
            }
        }
    }
    out
}

#[component]
pub fn GeneratedForm(
    schema: FormSchema,
    initial: Pairs,
    mode: Mode,
    #[prop(optional)] server_errors: Vec<FieldError>,
    /// Why the form cannot be submitted: it shows, disabled.
    #[prop(optional_no_strip)]
    blocked: Option<String>,
) -> impl IntoView {
    let (fields, next_key) = state(&schema, &initial);
    let fields = StoredValue::new(fields);
    let schema = StoredValue::new(schema);
    let current = Memo::new(move |_| fields.with_value(pairs));
    let values =
        Memo::new(move |_| current.with(|p| schema.with_value(|s| values::from_pairs(s, p))));
    let rules = Memo::new(move |_| values.with(|v| schema.with_value(|s| Rules::of(s, v))));
    let errors =
        Memo::new(move |_| values.with(|v| schema.with_value(|s| validate(s, v, pattern_matches))));
    let labels: HashMap<String, String> = schema.with_value(|s| {
        s.paths()
            .into_iter()
            .map(|(f, path)| (path, f.label.clone()))
            .collect()
    });
    let hydrated = crate::ui::hydration_flag();
    let ctx = Ctx {
        fields,
        rules,
        errors,
        server: RwSignal::new(server_errors),
        tried: RwSignal::new(false),
        hydrated,
        disabled: blocked.is_some(),
        labels: StoredValue::new(labels),
        next_key: StoredValue::new(next_key),
    };
    let summary = NodeRef::<html::Div>::new();
    let tried_ok = RwSignal::new(None::<String>);
    let pending = match &mode {
        Mode::Submit { action, .. } => Some(action.pending()),
        Mode::Try => None,
    };
    let submit_label = schema
        .with_value(|s| s.submit_label.clone())
        .unwrap_or_else(|| match mode {
            Mode::Submit { .. } => "Submit".into(),
            Mode::Try => "Try it".into(),
        });
    let (service, version, record) = match &mode {
        Mode::Submit {
            service,
            version,
            record,
            ..
        } => (service.clone(), *version, record.clone()),
        Mode::Try => (String::new(), 0, None),
    };
    let mode = StoredValue::new(mode);
    let on_submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        if ctx.disabled {
            return;
        }
        ctx.tried.set(true);
        ctx.server.set(Vec::new());
        // Pattern mismatches are advice here (see PATTERN_MISMATCH): the server decides.
        let blocking = errors.with_untracked(|e| e.iter().any(|x| x.message != PATTERN_MISMATCH));
        if blocking {
            tried_ok.set(None);
            // The summary takes focus, so a screen reader reads what to fix.
            request_animation_frame(move || {
                if let Some(el) = summary.get_untracked() {
                    let _ = el.focus();
                }
            });
            return;
        }
        mode.with_value(|m| match m {
            Mode::Submit {
                service,
                version,
                record,
                action,
            } => {
                action.dispatch(SubmitForm {
                    service: service.clone(),
                    version: *version,
                    values: current.get_untracked(),
                    record: record.as_ref().map(|(id, _)| id.clone()),
                    record_version: record
                        .as_ref()
                        .map(|(_, v)| v.to_string())
                        .unwrap_or_default(),
                });
            }
            Mode::Try => {
                let sent = schema.with_value(|s| values.with_untracked(|v| values::clean(s, v)));
                tried_ok.set(Some(
                    serde_json::to_string_pretty(&sent).unwrap_or_default(),
                ));
            }
        });
    };
    let shown_errors = move || {
        let mut list: Vec<(String, String)> = Vec::new();
        if ctx.tried.get() {
            errors.with(|e| {
                for err in e {
                    list.push((err.field().to_string(), ctx.describe(err, err.field())));
                }
            });
        }
        ctx.server.with(|e| {
            for err in e {
                if !list.iter().any(|(p, _)| p == err.field()) {
                    list.push((err.field().to_string(), ctx.describe(err, err.field())));
                }
            }
        });
        list
    };
    let fields_view = schema.with_value(|s| render_fields(&s.fields, "", ctx));

    view! {
        <form
            method="post"
            action="/api/forms_submit"
            novalidate
            on:submit=on_submit
            class="space-y-5"
            data-hydrated=move || hydrated.get().then_some("true")
            data-testid="generated-form"
        >
            <input type="hidden" name="service" value=service />
            <input type="hidden" name="version" value=version.to_string() />
            {record.map(|(id, v)| view! {
                <input type="hidden" name="record" value=id />
                <input type="hidden" name="record_version" value=v.to_string() />
            })}
            {move || {
                let list = shown_errors();
                (!list.is_empty()).then(|| view! {
                    <div
                        node_ref=summary
                        tabindex="-1"
                        role="alert"
                        data-testid="error-summary"
                        class="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 focus:outline-none focus:ring-2 focus:ring-red-300"
                    >
                        <p class="font-semibold">
                            {if list.len() == 1 { "1 field needs attention".to_string() } else { format!("{} fields need attention", list.len()) }}
                        </p>
                        <ul class="mt-1 list-disc pl-5">
                            {list.into_iter().map(|(path, message)| {
                                let label = ctx.labels.with_value(|l| l.get(&path).cloned()).unwrap_or_else(|| path.clone());
                                view! { <li><a class="underline" href=format!("#{}", dom_id(&path))>{label}": "{message}</a></li> }
                            }).collect_view()}
                        </ul>
                    </div>
                })
            }}
            <div class="grid grid-cols-6 gap-x-4 gap-y-5">{fields_view}</div>
            {blocked.map(|why| view! {
                <p role="status" class="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">{why}</p>
            })}
            <div class="flex items-center gap-3">
                <button
                    type="submit"
                    class=BUTTON
                    disabled=move || ctx.disabled || pending.is_some_and(|p| p.get())
                >
                    {submit_label}
                </button>
                {move || pending.is_some_and(|p| p.get()).then(|| view! { <span class="text-sm text-slate-500">"Sending…"</span> })}
            </div>
            {move || tried_ok.get().map(|sent| view! {
                <div role="status" data-testid="try-result" class="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
                    <p class="font-semibold">"Valid. This is what would be submitted:"</p>
                    <pre class="mt-1 overflow-x-auto text-xs">{sent}</pre>
                </div>
            })}
        </form>
    }
}

fn render_fields(fields: &[FormField], prefix: &str, ctx: Ctx) -> Vec<AnyView> {
    fields
        .iter()
        .map(|field| {
            let path = join(prefix, &field.name);
            let shown = {
                let path = path.clone();
                move || !ctx.hydrated.get() || ctx.rules.with(|r| r.shown(&path))
            };
            let class = width_class(field.width);
            let body = match field.field_type {
                FieldType::Section => Either::Left(view! {
                    <div class="border-t border-slate-200 pt-4">
                        <h3 class="text-base font-semibold text-slate-900">{field.label.clone()}</h3>
                        {field.help.clone().map(|h| view! { <p class="mt-1 text-sm text-slate-600">{h}</p> })}
                    </div>
                }
                .into_any()),
                FieldType::Group => Either::Left(view! {
                    <fieldset class="rounded-lg border border-slate-200 p-4">
                        <legend class="px-1 text-sm font-semibold text-slate-800">{field.label.clone()}</legend>
                        {field.help.clone().map(|h| view! { <p class="mb-3 text-xs text-slate-500">{h}</p> })}
                        <div class="grid grid-cols-6 gap-x-4 gap-y-4">{render_fields(&field.fields, &path, ctx)}</div>
                    </fieldset>
                }
                .into_any()),
                FieldType::Hidden => Either::Left(hidden_input(&path, ctx).into_any()),
                _ => Either::Right(field_view(field, &path, ctx)),
            };
            let note = condition_note(field, ctx);
            view! {
                <div class=class hidden=move || !shown() data-field=path.clone()>
                    {body}
                    {note}
                </div>
            }
            .into_any()
        })
        .collect()
}

/// Without JavaScript conditions cannot hide anything: say when a field counts.
fn condition_note(field: &FormField, ctx: Ctx) -> Option<impl IntoView> {
    let describe = |c: &Condition| {
        let label = ctx
            .labels
            .with_value(|l| l.get(&c.field).cloned())
            .unwrap_or_else(|| c.field.clone());
        let text = |v: &serde_json::Value| values::text(v);
        match &c.test {
            Test::Equals(v) => format!("{label} is {}", text(v)),
            Test::OneOf(vs) => format!(
                "{label} is one of {}",
                vs.iter().map(text).collect::<Vec<_>>().join(", ")
            ),
            Test::NotEmpty(_) => format!("{label} is filled in"),
        }
    };
    let mut notes = Vec::new();
    if let Some(c) = &field.show_if {
        notes.push(format!("Only when {}.", describe(c)));
    }
    if let Some(c) = &field.required_if {
        notes.push(format!("Required when {}.", describe(c)));
    }
    (!notes.is_empty()).then(|| {
        let text = notes.join(" ");
        view! { <p class="mt-1 text-xs italic text-slate-500" hidden=move || ctx.hydrated.get()>{text}</p> }
    })
}

fn hidden_input(path: &str, ctx: Ctx) -> impl IntoView {
    let value = match ctx.field(path).map(|f| f.input) {
        Some(Input::Text(s)) => s.get_untracked(),
        _ => String::new(),
    };
    view! { <input type="hidden" name=input_name(path) value=value /> }
}
