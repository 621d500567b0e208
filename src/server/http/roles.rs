//! `/api/v1/roles`: the current tenant's roles.

use axum::{extract::State, http::StatusCode};
use serde::Deserialize;

use crate::{
    domain::{error::AppError, role::RoleView},
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiResult, Envelope, PathId},
        services::roles::{self, NewRole, RolePatch},
        state::AppState,
    },
};

pub async fn list(State(state): State<AppState>, actor: Actor) -> ApiResult<Vec<RoleView>> {
    Ok(Envelope(roles::list(&state, &actor).await?))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CreateBody {
    name: String,
    description: String,
    permissions: Vec<String>,
}

pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(b): ApiJson<CreateBody>,
) -> Result<(StatusCode, Envelope<RoleView>), AppError> {
    let input = b.map(|b| NewRole {
        name: b.name,
        description: b.description,
        permissions: b.permissions,
    });
    let role = roles::create(&state, &actor, input, &client).await?;
    Ok((StatusCode::CREATED, Envelope(role)))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PatchBody {
    description: Option<String>,
    permissions: Option<Vec<String>>,
}

pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(b): ApiJson<PatchBody>,
) -> ApiResult<RoleView> {
    let patch = b.map(|b| RolePatch {
        description: b.description,
        permissions: b.permissions,
    });
    let role = roles::update(&state, &actor, id, patch, &client).await?;
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
