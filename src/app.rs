//! The HTML shell and the router.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    lazy_route, path, Lazy, LazyRoute, SsrMode,
};

use crate::ui::{
    account::AccountPage,
    accounts::AccountsPage,
    audit::AuditPage,
    dashboard::DashboardPage,
    form_builder::FormBuilderPage,
    forms::FormPage,
    layout::AppLayout,
    login::LoginPage,
    menus::MenuEditorPage,
    not_found::NotFound,
    notifications::NotificationsPage,
    own_tenant::OwnTenantPage,
    recovery::{ForgotPasswordPage, SetPasswordPage, VerifyEmailPage},
    roles::RolesPage,
    service_page::ServicePage,
    services::{
        ImportServicePage, MyServicesPage, RegisterServicePage, ServiceDetailPage, ServicesPage,
    },
    task_board::TaskBoardPage,
    tasks::{CreateTaskPage, MyTasksPage, TaskListPage, TaskPage},
    tenants::{TenantDetailPage, TenantsPage},
    two_factor::LoginVerifyPage,
    users::UsersPage,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <AutoReload options=options.clone() />
                // Hashed file names (`hash-files`): cached for a year, replaced by a new name.
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

/// Pages whose code the browser loads when they are first shown: a split build (`make build`,
/// `make release`: `cargo leptos build --split`) puts each in its own WASM chunk, which a
/// server-rendered page preloads, so that a first load carries the shell, the sidebar and
/// that one page, not every admin screen. Without `--split` they are ordinary pages.
macro_rules! lazy_pages {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

lazy_pages! {
    Dashboard => DashboardPage,
    Tenants => TenantsPage,
    TenantDetail => TenantDetailPage,
    OwnTenant => OwnTenantPage,
    Audit => AuditPage,
    Users => UsersPage,
    Roles => RolesPage,
    Account => AccountPage,
    Accounts => AccountsPage,
    Services => ServicesPage,
    RegisterService => RegisterServicePage,
    ImportService => ImportServicePage,
    ServiceDetail => ServiceDetailPage,
    MyServices => MyServicesPage,
    MenuEditor => MenuEditorPage,
    Form => FormPage,
    FormBuilder => FormBuilderPage,
    TaskList => TaskListPage,
    MyTasks => MyTasksPage,
    CreateTask => CreateTaskPage,
    TaskBoard => TaskBoardPage,
    Task => TaskPage,
    Service => ServicePage,
    ForgotPassword => ForgotPasswordPage,
    SetPassword => SetPasswordPage,
    VerifyEmail => VerifyEmailPage,
    Notifications => NotificationsPage,
    LoginVerify => LoginVerifyPage,
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| crate::ui::text::title_text(if page.is_empty() { "Inti".to_string() } else { format!("{page} · Inti") }) />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/login/verify") view={Lazy::<LoginVerify>::new()} ssr=SsrMode::Async />
                <Route path=path!("/forgot-password") view={Lazy::<ForgotPassword>::new()} ssr=SsrMode::Async />
                <Route path=path!("/set-password") view={Lazy::<SetPassword>::new()} ssr=SsrMode::Async />
                <Route path=path!("/verify-email") view={Lazy::<VerifyEmail>::new()} ssr=SsrMode::Async />
                <ParentRoute path=path!("") view=AppLayout ssr=SsrMode::Async>
                    <Route path=path!("") view={Lazy::<Dashboard>::new()} />
                    <Route path=path!("/admin/tenants") view={Lazy::<Tenants>::new()} />
                    <Route path=path!("/admin/audit") view={Lazy::<Audit>::new()} />
                    <Route path=path!("/admin/users") view={Lazy::<Users>::new()} />
                    <Route path=path!("/admin/roles") view={Lazy::<Roles>::new()} />
                    <Route path=path!("/account") view={Lazy::<Account>::new()} />
                    <Route path=path!("/notifications") view={Lazy::<Notifications>::new()} />
                    <Route path=path!("/admin/tenants/:id") view={Lazy::<TenantDetail>::new()} />
                    <Route path=path!("/admin/tenant") view={Lazy::<OwnTenant>::new()} />
                    <Route path=path!("/admin/accounts") view={Lazy::<Accounts>::new()} />
                    <Route path=path!("/admin/services") view={Lazy::<Services>::new()} />
                    <Route path=path!("/admin/services/new") view={Lazy::<RegisterService>::new()} />
                    <Route path=path!("/admin/services/import") view={Lazy::<ImportService>::new()} />
                    <Route path=path!("/admin/services/:id") view={Lazy::<ServiceDetail>::new()} />
                    <Route path=path!("/services") view={Lazy::<MyServices>::new()} />
                    <Route path=path!("/admin/menus") view={Lazy::<MenuEditor>::new()} />
                    <Route path=path!("/forms/:service") view={Lazy::<Form>::new()} />
                    <Route path=path!("/admin/forms/:service") view={Lazy::<FormBuilder>::new()} />
                    <Route path=path!("/tasks/list") view={Lazy::<TaskList>::new()} />
                    <Route path=path!("/tasks/mine") view={Lazy::<MyTasks>::new()} />
                    <Route path=path!("/tasks/create") view={Lazy::<CreateTask>::new()} />
                    <Route path=path!("/tasks/board") view={Lazy::<TaskBoard>::new()} />
                    <Route path=path!("/tasks/:id") view={Lazy::<Task>::new()} />
                    <Route path=path!("/apps/:service/:item") view={Lazy::<Service>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
