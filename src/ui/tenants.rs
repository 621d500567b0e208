//! Tenant administration pages (super admins): a searchable, paged list with a create form,
//! and a detail page to edit name, tier and status.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::tenants::{get_tenant, list_tenants, CreateTenant, UpdateTenant},
    domain::{
        paging::Page,
        tenant::{Status, TenantDetail, TenantType, Tier},
    },
    ui::{
        form::{field_error, form_error, FieldError, BUTTON, INPUT},
        pager::PageLinks,
    },
};

#[component]
pub fn TenantsPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").filter(|s| !s.trim().is_empty());
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok());
    let create = ServerAction::<CreateTenant>::new();
    let tenants = crate::ui::resource(
        move || (search(), page(), create.version().get()),
        |(search, page, _)| list_tenants(search, page),
    );

    view! {
        <Title text="Tenants" />
        <h1 class="text-2xl font-semibold tracking-tight">"Tenants"</h1>
        <p class="mt-1 text-sm text-slate-500">"Every organisation on the platform."</p>
        <div class="mt-6 grid gap-6 xl:grid-cols-3">
            <section class="xl:col-span-2">
                <form method="get" action="/admin/tenants" class="flex gap-2" role="search">
                    <input
                        type="search"
                        name="q"
                        aria-label="Search tenants"
                        placeholder="Search by name or domain"
                        value=move || search().unwrap_or_default()
                        class=INPUT
                    />
                    <button type="submit" class=BUTTON>"Search"</button>
                </form>
                <Transition fallback=|| view! { <p class="mt-4 text-sm text-slate-500">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match tenants.await {
                            Ok(page) => Either::Left(view! { <TenantTable page search=search() /> }),
                            Err(e) => Either::Right(view! {
                                <p role="alert" class="mt-4 text-sm text-red-700">{e.user_message()}</p>
                            }),
                        }
                    })}
                </Transition>
            </section>
            <NewTenantForm create />
        </div>
    }
}

#[component]
fn TenantTable(page: Page<TenantDetail>, search: Option<String>) -> impl IntoView {
    let (total, number, per_page) = (page.total, page.page, page.per_page);
    let empty = page.items.is_empty();
    view! {
        <div class="mt-4 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
            <table data-testid="tenant-table" class="min-w-full divide-y divide-slate-200 text-sm">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
                    <tr>
                        <th class="px-4 py-3">"Name"</th>
                        <th class="px-4 py-3">"Domain"</th>
                        <th class="px-4 py-3">"Tier"</th>
                        <th class="px-4 py-3">"Status"</th>
                        <th class="px-4 py-3 text-right">"Users"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {page
                        .items
                        .into_iter()
                        .map(|t| {
                            view! {
                                <tr class="hover:bg-slate-50">
                                    <td class="whitespace-nowrap px-4 py-3 font-medium">
                                        <a href=format!("/admin/tenants/{}", t.id) class="text-slate-900 hover:text-amber-700 hover:underline">{t.name}</a>
                                        {(t.tenant_type == TenantType::Core.as_str()).then(|| view! { <span class="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">"CORE"</span> })}
                                    </td>
                                    <td class="px-4 py-3 font-mono text-xs text-slate-600">{t.domain}</td>
                                    <td class="px-4 py-3">{t.subscription_tier}</td>
                                    <td class="px-4 py-3"><StatusBadge status=t.status /></td>
                                    <td class="whitespace-nowrap px-4 py-3 text-right tabular-nums">{t.user_count} " / " {t.max_users}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            {empty.then(|| view! { <p class="px-4 py-6 text-center text-sm text-slate-500">"No tenant matches."</p> })}
        </div>
        <PageLinks base="/admin/tenants" noun="tenant" total page=number per_page search />
    }
}

#[component]
fn StatusBadge(status: String) -> impl IntoView {
    let class = match status.as_str() {
        "ACTIVE" => "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800",
        "SUSPENDED" => "rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800",
        _ => "rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700",
    };
    view! { <span class=class>{status}</span> }
}

#[component]
fn NewTenantForm(create: ServerAction<CreateTenant>) -> impl IntoView {
    view! {
        <section class="h-fit rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 class="text-sm font-semibold text-slate-700">"New tenant"</h2>
            <ActionForm action=create attr:class="mt-3 space-y-3" attr:aria-label="New tenant">
                <FieldError message=form_error(create) />
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Name"</span>
                    <input name="name" required class=INPUT />
                    <FieldError message=field_error(create, "name") />
                </label>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Domain"</span>
                    <input name="domain" required placeholder="acme" class=INPUT />
                    <FieldError message=field_error(create, "domain") />
                </label>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Subscription tier"</span>
                    <select name="subscription_tier" class=INPUT>
                        {Tier::ALL.iter().map(|t| view! { <option value=t.as_str()>{t.as_str()}</option> }).collect_view()}
                    </select>
                    <FieldError message=field_error(create, "subscriptionTier") />
                </label>
                <button type="submit" class=BUTTON disabled=move || create.pending().get()>"Create tenant"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn TenantDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let update = ServerAction::<UpdateTenant>::new();
    let tenant = crate::ui::resource(
        move || (id(), update.version().get()),
        |(id, _)| get_tenant(id),
    );
    view! {
        <Title text="Tenant" />
        <a href="/admin/tenants" class="text-sm font-medium text-amber-700 hover:underline">"← All tenants"</a>
        <Transition fallback=|| view! { <p class="mt-4 text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match tenant.await {
                    Ok(t) => Either::Left(view! { <TenantEditor tenant=t update /> }),
                    Err(e) => Either::Right(view! { <p role="alert" class="mt-4 text-sm text-red-700">{e.user_message()}</p> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn TenantEditor(tenant: TenantDetail, update: ServerAction<UpdateTenant>) -> impl IntoView {
    let value = update.value();
    let saved = move || matches!(value.get(), Some(Ok(_)));
    let select = |options: Vec<&'static str>, current: String| {
        options
            .into_iter()
            .map(|o| view! { <option value=o selected=o == current>{o}</option> })
            .collect_view()
    };
    view! {
        <div class="mt-3 flex items-baseline gap-3">
            <h1 data-testid="tenant-name" class="text-2xl font-semibold tracking-tight">{tenant.name.clone()}</h1>
            <span class="font-mono text-sm text-slate-500">{tenant.domain.clone()}</span>
            <StatusBadge status=tenant.status.clone() />
        </div>
        <p class="mt-1 text-sm text-slate-500">
            {format!("{} · {} of {} users · created {}", tenant.tenant_type, tenant.user_count, tenant.max_users, crate::ui::time::day(&tenant.created_at))}
        </p>
        <section class="mt-6 max-w-xl rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 class="text-sm font-semibold text-slate-700">"Settings"</h2>
            <ActionForm action=update attr:class="mt-3 space-y-3" attr:aria-label="Edit tenant">
                <input type="hidden" name="id" value=tenant.id.to_string() />
                <FieldError message=form_error(update) />
                {move || saved().then(|| view! { <p role="status" class="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">"Saved."</p> })}
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Name"</span>
                    <input name="name" required value=tenant.name.clone() class=INPUT />
                    <FieldError message=field_error(update, "name") />
                </label>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Subscription tier (sets the user limit)"</span>
                    <select name="subscription_tier" class=INPUT>{select(Tier::ALL.iter().map(|t| t.as_str()).collect(), tenant.subscription_tier.clone())}</select>
                    <FieldError message=field_error(update, "subscriptionTier") />
                </label>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Status (suspending ends every session in the tenant)"</span>
                    <select name="status" class=INPUT>{select(Status::ALL.iter().map(|s| s.as_str()).collect(), tenant.status.clone())}</select>
                    <FieldError message=field_error(update, "status") />
                </label>
                <button type="submit" class=BUTTON disabled=move || update.pending().get()>"Save"</button>
            </ActionForm>
        </section>
    }
}
