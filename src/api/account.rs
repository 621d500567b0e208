//! The signed-in user's own account.

use leptos::prelude::*;

use crate::domain::{error::AppError, invitation::Invitation, login::Password};

#[server(prefix = "/api", endpoint = "account_rename")]
pub async fn rename(name: String) -> Result<(), AppError> {
    use crate::{api::context, server::services::account};
    context::as_actor(async |state, actor| {
        account::rename(state, actor, &name, &context::client().await).await
    })
    .await
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
    context::as_actor(async |state, actor| {
        let (current, new) = (Secret::new(current_password.0), Secret::new(new_password.0));
        let ended =
            account::change_password(state, actor, &current, &new, &context::client().await)
                .await?;
        if context::from_html_form() {
            // Without JavaScript the browser is sent back to the page, which shows this.
            context::keep_once(&password_notice_key(actor), ended).await;
        }
        Ok(ended)
    })
    .await
}

/// Where a password change posted without JavaScript leaves its answer for the account page:
/// per user and tenant, so it never shows to another account of the same browser session.
#[cfg(feature = "ssr")]
fn password_notice_key(actor: &crate::server::auth::actor::Actor) -> String {
    format!("password_changed:{}:{}", actor.user_id, actor.tenant_id)
}

/// How many other sessions the last password change posted without JavaScript ended, once:
/// the account page it returns to confirms it (the hydrated form shows the action's answer).
#[server(prefix = "/api", endpoint = "account_password_notice")]
pub async fn take_password_notice() -> Result<Option<usize>, AppError> {
    use crate::api::context;
    context::as_actor(async |_, actor| context::take_once(&password_notice_key(actor)).await).await
}

/// The signed-in user's pending invitations into other tenants.
#[server(prefix = "/api", endpoint = "account_invitations")]
pub async fn my_invitations() -> Result<Vec<Invitation>, AppError> {
    use crate::{api::context, server::services::invitations};
    context::as_actor(async |state, actor| invitations::mine(state, actor).await).await
}

/// Accepts (`accept` = "true") or declines an invitation.
#[server(prefix = "/api", endpoint = "account_respond_invitation")]
pub async fn respond_invitation(id: String, accept: String) -> Result<(), AppError> {
    use crate::{api::context, server::services::invitations};
    context::as_actor(async |state, actor| {
        let id = id.parse().map_err(|_| AppError::NotFound);
        let accept = match accept.as_str() {
            "true" => true,
            "false" => false,
            _ => return Err(AppError::validation("accept", "Choose accept or decline")),
        };
        invitations::respond(state, actor, id, accept, &context::client().await).await
    })
    .await
}

/// Saves the person's time zone and date format; the page reloads to show every time in them.
#[server(prefix = "/api", endpoint = "account_display")]
pub async fn change_display(
    time_zone: String,
    date_format: String,
) -> Result<crate::domain::account::DisplaySettings, AppError> {
    use crate::{
        api::context,
        domain::account::{ChangeDisplay, DateFormat},
        server::services::account,
    };
    context::as_actor(async |state, actor| {
        let date_format = DateFormat::parse_field("dateFormat", &date_format)?;
        let change = ChangeDisplay {
            time_zone,
            date_format,
        };
        account::change_display(state, actor, change).await
    })
    .await
}

/// The time zone names a person may choose from.
#[server(prefix = "/api", endpoint = "time_zones")]
pub async fn time_zones() -> Result<Vec<String>, AppError> {
    Ok(chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name().to_string())
        .collect())
}

/// The person's live sessions, for the account page.
#[server(prefix = "/api", endpoint = "account_sessions")]
pub async fn my_sessions() -> Result<Vec<crate::domain::account::SessionInfo>, AppError> {
    use crate::{api::context, server::services::account};
    context::as_actor(async |state, actor| account::sessions(state, actor).await).await
}

/// Ends one of the person's sessions (`id`), or every other one (`id` empty).
#[server(prefix = "/api", endpoint = "account_sessions_revoke")]
pub async fn revoke_session(#[server(default)] id: String) -> Result<usize, AppError> {
    use crate::{api::context, server::services::account};
    context::as_actor(async |state, actor| {
        let id = (!id.trim().is_empty()).then(|| id.trim().parse().map_err(|_| AppError::NotFound));
        let here = matches!(&id, Some(Ok(id)) if *id == actor.session_id);
        let ended = account::revoke_sessions(state, actor, id, &context::client().await).await?;
        if here {
            // This browser's own session ended: it is signed out, as by "Sign out".
            let session = context::session().await?;
            crate::server::auth::web_session::sign_out(&session).await?;
            leptos_axum::redirect("/login");
        }
        Ok(ended)
    })
    .await
}
