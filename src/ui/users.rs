//! The current tenant's members: a paged list, invitations (by email, with a role from the
//! tenant's system and custom roles and an optional expiry), suspend or reactivate access,
//! remove access.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::domain::permission::perm;
use crate::{
    api::{
        roles::list_roles,
        users::{
            list_members, pending_invitations, AddMember, RemoveMember, RevokeInvitation,
            SetMemberAccess,
        },
    },
    domain::{
        account::SessionView,
        invitation::Invitation,
        member::Member,
        permission::PermissionSet,
        role::{RoleView, SystemRole},
        tenant::Status,
    },
    ui::form::{field_error, form_error, FieldError, BUTTON, INPUT},
};

/// Members shown per page.
const PER_PAGE: i64 = 20;

#[component]
pub fn UsersPage() -> impl IntoView {
    let session = expect_context::<SessionView>();
    let can_manage =
        PermissionSet::from_strings(&session.user.permissions).covers(&perm::USER_MANAGE);
    let super_admin = session
        .user
        .roles
        .iter()
        .any(|r| r == SystemRole::SuperAdmin.as_str());
    let query = use_query_map();
    let search = move || query.read().get("q").filter(|s| !s.trim().is_empty());
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    };
    let add = ServerAction::<AddMember>::new();
    let access = ServerAction::<SetMemberAccess>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let members = crate::ui::resource(
        move || {
            (
                search(),
                page(),
                add.version().get(),
                access.version().get(),
                remove.version().get(),
            )
        },
        |(search, page, ..)| list_members(search, Some(page)),
    );
    let invitations = crate::ui::resource(
        move || (add.version().get(), revoke.version().get()),
        |_| pending_invitations(),
    );
    let roles = crate::ui::resource(|| (), |_| list_roles());
    let held = PermissionSet::from_strings(&session.user.permissions);
    let row_error = move || {
        form_error(access)()
            .or_else(form_error(remove))
            .or_else(form_error(revoke))
            .or_else(field_error(remove, "id"))
            .or_else(field_error(access, "accessStatus"))
            .or_else(field_error(access, "role"))
    };

    view! {
        <Title text="Users" />
        <h1 class="text-2xl font-semibold tracking-tight">"Users"</h1>
        <p class="mt-1 text-sm text-slate-500">{format!("Members of {}.", session.current_tenant.name)}</p>
        <div class="mt-6 grid gap-6 xl:grid-cols-3">
            <section class="xl:col-span-2">
                <form method="get" action="/admin/users" class="flex gap-2" role="search">
                    <input type="search" name="q" aria-label="Search users" placeholder="Search by name or email" value=move || search().unwrap_or_default() class=INPUT />
                    <button type="submit" class=BUTTON>"Search"</button>
                </form>
                <FieldError message=row_error />
                <Transition fallback=|| view! { <p class="mt-4 text-sm text-slate-500">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match members.await {
                            Ok(found) => Either::Left(view! {
                                <MemberTable members=found.items can_manage access remove me=session.user.id />
                                <Pager total=found.total page=found.page search=search() />
                            }),
                            Err(e) => Either::Right(view! { <p role="alert" class="mt-4 text-sm text-red-700">{e.user_message()}</p> }),
                        }
                    })}
                </Transition>
                <Transition>
                    {move || Suspend::new(async move {
                        invitations.await.ok().filter(|l| !l.is_empty()).map(|list| view! { <PendingInvitations list can_manage revoke /> })
                    })}
                </Transition>
            </section>
            {can_manage.then(|| view! {
                <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                    {move || {
                        let held = held.clone();
                        Suspend::new(async move {
                            let offered: Vec<String> = roles
                                .await
                                .unwrap_or_default()
                                .into_iter()
                                .filter(|r| grantable_by(r, &held, super_admin))
                                .map(|r| r.name)
                                .collect();
                            view! { <AddMemberForm add roles=offered /> }
                        })
                    }}
                </Transition>
            })}
        </div>
    }
}

/// A role the signed-in admin may grant: every permission of it is theirs, and SUPER_ADMIN
/// only for super admins (the server checks the same).
fn grantable_by(role: &RoleView, held: &PermissionSet, super_admin: bool) -> bool {
    (role.name != SystemRole::SuperAdmin.as_str() || super_admin)
        && role.permissions.iter().all(|p| held.allows(p))
}

/// Previous / next links that keep the search.
#[component]
fn Pager(total: i64, page: i64, search: Option<String>) -> impl IntoView {
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let link = move |to: i64| {
        let q = search
            .as_deref()
            .map(|q| format!("&q={}", urlencode(q)))
            .unwrap_or_default();
        format!("/admin/users?page={to}{q}")
    };
    let button =
        "rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-50";
    view! {
        <nav aria-label="Pages" class="mt-3 flex items-center justify-between text-sm text-slate-600">
            <span>{format!("{total} member(s) · page {page} of {pages}")}</span>
            <span class="flex gap-2">
                {(page > 1).then(|| view! { <a class=button href=link(page - 1) rel="prev">"Previous"</a> })}
                {(page < pages).then(|| view! { <a class=button href=link(page + 1) rel="next">"Next"</a> })}
            </span>
        </nav>
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// How far an invitation's e-mail got, in words.
fn delivery_text(status: Option<&str>) -> &'static str {
    match status {
        Some("SENT") => "e-mail sent",
        Some("FAILED") => "e-mail failed: revoke and invite again",
        Some(_) => "e-mail queued",
        None => "",
    }
}

#[component]
fn PendingInvitations(
    list: Vec<Invitation>,
    can_manage: bool,
    revoke: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    view! {
        <h2 class="mt-8 text-sm font-semibold text-slate-700">"Pending invitations"</h2>
        <ul data-testid="pending-invitations" class="mt-2 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm shadow-sm">
            {list.into_iter().map(|i| {
                let email = i.email.clone();
                view! {
                <li class="flex items-center justify-between gap-4 px-4 py-2" data-email=email>
                    <span>
                        <span class="font-medium">{i.email}</span>
                        <span class="ml-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">{i.role}</span>
                        <span class="ml-2 text-xs text-slate-500" data-testid="invitation-delivery">{delivery_text(i.delivery.as_deref())}</span>
                    </span>
                    {can_manage.then(|| view! {
                        <ActionForm action=revoke>
                            <input type="hidden" name="id" value=i.id.to_string() />
                            <button type="submit" class="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50">"Revoke"</button>
                        </ActionForm>
                    })}
                </li>
            }}).collect_view()}
        </ul>
    }
}

#[component]
fn MemberTable(
    members: Vec<Member>,
    can_manage: bool,
    access: ServerAction<SetMemberAccess>,
    remove: ServerAction<RemoveMember>,
    me: uuid::Uuid,
) -> impl IntoView {
    view! {
        <div class="mt-4 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table data-testid="member-table" class="min-w-full divide-y divide-slate-200 text-sm">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
                    <tr>
                        <th class="px-4 py-3">"Name"</th>
                        <th class="px-4 py-3">"Role"</th>
                        <th class="px-4 py-3">"Access"</th>
                        <th class="px-4 py-3">{format!("Expires ({})", crate::ui::time::zone())}</th>
                        <th class="px-4 py-3"><span class="sr-only">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {members.into_iter().map(|m| {
                        let id = m.id.to_string();
                        let email_attr = m.email.clone();
                        let suspended = m.access_status == Status::Suspended.as_str();
                        let actions = (can_manage && m.id != me).then(|| {
                            let id2 = id.clone();
                            view! {
                                <div class="flex justify-end gap-2">
                                    <ActionForm action=access>
                                        <input type="hidden" name="id" value=id.clone() />
                                        <input type="hidden" name="access_status" value=if suspended { Status::Active.as_str() } else { Status::Suspended.as_str() } />
                                        <button type="submit" class="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50">
                                            {if suspended { "Reactivate" } else { "Suspend" }}
                                        </button>
                                    </ActionForm>
                                    <ActionForm action=remove>
                                        <input type="hidden" name="id" value=id2 />
                                        <button type="submit" class="rounded-md border border-red-200 px-2 py-1 text-xs font-medium text-red-700 hover:bg-red-50">"Remove"</button>
                                    </ActionForm>
                                </div>
                            }
                        });
                        view! {
                            <tr data-email=email_attr>
                                <td class="px-4 py-2">
                                    <div class="font-medium">{m.name}</div>
                                    <div class="text-xs text-slate-500">{m.email}</div>
                                    {m.two_factor_enabled.then(|| view! { <div class="text-xs text-slate-600" data-testid="two-factor">"Two-factor on"</div> })}
                                </td>
                                <td class="px-4 py-2 text-xs font-medium">{m.role}</td>
                                <td class="px-4 py-2">
                                    <span class=if suspended { "rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800" } else { "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800" }>{m.access_status}</span>
                                </td>
                                <td class="whitespace-nowrap px-4 py-2 text-xs text-slate-600">{m.expires_at.map(|t| crate::ui::time::second(&t)).unwrap_or_else(|| "never".into())}</td>
                                <td class="px-4 py-2">{actions}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn AddMemberForm(add: ServerAction<AddMember>, roles: Vec<String>) -> impl IntoView {
    let invited = move || {
        add.value().with(|v| match v {
            Some(Ok(i)) => Some(i.email.clone()),
            _ => None,
        })
    };
    view! {
        <section class="h-fit rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 class="text-sm font-semibold text-slate-700">"Add a user"</h2>
            <p class="mt-1 text-xs text-slate-500">"We e-mail them the invitation. They join when they accept it; someone new first chooses their own password from the e-mailed link."</p>
            <ActionForm action=add attr:class="mt-3 space-y-3" attr:aria-label="Add a user">
                <FieldError message=form_error(add) />
                {move || invited().map(|email| view! { <p role="status" class="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{format!("Invitation sent to {email}.")}</p> })}
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Email"</span>
                    <input type="email" name="email" required class=INPUT />
                    <FieldError message=field_error(add, "email") />
                </label>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Name"</span>
                    <input name="name" required class=INPUT />
                    <FieldError message=field_error(add, "name") />
                </label>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Role"</span>
                    <select name="role" class=INPUT>{roles.into_iter().map(|r| {
                        // The least privileged role is the default.
                        let (value, selected) = (r.clone(), r == SystemRole::User.as_str());
                        view! { <option value=value selected=selected>{r}</option> }
                    }).collect_view()}</select>
                    <FieldError message=field_error(add, "role") />
                </label>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Access expires (UTC, optional)"</span>
                    <input type="datetime-local" name="expires_at" step="1" class=INPUT />
                    <FieldError message=field_error(add, "expiresAt") />
                </label>
                <button type="submit" class=BUTTON disabled=move || add.pending().get()>"Send invitation"</button>
            </ActionForm>
        </section>
    }
}
