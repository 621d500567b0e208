//! The HTML shell and the router.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};

use crate::ui::{
    account::AccountPage,
    audit::AuditPage,
    dashboard::DashboardPage,
    form_builder::FormBuilderPage,
    forms::FormPage,
    layout::AppLayout,
    login::LoginPage,
    menus::MenuEditorPage,
    not_found::NotFound,
    roles::RolesPage,
    service_page::ServicePage,
    services::{
        ImportServicePage, MyServicesPage, RegisterServicePage, ServiceDetailPage, ServicesPage,
    },
    task_board::TaskBoardPage,
    tasks::{CreateTaskPage, MyTasksPage, TaskListPage, TaskPage},
    tenants::{TenantDetailPage, TenantsPage},
    users::UsersPage,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
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

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| if page.is_empty() { "Inti".to_string() } else { format!("{page} · Inti") } />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <ParentRoute path=path!("") view=AppLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=DashboardPage />
                    <Route path=path!("/admin/tenants") view=TenantsPage />
                    <Route path=path!("/admin/audit") view=AuditPage />
                    <Route path=path!("/admin/users") view=UsersPage />
                    <Route path=path!("/admin/roles") view=RolesPage />
                    <Route path=path!("/account") view=AccountPage />
                    <Route path=path!("/admin/tenants/:id") view=TenantDetailPage />
                    <Route path=path!("/admin/services") view=ServicesPage />
                    <Route path=path!("/admin/services/new") view=RegisterServicePage />
                    <Route path=path!("/admin/services/import") view=ImportServicePage />
                    <Route path=path!("/admin/services/:id") view=ServiceDetailPage />
                    <Route path=path!("/services") view=MyServicesPage />
                    <Route path=path!("/admin/menus") view=MenuEditorPage />
                    <Route path=path!("/forms/:service") view=FormPage />
                    <Route path=path!("/admin/forms/:service") view=FormBuilderPage />
                    <Route path=path!("/tasks/list") view=TaskListPage />
                    <Route path=path!("/tasks/mine") view=MyTasksPage />
                    <Route path=path!("/tasks/create") view=CreateTaskPage />
                    <Route path=path!("/tasks/board") view=TaskBoardPage />
                    <Route path=path!("/tasks/:id") view=TaskPage />
                    <Route path=path!("/apps/:service/:item") view=ServicePage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
