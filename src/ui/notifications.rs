//! The bell in the header (the unread count, kept live over the notification stream) and the
//! notifications page: the list, marking read, and how each kind reaches the person.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::notifications::{
        list_notifications, notification_preferences, unread_notifications,
        MarkAllNotificationsRead, MarkNotificationRead, SaveNotificationPreferences,
    },
    domain::{
        notification::{Channel, Notification, Preference},
        paging::Page,
    },
    ui::form::{PostForm, BUTTON},
};

/// The header's bell: a link to the notifications page with the unread count, which the
/// server renders and the browser then keeps current from the stream. The first count is
/// awaited inside the bell's one `Suspense`, never read reactively: a resource read with
/// `.get()` outside it would also be tracked by the layout's boundary, and resources shared
/// by nested boundaries that way stall server rendering (leptos-rs/leptos#4578).
#[component]
pub fn NotificationBell() -> impl IntoView {
    let live = RwSignal::new(None::<i64>);
    let first = crate::ui::resource(|| (), |_| unread_notifications());
    live_count(live);
    view! {
        <Suspense fallback=move || view! { <BellLink live first=None /> }>
            {move || Suspend::new(async move {
                let first = first.await.ok().map(|u| u.unread);
                view! { <BellLink live first /> }
            })}
        </Suspense>
    }
}

#[component]
fn BellLink(live: RwSignal<Option<i64>>, first: Option<i64>) -> impl IntoView {
    let count = move || live.get().or(first).unwrap_or(0);
    let label = move || match count() {
        0 => "Notifications".to_string(),
        1 => "Notifications: 1 unread".to_string(),
        n => format!("Notifications: {n} unread"),
    };
    view! {
        <a href="/notifications" class="relative rounded-md p-2 text-slate-700 hover:bg-slate-100" aria-label=label title=label data-testid="notification-bell">
            <crate::ui::icon::Icon name=Some("bell".to_string()) class="h-5 w-5" />
            {move || (count() > 0).then(|| {
                let n = count();
                view! {
                    <span data-testid="unread-count" class="absolute -right-0.5 -top-0.5 min-w-[1.25rem] rounded-full bg-red-700 px-1 text-center text-xs font-semibold leading-5 text-white">
                        {if n > 99 { "99+".to_string() } else { n.to_string() }}
                    </span>
                }
            })}
        </a>
    }
}

/// In the browser: follows `/api/v1/notifications/stream` with the session and sets the
/// count from each `unread` event. The browser reconnects by itself (resuming after the
/// last event); the stream closes with the page.
fn live_count(unread: RwSignal<Option<i64>>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{closure::Closure, JsCast};
        Effect::new(move |_| {
            let Ok(source) = web_sys::EventSource::new("/api/v1/notifications/stream") else {
                return;
            };
            let on_unread =
                Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                    let count = e.data().as_string().and_then(|d| {
                        serde_json::from_str::<crate::domain::notification::Unread>(&d).ok()
                    });
                    if let Some(count) = count {
                        unread.set(Some(count.unread));
                    }
                });
            let _ = source
                .add_event_listener_with_callback("unread", on_unread.as_ref().unchecked_ref());
            on_unread.forget();
            // Only this page's thread touches it: the wrapper lets the cleanup hold it.
            let source = leptos::__reexports::send_wrapper::SendWrapper::new(source);
            on_cleanup(move || source.close());
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = unread;
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let query = use_query_map();
    let read_one = ServerAction::<MarkNotificationRead>::new();
    let read_all = ServerAction::<MarkAllNotificationsRead>::new();
    let save = ServerAction::<SaveNotificationPreferences>::new();
    let items = crate::ui::resource(
        move || {
            (
                query.read().get("page").and_then(|p| p.parse::<i64>().ok()),
                read_one.version().get(),
                read_all.version().get(),
            )
        },
        |(page, _, _)| list_notifications(page),
    );
    let preferences =
        crate::ui::resource(move || save.version().get(), |_| notification_preferences());
    let saved = move || save.value().with(|v| matches!(v, Some(Ok(()))));
    let save_error = move || {
        save.value().with(|v| match v {
            Some(Err(e)) => Some(e.user_message()),
            _ => None,
        })
    };
    view! {
        <Title text="Notifications" />
        <div class="flex flex-wrap items-end justify-between gap-3">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">"Notifications"</h1>
                <p class="mt-1 text-sm text-slate-500">"What happened in this tenant that concerns you."</p>
            </div>
            <PostForm action=read_all input=|| MarkAllNotificationsRead {}>
                <button type="submit" class=BUTTON data-testid="mark-all-read">"Mark all read"</button>
            </PostForm>
        </div>
        <Transition fallback=|| view! { <p class="mt-4 text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(page) => Either::Left(view! { <Inbox page read_one /> }),
                    Err(e) => Either::Right(view! { <p role="alert" class="mt-4 text-sm text-red-700">{e.user_message()}</p> }),
                }
            })}
        </Transition>
        <section class="mt-10 max-w-2xl" aria-labelledby="channels">
            <h2 id="channels" class="text-lg font-semibold">"How you hear of each"</h2>
            <p class="mt-1 text-sm text-slate-500">"In the app, in the app and by mail, or not at all. Your choice holds in every tenant."</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    preferences.await.ok().map(|list| view! {
                        // The choices are read from the form's fields as posted.
                        <ActionForm action=save attr:aria-label="Channels">
                            <Channels list />
                        </ActionForm>
                    })
                })}
            </Transition>
            {move || saved().then(|| view! { <p role="status" class="mt-2 text-sm text-emerald-800">"Saved."</p> })}
            {move || save_error().map(|m| view! { <p role="alert" class="mt-2 text-sm text-red-700">{m}</p> })}
        </section>
    }
}

/// A channel's select: one width for every kind, so the choices line up.
const CHANNEL: &str = "w-60 shrink-0 rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-amber-500 focus:outline-none focus:ring-2 focus:ring-amber-200";

#[component]
fn Channels(list: Vec<Preference>) -> impl IntoView {
    view! {
        <div class="mt-4 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
            {list.into_iter().map(|p| {
                let name = p.kind.as_str().to_ascii_lowercase();
                let id = format!("channel-{name}");
                let chosen = p.channel;
                let options = p.kind.channels().iter().map(move |&c| {
                    let label = match c {
                        Channel::App => "In the app",
                        Channel::Email => "In the app and by mail",
                        Channel::Off => "Off",
                    };
                    view! { <option value=c.as_str() selected=chosen == c>{label}</option> }
                }).collect_view();
                view! {
                    <div class="flex items-center justify-between gap-4 px-4 py-3">
                        <label for=id.clone() class="flex-1 text-sm text-slate-800">{p.label}</label>
                        <select id=id name=name class=CHANNEL>{options}</select>
                    </div>
                }
            }).collect_view()}
        </div>
        <button type="submit" class=format!("{BUTTON} mt-3") data-testid="save-channels">"Save"</button>
    }
}

#[component]
fn Inbox(page: Page<Notification>, read_one: ServerAction<MarkNotificationRead>) -> impl IntoView {
    let empty = page.items.is_empty();
    let (total, number, per_page) = (page.total, page.page, page.per_page);
    view! {
        <ul data-testid="notifications" class="mt-6 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
            {page.items.into_iter().map(|n| {
                let id = n.id;
                let unread = !n.read;
                view! {
                    <li class="flex items-start justify-between gap-4 px-4 py-3" data-unread=unread.then_some("true")>
                        <div class="min-w-0">
                            <p class=if unread { "font-semibold text-slate-900" } else { "text-slate-700" }>
                                {match n.link {
                                    Some(link) => Either::Left(view! { <a href=link class="hover:text-amber-800 hover:underline">{n.title}</a> }),
                                    None => Either::Right(view! { <span>{n.title}</span> }),
                                }}
                            </p>
                            {(!n.body.is_empty()).then(|| view! { <p class="mt-0.5 whitespace-pre-line text-sm text-slate-600">{n.body}</p> })}
                            <p class="mt-1 text-xs text-slate-600">{crate::ui::time::minute(&n.created_at)}</p>
                        </div>
                        {unread.then(|| view! {
                            <PostForm action=read_one input=move || MarkNotificationRead { id }>
                                <input type="hidden" name="id" value=id />
                                <button type="submit" class="whitespace-nowrap rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50">"Mark read"</button>
                            </PostForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {empty.then(|| view! { <p class="mt-4 text-sm text-slate-600">"Nothing yet. Assignments, comments on your tasks and changes to your role show here."</p> })}
        <crate::ui::pager::PageLinks base="/notifications" noun="notification" total page=number per_page search=None />
    }
}
