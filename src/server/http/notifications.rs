//! `/api/v1/notifications`: the caller's inbox in the current tenant, their channels per
//! kind, and a live stream of what arrives (server-sent events).

use std::{collections::VecDeque, convert::Infallible, sync::Arc, time::Duration};

use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use futures_util::Stream;
use serde::Deserialize;
use tokio::sync::broadcast;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::{
        error::AppError,
        notification::{Notification, Preference, Unread, UpdatePreferences},
        paging::Page,
    },
    server::{
        auth::actor::Actor,
        http::{
            caller::BearerOrSession,
            error::{ApiJson, ApiQuery, ApiResult, Envelope},
            openapi::Success,
        },
        notification_hub::{inbox_key, woken, StreamSlot, RECHECK},
        services::{
            auth as auth_service,
            notifications::{self, InboxQuery},
        },
        state::AppState,
    },
};

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", default)]
pub struct Params {
    /// Only those not read yet.
    unread: Option<bool>,
    /// The page, from 1.
    page: Option<i64>,
    /// Items per page, from 1 to 100 (20 by default).
    per_page: Option<i64>,
}

/// The caller's notifications in the current tenant, newest first.
#[utoipa::path(
    get,
    path = "/notifications",
    tag = "notifications",
    operation_id = "listNotifications",
    params(Params),
    responses((status = 200, description = "Success", body = Success<Page<Notification>>))
)]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<Params>,
) -> ApiResult<Page<Notification>> {
    let query = query.map(|p| InboxQuery {
        unread_only: p.unread.unwrap_or(false),
        page: p.page,
        per_page: p.per_page,
    });
    Ok(Envelope(notifications::list(&state, &actor, query).await?))
}

/// How many of the caller's notifications in the current tenant are unread.
#[utoipa::path(
    get,
    path = "/notifications/unread",
    tag = "notifications",
    operation_id = "countUnreadNotifications",
    responses((status = 200, description = "Success", body = Success<Unread>))
)]
pub async fn unread(State(state): State<AppState>, actor: Actor) -> ApiResult<Unread> {
    Ok(Envelope(notifications::unread(&state, &actor).await?))
}

/// Marks one of the caller's notifications read.
#[utoipa::path(
    post,
    path = "/notifications/{id}/read",
    tag = "notifications",
    operation_id = "markNotificationRead",
    params(("id" = i64, Path, description = "The notification's id")),
    responses((status = 200, description = "Success", body = Success<Notification>))
)]
pub async fn mark_read(
    State(state): State<AppState>,
    actor: Actor,
    id: Option<Path<String>>,
) -> ApiResult<Notification> {
    // Not a number: no such notification.
    let id = id
        .and_then(|Path(raw)| raw.parse::<i64>().ok())
        .ok_or(AppError::NotFound);
    Ok(Envelope(
        notifications::mark_read(&state, &actor, id).await?,
    ))
}

/// Marks every notification of the caller in the current tenant read.
#[utoipa::path(
    post,
    path = "/notifications/read-all",
    tag = "notifications",
    operation_id = "markAllNotificationsRead",
    responses((status = 200, description = "Success", body = Success<Unread>))
)]
pub async fn mark_all_read(State(state): State<AppState>, actor: Actor) -> ApiResult<Unread> {
    Ok(Envelope(
        notifications::mark_all_read(&state, &actor).await?,
    ))
}

/// Each kind of notification with the caller's channel for it.
#[utoipa::path(
    get,
    path = "/notifications/preferences",
    tag = "notifications",
    operation_id = "getNotificationPreferences",
    responses((status = 200, description = "Success", body = Success<Vec<Preference>>))
)]
pub async fn preferences(
    State(state): State<AppState>,
    actor: Actor,
) -> ApiResult<Vec<Preference>> {
    Ok(Envelope(notifications::preferences(&state, &actor).await?))
}

/// Changes the caller's channel for the kinds named (`APP`, `EMAIL` or `OFF`).
#[utoipa::path(
    put,
    path = "/notifications/preferences",
    tag = "notifications",
    operation_id = "setNotificationPreferences",
    request_body = UpdatePreferences,
    responses((status = 200, description = "Success", body = Success<Vec<Preference>>))
)]
pub async fn set_preferences(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(command): ApiJson<UpdatePreferences>,
) -> ApiResult<Vec<Preference>> {
    Ok(Envelope(
        notifications::set_preferences(&state, &actor, command).await?,
    ))
}

/// Heartbeat comments keep proxies and browsers from closing an idle stream.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How long a browser waits before reconnecting a stream that ended.
const RETRY: Duration = Duration::from_secs(3);

/// A live stream of the caller's notifications in the current tenant (server-sent events;
/// the browser's pages use their session instead of a token). Events: `unread` (`{"unread":
/// n}`) first and whenever the count changes, and `notification` (a notification, its id as
/// the event id) for each one stored after the stream opened, or after `Last-Event-ID` when
/// reconnecting (what was missed is sent first). Comments every 15 s keep it open. It ends
/// when the session does, and when the node stops (reconnect: nothing is lost).
#[utoipa::path(
    get,
    path = "/notifications/stream",
    tag = "notifications",
    operation_id = "streamNotifications",
    params(("Last-Event-ID" = Option<i64>, Header, description = "The id of the last notification received: those after it are sent first")),
    responses(
        (status = 200, description = "An event stream", content_type = "text/event-stream", body = String),
        (status = 429, description = "Too many streams of this person are open on this node")
    )
)]
pub async fn stream(
    State(state): State<AppState>,
    BearerOrSession(actor): BearerOrSession,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let slot = state.notifications.open(actor.user_id)?;
    // Listening before reading where to start: nothing stored in between goes unheard.
    let wake = state.notifications.subscribe();
    let resumed = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|id| *id >= 0);
    let last = match resumed {
        Some(id) => id,
        None => notifications::newest(&state, &actor).await?,
    };
    let feed = Feed {
        key: inbox_key(actor.tenant_id, actor.user_id),
        state,
        actor,
        last,
        more: false,
        unread: None,
        queue: VecDeque::new(),
        wake,
        first: true,
        _slot: slot,
    };
    Ok(Sse::new(events(feed))
        .keep_alive(KeepAlive::new().interval(HEARTBEAT))
        .into_response())
}

/// One stream's place in the inbox.
struct Feed {
    state: AppState,
    actor: Actor,
    key: String,
    /// The id of the last notification sent.
    last: i64,
    /// The last read filled a batch: read again without waiting.
    more: bool,
    /// The unread count last sent.
    unread: Option<i64>,
    queue: VecDeque<Event>,
    wake: broadcast::Receiver<Arc<str>>,
    first: bool,
    _slot: StreamSlot,
}

fn events(feed: Feed) -> impl Stream<Item = Result<Event, Infallible>> {
    futures_util::stream::unfold(feed, |mut feed| async move {
        loop {
            if let Some(event) = feed.queue.pop_front() {
                return Some((Ok(event), feed));
            }
            if !feed.first && !feed.more {
                tokio::select! {
                    _ = feed.state.lifecycle.stopping() => return None,
                    _ = woken(&mut feed.wake, &feed.key) => {}
                    _ = tokio::time::sleep(RECHECK) => {}
                }
            }
            if feed.state.lifecycle.stop_requested() {
                return None;
            }
            // A session that ended (sign-out, suspension, access removed) ends its stream.
            match auth_service::resolve_actor(&feed.state, feed.actor.session_id).await {
                Ok(now)
                    if now.user_id == feed.actor.user_id
                        && now.tenant_id == feed.actor.tenant_id =>
                {
                    feed.actor = now
                }
                _ => return None,
            }
            let Ok((items, unread)) =
                notifications::since(&feed.state, &feed.actor, feed.last).await
            else {
                return None;
            };
            feed.more = items.len() as i64 == notifications::BATCH;
            for item in items {
                feed.last = item.id;
                if let Ok(event) = Event::default()
                    .event("notification")
                    .id(item.id.to_string())
                    .json_data(&item)
                {
                    feed.queue.push_back(event);
                }
            }
            if feed.unread != Some(unread) {
                feed.unread = Some(unread);
                if let Ok(mut event) = Event::default()
                    .event("unread")
                    .json_data(Unread { unread })
                {
                    if feed.first {
                        // Where a reconnect resumes, even if no notification came before it.
                        event = event.retry(RETRY).id(feed.last.to_string());
                    }
                    feed.queue.push_back(event);
                }
            }
            feed.first = false;
        }
    })
}

/// `/notifications`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(unread))
        .routes(routes!(mark_read))
        .routes(routes!(mark_all_read))
        .routes(routes!(preferences, set_preferences))
        .routes(routes!(stream))
}
