//! The form that registers a service.

use super::*;

#[component]
pub fn RegisterServicePage() -> impl IntoView {
    let register = ServerAction::<RegisterService>::new();
    let e = move |f: &'static str| field_error(register, f);
    let names = |all: &[&'static str]| all.to_vec();
    let types = names(
        &ServiceType::ALL
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>(),
    );
    let auths = names(&AuthType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>());
    let visibilities = names(
        &Visibility::ALL
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>(),
    );
    view! {
        <Title text="Register a service" />
        <a href="/admin/services" class=format!("text-sm {LINK}")>"← Service registry"</a>
        <h1 class="mt-3 text-2xl font-semibold tracking-tight">"Register a service"</h1>
        <ActionForm action=register attr:class=format!("{CARD} mt-6 grid max-w-4xl gap-4 md:grid-cols-2") attr:aria-label="Register a service">
            <div class="md:col-span-2"><FieldError message=form_error(register) /></div>
            <Field label="Name" error=e("name") hint="Lowercase letters, digits and -; used in URLs and permissions.">
                <input name="name" required placeholder="crm-gateway" class=INPUT />
            </Field>
            <Field label="Display name" error=e("displayName")>
                <input name="display_name" required class=INPUT />
            </Field>
            <Field label="Type" error=e("type")>
                <select name="service_type" class=INPUT>{options(&types, "EXTERNAL")}</select>
            </Field>
            <Field label="Base URL (external services)" error=e("baseUrl")>
                <input name="base_url" type="url" placeholder="https://api.example.com" class=INPUT />
            </Field>
            <Field label="Authentication" error=e("authType")>
                <select name="auth_type" class=INPUT>{options(&auths, "NONE")}</select>
            </Field>
            <Field label="API key (write-only)" error=e("apiKey")>
                <input name="api_key" type="password" autocomplete="off" class=INPUT />
            </Field>
            <Field label="Visibility" error=e("visibility")>
                <select name="visibility" class=INPUT>{options(&visibilities, "PRIVATE")}</select>
            </Field>
            <Field label="Category" error=e("category")>
                <input name="category" placeholder="messaging" class=INPUT />
            </Field>
            <Field label="Description" error=e("description") wide=true>
                <textarea name="description" rows="2" class=INPUT></textarea>
            </Field>
            <Field label="Form schema (JSON)" error=field_error_under(register, "formSchema")>
                <textarea name="form_schema" rows="8" spellcheck="false" placeholder=r#"{"fields": [{"name": "message", "type": "textarea", "label": "Message", "required": true}]}"# class=format!("{INPUT} font-mono text-xs")></textarea>
            </Field>
            <Field label="Menu schema (JSON)" error=field_error_under(register, "menuSchema")>
                <textarea name="menu_schema" rows="8" spellcheck="false" placeholder=r#"{"items": [{"name": "Blast Message", "path": "/whatsapp/blast", "icon": "send"}]}"# class=format!("{INPUT} font-mono text-xs")></textarea>
            </Field>
            <div class="md:col-span-2">
                <button type="submit" class=BUTTON disabled=move || register.pending().get()>"Register"</button>
            </div>
        </ActionForm>
    }
}
