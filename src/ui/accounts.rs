//! Platform → Accounts (super admins): every account on the platform, searched and paged,
//! with its home tenant and status; suspending one signs it out everywhere at once.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::users::{list_accounts, SetAccountStatus},
    domain::{account::SessionView, member::Account, paging::Page},
    ui::{
        form::{form_error, FieldError, BUTTON, INPUT},
        pager::PageLinks,
    },
};

const SMALL: &str =
    "rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50";

#[component]
pub fn AccountsPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").filter(|s| !s.trim().is_empty());
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok());
    let change = ServerAction::<SetAccountStatus>::new();
    let accounts = crate::ui::resource(
        move || (search(), page(), change.version().get()),
        |(search, page, _)| list_accounts(search, page),
    );
    view! {
        <Title text="Accounts" />
        <h1 class="text-2xl font-semibold tracking-tight">"Accounts"</h1>
        <p class="mt-1 text-sm text-slate-500">"Every person on the platform. A suspended or inactive account signs in nowhere; its sessions end at once."</p>
        <form method="get" action="/admin/accounts" class="mt-6 flex max-w-xl gap-2" role="search">
            <input type="search" name="q" aria-label="Search accounts" placeholder="Search by address or name"
                value=move || search().unwrap_or_default() class=INPUT />
            <button type="submit" class=BUTTON>"Search"</button>
        </form>
        <div class="mt-3"><FieldError message=form_error(change) /></div>
        <Transition fallback=|| view! { <p class="mt-4 text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(page) => Either::Left(view! { <AccountTable page search=search() change /> }),
                    Err(e) => Either::Right(view! { <p role="alert" class="mt-4 text-sm text-red-700">{e.user_message()}</p> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn AccountTable(
    page: Page<Account>,
    search: Option<String>,
    change: ServerAction<SetAccountStatus>,
) -> impl IntoView {
    let me = use_context::<SessionView>().map(|s| s.user.id);
    let (total, number, per_page) = (page.total, page.page, page.per_page);
    let empty = page.items.is_empty();
    view! {
        <div class="mt-4 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
            <table data-testid="account-table" class="min-w-full divide-y divide-slate-200 text-sm">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
                    <tr>
                        <th class="px-4 py-3">"Account"</th>
                        <th class="px-4 py-3">"Home tenant"</th>
                        <th class="px-4 py-3">"Status"</th>
                        <th class="px-4 py-3">{format!("Last sign-in ({})", crate::ui::time::zone())}</th>
                        <th class="px-4 py-3 text-right">"Change"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {page.items.into_iter().map(|a| {
                        let mine = Some(a.id) == me;
                        let email = a.email.clone();
                        let choices: Vec<(&'static str, &'static str)> = match a.status.as_str() {
                            "ACTIVE" => vec![("SUSPENDED", "Suspend"), ("INACTIVE", "Deactivate")],
                            _ => vec![("ACTIVE", "Reactivate")],
                        };
                        view! {
                            <tr data-email=email>
                                <td class="px-4 py-3"><span class="font-medium">{a.name}</span><br/><span class="text-xs text-slate-500">{a.email}</span></td>
                                <td class="px-4 py-3 font-mono text-xs text-slate-600">{a.home_tenant_domain}</td>
                                <td class="px-4 py-3"><span data-testid="account-status" class=status_class(&a.status)>{a.status.clone()}</span></td>
                                <td class="px-4 py-3 tabular-nums text-slate-600">{a.last_login_at.map(|t| crate::ui::time::minute(&t)).unwrap_or_else(|| "never".into())}</td>
                                <td class="px-4 py-3 text-right">
                                    {(!mine).then(|| choices.into_iter().map(|(status, label)| view! {
                                        <ActionForm action=change attr:class="ml-2 inline">
                                            <input type="hidden" name="id" value=a.id.to_string() />
                                            <input type="hidden" name="status" value=status />
                                            <button type="submit" class=SMALL>{label}</button>
                                        </ActionForm>
                                    }).collect_view())}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {empty.then(|| view! { <p class="px-4 py-6 text-center text-sm text-slate-500">"No account matches."</p> })}
        </div>
        <PageLinks base="/admin/accounts" noun="account" total page=number per_page search />
    }
}

fn status_class(status: &str) -> &'static str {
    match status {
        "ACTIVE" => "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800",
        "SUSPENDED" => "rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800",
        _ => "rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700",
    }
}
