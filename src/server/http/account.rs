//! `/api/v1/account`: the caller's own profile and password.

use axum::extract::State;
use serde::Serialize;

use crate::domain::account::{ChangePassword, Rename};
use crate::server::{
    auth::actor::{Actor, ClientInfo},
    http::error::{ApiJson, ApiResult, Envelope, PathId},
    secret::Secret,
    services::account,
    state::AppState,
};

#[derive(Serialize)]
pub struct Updated {
    updated: bool,
}

pub async fn update_profile(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(body): ApiJson<Rename>,
) -> ApiResult<Updated> {
    // Only authentication precedes these: anyone signed in may act on their own account.
    let body = body?;
    account::rename(&state, &actor, &body.name, &client).await?;
    Ok(Envelope(Updated { updated: true }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordChanged {
    other_sessions_ended: usize,
}

pub async fn change_password(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(body): ApiJson<ChangePassword>,
) -> ApiResult<PasswordChanged> {
    // Only authentication precedes these: anyone signed in may act on their own account.
    let body = body?;
    let ended = account::change_password(
        &state,
        &actor,
        &Secret::new(body.current_password),
        &Secret::new(body.new_password),
        &client,
    )
    .await?;
    Ok(Envelope(PasswordChanged {
        other_sessions_ended: ended,
    }))
}

/// `GET /api/v1/account/invitations`: the caller's pending invitations into other tenants.
pub async fn invitations(
    State(state): State<AppState>,
    actor: Actor,
) -> ApiResult<Vec<crate::domain::invitation::Invitation>> {
    Ok(Envelope(
        crate::server::services::invitations::mine(&state, &actor).await?,
    ))
}

/// `POST /api/v1/account/invitations/{id}/accept`.
pub async fn accept_invitation(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<serde_json::Value> {
    crate::server::services::invitations::respond(&state, &actor, id, true, &client).await?;
    Ok(Envelope(serde_json::json!({ "accepted": true })))
}

/// `POST /api/v1/account/invitations/{id}/decline`.
pub async fn decline_invitation(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<serde_json::Value> {
    crate::server::services::invitations::respond(&state, &actor, id, false, &client).await?;
    Ok(Envelope(serde_json::json!({ "declined": true })))
}
