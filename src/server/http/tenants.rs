//! `/api/v1/core/tenants`: tenant administration for super admins.

use axum::extract::State;
use serde::Deserialize;

use crate::{
    domain::{
        error::AppError,
        paging::Page,
        tenant::{AddTenant, EditTenant, TenantDetail},
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiQuery, ApiResult, Envelope, PathId},
        services::tenants::{self, TenantQuery},
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

pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(command): ApiJson<AddTenant>,
) -> Result<(axum::http::StatusCode, Envelope<TenantDetail>), AppError> {
    let created = tenants::create(&state, &actor, command, &client).await?;
    Ok((axum::http::StatusCode::CREATED, Envelope(created)))
}

pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId,
) -> ApiResult<TenantDetail> {
    Ok(Envelope(tenants::get(&state, &actor, id).await?))
}

pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(command): ApiJson<EditTenant>,
) -> ApiResult<TenantDetail> {
    Ok(Envelope(
        tenants::update(&state, &actor, id, command, &client).await?,
    ))
}
