//! A service's form page (`/forms/{service}`): the generated form, what the last submission
//! answered, and this user's latest submissions that Inti keeps.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::forms::{load_form, SubmitForm},
    domain::form::{
        rules::lookup,
        schema::FormSchema,
        values,
        view::{FormView, Submitted},
    },
    ui::generated_form::{GeneratedForm, Mode},
};

const CARD: &str = "rounded-xl border border-slate-200 bg-white p-6 shadow-sm";

#[component]
pub fn FormPage() -> impl IntoView {
    let params = use_params_map();
    let service = move || params.read().get("service").unwrap_or_default();
    let loaded = crate::ui::resource(service, load_form);
    view! {
        <div class="mx-auto max-w-3xl space-y-6">
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(view) => Either::Left(view! { <FormScreen view /> }),
                        Err(e) => Either::Right(view! {
                            <Title text="Form" />
                            <p role="alert" class="text-red-700">{e.user_message()}</p>
                        }),
                    }
                })}
            </Transition>
        </div>
    }
}

/// A service's form with its notices. `record`: the record an edit form changes (its id and
/// version); `opens`: where what a submission created is shown (`/tasks/` + its reference);
/// `on_done`: called after each successful submission; `heading`: false where the page has
/// its own.
#[component]
pub fn FormScreen(
    view: FormView,
    #[prop(optional)] record: Option<(String, i32)>,
    #[prop(optional, into)] opens: Option<String>,
    #[prop(optional)] on_done: Option<Callback<Submitted>>,
    #[prop(default = true)] heading: bool,
) -> impl IntoView {
    let FormView {
        service,
        title,
        description,
        schema,
        version,
        initial,
        blocked,
        outcome,
        recent,
    } = view;
    let action = ServerAction::<SubmitForm>::new();
    let service = StoredValue::new(service);
    let recent = RwSignal::new(recent);
    // What the form shows: the page's schema, until a submission answers a newer one; the
    // entered values after errors, the starting ones after a success.
    let shown = RwSignal::new((schema, version, initial.clone(), outcome.clone()));
    let notice = RwSignal::new(outcome.as_ref().and_then(success));
    // A refusal of the whole form (403, 503, ...) posted without JavaScript comes back as an
    // error at the empty path.
    let refused = RwSignal::new(outcome.as_ref().and_then(|o| {
        o.errors
            .iter()
            .find(|e| e.path.is_empty())
            .map(|e| e.message.clone())
    }));
    let start = StoredValue::new(initial);
    Effect::new(move |_| match action.value().get() {
        Some(Ok(answer)) => {
            let sent = action.input().get_untracked().map(|i| i.values);
            shown.update(|(schema, version, values, outcome)| {
                if let Some(newer) = answer.schema.clone() {
                    *schema = newer;
                }
                *version = answer.version;
                *values = if answer.errors.is_empty() {
                    start.get_value()
                } else {
                    sent.unwrap_or_default()
                };
                *outcome = Some(answer.clone());
            });
            notice.set(success(&answer));
            refused.set(None);
            if answer.errors.is_empty() {
                if let Some(done) = on_done {
                    done.run(answer.clone());
                }
                // The kept submissions, with the new one.
                leptos::task::spawn_local(async move {
                    if let Ok(view) = load_form(service.get_value()).await {
                        recent.set(view.recent);
                    }
                });
            }
        }
        Some(Err(e)) => refused.set(Some(e.user_message())),
        None => {}
    });
    let opened = StoredValue::new(opens);
    view! {
        {heading.then(|| view! {
            <Title text=title.clone() />
            <header>
                <h1 class="text-2xl font-semibold">{title}</h1>
                {description.map(|d| view! { <p class="mt-1 text-sm text-slate-600">{d}</p> })}
            </header>
        })}
        {move || notice.get().map(|(text, reference)| {
            let href = opened.get_value().zip(reference).map(|(base, r)| format!("{base}{r}"));
            view! {
                <p role="status" data-testid="form-notice" class="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
                    {text}
                    {href.map(|h| view! { " " <a class="font-medium underline" href=h>"Open it →"</a> })}
                </p>
            }
        })}
        {move || refused.get().map(|n| view! {
            <p role="alert" class="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">{n}</p>
        })}
        {move || shown.with(|(_, _, _, o)| o.as_ref().filter(|o| o.schema.is_some()).map(|o| view! {
            <p role="status" class="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
                {format!("This form changed while you filled it in (now version {}); it was checked against the new version.", o.version)}
            </p>
        }))}
        <section class=CARD>
            {move || {
                let (schema, version, values, outcome) = shown.get();
                let errors = outcome
                    .map(|o| o.errors.into_iter().filter(|e| !e.path.is_empty()).collect())
                    .unwrap_or_default();
                let mode = Mode::Submit { service: service.get_value(), version, record: record.clone(), action };
                let blocked = blocked.clone();
                view! { <GeneratedForm schema initial=values mode server_errors=errors blocked /> }
            }}
        </section>
        {move || recent.with(|r| !r.is_empty()).then(|| {
            let schema_now = shown.with_untracked(|(schema, ..)| schema.clone());
            view! {
            <section class=CARD>
                <h2 class="text-base font-semibold">"Your latest submissions"</h2>
                <ul class="mt-3 divide-y divide-slate-100 text-sm">
                    {recent.get().into_iter().map(|s| view! {
                        <li class="py-2">
                            <p class="text-xs text-slate-500">{format!("{} · version {} · {}", crate::ui::time::minute(&s.created_at), s.version, s.id)}</p>
                            <dl class="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-xs text-slate-700">
                                {described(&schema_now, &s.values).into_iter().map(|(label, text)| view! {
                                    <dt class="font-medium text-slate-600">{label}</dt>
                                    <dd class="break-words">{text}</dd>
                                }).collect_view()}
                            </dl>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }})}
    }
}

/// A kept submission's values as (label, text) by the form's fields; keys the form no
/// longer has keep their name.
fn described(schema: &FormSchema, values: &serde_json::Value) -> Vec<(String, String)> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::Array(items) => items
            .iter()
            .map(values::text)
            .collect::<Vec<_>>()
            .join(", "),
        other => values::text(other),
    };
    let mut out = Vec::new();
    let mut named = Vec::new();
    for (field, path) in schema.paths() {
        if let Some(v) = lookup(values, &path).filter(|_| field.holds_value()) {
            out.push((field.label.clone(), text(v)));
            named.push(path);
        }
    }
    if let Some(map) = values.as_object() {
        for (key, v) in map {
            if !named
                .iter()
                .any(|p| p == key || p.starts_with(&format!("{key}.")))
            {
                out.push((key.clone(), text(v)));
            }
        }
    }
    out
}

/// A success's notice, and the reference of what it created.
fn success(answer: &Submitted) -> Option<(String, Option<String>)> {
    answer.errors.is_empty().then(|| {
        let mut text = answer
            .message
            .clone()
            .unwrap_or_else(|| "Submitted.".into());
        if let Some(r) = &answer.reference {
            text.push_str(&format!(" Reference: {r}"));
        }
        (text, answer.reference.clone())
    })
}
