//! The audit log viewer: filter by action and outcome, newest first, paged on the server.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::{hooks::use_query_map, location::Url};

use crate::{
    api::audit::list_audit,
    domain::{
        audit::{AuditAction, AuditEntryView},
        paging::Page,
    },
    ui::form::{BUTTON, INPUT},
};

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |key: &str| query.read().get(key).filter(|v| !v.is_empty());
    let entries = crate::ui::resource(
        move || {
            (
                param("action"),
                param("outcome"),
                param("page").and_then(|p| p.parse().ok()),
            )
        },
        |(action, outcome, page)| list_audit(action, outcome, page),
    );
    let option = move |key: &'static str, value: &'static str, label: &'static str| {
        view! { <option value=value selected=move || param(key).as_deref() == Some(value)>{label}</option> }
    };
    view! {
        <Title text="Audit log" />
        <h1 class="text-2xl font-semibold tracking-tight">"Audit log"</h1>
        <p class="mt-1 text-sm text-slate-500">"Sign-ins, tenant switches and administrative changes."</p>
        <form method="get" action="/admin/audit" class="mt-6 flex flex-wrap items-end gap-3" aria-label="Filter audit log">
            <label class="text-sm">
                <span class="font-medium text-slate-700">"Action"</span>
                <select name="action" class=INPUT>
                    {option("action", "", "All actions")}
                    {AuditAction::ALL.iter().map(|a| option("action", a.as_str(), a.as_str())).collect_view()}
                </select>
            </label>
            <label class="text-sm">
                <span class="font-medium text-slate-700">"Outcome"</span>
                <select name="outcome" class=INPUT>
                    {option("outcome", "", "Any")}
                    {option("outcome", "SUCCESS", "Success")}
                    {option("outcome", "FAILURE", "Failure")}
                </select>
            </label>
            <button type="submit" class=BUTTON>"Filter"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-4 text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(page) => Either::Left(view! { <AuditTable page action=param("action") outcome=param("outcome") /> }),
                    Err(e) => Either::Right(view! { <p role="alert" class="mt-4 text-sm text-red-700">{e.user_message()}</p> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn AuditTable(
    page: Page<AuditEntryView>,
    action: Option<String>,
    outcome: Option<String>,
) -> impl IntoView {
    let last_page = ((page.total + page.per_page - 1) / page.per_page).max(1);
    let link = move |n: i64| {
        let mut href = format!("/admin/audit?page={n}");
        for (key, value) in [("action", &action), ("outcome", &outcome)] {
            if let Some(v) = value {
                href.push_str(&format!("&{key}={}", Url::escape(v)));
            }
        }
        href
    };
    let prev = (page.page > 1).then(|| link(page.page - 1));
    let next = (page.page < last_page).then(|| link(page.page + 1));
    let empty = page.items.is_empty();
    view! {
        <div class="mt-4 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table data-testid="audit-table" class="min-w-full divide-y divide-slate-200 text-sm">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
                    <tr>
                        <th class="px-4 py-3">{format!("When ({})", crate::ui::time::zone())}</th>
                        <th class="px-4 py-3">"Action"</th>
                        <th class="px-4 py-3">"Outcome"</th>
                        <th class="px-4 py-3">"Who"</th>
                        <th class="px-4 py-3">"Tenant"</th>
                        <th class="px-4 py-3">"Client"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {page.items.into_iter().map(|e| {
                        let failed = e.outcome == "FAILURE";
                        let who = match (&e.actor_email, e.actor_platform) {
                            (Some(email), true) => format!("{email} (platform staff)"),
                            (Some(email), false) => email.clone(),
                            // Shown to a tenant without who it was.
                            (None, true) => "Platform staff".into(),
                            (None, false) => e.details.get("email").and_then(|v| v.as_str())
                                .map(|s| format!("{s} (unverified)"))
                                .unwrap_or_else(|| "—".into()),
                        };
                        view! {
                            <tr>
                                <td class="whitespace-nowrap px-4 py-2 tabular-nums text-slate-600">{crate::ui::time::second(&e.occurred_at)}</td>
                                <td class="whitespace-nowrap px-4 py-2 font-mono text-xs">{e.action}</td>
                                <td class="px-4 py-2">
                                    <span class=if failed { "rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800" } else { "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800" }>{e.outcome}</span>
                                </td>
                                <td class="px-4 py-2">{who}</td>
                                <td class="px-4 py-2 font-mono text-xs text-slate-600">{e.tenant_domain.unwrap_or_else(|| "—".into())}</td>
                                <td class="px-4 py-2 font-mono text-xs text-slate-500">{e.client_ip.unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {empty.then(|| view! { <p class="px-4 py-6 text-center text-sm text-slate-500">"No entries match."</p> })}
        </div>
        <nav aria-label="Pages" class="mt-3 flex items-center justify-between text-sm text-slate-600">
            <span>{format!("{} entries · page {} of {}", page.total, page.page, last_page)}</span>
            <span class="flex gap-3">
                {prev.map(|href| view! { <a href=href class="font-medium text-amber-700 hover:underline">"← Newer"</a> })}
                {next.map(|href| view! { <a href=href class="font-medium text-amber-700 hover:underline">"Older →"</a> })}
            </span>
        </nav>
    }
}
