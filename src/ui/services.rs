//! The service registry (super admins): cards with search and filters, a register form, and
//! a detail page with tabs for the overview, endpoints, tenants, schemas and API key. And
//! the Services page of a tenant: what it can use.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::{
    hooks::{use_params_map, use_query_map},
    location::Url,
};

use crate::{
    api::services::{
        get_service, list_services, my_services, service_tenants, AssignService, DeleteEndpoint,
        ImportOpenapi, RegisterService, RegisterServiceJson, SaveEndpoint, SetServiceKey,
        UnassignService, UpdateSchemas, UpdateService,
    },
    domain::{
        account::SessionView,
        paging::Page,
        service::{
            endpoint::HttpMethod,
            health::HealthView,
            view::{ServiceDetail, ServiceView, TenantService},
            AssignmentStatus, AuthType, ServiceStatus, ServiceType, Visibility,
        },
    },
    ui::{
        form::{field_error, field_error_under, form_error, FieldError, BUTTON, INPUT},
        text::textarea_html,
    },
};

const CARD: &str = "rounded-xl border border-slate-200 bg-white p-5 shadow-sm";
const LABEL: &str = "font-medium text-slate-700";
const LINK: &str = "font-medium text-amber-700 hover:underline";
/// Inputs of an inline filter bar (no full width, no top margin).
const FILTER: &str = "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-amber-500 focus:outline-none focus:ring-2 focus:ring-amber-200";

fn options(all: &[&'static str], current: &str) -> impl IntoView {
    all.iter()
        .map(|o| view! { <option value=*o selected=*o == current>{*o}</option> })
        .collect_view()
}

#[component]
fn Badge(text: String) -> impl IntoView {
    let class = match text.as_str() {
        "ACTIVE" => "bg-emerald-100 text-emerald-800",
        "MAINTENANCE" => "bg-amber-100 text-amber-800",
        "INACTIVE" | "SUSPENDED" => "bg-red-100 text-red-800",
        _ => "bg-slate-100 text-slate-700",
    };
    view! { <span class=format!("rounded-full px-2 py-0.5 text-xs font-medium {class}")>{text}</span> }
}

#[component]
pub fn ServicesPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.read().get(k).filter(|s| !s.trim().is_empty());
    let page = move || get("page").and_then(|p| p.parse::<i64>().ok());
    let services = crate::ui::resource(
        move || (get("q"), get("type"), get("status"), page()),
        |(q, t, s, p)| list_services(q, t, s, p),
    );
    let type_names: Vec<&'static str> = ServiceType::ALL.iter().map(|t| t.as_str()).collect();
    let status_names: Vec<&'static str> = ServiceStatus::ALL.iter().map(|s| s.as_str()).collect();
    view! {
        <Title text="Service registry" />
        <div class="flex flex-wrap items-end justify-between gap-3">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">"Service registry"</h1>
                <p class="mt-1 text-sm text-slate-500">"Internal and external services, and the tenants that use them."</p>
            </div>
            <span class="flex gap-2">
                <a href="/admin/services/import" class="rounded-md bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50">"Import from OpenAPI"</a>
                <a href="/admin/services/new" class=BUTTON>"Register a service"</a>
            </span>
        </div>
        <form method="get" action="/admin/services" role="search" class="mt-6 flex flex-wrap items-center gap-2">
            <input type="search" name="q" aria-label="Search services" placeholder="Search by name or description"
                value=move || get("q").unwrap_or_default() class=format!("{FILTER} w-80") />
            <select name="type" aria-label="Type" class=FILTER>
                <option value="">"Any type"</option>
                {move || options(&type_names, &get("type").unwrap_or_default())}
            </select>
            <select name="status" aria-label="Status" class=FILTER>
                <option value="">"Any status"</option>
                {move || options(&status_names, &get("status").unwrap_or_default())}
            </select>
            <button type="submit" class=BUTTON>"Filter"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-4 text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match services.await {
                    Ok(page) => Either::Left(view! { <ServiceCards page /> }),
                    Err(e) => Either::Right(view! { <p role="alert" class="mt-4 text-sm text-red-700">{e.user_message()}</p> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn ServiceCards(page: Page<ServiceView>) -> impl IntoView {
    let last = ((page.total + page.per_page - 1) / page.per_page).max(1);
    let query = use_query_map();
    let link = move |n: i64| {
        let q = query.read();
        let mut parts = vec![format!("page={n}")];
        for k in ["q", "type", "status"] {
            if let Some(v) = q.get(k) {
                parts.push(format!("{k}={}", Url::escape(&v)));
            }
        }
        format!("/admin/services?{}", parts.join("&"))
    };
    let (prev, next) = (
        (page.page > 1).then(|| link(page.page - 1)),
        (page.page < last).then(|| link(page.page + 1)),
    );
    let empty = page.items.is_empty();
    view! {
        <ul data-testid="service-cards" class="mt-4 grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
            {page.items.into_iter().map(|s| view! {
                <li class=format!("{CARD} flex flex-col gap-2")>
                    <div class="flex items-start justify-between gap-2">
                        <a href=format!("/admin/services/{}", s.id) class="text-base font-semibold text-slate-900 hover:text-amber-700 hover:underline">{s.spec.display_name.clone()}</a>
                        <Badge text=s.spec.status.as_str().to_string() />
                    </div>
                    <p class="font-mono text-xs text-slate-500">{s.spec.name.clone()}</p>
                    <HealthPill health=s.health.clone() />
                    <p class="line-clamp-2 text-sm text-slate-600">{s.spec.description.clone().unwrap_or_default()}</p>
                    <p class="mt-auto flex flex-wrap gap-2 pt-2 text-xs text-slate-600">
                        <span class="rounded bg-slate-100 px-1.5 py-0.5">{s.spec.service_type.as_str()}</span>
                        <span class="rounded bg-slate-100 px-1.5 py-0.5">{s.spec.visibility.as_str()}</span>
                        {s.spec.category.clone().map(|c| view! { <span class="rounded bg-slate-100 px-1.5 py-0.5">{c}</span> })}
                        <span>{format!("{} tenant(s) · {} endpoint(s)", s.tenant_count, s.endpoint_count)}</span>
                    </p>
                </li>
            }).collect_view()}
        </ul>
        {empty.then(|| view! { <p class="mt-6 text-center text-sm text-slate-500">"No service matches. Register one to get started."</p> })}
        <nav aria-label="Pages" class="mt-4 flex items-center justify-between text-sm text-slate-600">
            <span>{format!("{} service(s) · page {} of {}", page.total, page.page, last)}</span>
            <span class="flex gap-3">
                {prev.map(|href| view! { <a href=href class=LINK>"← Previous"</a> })}
                {next.map(|href| view! { <a href=href class=LINK>"Next →"</a> })}
            </span>
        </nav>
    }
}

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
            <label class="block text-sm">
                <span class=LABEL>"Name"</span>
                <input name="name" required placeholder="crm-gateway" class=INPUT />
                <span class="mt-1 block text-xs text-slate-500">"Lowercase letters, digits and -; used in URLs and permissions."</span>
                <FieldError message=e("name") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Display name"</span>
                <input name="display_name" required class=INPUT />
                <FieldError message=e("displayName") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Type"</span>
                <select name="service_type" class=INPUT>{options(&types, "EXTERNAL")}</select>
                <FieldError message=e("type") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Base URL (external services)"</span>
                <input name="base_url" type="url" placeholder="https://api.example.com" class=INPUT />
                <FieldError message=e("baseUrl") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Authentication"</span>
                <select name="auth_type" class=INPUT>{options(&auths, "NONE")}</select>
                <FieldError message=e("authType") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"API key (write-only)"</span>
                <input name="api_key" type="password" autocomplete="off" class=INPUT />
                <FieldError message=e("apiKey") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Visibility"</span>
                <select name="visibility" class=INPUT>{options(&visibilities, "PRIVATE")}</select>
                <FieldError message=e("visibility") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Category"</span>
                <input name="category" placeholder="messaging" class=INPUT />
                <FieldError message=e("category") />
            </label>
            <label class="block text-sm md:col-span-2">
                <span class=LABEL>"Description"</span>
                <textarea name="description" rows="2" class=INPUT></textarea>
                <FieldError message=e("description") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Form schema (JSON)"</span>
                <textarea name="form_schema" rows="8" spellcheck="false" placeholder=r#"{"fields": [{"name": "message", "type": "textarea", "label": "Message", "required": true}]}"# class=format!("{INPUT} font-mono text-xs")></textarea>
                <FieldError message=field_error_under(register, "formSchema") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Menu schema (JSON)"</span>
                <textarea name="menu_schema" rows="8" spellcheck="false" placeholder=r#"{"items": [{"name": "Blast Message", "path": "/whatsapp/blast", "icon": "send"}]}"# class=format!("{INPUT} font-mono text-xs")></textarea>
                <FieldError message=field_error_under(register, "menuSchema") />
            </label>
            <div class="md:col-span-2">
                <button type="submit" class=BUTTON disabled=move || register.pending().get()>"Register"</button>
            </div>
        </ActionForm>
    }
}

const TABS: [(&str, &str); 7] = [
    ("overview", "Overview"),
    ("endpoints", "Endpoints"),
    ("tenants", "Tenants"),
    ("schemas", "Schemas"),
    ("key", "API key"),
    ("calls", "Calls"),
    ("health", "Health"),
];

#[component]
pub fn ServiceDetailPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let tab = move || query.read().get("tab").unwrap_or_else(|| "overview".into());
    let actions = Actions::new();
    let service = crate::ui::resource(move || (id(), actions.version()), |(id, _)| get_service(id));
    view! {
        <Title text="Service" />
        <a href="/admin/services" class=format!("text-sm {LINK}")>"← Service registry"</a>
        <Transition fallback=|| view! { <p class="mt-4 text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match service.await {
                    Ok(s) => Either::Left(view! { <ServiceDetailView service=s tab=tab() actions /> }),
                    Err(e) => Either::Right(view! { <p role="alert" class="mt-4 text-sm text-red-700">{e.user_message()}</p> }),
                }
            })}
        </Transition>
    }
}

/// The detail page's actions; any of them finishing reloads the service.
#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateService>,
    schemas: ServerAction<UpdateSchemas>,
    key: ServerAction<SetServiceKey>,
    save_endpoint: ServerAction<SaveEndpoint>,
    delete_endpoint: ServerAction<DeleteEndpoint>,
    assign: ServerAction<AssignService>,
    unassign: ServerAction<UnassignService>,
}

impl Actions {
    fn new() -> Self {
        Self {
            update: ServerAction::new(),
            schemas: ServerAction::new(),
            key: ServerAction::new(),
            save_endpoint: ServerAction::new(),
            delete_endpoint: ServerAction::new(),
            assign: ServerAction::new(),
            unassign: ServerAction::new(),
        }
    }

    fn version(&self) -> usize {
        self.update.version().get()
            + self.schemas.version().get()
            + self.key.version().get()
            + self.save_endpoint.version().get()
            + self.delete_endpoint.version().get()
            + self.assign.version().get()
            + self.unassign.version().get()
    }
}

#[component]
fn ServiceDetailView(service: ServiceDetail, tab: String, actions: Actions) -> impl IntoView {
    let s = &service.service;
    let base = format!("/admin/services/{}", s.id);
    let tabs = TABS
        .iter()
        .map(|(key, label)| {
            let current = *key == tab;
            view! {
                <a href=format!("{base}?tab={key}") aria-current=current.then_some("page")
                    class="border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-600 hover:text-slate-900 aria-[current=page]:border-amber-500 aria-[current=page]:text-slate-900">
                    {*label}
                </a>
            }
        })
        .collect_view();
    let body = match tab.as_str() {
        "endpoints" => view! { <EndpointsTab service=service.clone() actions /> }.into_any(),
        "tenants" => view! { <TenantsTab service=service.clone() actions /> }.into_any(),
        "schemas" => view! { <SchemasTab service=service.clone() actions /> }.into_any(),
        "key" => view! { <KeyTab service=service.service.clone() actions /> }.into_any(),
        "calls" => view! { <CallsTab id=service.service.id.to_string() /> }.into_any(),
        "health" => view! { <HealthTab id=service.service.id.to_string() /> }.into_any(),
        _ => view! { <OverviewTab service=service.service.clone() actions /> }.into_any(),
    };
    view! {
        <div class="mt-3 flex flex-wrap items-baseline gap-3">
            <h1 data-testid="service-name" class="text-2xl font-semibold tracking-tight">{s.spec.display_name.clone()}</h1>
            <span class="font-mono text-sm text-slate-500">{s.spec.name.clone()}</span>
            <Badge text=s.spec.status.as_str().to_string() />
            <HealthPill health=s.health.clone() />
        </div>
        <p class="mt-1 text-sm text-slate-500">
            {format!("{} · {} · {} tenant(s) · version {}", s.spec.service_type, s.spec.visibility, s.tenant_count, s.spec.version)}
        </p>
        <nav aria-label="Service sections" class="mt-4 flex gap-1 border-b border-slate-200">{tabs}</nav>
        <div class="mt-6">{body}</div>
    }
}

#[component]
fn Saved<S>(action: ServerAction<S>) -> impl IntoView
where
    S: leptos::server_fn::ServerFn<Error = crate::domain::error::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Output: Send + Sync + 'static,
{
    let value = action.value();
    view! {
        {move || value.with(|v| matches!(v, Some(Ok(_)))).then(|| view! {
            <p role="status" class="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">"Saved."</p>
        })}
    }
}

#[component]
fn OverviewTab(service: ServiceView, actions: Actions) -> impl IntoView {
    let update = actions.update;
    let e = move |f: &'static str| field_error(update, f);
    let spec = service.spec;
    let statuses: Vec<&'static str> = ServiceStatus::ALL.iter().map(|s| s.as_str()).collect();
    let visibilities: Vec<&'static str> = Visibility::ALL.iter().map(|s| s.as_str()).collect();
    let auths: Vec<&'static str> = AuthType::ALL.iter().map(|s| s.as_str()).collect();
    let external = spec.service_type == ServiceType::External;
    view! {
        <ActionForm action=update attr:class=format!("{CARD} grid max-w-4xl gap-4 md:grid-cols-2") attr:aria-label="Edit service">
            <input type="hidden" name="id" value=service.id.to_string() />
            <div class="md:col-span-2"><FieldError message=form_error(update) /><Saved action=update /></div>
            <label class="block text-sm">
                <span class=LABEL>"Display name"</span>
                <input name="display_name" required value=spec.display_name class=INPUT />
                <FieldError message=e("displayName") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Category"</span>
                <input name="category" value=spec.category.unwrap_or_default() class=INPUT />
                <FieldError message=e("category") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Status (MAINTENANCE: shown with a badge, calls answer 503)"</span>
                <select name="status" class=INPUT>{options(&statuses, spec.status.as_str())}</select>
                <FieldError message=e("status") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Visibility"</span>
                <select name="visibility" class=INPUT>{options(&visibilities, spec.visibility.as_str())}</select>
                <FieldError message=e("visibility") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Authentication"</span>
                <select name="auth_type" class=INPUT>{options(&auths, spec.auth_type.as_str())}</select>
                <FieldError message=e("authType") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Base URL"</span>
                <input name="base_url" type="url" disabled=!external value=spec.base_url.unwrap_or_default() class=INPUT />
                <FieldError message=e("baseUrl") />
            </label>
            <label class="block text-sm">
                <span class=LABEL>"Health check URL"</span>
                <input name="health_check_url" type="url" value=spec.health_check_url.unwrap_or_default() class=INPUT />
                <FieldError message=e("healthCheckUrl") />
            </label>
            <label class="block text-sm md:col-span-2">
                <span class=LABEL>"Description"</span>
                <textarea name="description" rows="3" class=INPUT inner_html=textarea_html(&spec.description.unwrap_or_default())></textarea>
                <FieldError message=e("description") />
            </label>
            <div class="md:col-span-2">
                <button type="submit" class=BUTTON disabled=move || update.pending().get()>"Save"</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn EndpointsTab(service: ServiceDetail, actions: Actions) -> impl IntoView {
    let (save, delete) = (actions.save_endpoint, actions.delete_endpoint);
    let e = move |f: &'static str| field_error(save, f);
    let service_id = service.service.id.to_string();
    let methods: Vec<&'static str> = HttpMethod::ALL.iter().map(|m| m.as_str()).collect();
    let rows = service
        .endpoints
        .into_iter()
        .map(|ep| {
            let perms = ep.spec.required_permissions.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ");
            let (sid, eid) = (service_id.clone(), ep.id.to_string());
            view! {
                <tr>
                    <td class="px-4 py-2 font-mono text-xs"><span class="font-semibold">{ep.spec.method.as_str()}</span> " " {ep.spec.path}</td>
                    <td class="px-4 py-2">{ep.spec.display_name}<span class="block font-mono text-xs text-slate-500">{ep.spec.name}</span></td>
                    <td class="px-4 py-2 font-mono text-xs">{if perms.is_empty() { "—".to_string() } else { perms }}</td>
                    <td class="px-4 py-2 text-right tabular-nums">{ep.spec.rate_limit} "/min · " {ep.spec.timeout_ms} " ms"</td>
                    <td class="px-4 py-2 text-right">
                        <ActionForm action=delete>
                            <input type="hidden" name="service_id" value=sid />
                            <input type="hidden" name="endpoint_id" value=eid />
                            <button type="submit" class="text-sm font-medium text-red-700 hover:underline">"Delete"</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="grid gap-6 xl:grid-cols-3">
            <section class="h-fit overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm xl:col-span-2">
                <table data-testid="endpoint-table" class="min-w-full divide-y divide-slate-200 text-sm">
                    <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
                        <tr><th class="px-4 py-3">"Route"</th><th class="px-4 py-3">"Name"</th><th class="px-4 py-3">"Permissions"</th><th class="px-4 py-3 text-right">"Limits"</th><th class="px-4 py-3"></th></tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">{rows}</tbody>
                </table>
                <div class="px-4"><FieldError message=form_error(delete) /></div>
            </section>
            <section class=CARD>
                <h2 class="text-sm font-semibold text-slate-700">"Add an endpoint"</h2>
                <ActionForm action=save attr:class="mt-3 space-y-3" attr:aria-label="Add an endpoint">
                    <input type="hidden" name="service_id" value=service_id.clone() />
                    <FieldError message=form_error(save) />
                    <div class="flex gap-2">
                        <label class="block w-28 text-sm"><span class=LABEL>"Method"</span>
                            <select name="method" class=INPUT>{options(&methods, "GET")}</select></label>
                        <label class="block flex-1 text-sm"><span class=LABEL>"Path"</span>
                            <input name="path" required placeholder="/messages/{id}" class=INPUT /></label>
                    </div>
                    <FieldError message=e("method") />
                    <FieldError message=e("path") />
                    <label class="block text-sm"><span class=LABEL>"Name"</span>
                        <input name="name" required placeholder="messages:list" class=INPUT />
                        <FieldError message=e("name") /></label>
                    <label class="block text-sm"><span class=LABEL>"Display name"</span>
                        <input name="display_name" class=INPUT />
                        <FieldError message=e("displayName") /></label>
                    <label class="block text-sm"><span class=LABEL>"Required permissions (comma-separated)"</span>
                        <input name="required_permissions" placeholder="whatsapp:read" class=INPUT />
                        <FieldError message=field_error_under(save, "requiredPermissions") /></label>
                    <div class="flex gap-2">
                        <label class="block flex-1 text-sm"><span class=LABEL>"Rate limit / min"</span>
                            <input name="rate_limit" inputmode="numeric" placeholder="100" class=INPUT />
                            <FieldError message=e("rateLimit") /></label>
                        <label class="block flex-1 text-sm"><span class=LABEL>"Timeout (ms)"</span>
                            <input name="timeout_ms" inputmode="numeric" placeholder="30000" class=INPUT />
                            <FieldError message=e("timeoutMs") /></label>
                    </div>
                    <button type="submit" class=BUTTON disabled=move || save.pending().get()>"Add endpoint"</button>
                </ActionForm>
            </section>
        </div>
    }
}

#[component]
fn TenantsTab(service: ServiceDetail, actions: Actions) -> impl IntoView {
    let (assign, unassign) = (actions.assign, actions.unassign);
    let service_id = service.service.id.to_string();
    let sid = service_id.clone();
    let assignments = crate::ui::resource(
        move || actions.version(),
        move |_| service_tenants(sid.clone()),
    );
    let statuses: Vec<&'static str> = AssignmentStatus::ALL.iter().map(|s| s.as_str()).collect();
    let statuses2 = statuses.clone();
    let sid2 = service_id.clone();
    view! {
        <div class="grid gap-6 xl:grid-cols-3">
            <section class="h-fit overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm xl:col-span-2">
                <Transition fallback=|| view! { <p class="p-4 text-sm text-slate-500">"Loading…"</p> }>
                    {move || {
                        let (statuses, sid) = (statuses2.clone(), sid2.clone());
                        Suspend::new(async move {
                            let list = assignments.await.unwrap_or_default();
                            let empty = list.is_empty();
                            view! {
                                <table data-testid="assignment-table" class="min-w-full divide-y divide-slate-200 text-sm">
                                    <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
                                        <tr><th class="px-4 py-3">"Tenant"</th><th class="px-4 py-3">"Status"</th><th class="px-4 py-3">"Settings"</th><th class="px-4 py-3"></th></tr>
                                    </thead>
                                    <tbody class="divide-y divide-slate-100">
                                        {list.into_iter().map(|a| {
                                            let (sid, sid_b, tid) = (sid.clone(), sid.clone(), a.tenant_id.to_string());
                                            let statuses = statuses.clone();
                                            view! {
                                                <tr>
                                                    <td class="px-4 py-2 font-medium">{a.tenant_name}<span class="block font-mono text-xs text-slate-500">{a.tenant_domain.clone()}</span></td>
                                                    <td class="px-4 py-2">
                                                        <ActionForm action=assign attr:class="flex gap-2">
                                                            <input type="hidden" name="service_id" value=sid />
                                                            <input type="hidden" name="tenant" value=a.tenant_domain />
                                                            <select name="status" aria-label="Assignment status" class="rounded-md border border-slate-300 px-2 py-1 text-sm">{options(&statuses, a.status.as_str())}</select>
                                                            <button type="submit" class="text-sm font-medium text-amber-700 hover:underline">"Set"</button>
                                                        </ActionForm>
                                                    </td>
                                                    <td class="px-4 py-2 font-mono text-xs text-slate-600">{a.custom_settings.to_string()}</td>
                                                    <td class="px-4 py-2 text-right">
                                                        <ActionForm action=unassign>
                                                            <input type="hidden" name="service_id" value=sid_b />
                                                            <input type="hidden" name="tenant_id" value=tid />
                                                            <button type="submit" class="text-sm font-medium text-red-700 hover:underline">"Unassign"</button>
                                                        </ActionForm>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                {empty.then(|| view! { <p class="px-4 py-6 text-center text-sm text-slate-500">"No tenant has this service yet."</p> })}
                            }
                        })
                    }}
                </Transition>
            </section>
            <section class=CARD>
                <h2 class="text-sm font-semibold text-slate-700">"Assign to a tenant"</h2>
                <ActionForm action=assign attr:class="mt-3 space-y-3" attr:aria-label="Assign to a tenant">
                    <input type="hidden" name="service_id" value=service_id />
                    <FieldError message=form_error(assign) />
                    <label class="block text-sm"><span class=LABEL>"Tenant domain"</span>
                        <input name="tenant" required list="tenant-domains" autocomplete="off" placeholder="taskmanager" class=INPUT />
                        <TenantOptions />
                        <FieldError message=field_error(assign, "tenant") /></label>
                    <label class="block text-sm"><span class=LABEL>"Status"</span>
                        <select name="status" class=INPUT>{options(&statuses, "ACTIVE")}</select></label>
                    <label class="block text-sm"><span class=LABEL>"Custom settings (JSON object)"</span>
                        <textarea name="custom_settings" rows="3" spellcheck="false" placeholder="{}" class=format!("{INPUT} font-mono text-xs")></textarea>
                        <FieldError message=field_error_under(assign, "customSettings") /></label>
                    <button type="submit" class=BUTTON disabled=move || assign.pending().get()>"Assign"</button>
                </ActionForm>
                <FieldError message=form_error(unassign) />
            </section>
        </div>
    }
}

/// Suggestions for the tenant field: the first tenants by name (typing narrows them, the
/// browser's own search over the list).
#[component]
fn TenantOptions() -> impl IntoView {
    let tenants = crate::ui::resource(|| (), |_| crate::api::tenants::list_tenants(None, None));
    view! {
        <datalist id="tenant-domains">
            <Transition>
                {move || Suspend::new(async move {
                    tenants.await.map(|page| page.items).unwrap_or_default().into_iter()
                        .map(|t| view! { <option value=t.domain>{t.name}</option> })
                        .collect_view()
                })}
            </Transition>
        </datalist>
    }
}

#[component]
fn SchemasTab(service: ServiceDetail, actions: Actions) -> impl IntoView {
    let schemas = actions.schemas;
    let spec = service.service.spec;
    let pretty = |v: Option<serde_json::Value>| {
        v.map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
            .unwrap_or_default()
    };
    let form = pretty(
        spec.form_schema
            .map(|s| serde_json::to_value(s).unwrap_or_default()),
    );
    let menu = pretty(
        spec.menu_schema
            .map(|s| serde_json::to_value(s).unwrap_or_default()),
    );
    let settings = pretty(
        spec.settings_schema
            .map(|s| serde_json::to_value(s).unwrap_or_default()),
    );
    let area = format!("{INPUT} font-mono text-xs");
    view! {
        <ActionForm action=schemas attr:class=format!("{CARD} grid gap-4 lg:grid-cols-3") attr:aria-label="Schemas">
            <input type="hidden" name="id" value=service.service.id.to_string() />
            <div class="lg:col-span-3"><FieldError message=form_error(schemas) /><Saved action=schemas /></div>
            <label class="block text-sm"><span class=LABEL>"Form schema"</span>
                " "<a class=LINK href=format!("/admin/forms/{}", spec.name)>"Open in the form builder"</a>
                <textarea name="form_schema" rows="18" spellcheck="false" class=area.clone() inner_html=textarea_html(&form)></textarea>
                <FieldError message=field_error_under(schemas, "formSchema") /></label>
            <label class="block text-sm"><span class=LABEL>"Menu schema"</span>
                <textarea name="menu_schema" rows="18" spellcheck="false" class=area.clone() inner_html=textarea_html(&menu)></textarea>
                <FieldError message=field_error_under(schemas, "menuSchema") /></label>
            <label class="block text-sm"><span class=LABEL>"Settings schema (each tenant's custom settings)"</span>
                <textarea name="settings_schema" rows="18" spellcheck="false" class=area inner_html=textarea_html(&settings)></textarea>
                <FieldError message=field_error_under(schemas, "settingsSchema") /></label>
            <div class="lg:col-span-3">
                <p class="mb-3 text-xs text-slate-500">"Errors name their JSON path. An empty box removes that schema."</p>
                <button type="submit" class=BUTTON disabled=move || schemas.pending().get()>"Save schemas"</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn KeyTab(service: ServiceView, actions: Actions) -> impl IntoView {
    let key = actions.key;
    let (id, id_remove) = (service.id.to_string(), service.id.to_string());
    let state = match (service.api_key_set, service.api_key_last4) {
        (true, Some(last4)) => format!("A key is set: ••••{last4}"),
        (true, None) => "A key is set.".to_string(),
        _ => "No key is set.".to_string(),
    };
    view! {
        <section class=format!("{CARD} max-w-xl")>
            <p data-testid="key-state" class="text-sm text-slate-700">{state}</p>
            <p class="mt-1 text-xs text-slate-500">"Keys are encrypted at rest and never shown again, only their last four characters."</p>
            <ActionForm action=key attr:class="mt-4 space-y-3" attr:aria-label="Set the API key">
                <input type="hidden" name="id" value=id />
                <FieldError message=form_error(key) />
                <Saved action=key />
                <label class="block text-sm"><span class=LABEL>"New key"</span>
                    <input name="api_key" type="password" autocomplete="off" required class=INPUT />
                    <FieldError message=field_error(key, "apiKey") /></label>
                <button type="submit" class=BUTTON disabled=move || key.pending().get()>"Set key"</button>
            </ActionForm>
            {service.api_key_set.then(|| view! {
                <ActionForm action=key attr:class="mt-3">
                    <input type="hidden" name="id" value=id_remove.clone() />
                    <input type="hidden" name="api_key" value="" />
                    <input type="hidden" name="remove" value="true" />
                    <button type="submit" class="text-sm font-medium text-red-700 hover:underline">"Remove the key"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// A tenant's services: what its users can use, with the tenant's settings for each.
#[component]
pub fn MyServicesPage() -> impl IntoView {
    let session = expect_context::<SessionView>();
    let tenant = session.current_tenant.name.clone();
    let services = crate::ui::resource(|| (), |_| my_services());
    view! {
        <Title text="Services" />
        <h1 class="text-2xl font-semibold tracking-tight">"Services"</h1>
        <p class="mt-1 text-sm text-slate-500">"What " {tenant} " can use, the endpoints open to you, and this tenant's settings."</p>
        <Transition fallback=|| view! { <p class="mt-4 text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match services.await {
                    Ok(list) if list.is_empty() => Either::Left(view! {
                        <p class="mt-6 text-sm text-slate-500">"This tenant has no service yet. A super admin assigns services from the registry."</p>
                    }.into_any()),
                    Ok(list) => Either::Left(view! { <ServiceList list /> }.into_any()),
                    Err(e) => Either::Right(view! { <p role="alert" class="mt-4 text-sm text-red-700">{e.user_message()}</p> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn ServiceList(list: Vec<TenantService>) -> impl IntoView {
    view! {
        <ul data-testid="my-services" class="mt-6 grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
            {list.into_iter().map(|TenantService { service: s, settings, has_form }| view! {
                <li class=CARD>
                    <div class="flex items-start justify-between gap-2">
                        <p class="text-base font-semibold">{s.display_name}</p>
                        <Badge text=s.status />
                    </div>
                    <p class="font-mono text-xs text-slate-500">{s.name.clone()}</p>
                    {has_form.then(|| view! {
                        <a class=format!("mt-2 inline-block text-sm {LINK}") href=format!("/forms/{}", s.name)>"Open form →"</a>
                    })}
                    <p class="mt-2 text-xs text-slate-600">{s.service_type} {s.category.map(|c| format!(" · {c}"))}</p>
                    <ul class="mt-3 flex flex-wrap gap-1">
                        {s.endpoints.into_iter().map(|e| view! { <li class="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{e}</li> }).collect_view()}
                    </ul>
                    {settings.filter(|v| v.as_object().is_some_and(|o| !o.is_empty())).map(|v| view! {
                        <dl class="mt-3 border-t border-slate-100 pt-2 text-xs">
                            <dt class="font-semibold text-slate-600">"Settings"</dt>
                            <dd class="mt-1 whitespace-pre-wrap font-mono text-slate-700">{serde_json::to_string_pretty(&v).unwrap_or_default()}</dd>
                        </dl>
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The gateway's call log for the service (never bodies or keys) and the webhook
/// deliveries it sent.
#[component]
fn CallsTab(id: String) -> impl IntoView {
    let loaded = crate::ui::resource(move || id.clone(), crate::api::services::service_calls);
    view! {
        <Suspense fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Err(e) => Either::Left(view! { <p role="alert" class="text-sm text-red-700">{e.user_message()}</p> }),
                    Ok((calls, deliveries)) => Either::Right(view! {
                        <section class="space-y-2">
                            <h2 class="text-lg font-semibold">"Recent calls"</h2>
                            {if calls.is_empty() {
                                Either::Left(view! { <p class="text-sm text-slate-500">"No calls through the gateway yet."</p> })
                            } else {
                                Either::Right(view! {
                                    <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
                                        <table data-testid="calls-table" class="min-w-full divide-y divide-slate-200 text-sm">
                                            <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
                                                <tr>
                                                    <th class="px-3 py-2">"When"</th><th class="px-3 py-2">"User"</th>
                                                    <th class="px-3 py-2">"Endpoint"</th><th class="px-3 py-2">"Status"</th>
                                                    <th class="px-3 py-2">"Latency"</th><th class="px-3 py-2">"Bytes in / out"</th>
                                                </tr>
                                            </thead>
                                            <tbody class="divide-y divide-slate-100">
                                                {calls.into_iter().map(|c| view! {
                                                    <tr>
                                                        <td class="whitespace-nowrap px-3 py-1.5 tabular-nums">{crate::ui::time::second(&c.created_at)}</td>
                                                        <td class="px-3 py-1.5">{c.user.unwrap_or_else(|| "—".into())}</td>
                                                        <td class="px-3 py-1.5 font-mono text-xs">{format!("{} {} ({})", c.method, c.path, c.endpoint)}</td>
                                                        <td class="px-3 py-1.5 tabular-nums">{c.status}</td>
                                                        <td class="px-3 py-1.5 tabular-nums">{format!("{} ms", c.latency_ms)}</td>
                                                        <td class="px-3 py-1.5 tabular-nums">{format!("{} / {}", c.request_bytes, c.response_bytes)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                })
                            }}
                        </section>
                        <section class="mt-6 space-y-2">
                            <h2 class="text-lg font-semibold">"Webhook deliveries"</h2>
                            {if deliveries.is_empty() {
                                Either::Left(view! { <p class="text-sm text-slate-500">"No verified deliveries yet."</p> })
                            } else {
                                Either::Right(view! {
                                    <ul class="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm">
                                        {deliveries.into_iter().map(|d| view! {
                                            <li class="px-3 py-2">
                                                <span class="tabular-nums text-slate-500">{crate::ui::time::second(&d.received_at)}</span>
                                                " · "<span class="font-medium">{d.event.unwrap_or_else(|| "event".into())}</span>
                                                " · "<span class="font-mono text-xs">{d.delivery_id}</span>
                                                <pre class="mt-1 max-h-40 overflow-auto rounded bg-slate-50 p-2 text-xs">{d.payload.to_string()}</pre>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                })
                            }}
                        </section>
                    }),
                }
            })}
        </Suspense>
    }
}

/// A service's health as its card and header show it: status, and 24-hour availability.
#[component]
fn HealthPill(health: Option<HealthView>) -> impl IntoView {
    health.map(|h| {
        let (class, label) = match h.status.as_str() {
            "HEALTHY" => ("bg-emerald-500", "Healthy"),
            "UNHEALTHY" => ("bg-red-500", "Down"),
            _ => ("bg-slate-400", "Checking"),
        };
        let availability = h
            .availability_24h
            .map(|a| format!(" · {a}% in 24 h"))
            .unwrap_or_default();
        let title = h
            .last_error
            .clone()
            .unwrap_or_else(|| format!("Last checked {} UTC", crate::ui::time::clock(&h.checked_at)));
        view! {
            <p data-testid="service-health" title=title class="flex items-center gap-1.5 text-xs text-slate-600">
                <span aria-hidden="true" class=format!("inline-block h-2 w-2 rounded-full {class}")></span>
                <span class="font-medium">{label}</span>
                <span class="tabular-nums">{availability}</span>
            </p>
        }
    })
}

#[component]
fn HealthTab(id: String) -> impl IntoView {
    let loaded = crate::ui::resource(move || id.clone(), crate::api::services::service_health);
    view! {
        <Suspense fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Err(e) => Either::Left(view! { <p role="alert" class="text-sm text-red-700">{e.user_message()}</p> }),
                    Ok(report) => Either::Right(view! {
                        <section class="space-y-3">
                            <h2 class="text-lg font-semibold">"Health"</h2>
                            {match report.health {
                                None => Either::Left(view! {
                                    <p class="text-sm text-slate-500">"Not checked yet. Services with a health URL are probed every few seconds."</p>
                                }),
                                Some(h) => Either::Right(view! {
                                    <dl class="grid max-w-xl grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
                                        <dt class="text-slate-500">"Status"</dt><dd><HealthPill health=Some(h.clone()) /></dd>
                                        <dt class="text-slate-500">"Since"</dt><dd class="tabular-nums">{format!("{} UTC", crate::ui::time::second(&h.since))}</dd>
                                        <dt class="text-slate-500">"Last check"</dt><dd class="tabular-nums">{format!("{} UTC", crate::ui::time::second(&h.checked_at))}</dd>
                                        <dt class="text-slate-500">"Last error"</dt><dd>{h.last_error.unwrap_or_else(|| "—".into())}</dd>
                                    </dl>
                                }),
                            }}
                            {(!report.checks.is_empty()).then(|| view! {
                                <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
                                    <table data-testid="health-checks" class="min-w-full divide-y divide-slate-200 text-sm">
                                        <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
                                            <tr>
                                                <th class="px-3 py-2">"When"</th><th class="px-3 py-2">"Result"</th>
                                                <th class="px-3 py-2">"Status"</th><th class="px-3 py-2">"Latency"</th>
                                                <th class="px-3 py-2">"Error"</th>
                                            </tr>
                                        </thead>
                                        <tbody class="divide-y divide-slate-100">
                                            {report.checks.into_iter().map(|c| view! {
                                                <tr>
                                                    <td class="whitespace-nowrap px-3 py-1.5 tabular-nums">{crate::ui::time::second(&c.checked_at)}</td>
                                                    <td class=if c.ok { "px-3 py-1.5 text-emerald-700" } else { "px-3 py-1.5 text-red-700" }>{if c.ok { "OK" } else { "Failed" }}</td>
                                                    <td class="px-3 py-1.5 tabular-nums">{c.status_code.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</td>
                                                    <td class="px-3 py-1.5 tabular-nums">{format!("{} ms", c.latency_ms)}</td>
                                                    <td class="px-3 py-1.5">{c.error.unwrap_or_default()}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            })}
                        </section>
                    }),
                }
            })}
        </Suspense>
    }
}

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
            <div class="overflow-x-auto rounded-lg border border-slate-200">
                <table data-testid="import-endpoints" class="min-w-full divide-y divide-slate-200 text-sm">
                    <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
                        <tr><th class="px-3 py-2">"Method"</th><th class="px-3 py-2">"Path"</th><th class="px-3 py-2">"Endpoint"</th><th class="px-3 py-2">"Form fields"</th></tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {endpoints.into_iter().map(|(method, path, name, fields)| view! {
                            <tr>
                                <td class="px-3 py-1.5 font-mono text-xs">{method}</td>
                                <td class="px-3 py-1.5 font-mono text-xs">{path}</td>
                                <td class="px-3 py-1.5">{name}</td>
                                <td class="px-3 py-1.5 tabular-nums">{if fields == 0 { "—".to_string() } else { fields.to_string() }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="text-sm text-slate-600">{if menu.is_empty() { "Menu: none".to_string() } else { format!("Menu: {}", menu.join(" · ")) }}</p>
            <ActionForm action=register attr:class="space-y-3" attr:aria-label="Register the draft">
                <label class="block text-sm">
                    <span class=LABEL>"Registration (JSON, edit before registering)"</span>
                    <textarea name="body" rows="18" spellcheck="false" class=format!("{INPUT} font-mono text-xs") inner_html=textarea_html(&body)></textarea>
                    <FieldError message=form_error(register) />
                </label>
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
