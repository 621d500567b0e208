//! `/api/v1/core/tenants`: tenant administration for super admins.

use axum::extract::State;
use serde::Deserialize;

use crate::{
    domain::{error::AppError, paging::Page, tenant::TenantDetail},
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiQuery, ApiResult, Envelope, PathId},
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
    ApiQuery(query): ApiQuery<ListParams>,
) -> ApiResult<Page<TenantDetail>> {
    let query = query.map(|p| TenantQuery {
        search: p.search,
        status: p.status,
        page: p.page,
        per_page: p.per_page,
    });
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
    let input = body.map(|body| NewTenantInput {
        name: body.name,
        domain: body.domain,
        subscription_tier: body.subscription_tier,
    });
    let created = tenants::create(&state, &actor, input, &client).await?;
    Ok((axum::http::StatusCode::CREATED, Envelope(created)))
}

pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId,
) -> ApiResult<TenantDetail> {
    Ok(Envelope(tenants::get(&state, &actor, id).await?))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PatchBody {
    name: Option<String>,
    subscription_tier: Option<String>,
    max_users: Option<i32>,
    status: Option<String>,
    settings: Option<serde_json::Value>,
}

pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(body): ApiJson<PatchBody>,
) -> ApiResult<TenantDetail> {
    let patch = body.map(|body| TenantPatch {
        name: body.name,
        subscription_tier: body.subscription_tier,
        max_users: body.max_users,
        status: body.status,
        settings: body.settings,
    });
    Ok(Envelope(
        tenants::update(&state, &actor, id, patch, &client).await?,
    ))
}
