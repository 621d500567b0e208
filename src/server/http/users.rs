//! `/api/v1/users`: the members of the caller's current tenant.

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use uuid::Uuid;

use crate::{
    domain::{
        error::AppError,
        member::{Account, Member},
        tenant::Page,
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiResult, Envelope},
        secret::Secret,
        services::members::{self, MemberPatch, NewMember},
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

pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    query: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Page<Member>> {
    let Query(p) = query.map_err(|e| AppError::validation("query", e.body_text()))?;
    Ok(Envelope(
        members::list(&state, &actor, p.search, p.page, p.per_page).await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CreateBody {
    email: String,
    name: String,
    password: Option<String>,
    role: String,
    expires_at: Option<DateTime<Utc>>,
}

pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<(StatusCode, Envelope<Member>), AppError> {
    if body.role.trim().is_empty() {
        return Err(AppError::validation("role", "Role is required"));
    }
    let input = NewMember {
        email: body.email,
        name: body.name,
        password: body.password.map(Secret::new),
        role: body.role,
        expires_at: body.expires_at,
    };
    let created = members::add(&state, &actor, input, &client).await?;
    Ok((StatusCode::CREATED, Envelope(created)))
}

/// A path id that is not a UUID names nobody: 404.
fn user_id(raw: &str) -> Result<Uuid, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<Member> {
    Ok(Envelope(members::get(&state, &actor, user_id(&id)?).await?))
}

/// Tells "absent" (leave as is) from `null` (clear) for `expiresAt`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<DateTime<Utc>>>, D::Error> {
    Option::<DateTime<Utc>>::deserialize(d).map(Some)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PatchBody {
    name: Option<String>,
    role: Option<String>,
    #[serde(deserialize_with = "present")]
    expires_at: Option<Option<DateTime<Utc>>>,
    access_status: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PatchBody>,
) -> ApiResult<Member> {
    let patch = MemberPatch {
        name: body.name,
        role: body.role,
        expires_at: body.expires_at,
        access_status: body.access_status,
    };
    Ok(Envelope(
        members::update(&state, &actor, user_id(&id)?, patch, &client).await?,
    ))
}

pub async fn remove(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    Path(id): Path<String>,
) -> ApiResult<serde_json::Value> {
    members::remove(&state, &actor, user_id(&id)?, &client).await?;
    Ok(Envelope(serde_json::json!({ "removed": true })))
}

/// `GET /api/v1/core/users`: every account (super admins).
pub async fn list_all(
    State(state): State<AppState>,
    actor: Actor,
    query: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Page<Account>> {
    let Query(p) = query.map_err(|e| AppError::validation("query", e.body_text()))?;
    Ok(Envelope(
        members::list_all(&state, &actor, p.search, p.page, p.per_page).await?,
    ))
}
