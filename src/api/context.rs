//! What a server function needs from the request it runs in.

use axum::http::request::Parts;
use leptos::prelude::use_context;
use tower_sessions::Session;

use crate::{
    domain::error::AppError,
    server::{
        auth::{
            actor::{Actor, ClientInfo},
            web_session,
        },
        services::auth as auth_service,
        state::AppState,
    },
};

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "no session layer in front of the server function");
        AppError::Internal
    })
}

pub async fn client() -> ClientInfo {
    leptos_axum::extract::<Parts>()
        .await
        .map(|parts| ClientInfo::from_parts(&parts))
        .unwrap_or_default()
}

/// The signed-in user of this browser session, checked against the database on every call.
pub async fn actor(state: &AppState) -> Result<Actor, AppError> {
    let session = session().await?;
    let id = web_session::current(&session)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    auth_service::resolve_actor(state, id).await
}
