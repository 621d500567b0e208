//! A menu item's own path, as its external service registered it (`/whatsapp/blast`), opens
//! the item's page (`/apps/{service}/{item}`) for a signed-in person whose tenant uses the
//! service. Asked by the page fallback for paths that are not Inti's own (`is_inti_path`), so
//! its pages and files never pay for it.

use axum::{
    http::{Method, Request},
    response::{IntoResponse, Redirect, Response},
};
use tower_sessions::Session;

use crate::domain::service::menu::is_inti_path;
use crate::server::{
    auth::web_session,
    services::{auth as auth_service, service_pages},
    state::AppState,
};

/// A browser's GET of a page Inti does not have: its session and the path, to `find`.
pub fn asked<B>(request: &Request<B>) -> Option<(Session, String)> {
    // Inti's own paths (its files under /pkg among them) never touch the session here.
    if request.method() != Method::GET || is_inti_path(request.uri().path()) {
        return None;
    }
    let session = request.extensions().get::<Session>()?.clone();
    Some((session, request.uri().path().to_string()))
}

/// Where to send the signed-in person of `session` who asked for `path`; `None` unless
/// `path` is one of their tenant's menu items' own paths.
pub async fn find(state: &AppState, session: Session, path: &str) -> Option<Response> {
    let id = web_session::current(&session).await.ok().flatten()?;
    let actor = auth_service::resolve_actor(state, id).await.ok()?;
    match service_pages::locate(state, &actor, path).await {
        Ok(Some(page)) => Some(Redirect::to(&page).into_response()),
        Ok(None) => None,
        Err(e) => {
            tracing::warn!(error = %e, "could not look for a menu item at an unknown path");
            None
        }
    }
}
