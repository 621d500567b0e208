//! `/api/v1/roles`: the current tenant's roles.

use axum::{
    extract::{Path, State},
    http::StatusCode,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    domain::{error::AppError, role::RoleView},
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiResult, Envelope},
        services::roles,
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
    let role = roles::create(
        &state,
        &actor,
        &b.name,
        &b.description,
        &b.permissions,
        &client,
    )
    .await?;
    Ok((StatusCode::CREATED, Envelope(role)))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PatchBody {
    description: Option<String>,
    permissions: Option<Vec<String>>,
}

fn role_id(raw: &str) -> Result<Uuid, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PatchBody>,
) -> ApiResult<RoleView> {
    let role = roles::update(
        &state,
        &actor,
        role_id(&id)?,
        b.description.as_deref(),
        b.permissions.as_deref(),
        &client,
    )
    .await?;
    Ok(Envelope(role))
}

pub async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    Path(id): Path<String>,
) -> ApiResult<serde_json::Value> {
    roles::delete(&state, &actor, role_id(&id)?, &client).await?;
    Ok(Envelope(serde_json::json!({ "deleted": true })))
}
