//! The dashboard: who you are here, what you may do, and where else you can go.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::account::{my_invitations, RespondInvitation},
    domain::{account::SessionView, invitation::Invitation},
    ui::form::{form_error, FieldError},
};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = expect_context::<SessionView>();
    let SessionView {
        user,
        current_tenant,
        tenants,
        accessible_services,
    } = session;
    let greeting_name = user.name.clone();
    let permissions = user.permissions.clone();
    let respond = ServerAction::<RespondInvitation>::new();
    let invitations = crate::ui::resource(move || respond.version().get(), |_| my_invitations());
    view! {
        <Title text="Dashboard" />
        <h1 class="text-2xl font-semibold tracking-tight">"Welcome, " {greeting_name}</h1>
        <p class="mt-1 text-sm text-slate-500">
            "You are working in " <strong class="text-slate-700">{current_tenant.name.clone()}</strong>
            " as " <strong class="text-slate-700">{current_tenant.user_role.clone()}</strong> "."
        </p>
        <FieldError message=form_error(respond) />
        <Transition>
            {move || Suspend::new(async move {
                invitations.await.ok().filter(|l| !l.is_empty()).map(|list| view! { <Invitations list respond /> })
            })}
        </Transition>
        <div class="mt-6 grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
            <Card title="Current tenant">
                <p class="text-lg font-semibold">{current_tenant.name}</p>
                <p class="text-sm text-slate-500">{current_tenant.domain} " · " {current_tenant.tenant_type}</p>
            </Card>
            <Card title="Your account">
                <p class="text-lg font-semibold">{user.name}</p>
                <p class="text-sm text-slate-500">{user.email}</p>
            </Card>
            <Card title="Tenants you can reach">
                <p class="text-lg font-semibold">{tenants.len()}</p>
                <p class="text-sm text-slate-500">"Listed in the sidebar"</p>
            </Card>
        </div>
        <section data-testid="services" class="mt-6 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 class="text-sm font-semibold text-slate-700">"Services in this tenant"</h2>
            {if accessible_services.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-500">"No service is available to you here yet. A super admin assigns services to tenants."</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
                        {accessible_services.into_iter().map(|s| {
                            let maintenance = s.status == "MAINTENANCE";
                            view! {
                                <li class="rounded-lg border border-slate-200 px-4 py-3">
                                    <p class="flex items-center gap-2 font-medium">
                                        {s.display_name}
                                        {maintenance.then(|| view! { <span class="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800">"Maintenance"</span> })}
                                    </p>
                                    <p class="text-xs text-slate-500">{s.service_type.to_ascii_lowercase()} " · " {s.endpoints.len()} " endpoint(s) you may call"</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 class="text-sm font-semibold text-slate-700">"Your permissions in this tenant"</h2>
            <ul data-testid="permissions" class="mt-3 flex flex-wrap gap-2">
                {permissions
                    .into_iter()
                    .map(|p| view! { <li class="rounded-md bg-slate-100 px-2 py-1 font-mono text-xs">{p}</li> })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Invitations into other tenants, waiting for this user's answer. An accepted tenant shows
/// up in the tenant switcher after the next page load.
#[component]
fn Invitations(list: Vec<Invitation>, respond: ServerAction<RespondInvitation>) -> impl IntoView {
    view! {
        <section data-testid="invitations" class="mt-6 rounded-xl border border-amber-200 bg-amber-50 p-5 shadow-sm">
            <h2 class="text-sm font-semibold text-amber-900">"Invitations"</h2>
            <ul class="mt-3 space-y-2">
                {list.into_iter().map(|i| {
                    let (id, id2) = (i.id.to_string(), i.id.to_string());
                    let text = format!("{} invites you to join as {}", i.tenant_name, i.role);
                    view! {
                        <li class="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-white px-4 py-2 text-sm">
                            <span>{text}</span>
                            <span class="flex gap-2">
                                <ActionForm action=respond>
                                    <input type="hidden" name="id" value=id />
                                    <input type="hidden" name="accept" value="true" />
                                    <button type="submit" class="rounded-md bg-slate-900 px-3 py-1 text-xs font-semibold text-white hover:bg-slate-700">"Accept"</button>
                                </ActionForm>
                                <ActionForm action=respond>
                                    <input type="hidden" name="id" value=id2 />
                                    <input type="hidden" name="accept" value="false" />
                                    <button type="submit" class="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium hover:bg-slate-50">"Decline"</button>
                                </ActionForm>
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Card(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 class="mb-2 text-xs font-semibold uppercase tracking-wider text-slate-400">{title}</h2>
            {children()}
        </section>
    }
}
