//! `/api/v1/users`: the members of the caller's current tenant.

use axum::{extract::State, http::StatusCode};
use serde::Deserialize;

use crate::{
    domain::{
        error::AppError,
        invitation::Invitation,
        member::{Account, EditMember, Invite, Member, SetAccountStatus},
        paging::Page,
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiQuery, ApiResult, Envelope, PathId},
        services::{
            invitations,
            members::{self, ListQuery},
        },
        state::AppState,
    },
};

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ListParams {
    search: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

impl ListParams {
    fn into_query(self) -> ListQuery {
        ListQuery {
            search: self.search,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ListParams>,
) -> ApiResult<Page<Member>> {
    Ok(Envelope(
        members::list(&state, &actor, query.map(ListParams::into_query)).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(command): ApiJson<Invite>,
) -> Result<(StatusCode, Envelope<Invitation>), AppError> {
    let invited = invitations::invite(&state, &actor, command, &client).await?;
    // Accepted, not created: the member joins when the invitation's owner accepts it.
    Ok((StatusCode::ACCEPTED, Envelope(invited)))
}

/// `GET /api/v1/users/invitations`: the tenant's pending invitations.
pub async fn invitations(
    State(state): State<AppState>,
    actor: Actor,
) -> ApiResult<Vec<Invitation>> {
    Ok(Envelope(
        invitations::pending_for_tenant(&state, &actor).await?,
    ))
}

/// `DELETE /api/v1/users/invitations/{id}`: withdraws one.
pub async fn revoke_invitation(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<serde_json::Value> {
    invitations::revoke(&state, &actor, id, &client).await?;
    Ok(Envelope(serde_json::json!({ "revoked": true })))
}

pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId,
) -> ApiResult<Member> {
    Ok(Envelope(members::get(&state, &actor, id).await?))
}

pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(command): ApiJson<EditMember>,
) -> ApiResult<Member> {
    Ok(Envelope(
        members::update(&state, &actor, id, command, &client).await?,
    ))
}

pub async fn remove(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<serde_json::Value> {
    members::remove(&state, &actor, id, &client).await?;
    Ok(Envelope(serde_json::json!({ "removed": true })))
}

/// `PATCH /api/v1/core/users/{id}`: an account's status on the whole platform.
pub async fn set_account_status(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(body): ApiJson<SetAccountStatus>,
) -> ApiResult<Account> {
    Ok(Envelope(
        members::set_account_status(&state, &actor, id, body.map(|b| b.status), &client).await?,
    ))
}

/// `GET /api/v1/core/users`: every account (super admins).
pub async fn list_all(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ListParams>,
) -> ApiResult<Page<Account>> {
    Ok(Envelope(
        members::list_all(&state, &actor, query.map(ListParams::into_query)).await?,
    ))
}
