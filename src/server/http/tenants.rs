//! `/api/v1/core/tenants`: tenant administration for super admins.

use crate::server::http::openapi::Success;
use axum::extract::State;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::{
        error::AppError,
        paging::Page,
        tenant::{AddTenant, EditOwnTenant, EditTenant, TenantDetail},
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiQuery, ApiResult, Envelope, PathId},
        services::tenants::{self, TenantQuery},
        state::AppState,
    },
};

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", default)]
pub struct ListParams {
    /// Part of a tenant's name or domain.
    search: Option<String>,
    /// `ACTIVE`, `INACTIVE` or `SUSPENDED`.
    status: Option<String>,
    /// The page, from 1.
    page: Option<i64>,
    /// Items per page, from 1 to 100 (20 by default).
    per_page: Option<i64>,
}

/// Every tenant (`tenant:read` in the core tenant).
#[utoipa::path(
    get,
    path = "/core/tenants",
    tag = "tenants",
    operation_id = "listTenants",
    params(ListParams),
    responses((status = 200, description = "Success", body = Success<Page<TenantDetail>>))
)]
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

/// Adds a business tenant (`tenant:create` in the core tenant).
#[utoipa::path(
    post,
    path = "/core/tenants",
    tag = "tenants",
    operation_id = "createTenant", request_body = AddTenant,
    responses((status = 201, description = "Created", body = Success<TenantDetail>))
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(command): ApiJson<AddTenant>,
) -> Result<(axum::http::StatusCode, Envelope<TenantDetail>), AppError> {
    let created = tenants::create(&state, &actor, command, &client).await?;
    Ok((axum::http::StatusCode::CREATED, Envelope(created)))
}

/// One tenant (`tenant:read` in the core tenant).
#[utoipa::path(
    get,
    path = "/core/tenants/{id}",
    tag = "tenants",
    operation_id = "getTenant",
    params(("id" = Uuid, Path, description = "The tenant's id")),
    responses((status = 200, description = "Success", body = Success<TenantDetail>))
)]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId,
) -> ApiResult<TenantDetail> {
    Ok(Envelope(tenants::get(&state, &actor, id).await?))
}

/// Changes a tenant's name, domain, tier, status, limits or settings (`tenant:update` in the core tenant).
#[utoipa::path(
    patch,
    path = "/core/tenants/{id}",
    tag = "tenants",
    operation_id = "updateTenant", request_body = EditTenant,
    params(("id" = Uuid, Path, description = "The tenant's id")),
    responses((status = 200, description = "Success", body = Success<TenantDetail>))
)]
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

/// The caller's current tenant (`tenant:read` there).
#[utoipa::path(
    get,
    path = "/tenant",
    tag = "tenants",
    operation_id = "getOwnTenant",
    responses((status = 200, description = "Success", body = Success<TenantDetail>))
)]
pub async fn own(State(state): State<AppState>, actor: Actor) -> ApiResult<TenantDetail> {
    Ok(Envelope(tenants::own(&state, &actor).await?))
}

/// Renames the caller's current tenant or replaces its settings (`tenant:update` there).
/// Domain, tier, user limit and status are the platform's: naming them is refused (422).
#[utoipa::path(
    patch,
    path = "/tenant",
    tag = "tenants",
    operation_id = "updateOwnTenant", request_body = EditOwnTenant,
    responses((status = 200, description = "Success", body = Success<TenantDetail>))
)]
pub async fn update_own(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(command): ApiJson<EditOwnTenant>,
) -> ApiResult<TenantDetail> {
    Ok(Envelope(
        tenants::update_own(&state, &actor, command, &client).await?,
    ))
}

/// `/core/tenants*` and `/tenant`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update))
        .routes(routes!(own, update_own))
}
