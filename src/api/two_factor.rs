//! The second factor in the browser: the account page's authenticator and recovery codes, and
//! the login page's code step (the challenge waits in this browser's cookie session).

use leptos::prelude::*;

use crate::domain::{
    error::AppError,
    two_factor::{TwoFactorSetup, TwoFactorStatus},
};

/// The account's second factor, for the account page.
#[server(prefix = "/api", endpoint = "two_factor_status")]
pub async fn my_two_factor() -> Result<TwoFactorStatus, AppError> {
    use crate::{api::context, server::services::auth::two_factor};
    context::as_actor(async |state, actor| two_factor::status(state, actor).await).await
}

/// Starts setting up an authenticator app (a new secret and its QR code).
#[server(prefix = "/api", endpoint = "two_factor_begin")]
pub async fn begin_two_factor() -> Result<TwoFactorSetup, AppError> {
    use crate::{api::context, server::services::auth::two_factor};
    context::as_actor(async |state, actor| two_factor::begin(state, actor).await).await
}

/// What a code changes on the account page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CodeAction {
    /// Turn it on with the app's first code.
    Confirm,
    /// New recovery codes.
    RenewCodes,
    /// Turn it off.
    Disable,
}

/// Confirms, renews the recovery codes or turns off, for a code; answers the new recovery
/// codes (empty when turned off).
#[server(prefix = "/api", endpoint = "two_factor_code")]
pub async fn change_two_factor(action: CodeAction, code: String) -> Result<Vec<String>, AppError> {
    use crate::{
        api::context, domain::two_factor::TwoFactorCode, server::services::auth::two_factor,
    };
    context::as_actor(async |state, actor| {
        let client = context::client().await;
        let body = Ok(TwoFactorCode { code });
        Ok(match action {
            CodeAction::Confirm => {
                two_factor::confirm(state, actor, body, &client)
                    .await?
                    .recovery_codes
            }
            CodeAction::RenewCodes => {
                two_factor::renew_recovery_codes(state, actor, body, &client)
                    .await?
                    .recovery_codes
            }
            CodeAction::Disable => {
                two_factor::turn_off(state, actor, body, &client).await?;
                Vec::new()
            }
        })
    })
    .await
}

/// A login waiting for its second factor: the authenticator to set up first, when the tenant
/// requires one the account does not have yet. (A struct, not a nested `Option`: JSON would
/// answer `null` for both "no login waiting" and "no setup".)
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct PendingLogin {
    pub setup: Option<TwoFactorSetup>,
}

/// The login waiting for its second factor in this browser: `None` when there is none (or it
/// ended).
#[server(prefix = "/api", endpoint = "login_step")]
pub async fn login_step() -> Result<Option<PendingLogin>, AppError> {
    use crate::{
        api::context,
        server::{auth::web_session, services::auth},
    };
    context::respond(
        async {
            let state = context::state()?;
            let session = context::session().await?;
            let Some(token) = web_session::held_challenge(&session).await? else {
                return Ok(None);
            };
            match auth::challenge_setup(&state, &token).await {
                Ok(setup) => Ok(Some(PendingLogin { setup })),
                Err(AppError::SignInExpired) => Ok(None),
                Err(e) => Err(e),
            }
        }
        .await,
    )
}

/// The login's second step: the code for the challenge this browser holds. Signs the browser
/// in; answers the recovery codes of an authenticator set up on the way (shown once, then the
/// page goes on), else goes to the start page.
#[server(prefix = "/api", endpoint = "login_verify")]
pub async fn verify_code(code: String) -> Result<Vec<String>, AppError> {
    use crate::{
        api::context,
        domain::two_factor::VerifyLogin,
        server::{auth::web_session, services::auth},
    };
    context::respond(
        async {
            let state = context::state()?;
            let session = context::session().await?;
            let client = context::client().await;
            let challenge_token = web_session::held_challenge(&session)
                .await?
                .ok_or(AppError::SignInExpired)?;
            let body = Ok(VerifyLogin {
                challenge_token,
                code,
            });
            let verified = auth::verify(&state, body, &client).await?;
            web_session::sign_in(&session, verified.logged_in.session.id).await?;
            let codes = verified
                .recovery_codes
                .map(|c| c.recovery_codes)
                .unwrap_or_default();
            if codes.is_empty() {
                leptos_axum::redirect("/");
            }
            Ok(codes)
        }
        .await,
    )
}
