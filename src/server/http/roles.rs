//! `/api/v1/roles`: the current tenant's roles.

use crate::server::http::openapi::{Deleted, Success};
use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::{
        error::AppError,
        role::{AddRole, EditRole, RoleView},
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiResult, Envelope, PathId},
        services::roles,
        state::AppState,
    },
};

/// The current tenant's roles (`role:read`).
#[utoipa::path(
    get,
    path = "/roles",
    tag = "roles",
    operation_id = "listRoles",
    responses((status = 200, description = "Success", body = Success<Vec<RoleView>>))
)]
pub async fn list(State(state): State<AppState>, actor: Actor) -> ApiResult<Vec<RoleView>> {
    Ok(Envelope(roles::list(&state, &actor).await?))
}

/// Adds a custom role (`role:manage`).
#[utoipa::path(
    post,
    path = "/roles",
    tag = "roles",
    operation_id = "createRole", request_body = AddRole,
    responses((status = 201, description = "Created", body = Success<RoleView>))
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(command): ApiJson<AddRole>,
) -> Result<(StatusCode, Envelope<RoleView>), AppError> {
    let role = roles::create(&state, &actor, command, &client).await?;
    Ok((StatusCode::CREATED, Envelope(role)))
}

/// Changes a custom role's name, description or permissions (`role:manage`).
#[utoipa::path(
    patch,
    path = "/roles/{id}",
    tag = "roles",
    operation_id = "updateRole", request_body = EditRole,
    params(("id" = Uuid, Path, description = "The role's id")),
    responses((status = 200, description = "Success", body = Success<RoleView>))
)]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(command): ApiJson<EditRole>,
) -> ApiResult<RoleView> {
    let role = roles::update(&state, &actor, id, command, &client).await?;
    Ok(Envelope(role))
}

/// Deletes a custom role that nobody holds (`role:manage`).
#[utoipa::path(
    delete,
    path = "/roles/{id}",
    tag = "roles",
    operation_id = "deleteRole",
    params(("id" = Uuid, Path, description = "The role's id")),
    responses((status = 200, description = "Success", body = Success<Deleted>))
)]
pub async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<Deleted> {
    roles::delete(&state, &actor, id, &client).await?;
    Ok(Envelope(Deleted::YES))
}

/// `/roles*`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, delete))
}
