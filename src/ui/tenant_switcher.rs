//! The tenant switcher: the tenants the user reaches (a bounded list for platform admins),
//! the current one marked. Each entry is a small form posting to `switch_tenant`, so it works
//! before hydration too; once hydrated, a filter box narrows long lists as you type and
//! searches the server for tenants beyond the list.

use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    api::auth::{find_tenants, SwitchTenant},
    domain::account::TenantAccess,
    ui::form::PostForm,
};

/// Lists longer than this get a filter box.
const FILTER_FROM: usize = 6;

#[component]
pub fn TenantSwitcher(
    tenants: Vec<TenantAccess>,
    current: Uuid,
    /// Distinguishes the sidebar's and the header's copies in tests and for assistive tech.
    label: &'static str,
    #[prop(optional)] dark: bool,
) -> impl IntoView {
    let switch = expect_context::<ServerAction<SwitchTenant>>();
    let filter = RwSignal::new(String::new());
    let show_filter = tenants.len() >= FILTER_FROM;
    let listed: Vec<Uuid> = tenants.iter().map(|t| t.id).collect();
    // Tenants the server finds for the filter text that the given list does not hold.
    let more = crate::ui::resource(
        move || filter.get().trim().to_string(),
        move |text| {
            let listed = listed.clone();
            async move {
                if text.is_empty() {
                    return Vec::new();
                }
                find_tenants(text)
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|t| !listed.contains(&t.id))
                    .collect()
            }
        },
    );
    let item_class = if dark {
        "flex w-full items-center justify-between rounded-md px-3 py-2 text-left text-sm hover:bg-slate-800 disabled:cursor-default"
    } else {
        "flex w-full items-center justify-between rounded-md px-3 py-2 text-left text-sm hover:bg-slate-100 disabled:cursor-default"
    };
    let current_class = if dark {
        "bg-slate-800 font-semibold text-white"
    } else {
        "bg-slate-100 font-semibold"
    };
    let muted = if dark {
        "ml-2 max-w-24 truncate text-xs text-slate-400"
    } else {
        "ml-2 max-w-32 truncate text-xs text-slate-500"
    };

    view! {
        <div data-testid=format!("tenant-switcher-{label}")>
            {show_filter
                .then(|| {
                    view! {
                        <input
                            type="search"
                            placeholder="Filter tenants"
                            aria-label=format!("Filter tenants ({label})")
                            class="mb-2 w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900"
                            on:input=move |ev| filter.set(crate::ui::text::lowercase(&event_target_value(&ev)))
                            prop:value=filter
                        />
                    }
                })}
            <ul data-testid="tenant-list" class="space-y-1">
                {tenants
                    .into_iter()
                    .map(|t| {
                        let is_current = t.id == current;
                        let (id, tenant_id) = (t.id.to_string(), t.id.to_string());
                        let title = format!("Switch to {}", t.name);
                        let haystack = crate::ui::text::lowercase(&format!("{} {}", t.name, t.domain));
                        let hidden = move || {
                            let f = filter.get();
                            !f.is_empty() && !haystack.contains(f.trim())
                        };
                        view! {
                            <li
                                aria-current=is_current.then_some("true")
                                class:hidden=hidden
                            >
                                <PostForm action=switch input=move || SwitchTenant { tenant_id: tenant_id.clone() }>
                                    <input type="hidden" name="tenant_id" value=id />
                                    <button
                                        type="submit"
                                        class=if is_current { format!("{item_class} {current_class}") } else { item_class.to_string() }
                                        disabled=is_current
                                        title=title
                                    >
                                        <span class="truncate">{t.name}</span>
                                        <span class=muted>{t.domain}</span>
                                    </button>
                                </PostForm>
                            </li>
                        }
                    })
                    .collect_view()}
                <Transition>
                    {move || Suspend::new(async move {
                        more.await.into_iter().map(|t| {
                            let (id, title) = (t.id.to_string(), format!("Switch to {}", t.name));
                            let tenant_id = id.clone();
                            view! {
                                <li>
                                    <PostForm action=switch input=move || SwitchTenant { tenant_id: tenant_id.clone() }>
                                        <input type="hidden" name="tenant_id" value=id />
                                        <button type="submit" class=item_class title=title>
                                            <span class="truncate">{t.name}</span>
                                            <span class=muted>{t.domain}</span>
                                        </button>
                                    </PostForm>
                                </li>
                            }
                        }).collect_view()
                    })}
                </Transition>
            </ul>
        </div>
    }
}
