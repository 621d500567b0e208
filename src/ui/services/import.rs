//! Registering a service from an OpenAPI document.

use super::*;

/// Register a service from an OpenAPI document: paste it or pick a file, preview the draft
/// (endpoints, forms, menu, what could not be carried over), edit its JSON, register it.
#[component]
pub fn ImportServicePage() -> impl IntoView {
    let import = ServerAction::<ImportOpenapi>::new();
    let register = ServerAction::<RegisterServiceJson>::new();
    let document = RwSignal::new(String::new());
    let file_error = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| read_file(ev, document, file_error);
    view! {
        <Title text="Import from OpenAPI" />
        <a href="/admin/services" class=format!("text-sm {LINK}")>"← Service registry"</a>
        <h1 class="mt-3 text-2xl font-semibold tracking-tight">"Import from OpenAPI"</h1>
        <p class="mt-1 max-w-3xl text-sm text-slate-600">
            "An OpenAPI 3.0 or 3.1 document (JSON or YAML) becomes a draft: an endpoint per operation, a form per request body and a menu with a page per list and create operation. Nothing is saved until you register the draft."
        </p>
        <ActionForm action=import attr:class=format!("{CARD} mt-6 max-w-4xl space-y-3") attr:aria-label="OpenAPI document">
            <label class="block text-sm">
                <span class=LABEL>"Document"</span>
                <textarea name="document" rows="14" spellcheck="false" required
                    placeholder="openapi: 3.1.0\ninfo:\n  title: Pet Store\n..."
                    class=format!("{INPUT} font-mono text-xs")
                    prop:value=move || document.get()
                    on:input=move |e| document.set(event_target_value(&e))></textarea>
                <FieldError message=field_error(import, "document") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Or pick a file"</span>
                <input type="file" accept=".json,.yaml,.yml,application/json,application/yaml" on:change=on_file
                    class="mt-1 block text-sm text-slate-600 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium" />
                <FieldError message=move || file_error.get() />
            </label>
            <FieldError message=form_error(import) />
            <button type="submit" class=BUTTON disabled=move || import.pending().get()>"Preview"</button>
        </ActionForm>
        {move || import.value().get().and_then(Result::ok).map(|preview| view! { <ImportPreview preview register /> })}
    }
}

#[component]
fn ImportPreview(
    preview: crate::domain::service::openapi::Preview,
    register: ServerAction<RegisterServiceJson>,
) -> impl IntoView {
    let service = &preview.draft.service;
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let endpoints: Vec<(String, String, String, usize)> = service["endpoints"]
        .as_array()
        .map(|es| {
            es.iter()
                .map(|e| {
                    let fields = e["requestSchema"]["fields"].as_array().map_or(0, Vec::len);
                    (
                        text(&e["method"]),
                        text(&e["path"]),
                        text(&e["name"]),
                        fields,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let menu: Vec<String> = service["menuSchema"]["items"]
        .as_array()
        .map(|items| items.iter().map(|i| text(&i["name"])).collect())
        .unwrap_or_default();
    let body = serde_json::to_string_pretty(service).unwrap_or_default();
    let title = text(&service["displayName"]);
    view! {
        <section data-testid="import-preview" class=format!("{CARD} mt-6 max-w-4xl space-y-4")>
            <h2 class="text-lg font-semibold">{format!("Draft: {title}")}</h2>
            {preview.problem.map(|p| view! {
                <p role="alert" class="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
                    {format!("Not registrable as it stands: {}{}", p.field.map(|f| format!("{f}: ")).unwrap_or_default(), p.message)}
                </p>
            })}
            {(!preview.draft.notes.is_empty()).then(|| view! {
                <div>
                    <h3 class="text-sm font-semibold text-slate-700">"Not carried over, or approximated"</h3>
                    <ul class="mt-1 list-disc space-y-0.5 pl-5 text-sm text-amber-800">
                        {preview.draft.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                    </ul>
                </div>
            })}
            <Table testid="import-endpoints" columns=&["Method", "Path", "Endpoint", "Form fields"]>
                        {endpoints.into_iter().map(|(method, path, name, fields)| view! {
                            <tr>
                                <td class="px-3 py-1.5 font-mono text-xs">{method}</td>
                                <td class="px-3 py-1.5 font-mono text-xs">{path}</td>
                                <td class="px-3 py-1.5">{name}</td>
                                <td class="px-3 py-1.5 tabular-nums">{if fields == 0 { "—".to_string() } else { fields.to_string() }}</td>
                            </tr>
                        }).collect_view()}
                    </Table>
            <p class="text-sm text-slate-600">{if menu.is_empty() { "Menu: none".to_string() } else { format!("Menu: {}", menu.join(" · ")) }}</p>
            <ActionForm action=register attr:class="space-y-3" attr:aria-label="Register the draft">
                <Field label="Registration (JSON, edit before registering)" error=form_error(register)>
                    <textarea name="body" rows="18" spellcheck="false" class=format!("{INPUT} font-mono text-xs") inner_html=textarea_html(&body)></textarea>
                </Field>
                <button type="submit" class=BUTTON disabled=move || register.pending().get()>"Register"</button>
            </ActionForm>
        </section>
    }
}

/// Reads the picked file into the document field (in the browser; at most 1 MB).
#[allow(unused_variables)]
fn read_file(ev: leptos::ev::Event, document: RwSignal<String>, error: RwSignal<Option<String>>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        if file.size() > 1024.0 * 1024.0 {
            error.set(Some("The file is larger than 1 MB.".into()));
            return;
        }
        error.set(None);
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => document.set(text.as_string().unwrap_or_default()),
                Err(_) => error.set(Some("The file could not be read.".into())),
            }
        });
    }
}
