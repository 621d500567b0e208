//! The user's menu as the sidebar draws it: groups that open and close (remembered in this
//! browser), the current page highlighted, icons, MAINTENANCE badges, and arrow keys to go
//! from item to item. The menu editor's preview draws the same thing, inert.

use leptos::{ev, prelude::*, web_sys};
use leptos_router::components::A;

use crate::{
    domain::menu::{tree::is_link, MenuItemView},
    ui::icon::Icon,
};

const COLLAPSED_KEY: &str = "inti.menu.collapsed";
const ROW: &str = "flex w-full items-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-slate-300 hover:bg-slate-800 hover:text-white focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-400 aria-[current=page]:bg-slate-800 aria-[current=page]:text-white";

#[component]
pub fn SidebarMenu(
    items: Vec<MenuItemView>,
    /// The editor's preview: links do not navigate, and nothing is remembered.
    #[prop(default = false)]
    preview: bool,
) -> impl IntoView {
    let collapsed = RwSignal::new(Vec::<String>::new());
    if !preview {
        // After hydration: the server renders every group open.
        Effect::new(move |_| {
            if let Some(saved) = storage()
                .and_then(|s| s.get_item(COLLAPSED_KEY).ok().flatten())
                .and_then(|v| serde_json::from_str::<Vec<String>>(&v).ok())
            {
                collapsed.set(saved);
            }
        });
    }
    let toggle = move |id: String| {
        collapsed.update(|c| {
            if let Some(i) = c.iter().position(|x| *x == id) {
                c.remove(i);
            } else {
                c.push(id);
            }
        });
        if !preview {
            if let (Some(s), Ok(json)) =
                (storage(), serde_json::to_string(&collapsed.get_untracked()))
            {
                let _ = s.set_item(COLLAPSED_KEY, &json);
            }
        }
    };
    let empty = items.is_empty();
    view! {
        <nav aria-label=if preview { "Menu preview" } else { "Main" } class="px-3 py-2" on:keydown=arrow_keys>
            {empty.then(|| view! { <p class="px-3 text-sm text-slate-400">"Nothing to show yet."</p> })}
            {level(items, 1, collapsed, Callback::new(toggle), preview)}
        </nav>
    }
}

fn level(
    items: Vec<MenuItemView>,
    depth: usize,
    collapsed: RwSignal<Vec<String>>,
    toggle: Callback<String>,
    preview: bool,
) -> AnyView {
    let indent = match depth {
        1 => "space-y-0.5",
        2 => "mt-0.5 space-y-0.5 border-l border-slate-700 pl-2 ml-4",
        _ => "mt-0.5 space-y-0.5 border-l border-slate-700 pl-2 ml-3",
    };
    view! {
        <ul class=indent role="list">
            {items
                .into_iter()
                .map(|item| item_view(item, depth, collapsed, toggle, preview))
                .collect_view()}
        </ul>
    }
    .into_any()
}

fn item_view(
    item: MenuItemView,
    depth: usize,
    collapsed: RwSignal<Vec<String>>,
    toggle: Callback<String>,
    preview: bool,
) -> AnyView {
    let MenuItemView {
        id,
        name,
        path,
        icon,
        maintenance,
        down,
        children,
        ..
    } = item;
    // Maintenance is announced; down is what the health checks found.
    let badge = if maintenance {
        Some(view! {
            <span class="ml-auto rounded bg-amber-500/20 px-1.5 py-0.5 text-[10px] font-semibold uppercase tracking-wide text-amber-300" title="This service is under maintenance">
                "Maintenance"
            </span>
        })
    } else if down {
        Some(view! {
            <span class="ml-auto rounded bg-red-500/20 px-1.5 py-0.5 text-[10px] font-semibold uppercase tracking-wide text-red-300" title="This service is not answering its health checks">
                "Down"
            </span>
        })
    } else {
        None
    };
    let label = view! {
        <Icon name=icon.clone() />
        <span class="truncate">{name.clone()}</span>
        {badge}
    };
    if children.is_empty() {
        let link = match path {
            Some(url) if is_link(&url) => view! {
                <a href=url class=ROW target="_blank" rel="noopener noreferrer" data-menu-id=id.clone()>
                    {label}
                    <span class="sr-only">" (opens in a new tab)"</span>
                </a>
            }
            .into_any(),
            Some(path) if !preview => view! {
                <A href=path.clone() exact=path == "/" attr:class=ROW attr:data-menu-id=id.clone()>
                    {label}
                </A>
            }
            .into_any(),
            _ => view! { <span class=ROW data-menu-id=id.clone()>{label}</span> }.into_any(),
        };
        return view! { <li>{link}</li> }.into_any();
    }
    let open = {
        let id = id.clone();
        Memo::new(move |_| !collapsed.with(|c| c.contains(&id)))
    };
    let list_id = format!("menu-{}", id.replace('.', "-"));
    let head = {
        let toggled = id.clone();
        let on_toggle = move |_| toggle.run(toggled.clone());
        match path.filter(|_| !preview) {
            Some(path) => view! {
                <div class="flex items-center">
                    <A href=path.clone() exact=path == "/" attr:class=ROW attr:data-menu-id=id.clone()>
                        {label}
                    </A>
                    <button
                        type="button"
                        class="rounded-md p-2 text-slate-400 hover:bg-slate-800 hover:text-white"
                        aria-label=format!("Show or hide {name}")
                        aria-expanded=move || open.get().to_string()
                        aria-controls=list_id.clone()
                        on:click=on_toggle
                    >
                        <span aria-hidden="true" class=move || if open.get() { "inline-block" } else { "inline-block -rotate-90" }>"▾"</span>
                    </button>
                </div>
            }
            .into_any(),
            None => view! {
                <button
                    type="button"
                    class=ROW
                    aria-expanded=move || open.get().to_string()
                    aria-controls=list_id.clone()
                    data-menu-id=id.clone()
                    on:click=on_toggle
                >
                    {label}
                    <span aria-hidden="true" class=move || if open.get() { "ml-1 text-slate-500" } else { "ml-1 -rotate-90 text-slate-500" }>"▾"</span>
                </button>
            }
            .into_any(),
        }
    };
    view! {
        <li>
            {head}
            <div id=format!("menu-{}", id.replace('.', "-")) class:hidden=move || !open.get()>
                {level(children, depth + 1, collapsed, toggle, preview)}
            </div>
        </li>
    }
    .into_any()
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Up and down arrows (and Home, End) go from item to item of the menu.
fn arrow_keys(e: ev::KeyboardEvent) {
    use leptos::wasm_bindgen::JsCast;
    let step: i32 = match e.key().as_str() {
        "ArrowDown" => 1,
        "ArrowUp" => -1,
        "Home" => i32::MIN,
        "End" => i32::MAX,
        _ => return,
    };
    let Some(nav) = e
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Ok(nodes) = nav.query_selector_all("a, button") else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        // Only what is shown: items of closed groups have no layout box.
        .filter(|el| el.offset_parent().is_some())
        .collect();
    if items.is_empty() {
        return;
    }
    let active = document().active_element();
    let at = items.iter().position(|el| {
        active
            .as_ref()
            .is_some_and(|a| a == el.as_ref() as &web_sys::Element)
    });
    let last = items.len() as i32 - 1;
    let next = match (step, at) {
        (i32::MIN, _) => 0,
        (i32::MAX, _) => last,
        (s, Some(i)) => (i as i32 + s).clamp(0, last),
        (_, None) => 0,
    };
    e.prevent_default();
    let _ = items[next as usize].focus();
}
