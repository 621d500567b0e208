//! `/api/v1/account`: the caller's own profile and password.

use crate::domain::invitation::Invitation;
use crate::server::http::openapi::Success;
use axum::extract::State;
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::account::{ChangeDisplay, ChangePassword, DisplaySettings, Rename, SessionInfo};
use crate::server::{
    auth::actor::{Actor, ClientInfo},
    http::error::{ApiJson, ApiResult, Envelope, PathId},
    secret::Secret,
    services::account,
    state::AppState,
};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Updated {
    updated: bool,
}

/// Renames the caller's account.
#[utoipa::path(
    patch,
    path = "/account",
    tag = "account",
    operation_id = "updateProfile", request_body = Rename,
    responses((status = 200, description = "Success", body = Success<Updated>))
)]
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

/// Sets the caller's time zone and date format, which every page uses to show times.
#[utoipa::path(
    put,
    path = "/account/display",
    tag = "account",
    operation_id = "changeDisplay", request_body = ChangeDisplay,
    responses((status = 200, description = "Success", body = Success<DisplaySettings>))
)]
pub async fn change_display(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<ChangeDisplay>,
) -> ApiResult<DisplaySettings> {
    Ok(Envelope(
        account::change_display(&state, &actor, body?).await?,
    ))
}

/// The caller's live sessions (browsers and API clients) in every tenant, most recently used
/// first; `current` marks the one asking.
#[utoipa::path(
    get,
    path = "/account/sessions",
    tag = "account",
    operation_id = "listSessions",
    responses((status = 200, description = "Success", body = Success<Vec<SessionInfo>>))
)]
pub async fn sessions(State(state): State<AppState>, actor: Actor) -> ApiResult<Vec<SessionInfo>> {
    Ok(Envelope(account::sessions(&state, &actor).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionsEnded {
    ended: usize,
}

/// Ends one of the caller's sessions (another person's, or one already ended: 404). Ending the
/// asking one signs it out.
#[utoipa::path(
    delete,
    path = "/account/sessions/{id}",
    tag = "account",
    operation_id = "revokeSession",
    params(("id" = Uuid, Path, description = "The session's id")),
    responses((status = 200, description = "Success", body = Success<SessionsEnded>))
)]
pub async fn revoke_session(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<SessionsEnded> {
    let ended = account::revoke_sessions(&state, &actor, Some(id), &client).await?;
    Ok(Envelope(SessionsEnded { ended }))
}

/// Ends every session of the caller's but the asking one.
#[utoipa::path(
    post,
    path = "/account/sessions/revoke-others",
    tag = "account",
    operation_id = "revokeOtherSessions",
    responses((status = 200, description = "Success", body = Success<SessionsEnded>))
)]
pub async fn revoke_other_sessions(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
) -> ApiResult<SessionsEnded> {
    let ended = account::revoke_sessions(&state, &actor, None, &client).await?;
    Ok(Envelope(SessionsEnded { ended }))
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordChanged {
    other_sessions_ended: usize,
}

/// Changes the caller's password (the current one is required) and ends their other sessions.
#[utoipa::path(
    post,
    path = "/account/password",
    tag = "account",
    operation_id = "changePassword", request_body = ChangePassword,
    responses((status = 200, description = "Success", body = Success<PasswordChanged>), (status = 429, description = "Throttled"))
)]
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

/// The caller's pending invitations into other tenants.
#[utoipa::path(
    get,
    path = "/account/invitations",
    tag = "account",
    operation_id = "myInvitations",
    responses((status = 200, description = "Success", body = Success<Vec<Invitation>>))
)]
pub async fn invitations(
    State(state): State<AppState>,
    actor: Actor,
) -> ApiResult<Vec<crate::domain::invitation::Invitation>> {
    Ok(Envelope(
        crate::server::services::invitations::mine(&state, &actor).await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Accepted {
    accepted: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Declined {
    declined: bool,
}

/// Accepts an invitation: the caller gains the role in its tenant.
#[utoipa::path(
    post,
    path = "/account/invitations/{id}/accept",
    tag = "account",
    operation_id = "acceptInvitation",
    params(("id" = Uuid, Path, description = "The invitation's id")),
    responses((status = 200, description = "Success", body = Success<Accepted>))
)]
pub async fn accept_invitation(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<Accepted> {
    crate::server::services::invitations::respond(&state, &actor, id, true, &client).await?;
    Ok(Envelope(Accepted { accepted: true }))
}

/// Declines an invitation.
#[utoipa::path(
    post,
    path = "/account/invitations/{id}/decline",
    tag = "account",
    operation_id = "declineInvitation",
    params(("id" = Uuid, Path, description = "The invitation's id")),
    responses((status = 200, description = "Success", body = Success<Declined>))
)]
pub async fn decline_invitation(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<Declined> {
    crate::server::services::invitations::respond(&state, &actor, id, false, &client).await?;
    Ok(Envelope(Declined { declined: true }))
}

/// `/account*`: the caller's own account.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(update_profile))
        .routes(routes!(change_display))
        .routes(routes!(sessions))
        .routes(routes!(revoke_session))
        .routes(routes!(revoke_other_sessions))
        .routes(routes!(change_password))
        .routes(routes!(invitations))
        .routes(routes!(accept_invitation))
        .routes(routes!(decline_invitation))
}
