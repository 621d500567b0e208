//! The signed-in user's own account.

use leptos::prelude::*;

use crate::domain::{error::AppError, login::Password};

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
