//! The menu editor (`menu:update`): the tenant's menu as a tree to arrange by drag and drop
//! or keyboard, rename, hide, give icons, extend with groups and links; a live preview as a
//! role of the tenant would see it; save against the version it started from, reset to the
//! defaults, and revert to any earlier version. Super admins also edit the global layout.
//! And "why can't they see it?" for one user and one item.

use leptos::{either::Either, ev, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::domain::permission::perm;
use crate::{
    api::{
        menus::{
            menu_layout, menu_layout_versions, ExplainMenuItem, RevertMenuLayout, SaveMenuLayout,
        },
        users::list_members,
    },
    domain::{
        account::SessionView,
        menu::{
            diff::diff,
            icons::ICONS,
            layout::{find, find_mut, take, Layout, LayoutOp},
            tree::{walk, MenuNode, CUSTOM, MAX_DEPTH},
            view::LayoutView,
            visible, MenuItemView, Viewer,
        },
        permission::PermissionSet,
        role::{is_platform_grant, SystemRole},
        service::reader::JsonPath,
        tree::{place, step},
    },
    ui::{
        dnd::{indicator_class, Announcer, DragHandle, Sortable},
        form::{BUTTON, INPUT},
        icon::Icon,
        sidebar_menu::SidebarMenu,
    },
};

const CARD: &str = "rounded-xl border border-slate-200 bg-white p-5 shadow-sm";
const SMALL: &str =
    "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-50";

#[component]
pub fn MenuEditorPage() -> impl IntoView {
    let query = use_query_map();
    let scope = Memo::new(move |_| {
        if query.read().get("scope").as_deref() == Some("global") {
            "global".to_string()
        } else {
            "tenant".to_string()
        }
    });
    let session = use_context::<SessionView>();
    // Which tab to offer; the server decides what may be done.
    let platform = session.as_ref().is_some_and(|s| {
        s.user
            .roles
            .iter()
            .any(|r| is_platform_grant(&s.current_tenant.tenant_type, r, true))
    });
    // Whoever may change the layout may see it too.
    let may_open = session.as_ref().is_some_and(|s| {
        let held = PermissionSet::from_strings(&s.user.permissions);
        [&perm::MENU_READ, &perm::MENU_UPDATE, &perm::MENU_CREATE]
            .iter()
            .any(|p| held.covers(p))
    });
    let loaded = crate::ui::resource(move || scope.get(), menu_layout);
    let tab = move |target: &'static str| {
        move || {
            if scope.get() == target {
                "rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white"
            } else {
                "rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
            }
        }
    };
    view! {
        <Title text="Menu editor" />
        <div class="mx-auto max-w-6xl space-y-6">
            <header class="flex flex-wrap items-end justify-between gap-4">
                <div>
                    <h1 class="text-2xl font-semibold">"Menu editor"</h1>
                    <p class="mt-1 text-sm text-slate-600">
                        {move || if scope.get() == "global" {
                            "The global layout: how every tenant's menu is arranged before its own changes."
                        } else {
                            "How this tenant's menu is arranged. Everyone still sees only what their permissions allow."
                        }}
                    </p>
                </div>
                {platform.then(|| view! {
                    <nav aria-label="Layouts" class="flex gap-1 rounded-lg border border-slate-200 bg-white p-1">
                        <a href="/admin/menus" class=tab("tenant")>"This tenant"</a>
                        <a href="/admin/menus?scope=global" class=tab("global")>"All tenants (global)"</a>
                    </nav>
                })}
            </header>
            <Show
                when=move || may_open
                fallback=|| view! { <p role="alert" class="text-red-700">"You do not have permission to see this tenant's menu layout (menu:read)."</p> }
            >
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(view) => Either::Left(view! { <Editor view scope=scope.get_untracked() /> }),
                        Err(e) => Either::Right(view! { <p role="alert" class="text-red-700">{e.user_message()}</p> }),
                    }
                })}
            </Transition>
            </Show>
        </div>
    }
}

#[component]
fn Editor(view: LayoutView, scope: String) -> impl IntoView {
    let LayoutView {
        layout: start_layout,
        version: start_version,
        saved_by,
        saved_at,
        base,
        tree: start_tree,
        skipped: start_skipped,
        roles,
        may_update,
        may_create,
        ..
    } = view;
    let base = StoredValue::new(base);
    let tree = RwSignal::new(start_tree.clone());
    let saved = RwSignal::new(start_tree);
    let version = RwSignal::new(start_version);
    let saved_note = RwSignal::new(saved_by.zip(saved_at).map(|(who, at)| {
        format!(
            "Version {start_version}, saved by {who} on {}",
            crate::ui::time::minute(&at)
        )
    }));
    let skipped = RwSignal::new(start_skipped);
    // Operations on items that are gone for now (a suspended assignment): a save keeps them,
    // so the item comes back arranged; "Reset to defaults" drops them. `saved_kept` is what
    // the stored layout holds, for "Discard changes" and for telling unsaved changes.
    let saved_kept = RwSignal::new(waiting(&start_layout, &saved.get_untracked()));
    let kept = RwSignal::new(saved_kept.get_untracked());
    let snapshot = StoredValue::new(None::<Vec<MenuNode>>);
    let notice = RwSignal::new(None::<Result<String, String>>);
    let dirty = Memo::new(move |_| {
        tree.with(|t| saved.with(|s| t != s)) || kept.with(|k| saved_kept.with(|s| k != s))
    });
    let history = RwSignal::new(0u32);
    let scope = StoredValue::new(scope);

    // Unsaved changes: the browser asks before the page is left.
    let guard = window_event_listener(ev::beforeunload, move |e| {
        if dirty.get_untracked() {
            e.prevent_default();
            e.set_return_value("");
        }
    });
    on_cleanup(move || guard.remove());

    let named = move |id: &str| {
        tree.with_untracked(|t| find(t, id).map(|n| n.name.clone()))
            .unwrap_or_default()
    };
    let sortable = Sortable::new(
        Callback::new(
            move |(item, target, placement): (String, String, crate::ui::dnd::Placement)| {
                let mut next = tree.get_untracked();
                place(&mut next, &item, &target, placement)?;
                let (what, whom) = (named(&item), named(&target));
                tree.set(next);
                Ok(crate::domain::tree::moved(placement, &what, &whom))
            },
        ),
        Callback::new(move |(item, direction): (String, crate::ui::dnd::Step)| {
            let mut next = tree.get_untracked();
            let said = step(&mut next, &item, direction)?;
            tree.set(next);
            Ok(said)
        }),
        Callback::new(move |_| snapshot.set_value(Some(tree.get_untracked()))),
        Callback::new(move |_| {
            if let Some(before) = snapshot.get_value() {
                tree.set(before);
            }
        }),
    );

    // Saving and reverting answer the layout as stored: the editor starts over from it.
    let save = ServerAction::<SaveMenuLayout>::new();
    let revert = ServerAction::<RevertMenuLayout>::new();
    let adopt = move |result: Option<Result<LayoutView, crate::domain::error::AppError>>,
                      done: &str| {
        match result {
            Some(Ok(view)) => {
                saved_kept.set(waiting(&view.layout, &view.tree));
                kept.set(saved_kept.get_untracked());
                tree.set(view.tree.clone());
                saved.set(view.tree);
                version.set(view.version);
                skipped.set(view.skipped);
                saved_note.set(view.saved_by.zip(view.saved_at).map(|(who, at)| {
                    format!(
                        "Version {}, saved by {who} on {}",
                        view.version,
                        crate::ui::time::minute(&at)
                    )
                }));
                notice.set(Some(Ok(done.to_string())));
                history.update(|h| *h += 1);
            }
            Some(Err(e)) => notice.set(Some(Err(e.user_message()))),
            None => {}
        }
    };
    Effect::new(move |_| {
        adopt(
            save.value().get(),
            "Saved. Everyone's menu shows it on their next page.",
        )
    });
    Effect::new(move |_| {
        adopt(
            revert.value().get(),
            "Reverted: the earlier version is now the current one.",
        )
    });
    let do_save = move |_| {
        let mut layout = Layout {
            operations: kept.get_untracked(),
        };
        layout.operations.extend(
            tree.with_untracked(|t| base.with_value(|b| diff(b, t)))
                .operations,
        );
        save.dispatch(SaveMenuLayout {
            scope: scope.get_value(),
            base_version: version.get_untracked(),
            operations: serde_json::to_string(&layout).unwrap_or_default(),
        });
    };

    view! {
        <Announcer sortable />
        {(!may_update && !may_create).then(|| view! {
            <p role="status" data-testid="menu-read-only" class="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">
                "You can see this layout, its preview and its history. Changing it needs menu:update (or menu:create to add groups and links)."
            </p>
        })}
        <div class="flex flex-wrap items-center gap-3">
            {(may_update || may_create).then(|| view! {
                <button type="button" class=BUTTON on:click=do_save disabled=move || !dirty.get() || save.pending().get() data-testid="save-menu">
                    {move || if save.pending().get() { "Saving…" } else { "Save" }}
                </button>
            })}
            {may_update.then(|| view! {
                <button type="button" class=SMALL on:click=move |_| {
                    tree.set(base.get_value());
                    kept.set(Vec::new());
                } title="The services' menus as they come, without this layout's changes">
                    "Reset to defaults"
                </button>
            })}
            {(may_update || may_create).then(|| view! {
                <button type="button" class=SMALL on:click=move |_| {
                    tree.set(saved.get_untracked());
                    kept.set(saved_kept.get_untracked());
                } disabled=move || !dirty.get()>
                    "Discard changes"
                </button>
            })}
            <span class="text-sm text-slate-500" data-testid="menu-version">
                {move || saved_note.get().unwrap_or_else(|| "Not saved yet: the defaults apply.".into())}
            </span>
            <Show when=move || dirty.get()>
                <span class="rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-800">"Unsaved changes"</span>
            </Show>
        </div>
        {move || notice.get().map(|n| match n {
            Ok(text) => view! { <p role="status" class="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{text}</p> }.into_any(),
            Err(text) => view! { <p role="alert" class="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="menu-error">{text}</p> }.into_any(),
        })}
        <div class="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
            <section class=CARD aria-labelledby="tree-title">
                <div class="mb-3 flex items-center justify-between">
                    <h2 id="tree-title" class="font-semibold">"Items"</h2>
                    {may_update.then(|| view! { <p class="text-xs text-slate-500">"Drag by the handle, or focus it and press Space."</p> })}
                </div>
                <div
                    on:pointermove=sortable.pointer_move()
                    on:pointerup=sortable.pointer_up()
                    on:pointercancel=sortable.pointer_cancel()
                    data-testid="menu-tree"
                >
                    {move || if may_update { rows(tree.get(), 1, tree, sortable) } else { read_only_rows(tree.get(), 1) }}
                </div>
                {may_create.then(|| view! { <AddItems tree /> })}
            </section>
            <aside class="space-y-6">
                <Preview tree roles />
                <Skipped skipped />
            </aside>
        </div>
        <div class="grid gap-6 lg:grid-cols-2">
            <History scope=scope.get_value() history version revert may_revert=may_update />
            <WhyPanel tree />
        </div>
    }
}

fn rows(
    nodes: Vec<MenuNode>,
    depth: usize,
    tree: RwSignal<Vec<MenuNode>>,
    sortable: Sortable,
) -> AnyView {
    view! {
        <ul class=if depth == 1 { "space-y-1" } else { "mt-1 space-y-1 border-l-2 border-slate-100 pl-5" } role="list">
            {nodes.into_iter().map(|node| row(node, depth, tree, sortable)).collect_view()}
        </ul>
    }
    .into_any()
}

/// The tree as it stands, for someone who may look but not change it.
fn read_only_rows(nodes: Vec<MenuNode>, depth: usize) -> AnyView {
    view! {
        <ul class=if depth == 1 { "space-y-1" } else { "mt-1 space-y-1 border-l-2 border-slate-100 pl-5" } role="list">
            {nodes.into_iter().map(|node| view! {
                <li data-testid=format!("menu-item-{}", node.id)>
                    <div class=format!("flex items-center gap-2 rounded-lg border border-slate-200 bg-white px-2 py-1.5 {}", if node.hidden { "opacity-60" } else { "" })>
                        <Icon name=node.icon.clone() class="h-4 w-4 text-slate-500" />
                        <span class="flex-1 text-sm font-medium">{node.name.clone()}</span>
                        {node.hidden.then(|| view! { <span class="rounded bg-slate-200 px-1.5 text-[10px] font-semibold uppercase text-slate-700">"Hidden"</span> })}
                    </div>
                    {(!node.children.is_empty()).then(|| read_only_rows(node.children.clone(), depth + 1))}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

fn row(node: MenuNode, depth: usize, tree: RwSignal<Vec<MenuNode>>, sortable: Sortable) -> AnyView {
    let MenuNode {
        id,
        name,
        icon,
        hidden,
        maintenance,
        source,
        children,
        ..
    } = node.clone();
    let nest = depth < MAX_DEPTH && !node.is_link();
    let edit = move |id: String, f: Box<dyn FnOnce(&mut MenuNode)>| {
        tree.update(|t| {
            if let Some(n) = find_mut(t, &id) {
                f(n);
            }
        });
    };
    let indicator = {
        let id = id.clone();
        Memo::new(move |_| indicator_class(sortable.indicator(&id)))
    };
    let moving = {
        let id = id.clone();
        Memo::new(move |_| sortable.is_moving(&id))
    };
    let origin = match source.as_str() {
        "core" => "Inti".to_string(),
        CUSTOM => {
            if node.is_link() {
                "Link".into()
            } else {
                "Group".into()
            }
        }
        s => s.to_string(),
    };
    let (id_name, id_icon, id_hide, id_remove) = (id.clone(), id.clone(), id.clone(), id.clone());
    view! {
        <li data-dnd-id=id.clone() data-dnd-nest=nest.to_string() data-testid=format!("menu-item-{id}")>
            <div class=move || format!(
                "flex flex-wrap items-center gap-2 rounded-lg border px-2 py-1.5 {} {} {}",
                if moving.get() { "border-amber-400 bg-amber-50" } else { "border-slate-200 bg-white" },
                if hidden { "opacity-60" } else { "" },
                indicator.get(),
            )>
                <DragHandle sortable id=id.clone() name=name.clone() moving />
                <Icon name=icon.clone() class="h-4 w-4 text-slate-500" />
                <input
                    class="min-w-0 flex-1 rounded border border-transparent px-1 py-0.5 text-sm font-medium hover:border-slate-300 focus:border-amber-500 focus:outline-none"
                    value=name.clone()
                    aria-label=format!("Name of {id}")
                    maxlength="100"
                    on:change=move |e| {
                        let value = event_target_value(&e).trim().to_string();
                        if !value.is_empty() {
                            edit(id_name.clone(), Box::new(move |n| n.name = value));
                        }
                    }
                />
                <span class="text-xs text-slate-600">{origin}</span>
                {maintenance.then(|| view! { <span class="rounded bg-amber-100 px-1.5 text-[10px] font-semibold uppercase text-amber-800">"Maintenance"</span> })}
                {hidden.then(|| view! { <span class="rounded bg-slate-200 px-1.5 text-[10px] font-semibold uppercase text-slate-700">"Hidden"</span> })}
                <select
                    class="rounded border border-slate-300 px-1 py-0.5 text-xs"
                    aria-label=format!("Icon of {name}")
                    on:change=move |e| {
                        let value = event_target_value(&e);
                        edit(id_icon.clone(), Box::new(move |n| n.icon = Some(value)));
                    }
                >
                    {ICONS.iter().map(|(k, _)| view! { <option value=*k selected=icon.as_deref() == Some(*k)>{*k}</option> }).collect_view()}
                </select>
                <button type="button" class=SMALL on:click=move |_| edit(id_hide.clone(), Box::new(|n| n.hidden = !n.hidden))>
                    {if hidden { "Show" } else { "Hide" }}
                </button>
                {(source == CUSTOM).then(|| view! {
                    <button type="button" class=SMALL aria-label=format!("Remove {name}") on:click=move |_| {
                        tree.update(|t| { take(t, &id_remove); });
                    }>"Remove"</button>
                })}
            </div>
            {(!children.is_empty()).then(|| rows(children, depth + 1, tree, sortable))}
        </li>
    }
    .into_any()
}

/// Adds a group or a link at the top level; the same checks as a saved layout.
#[component]
fn AddItems(tree: RwSignal<Vec<MenuNode>>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |link: bool| {
        let taken = tree.with_untracked(|t| {
            walk(t)
                .iter()
                .map(|(n, _)| n.id.clone())
                .collect::<Vec<_>>()
        });
        let slug: String = name
            .get_untracked()
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let mut id = format!("custom.{}", slug.trim_matches('-'));
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("custom.{}-{n}", slug.trim_matches('-'));
            n += 1;
        }
        let position =
            tree.with_untracked(|t| t.iter().map(|n| n.sort_order).max().unwrap_or(0) + 10);
        let op = if link {
            serde_json::json!({"op": "addLink", "id": id, "name": name.get_untracked(), "url": url.get_untracked().trim(), "position": position})
        } else {
            serde_json::json!({"op": "addGroup", "id": id, "name": name.get_untracked(), "icon": "folder", "position": position})
        };
        match Layout::parse(&serde_json::json!({"operations": [op]}), JsonPath::root("")) {
            Ok(layout) => {
                tree.update(|t| {
                    layout.apply("editor", t);
                });
                name.set(String::new());
                url.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(match e.field() {
                Some(f) if f.ends_with(".url") => format!("Address: {}", e.user_message()),
                Some(f) if f.ends_with(".id") || f.ends_with(".name") => {
                    "Name: give it a name of letters or digits".into()
                }
                _ => e.user_message(),
            })),
        }
    };
    view! {
        <div class="mt-5 border-t border-slate-100 pt-4">
            <h3 class="text-sm font-semibold">"Add to the menu"</h3>
            <div class="mt-2 grid gap-2 sm:grid-cols-[1fr_1.5fr_auto_auto]">
                <label class="text-sm">
                    <span class="sr-only">"Name of the new item"</span>
                    <input class=INPUT placeholder="Name" maxlength="100" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) data-testid="new-item-name" />
                </label>
                <label class="text-sm">
                    <span class="sr-only">"Address of a new link"</span>
                    <input class=INPUT placeholder="https://… (links only)" prop:value=move || url.get() on:input=move |e| url.set(event_target_value(&e)) data-testid="new-item-url" />
                </label>
                <button type="button" class=SMALL on:click=move |_| add(false)>"Add group"</button>
                <button type="button" class=SMALL on:click=move |_| add(true)>"Add link"</button>
            </div>
            {move || error.get().map(|e| view! { <p role="alert" class="mt-1 text-sm text-red-700">{e}</p> })}
        </div>
    }
}

/// The menu as a role of this tenant would see it, from the tree being edited.
#[component]
fn Preview(
    tree: RwSignal<Vec<MenuNode>>,
    roles: Vec<crate::domain::menu::view::RolePreview>,
) -> impl IntoView {
    let roles = StoredValue::new(roles);
    let chosen = RwSignal::new(
        roles
            // The ordinary user's view is the one an admin most needs to check.
            .with_value(|r| {
                r.iter()
                    .find(|r| r.name == SystemRole::User.as_str())
                    .or(r.first())
                    .map(|r| r.name.clone())
            })
            .unwrap_or_default(),
    );
    let items = move || {
        let name = chosen.get();
        roles.with_value(|roles| {
            let role = roles.iter().find(|r| r.name == name)?;
            let permissions = PermissionSet::from_strings(&role.permissions);
            let viewer = Viewer {
                permissions: &permissions,
                platform: role.platform,
            };
            Some(tree.with(|t| {
                visible(t, viewer)
                    .iter()
                    .map(MenuItemView::from)
                    .collect::<Vec<_>>()
            }))
        })
    };
    view! {
        <section class="rounded-xl border border-slate-800 bg-slate-900 p-3 text-slate-200 shadow-sm" aria-labelledby="preview-title">
            <div class="flex items-center justify-between gap-2 px-2 pb-2">
                <h2 id="preview-title" class="text-sm font-semibold text-white">"Preview as"</h2>
                <select
                    class="rounded border border-slate-600 bg-slate-800 px-2 py-1 text-xs text-white"
                    aria-label="Preview the menu as this role"
                    data-testid="preview-role"
                    on:change=move |e| chosen.set(event_target_value(&e))
                >
                    {roles.get_value().into_iter().map(|r| {
                        let selected = r.name == chosen.get_untracked();
                        let name = r.name;
                        view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div data-testid="menu-preview">
                {move || match items() {
                    Some(items) => view! { <SidebarMenu items preview=true /> }.into_any(),
                    None => view! { <p class="px-2 text-xs text-slate-300">"Roles show here for those who may read them."</p> }.into_any(),
                }}
            </div>
        </section>
    }
}

#[component]
fn Skipped(skipped: RwSignal<Vec<crate::domain::menu::Skipped>>) -> impl IntoView {
    view! {
        <Show when=move || skipped.with(|s| !s.is_empty())>
            <section class=CARD aria-labelledby="skipped-title">
                <h2 id="skipped-title" class="text-sm font-semibold">"Changes that no longer apply"</h2>
                <p class="mt-1 text-xs text-slate-500">"Their items are gone for now (a service was removed, suspended or unassigned). Users never see an error; a save keeps them, so they apply again if their items come back. Reset to defaults drops them."</p>
                <ul class="mt-2 space-y-1 text-xs" data-testid="skipped-operations">
                    {move || skipped.get().into_iter().map(|s| view! {
                        <li><code class="rounded bg-slate-100 px-1">{s.id}</code>" · "{s.layout}" · "{s.reason}</li>
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn History(
    scope: String,
    history: RwSignal<u32>,
    version: RwSignal<i32>,
    revert: ServerAction<RevertMenuLayout>,
    may_revert: bool,
) -> impl IntoView {
    let scope = StoredValue::new(scope);
    let versions = crate::ui::resource(
        move || history.get(),
        move |_| menu_layout_versions(scope.get_value()),
    );
    view! {
        <section class=CARD aria-labelledby="history-title">
            <h2 id="history-title" class="font-semibold">"Version history"</h2>
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match versions.await {
                        Ok(list) if list.is_empty() => view! { <p class="mt-2 text-sm text-slate-500">"No saved versions yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ol class="mt-2 divide-y divide-slate-100 text-sm" data-testid="menu-versions">
                                {list.into_iter().map(|v| {
                                    let current = v.version == version.get_untracked();
                                    view! {
                                        <li class="flex items-center justify-between gap-2 py-2">
                                            <span>
                                                <span class="font-medium">{format!("Version {}", v.version)}</span>
                                                <span class="text-slate-500">{format!(" · {} · {}", v.saved_by, crate::ui::time::minute(&v.saved_at))}</span>
                                                {v.reverted_from.map(|f| view! { <span class="text-slate-500">{format!(" · back to version {f}")}</span> })}
                                            </span>
                                            {if current {
                                                view! { <span class="text-xs font-semibold text-emerald-700">"Current"</span> }.into_any()
                                            } else if !may_revert {
                                                ().into_any()
                                            } else {
                                                view! {
                                                    <button type="button" class=SMALL on:click=move |_| {
                                                        revert.dispatch(RevertMenuLayout { scope: scope.get_value(), version: v.version, base_version: version.get_untracked() });
                                                    }>{format!("Revert to version {}", v.version)}</button>
                                                }.into_any()
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e.user_message()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Why a member of the tenant does or does not see an item.
#[component]
fn WhyPanel(tree: RwSignal<Vec<MenuNode>>) -> impl IntoView {
    let members = crate::ui::resource(|| (), |_| list_members(None, None));
    let explain = ServerAction::<ExplainMenuItem>::new();
    let user = RwSignal::new(String::new());
    let item = RwSignal::new(String::new());
    view! {
        <section class=CARD aria-labelledby="why-title">
            <h2 id="why-title" class="font-semibold">"Why can't they see it?"</h2>
            <p class="mt-1 text-sm text-slate-600">"Pick a user of this tenant and an item, or type the id of an item that is not here."</p>
            <div class="mt-3 grid gap-2 sm:grid-cols-2">
                <label class="text-sm">
                    <span class="font-medium text-slate-700">"User"</span>
                    <Transition fallback=|| view! { <select class=INPUT disabled=true></select> }>
                        {move || Suspend::new(async move {
                            let options = members.await.map(|p| p.items).unwrap_or_default();
                            view! {
                                <select class=INPUT data-testid="why-user" on:change=move |e| user.set(event_target_value(&e))>
                                    <option value="">"Choose…"</option>
                                    {options.into_iter().map(|m| view! { <option value=m.id.to_string()>{format!("{} ({})", m.name, m.email)}</option> }).collect_view()}
                                </select>
                            }
                        })}
                    </Transition>
                </label>
                <label class="text-sm">
                    <span class="font-medium text-slate-700">"Item"</span>
                    <input class=INPUT list="menu-item-ids" data-testid="why-item" placeholder="whatsapp-gateway.whatsapp-blast" on:input=move |e| item.set(event_target_value(&e)) />
                    <datalist id="menu-item-ids">
                        {move || tree.with(|t| walk(t).into_iter().map(|(n, _)| view! { <option value=n.id.clone()>{n.name.clone()}</option> }).collect_view())}
                    </datalist>
                </label>
            </div>
            <button type="button" class=format!("{BUTTON} mt-3") on:click=move |_| {
                explain.dispatch(ExplainMenuItem { user_id: user.get_untracked(), item_id: item.get_untracked() });
            }>"Explain"</button>
            {move || explain.value().get().map(|answer| match answer {
                Ok(x) => view! {
                    <p role="status" data-testid="why-answer" class=if x.visible { "mt-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" } else { "mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" }>
                        <span class="font-semibold">{if x.visible { "Visible. " } else { "Not visible. " }}</span>{x.reason}
                    </p>
                }.into_any(),
                Err(e) => view! { <p role="alert" class="mt-3 text-sm text-red-700">{e.user_message()}</p> }.into_any(),
            })}
        </section>
    }
}

/// The operations of `layout` whose item (or target parent) is not in `tree`: skipped now,
/// kept for when it returns.
fn waiting(layout: &Layout, tree: &[MenuNode]) -> Vec<LayoutOp> {
    let present = |id: &str| find(tree, id).is_some();
    layout
        .operations
        .iter()
        .filter(|op| {
            let parent = match op {
                LayoutOp::Move { parent, .. }
                | LayoutOp::AddGroup { parent, .. }
                | LayoutOp::AddLink { parent, .. } => parent.as_deref(),
                _ => None,
            };
            !present(op.id()) || parent.is_some_and(|p| !present(p))
        })
        .cloned()
        .collect()
}
