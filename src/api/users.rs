//! Member management for the browser (`user:read` / `user:manage` in the current tenant).

use leptos::prelude::*;

use crate::domain::{error::AppError, invitation::Invitation, member::Member, paging::Page};

#[server(prefix = "/api", endpoint = "users_list")]
pub async fn list_members(
    search: Option<String>,
    page: Option<i64>,
) -> Result<Page<Member>, AppError> {
    use crate::{api::context, server::services::members};
    context::as_actor(async |state, actor| {
        let query = members::ListQuery {
            search,
            page,
            per_page: None,
        };
        members::list(state, actor, Ok(query)).await
    })
    .await
}

/// `expires_at` comes from a `datetime-local` input and is read as UTC; empty means never.
#[server(prefix = "/api", endpoint = "users_add")]
pub async fn add_member(
    email: String,
    name: String,
    role: String,
    expires_at: String,
) -> Result<Invitation, AppError> {
    use crate::{api::context, server::services::invitations};
    context::as_actor(async |state, actor| {
        let input = parse_local_utc(&expires_at).map(|expires_at| crate::domain::member::Invite {
            email,
            name,
            role,
            expires_at,
        });
        invitations::invite(state, actor, input, &context::client().await).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "users_set_access")]
pub async fn set_member_access(id: String, access_status: String) -> Result<Member, AppError> {
    use crate::{api::context, server::services::members};
    context::as_actor(async |state, actor| {
        let id = id.parse().map_err(|_| AppError::NotFound);
        let patch = crate::domain::member::EditMember {
            access_status: Some(access_status),
            ..Default::default()
        };
        members::update(state, actor, id, Ok(patch), &context::client().await).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "users_remove")]
pub async fn remove_member(id: String) -> Result<(), AppError> {
    use crate::{api::context, server::services::members};
    context::as_actor(async |state, actor| {
        let id = id.parse().map_err(|_| AppError::NotFound);
        members::remove(state, actor, id, &context::client().await).await
    })
    .await
}

/// The tenant's pending invitations.
#[server(prefix = "/api", endpoint = "users_invitations")]
pub async fn pending_invitations() -> Result<Vec<Invitation>, AppError> {
    use crate::{api::context, server::services::invitations};
    context::as_actor(async |state, actor| invitations::pending_for_tenant(state, actor).await)
        .await
}

#[server(prefix = "/api", endpoint = "users_revoke_invitation")]
pub async fn revoke_invitation(id: String) -> Result<(), AppError> {
    use crate::{api::context, server::services::invitations};
    context::as_actor(async |state, actor| {
        let id = id.parse().map_err(|_| AppError::NotFound);
        invitations::revoke(state, actor, id, &context::client().await).await
    })
    .await
}

#[cfg(feature = "ssr")]
fn parse_local_utc(raw: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(raw, f).ok())
        .map(|t| Some(t.and_utc()))
        .ok_or_else(|| {
            AppError::validation("expiresAt", "Enter a date and time like 2026-12-31T17:00")
        })
}

/// Every account on the platform, searched by address or name (super admins).
#[server(prefix = "/api", endpoint = "accounts_list")]
pub async fn list_accounts(
    search: Option<String>,
    page: Option<i64>,
) -> Result<Page<crate::domain::member::Account>, AppError> {
    use crate::{api::context, server::services::members};
    context::as_actor(async |state, actor| {
        let query = members::ListQuery {
            search,
            page,
            per_page: None,
        };
        members::list_all(state, actor, Ok(query)).await
    })
    .await
}

/// Suspends, reactivates or deactivates an account on the whole platform (super admins).
#[server(prefix = "/api", endpoint = "accounts_set_status")]
pub async fn set_account_status(
    id: String,
    status: String,
) -> Result<crate::domain::member::Account, AppError> {
    use crate::{api::context, server::services::members};
    context::as_actor(async |state, actor| {
        let id = id.parse().map_err(|_| AppError::NotFound);
        members::set_account_status(state, actor, id, Ok(status), &context::client().await).await
    })
    .await
}
