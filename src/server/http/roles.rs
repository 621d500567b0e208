//! `/api/v1/roles`: the current tenant's roles.

use axum::{extract::State, http::StatusCode};

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

pub async fn list(State(state): State<AppState>, actor: Actor) -> ApiResult<Vec<RoleView>> {
    Ok(Envelope(roles::list(&state, &actor).await?))
}

pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(command): ApiJson<AddRole>,
) -> Result<(StatusCode, Envelope<RoleView>), AppError> {
    let role = roles::create(&state, &actor, command, &client).await?;
    Ok((StatusCode::CREATED, Envelope(role)))
}

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

pub async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<serde_json::Value> {
    roles::delete(&state, &actor, id, &client).await?;
    Ok(Envelope(serde_json::json!({ "deleted": true })))
}
