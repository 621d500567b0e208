//! The builder's side panels: the schema as JSON, and its saved versions.

use super::*;

/// The schema as JSON, editable: a valid edit replaces the fields; an invalid one says why.
#[component]
pub(super) fn JsonView(
    schema: Memo<FormSchema>,
    nodes: RwSignal<Vec<BuilderField>>,
    base: RwSignal<FormSchema>,
    next: StoredValue<u32>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let editing = RwSignal::new(false);
    Effect::new(move |_| {
        let pretty = schema.with(|s| serde_json::to_string_pretty(s).unwrap_or_default());
        if !editing.get_untracked() {
            text.set(pretty);
        }
    });
    let apply = move |raw: String| {
        let parsed = serde_json::from_str::<serde_json::Value>(&raw)
            .map_err(|e| format!("Not valid JSON: {e}"))
            .and_then(|v| {
                FormSchema::parse(&v, JsonPath::root("schema"), any_pattern)
                    .map_err(|e| format!("{}: {}", e.field().unwrap_or("schema"), e.user_message()))
            });
        match parsed {
            Ok(s) => {
                let tree = next
                    .try_update_value(|n| edit::nodes(&s.fields, n))
                    .unwrap_or_default();
                base.set(s);
                nodes.set(tree);
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <section class=CARD aria-labelledby="json-title">
            <h2 id="json-title" class="mb-1 font-semibold">"JSON"</h2>
            <p class="mb-2 text-xs text-slate-500">"Edits here apply when they read as a valid schema."</p>
            <textarea
                class=format!("{INPUT} h-96 font-mono text-xs")
                spellcheck="false"
                aria-label="Form schema as JSON"
                data-testid="schema-json"
                prop:value=move || text.get()
                on:focus=move |_| editing.set(true)
                on:blur=move |_| {
                    editing.set(false);
                    if error.get_untracked().is_none() {
                        text.set(schema.with_untracked(|s| serde_json::to_string_pretty(s).unwrap_or_default()));
                    }
                }
                on:input=move |e| {
                    let raw = event_target_value(&e);
                    text.set(raw.clone());
                    apply(raw);
                }
            ></textarea>
            {move || error.get().map(|e| view! { <p role="alert" class="mt-1 text-xs text-red-700" data-testid="json-error">{e}</p> })}
        </section>
    }
}

/// Saved versions: who, when, why; compare two; restore one.
#[component]
pub(super) fn Versions(
    service: String,
    versions: RwSignal<Vec<FormVersionView>>,
    version: RwSignal<i32>,
    restore: ServerAction<RestoreForm>,
) -> impl IntoView {
    let service = StoredValue::new(service);
    let left = RwSignal::new(None::<i32>);
    let right = RwSignal::new(None::<i32>);
    let compared = crate::ui::resource(
        move || (left.get(), right.get()),
        move |(a, b)| async move {
            let (Some(a), Some(b)) = (a, b) else {
                return Ok(None);
            };
            let old = form_version(service.get_value(), a).await?;
            let new = form_version(service.get_value(), b).await?;
            Ok::<_, AppError>(Some(diff(&old, &new)))
        },
    );
    view! {
        <section class=CARD aria-labelledby="versions-title">
            <h2 id="versions-title" class="font-semibold">"Versions"</h2>
            {move || versions.with(Vec::is_empty).then(|| view! { <p class="mt-2 text-sm text-slate-500">"Not saved yet."</p> })}
            <table class="mt-2 w-full text-left text-sm" data-testid="form-versions">
                <thead class="text-xs uppercase text-slate-500">
                    <tr><th class="py-1">"Version"</th><th>"Author"</th><th>"Saved"</th><th>"Note"</th><th>"Compare"</th><th></th></tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    <For each=move || versions.get() key=|v| v.version let(v)>
                        {
                            let n = v.version;
                            view! {
                                <tr>
                                    <td class="py-1.5 font-medium">{n}</td>
                                    <td>{v.author.clone()}</td>
                                    <td class="text-slate-500">{crate::ui::time::minute(&v.created_at)}</td>
                                    <td class="text-slate-600">{v.note.clone().unwrap_or_default()}{v.restored_from.map(|r| format!(" (from version {r})"))}</td>
                                    <td class="space-x-2 text-xs">
                                        <label><input type="radio" name="compare-left" on:change=move |_| left.set(Some(n)) />" from"</label>
                                        <label><input type="radio" name="compare-right" on:change=move |_| right.set(Some(n)) />" to"</label>
                                    </td>
                                    <td class="text-right">
                                        {move || if version.get() == n {
                                            view! { <span class="text-xs font-semibold text-emerald-700">"Current"</span> }.into_any()
                                        } else {
                                            view! {
                                                <button type="button" class=SMALL on:click=move |_| {
                                                    restore.dispatch(RestoreForm { service: service.get_value(), version: n, base_version: version.get_untracked() });
                                                }>{format!("Restore version {n}")}</button>
                                            }.into_any()
                                        }}
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match compared.await {
                        Ok(Some(lines)) => view! {
                            <pre class="mt-4 max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-2 text-xs" data-testid="version-diff">
                                {lines.into_iter().map(|l| match l {
                                    Line::Same(t) => view! { <div class="text-slate-600">{format!("  {t}")}</div> }.into_any(),
                                    Line::Removed(t) => view! { <div class="bg-red-50 text-red-800">{format!("- {t}")}</div> }.into_any(),
                                    Line::Added(t) => view! { <div class="bg-emerald-50 text-emerald-800">{format!("+ {t}")}</div> }.into_any(),
                                }).collect_view()}
                            </pre>
                        }.into_any(),
                        Ok(None) => view! { <p class="mt-3 text-xs text-slate-500">"Pick a \"from\" and a \"to\" version to compare them."</p> }.into_any(),
                        Err(e) => view! { <p role="alert" class="mt-3 text-sm text-red-700">{e.user_message()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
