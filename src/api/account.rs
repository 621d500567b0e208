//! The signed-in user's own account.

use leptos::prelude::*;

use crate::domain::{error::AppError, invitation::Invitation, login::Password};

#[server(prefix = "/api", endpoint = "account_rename")]
pub async fn rename(name: String) -> Result<(), AppError> {
    use crate::{api::context, server::services::account};
    context::respond(
        async {
            let state = context::state()?;
            let actor = context::actor(&state).await?;
            account::rename(&state, &actor, &name, &context::client().await).await
        }
        .await,
    )
}

/// Answers how many other sessions ended.
#[server(prefix = "/api", endpoint = "account_password")]
pub async fn change_password(
    current_password: Password,
    new_password: Password,
) -> Result<usize, AppError> {
    use crate::{
        api::context,
        server::{secret::Secret, services::account},
    };
    context::respond(
        async {
            let state = context::state()?;
            let actor = context::actor(&state).await?;
            let (current, new) = (Secret::new(current_password.0), Secret::new(new_password.0));
            account::change_password(&state, &actor, &current, &new, &context::client().await).await
        }
        .await,
    )
}

/// The signed-in user's pending invitations into other tenants.
#[server(prefix = "/api", endpoint = "account_invitations")]
pub async fn my_invitations() -> Result<Vec<Invitation>, AppError> {
    use crate::{api::context, server::services::invitations};
    context::respond(
        async {
            let state = context::state()?;
            let actor = context::actor(&state).await?;
            invitations::mine(&state, &actor).await
        }
        .await,
    )
}

/// Accepts (`accept` = "true") or declines an invitation.
#[server(prefix = "/api", endpoint = "account_respond_invitation")]
pub async fn respond_invitation(id: String, accept: String) -> Result<(), AppError> {
    use crate::{api::context, server::services::invitations};
    context::respond(
        async {
            let state = context::state()?;
            let actor = context::actor(&state).await?;
            let id = id.parse().map_err(|_| AppError::NotFound);
            let accept = match accept.as_str() {
                "true" => true,
                "false" => false,
                _ => return Err(AppError::validation("accept", "Choose accept or decline")),
            };
            invitations::respond(&state, &actor, id, accept, &context::client().await).await
        }
        .await,
    )
}
