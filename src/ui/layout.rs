//! The signed-in layout: header (user, current tenant, sign out), sidebar (the user's menu
//! and their tenants; a drawer on phones), and the page in between. Signed-out visitors are
//! sent to the login page.

use leptos::{either::EitherOf3, prelude::*};
use leptos_router::components::{Outlet, Redirect};

use crate::{
    api::{
        auth::{current_session, Logout, SwitchTenant},
        menus::my_menu,
    },
    domain::{
        account::{SessionView, TenantAccess},
        menu::MenuItemView,
    },
    ui::{form::PostForm, sidebar_menu::SidebarMenu, tenant_switcher::TenantSwitcher},
};

#[component]
pub fn AppLayout() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let switch = ServerAction::<SwitchTenant>::new();
    provide_context(logout);
    provide_context(switch);
    // Loaded when the layout mounts (after login), after a tenant switch and after signing out,
    // so the header, sidebar and permissions always describe the current session.
    let session = crate::ui::resource(
        move || (logout.version().get(), switch.version().get()),
        |_| current_session(),
    );
    // The menu comes from the same function as `GET /api/v1/menus/user`, rendered on the
    // server with the page, and again after a switch.
    let menu = crate::ui::resource(
        move || (logout.version().get(), switch.version().get()),
        |_| my_menu(),
    );
    view! {
        <Transition fallback=|| view! { <p class="p-8 text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(session)) => {
                        let menu = menu.await;
                        EitherOf3::A(view! { <SignedIn session menu /> })
                    }
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
fn SignedIn(
    session: SessionView,
    menu: Result<Option<crate::domain::menu::view::MenuData>, crate::domain::error::AppError>,
) -> impl IntoView {
    provide_context(session.clone());
    // Every time on the page in the person's time zone and date format (`ui::time`).
    provide_context(session.user.display.clone());
    let SessionView {
        user,
        current_tenant,
        tenants,
        ..
    } = session;
    let drawer = RwSignal::new(false);
    let (items, menu_error) = match menu {
        Ok(data) => (data.map(|d| d.menus).unwrap_or_default(), None),
        Err(e) => (Vec::new(), Some(e.user_message())),
    };
    let hydrated = crate::ui::hydration_flag();
    view! {
        <div class="flex min-h-screen" data-testid="app-shell" data-hydrated=move || hydrated.get().then_some("true")>
            <Sidebar items menu_error tenants=tenants.clone() current=current_tenant.id drawer />
            <div class="flex min-w-0 flex-1 flex-col">
                <Header user_name=user.name current_tenant tenants drawer />
                <main class="flex-1 p-4 sm:p-6 lg:p-8">
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
    drawer: RwSignal<bool>,
) -> impl IntoView {
    let logout = expect_context::<ServerAction<Logout>>();
    view! {
        <header class="flex h-14 items-center justify-between gap-2 border-b border-slate-200 bg-white px-3 sm:px-6">
            <button
                type="button"
                class="rounded-md p-2 text-slate-700 hover:bg-slate-100 md:hidden"
                aria-label="Open the menu"
                aria-controls="sidebar"
                aria-expanded=move || drawer.get().to_string()
                data-testid="open-menu"
                on:click=move |_| drawer.set(true)
            >
                <crate::ui::icon::Icon name=Some("menu".to_string()) class="h-5 w-5" />
            </button>
            <details class="group relative text-sm">
                <summary class="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1 hover:bg-slate-100">
                    <span class="hidden text-slate-500 sm:inline">"Tenant"</span>
                    <span data-testid="current-tenant" class="font-semibold">{current_tenant.name}</span>
                    <span class="hidden rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600 sm:inline">{current_tenant.user_role}</span>
                    <span aria-hidden="true" class="text-slate-400 group-open:rotate-180">"▾"</span>
                </summary>
                <div class="absolute left-0 z-10 mt-1 w-72 rounded-lg border border-slate-200 bg-white p-2 shadow-lg">
                    <TenantSwitcher tenants current=current_tenant.id label="header" />
                </div>
            </details>
            <div class="flex min-w-0 items-center gap-2 sm:gap-4">
                <crate::ui::notifications::NotificationBell />
                <a href="/account" title="Your account" data-testid="user-name" class="max-w-[7rem] truncate text-sm font-medium hover:text-amber-700 hover:underline sm:max-w-none">{user_name}</a>
                <PostForm action=logout input=|| Logout {}>
                    <button
                        type="submit"
                        class="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
                    >
                        "Sign out"
                    </button>
                </PostForm>
            </div>
        </header>
    }
}

#[component]
fn Sidebar(
    items: Vec<MenuItemView>,
    menu_error: Option<String>,
    tenants: Vec<TenantAccess>,
    current: uuid::Uuid,
    drawer: RwSignal<bool>,
) -> impl IntoView {
    view! {
        // On phones the sidebar is a drawer over the page, opened from the header.
        <Show when=move || drawer.get()>
            <div
                class="fixed inset-0 z-30 bg-slate-900/50 md:hidden"
                aria-hidden="true"
                on:click=move |_| drawer.set(false)
            ></div>
        </Show>
        <aside
            id="sidebar"
            class=move || {
                format!(
                    "fixed inset-y-0 left-0 z-40 flex w-64 shrink-0 flex-col overflow-y-auto border-r border-slate-800 bg-slate-900 text-slate-200 transition-transform md:sticky md:top-0 md:h-screen md:translate-x-0 {}",
                    if drawer.get() { "translate-x-0" } else { "-translate-x-full" },
                )
            }
            on:keydown=move |e| {
                if e.key() == "Escape" {
                    drawer.set(false);
                }
            }
        >
            <div class="flex h-14 items-center justify-between px-5">
                <a href="/" class="flex items-center gap-2 text-lg font-semibold text-white">
                    <span class="flex h-7 w-7 items-center justify-center rounded-md bg-amber-500 text-sm">"☀"</span>
                    "Inti"
                </a>
                <button
                    type="button"
                    class="rounded-md p-1 text-slate-300 hover:bg-slate-800 md:hidden"
                    aria-label="Close the menu"
                    on:click=move |_| drawer.set(false)
                >
                    "✕"
                </button>
            </div>
            {menu_error.map(|e| view! { <p role="alert" class="px-5 text-xs text-red-300">{e}</p> })}
            <div on:click=move |e| {
                // A followed link closes the drawer.
                if event_target::<leptos::web_sys::Element>(&e).closest("a").ok().flatten().is_some() {
                    drawer.set(false);
                }
            }>
                <SidebarMenu items />
            </div>
            <nav aria-label="Tenants" class="mt-4 px-3 pb-6">
                <h2 class="px-3 pb-2 text-xs font-semibold uppercase tracking-wider text-slate-400">"Your tenants"</h2>
                <TenantSwitcher tenants current label="sidebar" dark=true />
            </nav>
        </aside>
    }
}
