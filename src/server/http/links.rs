//! `/api/v1/auth/password-reset`, `/auth/link`, `/auth/email/confirm` and
//! `/api/v1/account/email`: one-time links by e-mail (invitations, resets, address changes).

use axum::{extract::State, http::StatusCode};
use serde::Serialize;

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

#[derive(Serialize)]
pub struct Requested {
    requested: bool,
}

/// `POST /auth/password-reset`: 202 whether or not an account has the address.
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

/// `POST /auth/link`: what a link opens (its purpose, address and pending invitations),
/// without using it.
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordSet {
    password_set: bool,
    invitations_accepted: usize,
    sessions_ended: usize,
}

/// `POST /auth/password-reset/confirm`: sets the password from an invitation or reset link.
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

#[derive(Serialize)]
pub struct EmailChanged {
    email: String,
}

/// `POST /auth/email/confirm`: opens an address-change link.
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

/// `POST /account/email`: 202; the address changes when the link sent to it is opened.
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
