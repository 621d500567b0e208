//! The caller of the few `/api/v1` routes that the app's own pages use with the browser
//! session (the gateway, the notification stream): a Bearer token when one is sent (the API's
//! way), otherwise the session cookie. The origin guard refuses such a cookie request from
//! another site before it gets here (`security::origin_guard`).

use axum::{
    extract::{FromRequestParts, OriginalUri},
    http::{header, request::Parts},
};
use tower_sessions::Session;

use crate::{
    domain::error::AppError,
    server::{
        auth::{actor::Actor, web_session},
        services::auth as auth_service,
        state::AppState,
    },
};

/// Paths under `/api/v1` that also take the browser session.
pub fn takes_session(path: &str) -> bool {
    path.starts_with("/api/v1/gateway/") || path == "/api/v1/notifications/stream"
}

pub async fn caller(parts: &mut Parts, state: &AppState) -> Result<Actor, AppError> {
    // Anywhere else the origin guard does not check cookie requests: no session there. (The
    // path as sent: inside `/api/v1` the router sees it without the prefix.)
    let path = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(parts.uri.path(), |u| u.path());
    if parts.headers.contains_key(header::AUTHORIZATION) || !takes_session(path) {
        return Actor::from_request_parts(parts, state).await;
    }
    let session = Session::from_request_parts(parts, state)
        .await
        .map_err(|_| AppError::Unauthenticated)?;
    let id = web_session::current(&session)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    auth_service::resolve_actor(state, id).await
}

/// `caller` as an extractor.
pub struct BearerOrSession(pub Actor);

impl FromRequestParts<AppState> for BearerOrSession {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        caller(parts, state).await.map(Self)
    }
}
