//! The registry's cards with search and filters, and the Services page of a tenant.

use super::*;

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
