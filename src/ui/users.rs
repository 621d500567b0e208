//! The current tenant's members: list, add with role and optional expiry, suspend or
//! reactivate access, remove access.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::users::{list_members, AddMember, RemoveMember, SetMemberAccess},
    domain::{account::SessionView, member::Member, permission::PermissionSet},
    ui::form::{field_error, form_error, FieldError, BUTTON, INPUT},
};

#[component]
pub fn UsersPage() -> impl IntoView {
    let session = expect_context::<SessionView>();
    let can_manage = PermissionSet::from_strings(&session.user.permissions).allows("user:manage");
    let super_admin = session.user.roles.iter().any(|r| r == "SUPER_ADMIN");
    let query = use_query_map();
    let search = move || query.read().get("q").filter(|s| !s.trim().is_empty());
    let add = ServerAction::<AddMember>::new();
    let access = ServerAction::<SetMemberAccess>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let members = Resource::new(
        move || {
            (
                search(),
                add.version().get(),
                access.version().get(),
                remove.version().get(),
            )
        },
        |(search, ..)| list_members(search, None),
    );
    let row_error = move || {
        form_error(access)()
            .or_else(form_error(remove))
            .or_else(field_error(remove, "id"))
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
                            Ok(page) => Either::Left(view! { <MemberTable members=page.items total=page.total can_manage access remove me=session.user.id /> }),
                            Err(e) => Either::Right(view! { <p role="alert" class="mt-4 text-sm text-red-700">{e.user_message()}</p> }),
                        }
                    })}
                </Transition>
            </section>
            {can_manage.then(|| view! { <AddMemberForm add super_admin /> })}
        </div>
    }
}

#[component]
fn MemberTable(
    members: Vec<Member>,
    total: i64,
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
                        <th class="px-4 py-3">"Expires (UTC)"</th>
                        <th class="px-4 py-3"><span class="sr-only">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {members.into_iter().map(|m| {
                        let id = m.id.to_string();
                        let email_attr = m.email.clone();
                        let suspended = m.access_status == "SUSPENDED";
                        let actions = (can_manage && m.id != me).then(|| {
                            let id2 = id.clone();
                            view! {
                                <div class="flex justify-end gap-2">
                                    <ActionForm action=access>
                                        <input type="hidden" name="id" value=id.clone() />
                                        <input type="hidden" name="access_status" value=if suspended { "ACTIVE" } else { "SUSPENDED" } />
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
                                </td>
                                <td class="px-4 py-2 text-xs font-medium">{m.role}</td>
                                <td class="px-4 py-2">
                                    <span class=if suspended { "rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800" } else { "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800" }>{m.access_status}</span>
                                </td>
                                <td class="whitespace-nowrap px-4 py-2 text-xs text-slate-600">{m.expires_at.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_else(|| "never".into())}</td>
                                <td class="px-4 py-2">{actions}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="mt-3 text-sm text-slate-600">{format!("{total} member(s)")}</p>
    }
}

#[component]
fn AddMemberForm(add: ServerAction<AddMember>, super_admin: bool) -> impl IntoView {
    let mut roles = vec!["USER", "TENANT_ADMIN"];
    if super_admin {
        roles.push("SUPER_ADMIN");
    }
    let added = move || add.value().with(|v| matches!(v, Some(Ok(_))));
    view! {
        <section class="h-fit rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 class="text-sm font-semibold text-slate-700">"Add a user"</h2>
            <ActionForm action=add attr:class="mt-3 space-y-3" attr:aria-label="Add a user">
                <FieldError message=form_error(add) />
                {move || added().then(|| view! { <p role="status" class="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">"User added."</p> })}
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
                    <span class="font-medium text-slate-700">"Initial password (new accounts, 10+ characters)"</span>
                    <input type="password" name="password" autocomplete="new-password" class=INPUT />
                    <FieldError message=field_error(add, "password") />
                </label>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Role"</span>
                    <select name="role" class=INPUT>{roles.into_iter().map(|r| view! { <option value=r>{r}</option> }).collect_view()}</select>
                    <FieldError message=field_error(add, "role") />
                </label>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Access expires (UTC, optional)"</span>
                    <input type="datetime-local" name="expires_at" step="1" class=INPUT />
                    <FieldError message=field_error(add, "expiresAt") />
                </label>
                <button type="submit" class=BUTTON disabled=move || add.pending().get()>"Add user"</button>
            </ActionForm>
        </section>
    }
}
