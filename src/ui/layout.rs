//! The signed-in layout: header (user, current tenant, sign out), sidebar (reachable tenants),
//! and the page in between. Signed-out visitors are sent to the login page.

use leptos::{either::EitherOf3, prelude::*};
use leptos_router::components::{Outlet, Redirect, A};

use crate::{
    api::auth::{current_session, Logout, SwitchTenant},
    domain::{
        account::{SessionView, TenantAccess},
        permission::PermissionSet,
    },
    ui::tenant_switcher::TenantSwitcher,
};

#[component]
pub fn AppLayout() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let switch = ServerAction::<SwitchTenant>::new();
    provide_context(logout);
    provide_context(switch);
    // Loaded when the layout mounts (after login), after a tenant switch and after signing out,
    // so the header, sidebar and permissions always describe the current session.
    let session = Resource::new(
        move || (logout.version().get(), switch.version().get()),
        |_| current_session(),
    );
    view! {
        <Transition fallback=|| view! { <p class="p-8 text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(session)) => EitherOf3::A(view! { <SignedIn session /> }),
                    Ok(None) => EitherOf3::B(view! { <Redirect path="/login" /> }),
                    Err(e) => EitherOf3::C(view! {
                        <main class="p-8">
                            <p role="alert" class="text-red-700">{e.user_message()}</p>
                        </main>
                    }),
                }
            })}
        </Transition>
    }
}

#[component]
fn SignedIn(session: SessionView) -> impl IntoView {
    provide_context(session.clone());
    let SessionView {
        user,
        current_tenant,
        tenants,
        ..
    } = session;
    view! {
        <div class="flex min-h-screen">
            <Sidebar
                tenants=tenants.clone()
                current=current_tenant.id
                super_admin=user.roles.iter().any(|r| r == crate::domain::role::SystemRole::SuperAdmin.as_str())
                audit=PermissionSet::from_strings(&user.permissions).allows("audit:read")
                users=PermissionSet::from_strings(&user.permissions).allows("user:read")
                roles=PermissionSet::from_strings(&user.permissions).allows("role:read")
                services=PermissionSet::from_strings(&user.permissions).allows("service:read")
            />
            <div class="flex min-w-0 flex-1 flex-col">
                <Header user_name=user.name current_tenant tenants />
                <main class="flex-1 p-6 lg:p-8">
                    <Outlet />
                </main>
            </div>
        </div>
    }
}

#[component]
fn Header(
    user_name: String,
    current_tenant: TenantAccess,
    tenants: Vec<TenantAccess>,
) -> impl IntoView {
    let logout = expect_context::<ServerAction<Logout>>();
    view! {
        <header class="flex h-14 items-center justify-between border-b border-slate-200 bg-white px-6">
            <details class="group relative text-sm">
                <summary class="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1 hover:bg-slate-100">
                    <span class="text-slate-500">"Tenant"</span>
                    <span data-testid="current-tenant" class="font-semibold">{current_tenant.name}</span>
                    <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{current_tenant.user_role}</span>
                    <span aria-hidden="true" class="text-slate-400 group-open:rotate-180">"▾"</span>
                </summary>
                <div class="absolute left-0 z-10 mt-1 w-72 rounded-lg border border-slate-200 bg-white p-2 shadow-lg">
                    <TenantSwitcher tenants current=current_tenant.id label="header" />
                </div>
            </details>
            <div class="flex items-center gap-4">
                <a href="/account" title="Your account" data-testid="user-name" class="text-sm font-medium hover:text-amber-700 hover:underline">{user_name}</a>
                <ActionForm action=logout>
                    <button
                        type="submit"
                        class="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
                    >
                        "Sign out"
                    </button>
                </ActionForm>
            </div>
        </header>
    }
}

#[component]
fn Sidebar(
    tenants: Vec<TenantAccess>,
    current: uuid::Uuid,
    super_admin: bool,
    audit: bool,
    users: bool,
    roles: bool,
    services: bool,
) -> impl IntoView {
    let link = "block rounded-md px-3 py-2 text-sm font-medium text-slate-300 hover:bg-slate-800 hover:text-white aria-[current=page]:bg-slate-800 aria-[current=page]:text-white";
    view! {
        <aside class="hidden w-64 shrink-0 flex-col border-r border-slate-800 bg-slate-900 text-slate-200 md:flex">
            <a href="/" class="flex h-14 items-center gap-2 px-5 text-lg font-semibold text-white">
                <span class="flex h-7 w-7 items-center justify-center rounded-md bg-amber-500 text-sm">"☀"</span>
                "Inti"
            </a>
            <nav aria-label="Main" class="px-3 py-2">
                <A href="/" exact=true attr:class=link>"Dashboard"</A>
                {super_admin.then(|| view! {
                    <h2 class="mt-4 px-3 pb-1 text-xs font-semibold uppercase tracking-wider text-slate-400">"Platform"</h2>
                    <A href="/admin/tenants" attr:class=link>"Tenants"</A>
                    <A href="/admin/services" attr:class=link>"Service registry"</A>
                })}
                {(users || roles || audit || services).then(|| view! {
                    <h2 class="mt-4 px-3 pb-1 text-xs font-semibold uppercase tracking-wider text-slate-400">"This tenant"</h2>
                })}
                {services.then(|| view! { <A href="/services" attr:class=link>"Services"</A> })}
                {users.then(|| view! { <A href="/admin/users" attr:class=link>"Users"</A> })}
                {roles.then(|| view! { <A href="/admin/roles" attr:class=link>"Roles"</A> })}
                {audit.then(|| view! { <A href="/admin/audit" attr:class=link>"Audit log"</A> })}
            </nav>
            <nav aria-label="Tenants" class="mt-4 px-3">
                <h2 class="px-3 pb-2 text-xs font-semibold uppercase tracking-wider text-slate-400">"Your tenants"</h2>
                <TenantSwitcher tenants current label="sidebar" dark=true />
            </nav>
        </aside>
    }
}
