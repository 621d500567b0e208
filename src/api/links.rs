//! One-time links from e-mails, for the pages that open them (`/forgot-password`,
//! `/set-password`, `/verify-email`) and the account page's address change. The token travels
//! as a `Password`: never printed by `Debug`.

use leptos::prelude::*;

use crate::domain::{error::AppError, invitation::LinkView, login::Password};

/// Sends a reset link if an account has the address; the same answer either way.
#[server(prefix = "/api", endpoint = "password_reset_request")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::{api::context, server::services::account_links};
    context::respond(
        async {
            let state = context::state()?;
            account_links::request_reset(&state, &email, &context::client().await).await
        }
        .await,
    )
}

/// What a link opens, without using it.
#[server(prefix = "/api", endpoint = "link_inspect")]
pub async fn inspect_link(token: Password) -> Result<LinkView, AppError> {
    use crate::{
        api::context,
        server::{secret::Secret, services::account_links},
    };
    context::respond(
        async {
            let state = context::state()?;
            account_links::inspect(&state, &Secret::new(token.0)).await
        }
        .await,
    )
}

/// Sets the password from an invitation or reset link, accepting the invitations whose ids
/// are in `accept` (`accept[0]`, `accept[1]`, ... from the page's checkboxes). Answers how many
/// invitations were accepted.
#[server(prefix = "/api", endpoint = "link_set_password")]
pub async fn set_password_from_link(
    token: Password,
    new_password: Password,
    accept: Option<Vec<String>>,
) -> Result<usize, AppError> {
    use crate::{
        api::context,
        server::{secret::Secret, services::account_links},
    };
    context::respond(
        async {
            let state = context::state()?;
            // An id that is not one is simply not an invitation of this account.
            let accept: Vec<uuid::Uuid> = accept
                .unwrap_or_default()
                .iter()
                .filter_map(|id| id.parse().ok())
                .collect();
            let done = account_links::set_password(
                &state,
                &Secret::new(token.0),
                &Secret::new(new_password.0),
                &accept,
                &context::client().await,
            )
            .await?;
            Ok(done.accepted)
        }
        .await,
    )
}

/// Opens an address-change link; answers the new address.
#[server(prefix = "/api", endpoint = "link_confirm_email")]
pub async fn confirm_email(token: Password) -> Result<String, AppError> {
    use crate::{
        api::context,
        server::{secret::Secret, services::account_links},
    };
    context::respond(
        async {
            let state = context::state()?;
            account_links::confirm_email_change(
                &state,
                &Secret::new(token.0),
                &context::client().await,
            )
            .await
        }
        .await,
    )
}

/// Asks to change the signed-in user's address (a link goes to the new one).
#[server(prefix = "/api", endpoint = "account_email")]
pub async fn change_email(new_email: String, current_password: Password) -> Result<(), AppError> {
    use crate::{
        api::context,
        server::{secret::Secret, services::account_links},
    };
    context::as_actor(async |state, actor| {
        account_links::request_email_change(
            state,
            actor,
            &new_email,
            &Secret::new(current_password.0),
            &context::client().await,
        )
        .await
    })
    .await
}
