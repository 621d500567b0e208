//! `/admin/tenant`: a tenant's admins rename their own tenant and edit its settings
//! (`tenant:update`). Domain, tier, user limit and status are the platform's and only shown.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

use crate::{
    api::tenants::{own_tenant, UpdateOwnTenant},
    domain::tenant::TenantDetail,
    ui::{
        form::{field_error, form_error, FieldError, BUTTON, INPUT},
        text::textarea_html,
    },
};

#[component]
pub fn OwnTenantPage() -> impl IntoView {
    let update = ServerAction::<UpdateOwnTenant>::new();
    let loaded = crate::ui::resource(move || update.version().get(), |_| own_tenant());
    view! {
        <Title text="Tenant settings" />
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(tenant) => Either::Left(view! { <Editor tenant update /> }),
                    Err(e) => Either::Right(view! { <p role="alert" class="text-red-700">{e.user_message()}</p> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn Editor(tenant: TenantDetail, update: ServerAction<UpdateOwnTenant>) -> impl IntoView {
    let value = update.value();
    let saved = move || matches!(value.get(), Some(Ok(_)));
    let settings = serde_json::to_string_pretty(&tenant.settings).unwrap_or_else(|_| "{}".into());
    view! {
        <h1 data-testid="own-tenant-name" class="text-2xl font-semibold tracking-tight">{tenant.name.clone()}</h1>
        <p class="mt-1 text-sm text-slate-500">
            {format!(
                "{} · {} · {} tier · {} of {} users. The platform's administrators change the tier, the user limit and the status.",
                tenant.domain, tenant.status, tenant.subscription_tier, tenant.user_count, tenant.max_users
            )}
        </p>
        <section class="mt-6 max-w-2xl rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <ActionForm action=update attr:class="space-y-4" attr:aria-label="Tenant settings">
                <FieldError message=form_error(update) />
                {move || saved().then(|| view! { <p role="status" class="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">"Saved."</p> })}
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Name"</span>
                    <input name="name" required maxlength="255" value=tenant.name.clone() class=INPUT />
                    <FieldError message=field_error(update, "name") />
                </label>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Settings (a JSON object)"</span>
                    <textarea name="settings" rows="10" spellcheck="false" class=format!("{INPUT} font-mono text-xs") inner_html=textarea_html(&settings)></textarea>
                    <FieldError message=field_error(update, "settings") />
                </label>
                <label class="flex items-start gap-2 text-sm">
                    <input type="checkbox" name="require_admin_two_factor" value="on" checked=tenant.require_admin_two_factor class="mt-1" />
                    <span>
                        <span class="font-medium text-slate-700">"Administrators must use two-factor authentication"</span>
                        <span class="block text-xs text-slate-600">"Members whose role manages users, roles or this tenant sign in with a code from an authenticator app; those without one set it up at their next sign-in."</span>
                    </span>
                </label>
                <button type="submit" class=BUTTON disabled=move || update.pending().get()>"Save"</button>
            </ActionForm>
        </section>
    }
}
