//! `/api/v1/auth/password-reset`, `/auth/link`, `/auth/email/confirm` and
//! `/api/v1/account/email`: one-time links by e-mail (invitations, resets, address changes).

use crate::server::http::openapi::Success;
use axum::{extract::State, http::StatusCode};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::account::{ChangeEmail, OpenLink, RequestReset, SetPassword};
use crate::{
    domain::{error::AppError, invitation::LinkView},
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiResult, Envelope},
        secret::Secret,
        services::account_links,
        state::AppState,
    },
};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Requested {
    requested: bool,
}

/// Sends a password-reset link to the address; the answer is the same whether or not an
/// account has it.
#[utoipa::path(
    post,
    path = "/auth/password-reset",
    tag = "auth",
    operation_id = "requestPasswordReset", request_body = RequestReset,
    security(()),
    responses((status = 202, description = "Accepted", body = Success<Requested>), (status = 429, description = "Throttled"))
)]
pub async fn request_reset(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<RequestReset>,
) -> Result<(StatusCode, Envelope<Requested>), AppError> {
    // Anyone may ask: only the address's owner can use what it sends.
    let body = body?;
    account_links::request_reset(&state, &body.email, &client).await?;
    Ok((
        StatusCode::ACCEPTED,
        Envelope(Requested { requested: true }),
    ))
}

/// What a link from an e-mail opens (its purpose, address and pending invitations), without
/// using it.
#[utoipa::path(
    post,
    path = "/auth/link",
    tag = "auth",
    operation_id = "inspectLink", request_body = OpenLink,
    security(()),
    responses((status = 200, description = "Success", body = Success<LinkView>), (status = 429, description = "Throttled"))
)]
pub async fn inspect(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<OpenLink>,
) -> ApiResult<LinkView> {
    // The link is the credential.
    let body = body?;
    Ok(Envelope(
        account_links::inspect(&state, &Secret::new(body.token)).await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordSet {
    password_set: bool,
    invitations_accepted: usize,
    sessions_ended: usize,
}

/// Sets the password from an invitation or reset link, accepting the invitations listed.
#[utoipa::path(
    post,
    path = "/auth/password-reset/confirm",
    tag = "auth",
    operation_id = "setPassword", request_body = SetPassword,
    security(()),
    responses((status = 200, description = "Success", body = Success<PasswordSet>), (status = 429, description = "Throttled"))
)]
pub async fn confirm_reset(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<SetPassword>,
) -> ApiResult<PasswordSet> {
    // The link is the credential: checked by the service before the new password.
    let body = body?;
    let done = account_links::set_password(
        &state,
        &Secret::new(body.token),
        &Secret::new(body.new_password),
        &body.accept_invitations,
        &client,
    )
    .await?;
    Ok(Envelope(PasswordSet {
        password_set: true,
        invitations_accepted: done.accepted,
        sessions_ended: done.sessions_ended,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EmailChanged {
    email: String,
}

/// Opens an address-change link: the account takes the new address.
#[utoipa::path(
    post,
    path = "/auth/email/confirm",
    tag = "auth",
    operation_id = "confirmEmailChange", request_body = OpenLink,
    security(()),
    responses((status = 200, description = "Success", body = Success<EmailChanged>), (status = 429, description = "Throttled"))
)]
pub async fn confirm_email(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<OpenLink>,
) -> ApiResult<EmailChanged> {
    let body = body?;
    let email =
        account_links::confirm_email_change(&state, &Secret::new(body.token), &client).await?;
    Ok(Envelope(EmailChanged { email }))
}

/// Sends a confirmation link to the new address; the address changes when it is opened.
#[utoipa::path(
    post,
    path = "/account/email",
    tag = "account",
    operation_id = "requestEmailChange", request_body = ChangeEmail,
    responses((status = 202, description = "Accepted", body = Success<Requested>), (status = 429, description = "Throttled"))
)]
pub async fn request_email_change(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(body): ApiJson<ChangeEmail>,
) -> Result<(StatusCode, Envelope<Requested>), AppError> {
    // Only authentication precedes these: anyone signed in may act on their own account.
    let body = body?;
    account_links::request_email_change(
        &state,
        &actor,
        &body.new_email,
        &Secret::new(body.current_password),
        &client,
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        Envelope(Requested { requested: true }),
    ))
}

/// One-time links: password resets and address changes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
        .routes(routes!(inspect))
        .routes(routes!(confirm_email))
        .routes(routes!(request_email_change))
}
