//! `/api/v1/users`: the members of the caller's current tenant.

use crate::server::http::openapi::Success;
use axum::{extract::State, http::StatusCode};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

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

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", default)]
pub struct ListParams {
    /// Part of a name or e-mail address.
    search: Option<String>,
    /// The page, from 1.
    page: Option<i64>,
    /// Items per page, from 1 to 100 (20 by default).
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

/// Members of the current tenant (`user:read`).
#[utoipa::path(
    get,
    path = "/users",
    tag = "users",
    operation_id = "listMembers",
    params(ListParams),
    responses((status = 200, description = "Success", body = Success<Page<Member>>))
)]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ListParams>,
) -> ApiResult<Page<Member>> {
    Ok(Envelope(
        members::list(&state, &actor, query.map(ListParams::into_query)).await?,
    ))
}

/// Invites someone by e-mail into the current tenant with a role (`user:manage`); they join
/// when they accept.
#[utoipa::path(
    post,
    path = "/users",
    tag = "users",
    operation_id = "inviteMember", request_body = Invite,
    responses((status = 202, description = "Accepted", body = Success<Invitation>))
)]
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

/// The current tenant's pending invitations (`user:read`).
#[utoipa::path(
    get,
    path = "/users/invitations",
    tag = "users",
    operation_id = "listInvitations",
    responses((status = 200, description = "Success", body = Success<Vec<Invitation>>))
)]
pub async fn invitations(
    State(state): State<AppState>,
    actor: Actor,
) -> ApiResult<Vec<Invitation>> {
    Ok(Envelope(
        invitations::pending_for_tenant(&state, &actor).await?,
    ))
}

/// `data` of a withdrawn invitation.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Revoked {
    revoked: bool,
}

/// `data` of a member's removal.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Removed {
    removed: bool,
}

/// Withdraws a pending invitation (`user:manage`).
#[utoipa::path(
    delete,
    path = "/users/invitations/{id}",
    tag = "users",
    operation_id = "revokeInvitation",
    params(("id" = Uuid, Path, description = "The invitation's id")),
    responses((status = 200, description = "Success", body = Success<Revoked>))
)]
pub async fn revoke_invitation(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<Revoked> {
    invitations::revoke(&state, &actor, id, &client).await?;
    Ok(Envelope(Revoked { revoked: true }))
}

/// One member of the current tenant (`user:read`).
#[utoipa::path(
    get,
    path = "/users/{id}",
    tag = "users",
    operation_id = "getMember",
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, description = "Success", body = Success<Member>))
)]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId,
) -> ApiResult<Member> {
    Ok(Envelope(members::get(&state, &actor, id).await?))
}

/// Changes a member's role, access expiry or name (`user:manage`).
#[utoipa::path(
    patch,
    path = "/users/{id}",
    tag = "users",
    operation_id = "updateMember", request_body = EditMember,
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, description = "Success", body = Success<Member>))
)]
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

/// Removes a member's access to the current tenant (`user:manage`).
#[utoipa::path(
    delete,
    path = "/users/{id}",
    tag = "users",
    operation_id = "removeMember",
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, description = "Success", body = Success<Removed>))
)]
pub async fn remove(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<Removed> {
    members::remove(&state, &actor, id, &client).await?;
    Ok(Envelope(Removed { removed: true }))
}

/// Suspends or reactivates an account on the whole platform (`user:manage` in the core tenant).
#[utoipa::path(
    patch,
    path = "/core/users/{id}",
    tag = "users",
    operation_id = "setAccountStatus", request_body = SetAccountStatus,
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, description = "Success", body = Success<Account>))
)]
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

/// Every account on the platform (`user:read` in the core tenant).
#[utoipa::path(
    get,
    path = "/core/users",
    tag = "users",
    operation_id = "listAccounts",
    params(ListParams),
    responses((status = 200, description = "Success", body = Success<Page<Account>>))
)]
pub async fn list_all(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ListParams>,
) -> ApiResult<Page<Account>> {
    Ok(Envelope(
        members::list_all(&state, &actor, query.map(ListParams::into_query)).await?,
    ))
}

/// `/users*` and `/core/users*`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(invitations))
        .routes(routes!(revoke_invitation))
        .routes(routes!(get, update, remove))
        .routes(routes!(list_all))
        .routes(routes!(set_account_status))
}
