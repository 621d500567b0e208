//! `/api/v1/account/two-factor`: the caller's second factor (an authenticator app and
//! recovery codes).

use axum::extract::State;
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::two_factor::{RecoveryCodes, TwoFactorCode, TwoFactorSetup, TwoFactorStatus};
use crate::server::{
    auth::actor::{Actor, ClientInfo},
    http::{
        error::{ApiJson, ApiResult, Envelope},
        openapi::Success,
    },
    services::auth::two_factor,
    state::AppState,
};

/// Whether the caller's second factor is on, how many recovery codes are left, and whether
/// a tenant they administer requires it.
#[utoipa::path(
    get,
    path = "/account/two-factor",
    tag = "account",
    operation_id = "twoFactorStatus",
    responses((status = 200, description = "Success", body = Success<TwoFactorStatus>))
)]
pub async fn status(State(state): State<AppState>, actor: Actor) -> ApiResult<TwoFactorStatus> {
    // Only authentication precedes these: anyone signed in may act on their own account.
    Ok(Envelope(two_factor::status(&state, &actor).await?))
}

/// Starts setting up an authenticator app: a new secret, its `otpauth://` link and QR code.
/// Nothing changes for sign-ins until `confirm` gets the app's first code.
#[utoipa::path(
    post,
    path = "/account/two-factor/setup",
    tag = "account",
    operation_id = "beginTwoFactorSetup",
    responses((status = 200, description = "Success", body = Success<TwoFactorSetup>), (status = 409, description = "Already on"))
)]
pub async fn begin(State(state): State<AppState>, actor: Actor) -> ApiResult<TwoFactorSetup> {
    Ok(Envelope(two_factor::begin(&state, &actor).await?))
}

/// Turns the second factor on with the app's first code; answers ten recovery codes, shown
/// this once.
#[utoipa::path(
    post,
    path = "/account/two-factor/confirm",
    tag = "account",
    operation_id = "confirmTwoFactor", request_body = TwoFactorCode,
    responses((status = 200, description = "Success", body = Success<RecoveryCodes>), (status = 429, description = "Throttled"))
)]
pub async fn confirm(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(body): ApiJson<TwoFactorCode>,
) -> ApiResult<RecoveryCodes> {
    Ok(Envelope(
        two_factor::confirm(&state, &actor, body, &client).await?,
    ))
}

/// Replaces the recovery codes (the old ones stop working), for a code from the app.
#[utoipa::path(
    post,
    path = "/account/two-factor/recovery-codes",
    tag = "account",
    operation_id = "renewRecoveryCodes", request_body = TwoFactorCode,
    responses((status = 200, description = "Success", body = Success<RecoveryCodes>), (status = 429, description = "Throttled"))
)]
pub async fn renew_codes(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(body): ApiJson<TwoFactorCode>,
) -> ApiResult<RecoveryCodes> {
    Ok(Envelope(
        two_factor::renew_recovery_codes(&state, &actor, body, &client).await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TurnedOff {
    enabled: bool,
}

/// Turns the second factor off, for a code from the app or a recovery code (refused while a
/// tenant the caller administers requires it).
#[utoipa::path(
    post,
    path = "/account/two-factor/disable",
    tag = "account",
    operation_id = "disableTwoFactor", request_body = TwoFactorCode,
    responses((status = 200, description = "Success", body = Success<TurnedOff>), (status = 409, description = "Required by the tenant"), (status = 429, description = "Throttled"))
)]
pub async fn disable(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(body): ApiJson<TwoFactorCode>,
) -> ApiResult<TurnedOff> {
    two_factor::turn_off(&state, &actor, body, &client).await?;
    Ok(Envelope(TurnedOff { enabled: false }))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(begin))
        .routes(routes!(confirm))
        .routes(routes!(renew_codes))
        .routes(routes!(disable))
}
