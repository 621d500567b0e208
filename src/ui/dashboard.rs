//! The dashboard: who you are here, what you may do, and where else you can go.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::account::SessionView;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = expect_context::<SessionView>();
    let SessionView {
        user,
        current_tenant,
        tenants,
    } = session;
    let greeting_name = user.name.clone();
    let permissions = user.permissions.clone();
    view! {
        <Title text="Dashboard" />
        <h1 class="text-2xl font-semibold tracking-tight">"Welcome, " {greeting_name}</h1>
        <p class="mt-1 text-sm text-slate-500">
            "You are working in " <strong class="text-slate-700">{current_tenant.name.clone()}</strong>
            " as " <strong class="text-slate-700">{current_tenant.user_role.clone()}</strong> "."
        </p>
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

#[component]
fn Card(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 class="mb-2 text-xs font-semibold uppercase tracking-wider text-slate-400">{title}</h2>
            {children()}
        </section>
    }
}
