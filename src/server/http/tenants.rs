//! `/api/v1/core/tenants`: tenant administration for super admins.

use axum::extract::{Path, Query, State};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    domain::{
        error::AppError,
        tenant::{Page, TenantDetail},
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiResult, Envelope},
        services::tenants::{self, NewTenantInput, TenantPatch, TenantQuery},
        state::AppState,
    },
};

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ListParams {
    search: Option<String>,
    status: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    query: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Page<TenantDetail>> {
    let Query(p) = query.map_err(|e| AppError::validation("query", e.body_text()))?;
    let query = TenantQuery {
        search: p.search,
        status: p.status,
        page: p.page,
        per_page: p.per_page,
    };
    Ok(Envelope(tenants::list(&state, &actor, query).await?))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateBody {
    name: String,
    domain: String,
    subscription_tier: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<(axum::http::StatusCode, Envelope<TenantDetail>), AppError> {
    let input = NewTenantInput {
        name: body.name,
        domain: body.domain,
        subscription_tier: body.subscription_tier,
    };
    let created = tenants::create(&state, &actor, input, &client).await?;
    Ok((axum::http::StatusCode::CREATED, Envelope(created)))
}

/// A path id that is not a UUID cannot name a tenant: 404, like any unknown tenant.
fn tenant_id(raw: &str) -> Result<Uuid, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<TenantDetail> {
    Ok(Envelope(
        tenants::get(&state, &actor, tenant_id(&id)?).await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PatchBody {
    name: Option<String>,
    subscription_tier: Option<String>,
    status: Option<String>,
    settings: Option<serde_json::Value>,
}

pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PatchBody>,
) -> ApiResult<TenantDetail> {
    let patch = TenantPatch {
        name: body.name,
        subscription_tier: body.subscription_tier,
        status: body.status,
        settings: body.settings,
    };
    Ok(Envelope(
        tenants::update(&state, &actor, tenant_id(&id)?, patch, &client).await?,
    ))
}
