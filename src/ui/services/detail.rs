//! A service's page: its tabs for the overview, endpoints, tenants, schemas, API key, calls
//! and health.

use super::monitoring::{CallsTab, HealthTab};
use super::*;

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
            <Field label="Display name" error=e("displayName")>
                <input name="display_name" required value=spec.display_name class=INPUT />
            </Field>
            <Field label="Category" error=e("category")>
                <input name="category" value=spec.category.unwrap_or_default() class=INPUT />
            </Field>
            <Field label="Status (MAINTENANCE: shown with a badge, calls answer 503)" error=e("status")>
                <select name="status" class=INPUT>{options(&statuses, spec.status.as_str())}</select>
            </Field>
            <Field label="Visibility" error=e("visibility")>
                <select name="visibility" class=INPUT>{options(&visibilities, spec.visibility.as_str())}</select>
            </Field>
            <Field label="Authentication" error=e("authType")>
                <select name="auth_type" class=INPUT>{options(&auths, spec.auth_type.as_str())}</select>
            </Field>
            <Field label="Base URL" error=e("baseUrl")>
                <input name="base_url" type="url" disabled=!external value=spec.base_url.unwrap_or_default() class=INPUT />
            </Field>
            <Field label="Health check URL" error=e("healthCheckUrl")>
                <input name="health_check_url" type="url" value=spec.health_check_url.unwrap_or_default() class=INPUT />
            </Field>
            <Field label="Description" error=e("description") wide=true>
                <textarea name="description" rows="3" class=INPUT inner_html=textarea_html(&spec.description.unwrap_or_default())></textarea>
            </Field>
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
                    <Field label="Name" error=e("name")>
                        <input name="name" required placeholder="messages:list" class=INPUT />
                    </Field>
                    <Field label="Display name" error=e("displayName")>
                        <input name="display_name" class=INPUT />
                    </Field>
                    <Field label="Required permissions (comma-separated)" error=field_error_under(save, "requiredPermissions")>
                        <input name="required_permissions" placeholder="whatsapp:read" class=INPUT />
                    </Field>
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
                    <Field label="Custom settings (JSON object)" error=field_error_under(assign, "customSettings")>
                        <textarea name="custom_settings" rows="3" spellcheck="false" placeholder="{}" class=format!("{INPUT} font-mono text-xs")></textarea>
                    </Field>
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
    let (menu_area, settings_area) = (area.clone(), area.clone());
    view! {
        <ActionForm action=schemas attr:class=format!("{CARD} grid gap-4 lg:grid-cols-3") attr:aria-label="Schemas">
            <input type="hidden" name="id" value=service.service.id.to_string() />
            <div class="lg:col-span-3"><FieldError message=form_error(schemas) /><Saved action=schemas /></div>
            <label class="block text-sm"><span class=LABEL>"Form schema"</span>
                " "<a class=LINK href=format!("/admin/forms/{}", spec.name)>"Open in the form builder"</a>
                <textarea name="form_schema" rows="18" spellcheck="false" class=area inner_html=textarea_html(&form)></textarea>
                <FieldError message=field_error_under(schemas, "formSchema") /></label>
            <Field label="Menu schema" error=field_error_under(schemas, "menuSchema")>
                <textarea name="menu_schema" rows="18" spellcheck="false" class=menu_area inner_html=textarea_html(&menu)></textarea>
            </Field>
            <Field label="Settings schema (each tenant's custom settings)" error=field_error_under(schemas, "settingsSchema")>
                <textarea name="settings_schema" rows="18" spellcheck="false" class=settings_area inner_html=textarea_html(&settings)></textarea>
            </Field>
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
                <Field label="New key" error=field_error(key, "apiKey")>
                    <input name="api_key" type="password" autocomplete="off" required class=INPUT />
                </Field>
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
