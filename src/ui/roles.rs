//! Roles of the current tenant, and an editor for custom roles whose permission picker offers
//! only what the editor holds.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

use crate::domain::permission::perm;
use crate::{
    api::roles::{list_roles, CreateRole, DeleteRole},
    domain::{account::SessionView, permission::PermissionSet, role::CATALOG},
    ui::form::{field_error, form_error, FieldError, BUTTON, INPUT},
};

#[component]
pub fn RolesPage() -> impl IntoView {
    let session = expect_context::<SessionView>();
    let held = PermissionSet::from_strings(&session.user.permissions);
    let can_manage = held.covers(&perm::ROLE_MANAGE);
    let create = ServerAction::<CreateRole>::new();
    let delete = ServerAction::<DeleteRole>::new();
    let roles = crate::ui::resource(
        move || (create.version().get(), delete.version().get()),
        |_| list_roles(),
    );
    let pickable: Vec<(&'static str, &'static str)> = CATALOG
        .into_iter()
        .filter(|(p, _)| held.allows(p))
        .collect();

    view! {
        <Title text="Roles" />
        <h1 class="text-2xl font-semibold tracking-tight">"Roles"</h1>
        <p class="mt-1 text-sm text-slate-500">"System roles apply everywhere; custom roles belong to this tenant."</p>
        <FieldError message=form_error(delete) />
        <div class="mt-6 grid gap-6 xl:grid-cols-3">
            <section class="space-y-3 xl:col-span-2" data-testid="role-list">
                <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match roles.await {
                            Ok(list) => Either::Left(list.into_iter().map(|r| {
                                let id = r.id.to_string();
                                view! {
                                    <article class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-role=r.name.clone()>
                                        <div class="flex items-center justify-between">
                                            <h2 class="font-mono text-sm font-semibold">{r.name.clone()}</h2>
                                            {if r.system {
                                                Either::Left(view! { <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">"system"</span> })
                                            } else {
                                                Either::Right(can_manage.then(|| view! {
                                                    <ActionForm action=delete>
                                                        <input type="hidden" name="id" value=id />
                                                        <button type="submit" class="rounded-md border border-red-200 px-2 py-1 text-xs font-medium text-red-700 hover:bg-red-50">"Delete"</button>
                                                    </ActionForm>
                                                }))
                                            }}
                                        </div>
                                        <p class="mt-1 text-sm text-slate-500">{r.description}</p>
                                        <ul class="mt-2 flex flex-wrap gap-1.5">
                                            {r.permissions.into_iter().map(|p| view! { <li class="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{p}</li> }).collect_view()}
                                        </ul>
                                    </article>
                                }
                            }).collect_view()),
                            Err(e) => Either::Right(view! { <p role="alert" class="text-sm text-red-700">{e.user_message()}</p> }),
                        }
                    })}
                </Transition>
            </section>
            {can_manage.then(|| view! {
                <section class="h-fit rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                    <h2 class="text-sm font-semibold text-slate-700">"New custom role"</h2>
                    <ActionForm action=create attr:class="mt-3 space-y-3" attr:aria-label="New custom role">
                        <FieldError message=form_error(create) />
                        <label class="block text-sm">
                            <span class="font-medium text-slate-700">"Name"</span>
                            <input name="name" required placeholder="SUPPORT_AGENT" class=INPUT />
                            <FieldError message=field_error(create, "name") />
                        </label>
                        <label class="block text-sm">
                            <span class="font-medium text-slate-700">"Description"</span>
                            <input name="description" class=INPUT />
                        </label>
                        <fieldset class="text-sm">
                            <legend class="font-medium text-slate-700">"Permissions (only those you hold)"</legend>
                            <div class="mt-1 max-h-64 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-2">
                                {pickable.into_iter().map(|(p, label)| view! {
                                    <label class="flex items-center gap-2">
                                        <input type="checkbox" name="permissions[]" value=p />
                                        <span class="font-mono text-xs">{p}</span>
                                        <span class="text-xs text-slate-500">{label}</span>
                                    </label>
                                }).collect_view()}
                            </div>
                        </fieldset>
                        <label class="block text-sm">
                            <span class="font-medium text-slate-700">"Other permissions (comma-separated)"</span>
                            <input name="extra" placeholder="report:export:own" class=INPUT />
                            <FieldError message=field_error(create, "permissions") />
                        </label>
                        <button type="submit" class=BUTTON>"Create role"</button>
                    </ActionForm>
                </section>
            })}
        </div>
    }
}
