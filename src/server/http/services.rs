//! `/api/v1/core/services` (the registry, platform work) and `/api/v1/services` (what the
//! signed-in user's tenant can use). Bodies are the registry's commands
//! (`domain::service::command`), decoded with the JSON path of any error.

use axum::{extract::State, http::StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::{
    domain::{
        account::AccessibleService,
        error::AppError,
        id::{ServiceId, TenantId},
        paging::Page,
        service::{
            command::{AssignService, RegisterService, SaveEndpoint, UpdateService},
            view::{AssignmentView, EndpointView, ServiceDetail, ServiceView},
        },
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiQuery, ApiResult, Envelope, PathId, PathIds},
        services::{
            auth,
            registry::{self, AssignmentsOf, ServiceQuery},
        },
        state::AppState,
    },
};

pub async fn register(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(command): ApiJson<RegisterService>,
) -> Result<(StatusCode, Envelope<ServiceDetail>), AppError> {
    let service = registry::register(&state, &actor, command, &client).await?;
    Ok((StatusCode::CREATED, Envelope(service)))
}

/// `POST /api/v1/core/services/import`: `{"document": "<OpenAPI JSON or YAML>"}` answers a
/// registration draft to edit and register; nothing is stored.
pub async fn import(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<crate::domain::service::openapi::ImportOpenApi>,
) -> ApiResult<crate::domain::service::openapi::Preview> {
    Ok(Envelope(
        crate::server::services::openapi::preview(&state, &actor, body).await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ListParams {
    search: Option<String>,
    #[serde(rename = "type")]
    service_type: Option<String>,
    status: Option<String>,
    visibility: Option<String>,
    category: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ListParams>,
) -> ApiResult<Page<ServiceView>> {
    let query = query.map(|p| ServiceQuery {
        search: p.search,
        service_type: p.service_type,
        status: p.status,
        visibility: p.visibility,
        category: p.category,
        page: p.page,
        per_page: p.per_page,
    });
    Ok(Envelope(registry::list(&state, &actor, query).await?))
}

pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<ServiceDetail> {
    Ok(Envelope(registry::get(&state, &actor, id).await?))
}

pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId<ServiceId>,
    ApiJson(command): ApiJson<UpdateService>,
) -> ApiResult<ServiceDetail> {
    Ok(Envelope(
        registry::update(&state, &actor, id, command, &client).await?,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<Value> {
    registry::delete(&state, &actor, id, &client).await?;
    Ok(Envelope(json!({ "deleted": true })))
}

pub async fn endpoints(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<Vec<EndpointView>> {
    Ok(Envelope(registry::endpoints(&state, &actor, id).await?))
}

pub async fn calls(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<Vec<crate::domain::service::view::CallView>> {
    Ok(Envelope(registry::calls(&state, &actor, id).await?))
}

pub async fn health(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<crate::domain::service::health::HealthReport> {
    Ok(Envelope(registry::health(&state, &actor, id).await?))
}

pub async fn deliveries(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<Vec<crate::domain::service::view::DeliveryView>> {
    Ok(Envelope(registry::deliveries(&state, &actor, id).await?))
}

pub async fn create_endpoint(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId<ServiceId>,
    ApiJson(command): ApiJson<SaveEndpoint>,
) -> Result<(StatusCode, Envelope<EndpointView>), AppError> {
    let ids = id.map(|s| (s, None));
    let endpoint = registry::save_endpoint(&state, &actor, ids, command, &client).await?;
    Ok((StatusCode::CREATED, Envelope(endpoint)))
}

pub async fn update_endpoint(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathIds(ids): PathIds<ServiceId, Uuid>,
    ApiJson(command): ApiJson<SaveEndpoint>,
) -> ApiResult<EndpointView> {
    let ids = ids.map(|(s, e)| (s, Some(e)));
    Ok(Envelope(
        registry::save_endpoint(&state, &actor, ids, command, &client).await?,
    ))
}

pub async fn delete_endpoint(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathIds(ids): PathIds<ServiceId, Uuid>,
) -> ApiResult<Value> {
    registry::delete_endpoint(&state, &actor, ids, &client).await?;
    Ok(Envelope(json!({ "deleted": true })))
}

pub async fn service_tenants(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<Vec<AssignmentView>> {
    let of = id.map(AssignmentsOf::Service);
    Ok(Envelope(registry::assignments(&state, &actor, of).await?))
}

pub async fn tenant_services(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<TenantId>,
) -> ApiResult<Vec<AssignmentView>> {
    let of = id.map(AssignmentsOf::Tenant);
    Ok(Envelope(registry::assignments(&state, &actor, of).await?))
}

pub async fn assign(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathIds(ids): PathIds<ServiceId, TenantId>,
    ApiJson(command): ApiJson<AssignService>,
) -> ApiResult<AssignmentView> {
    Ok(Envelope(
        registry::assign(&state, &actor, ids, command, &client).await?,
    ))
}

pub async fn unassign(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathIds(ids): PathIds<ServiceId, TenantId>,
) -> ApiResult<Value> {
    registry::unassign(&state, &actor, ids, &client).await?;
    Ok(Envelope(json!({ "unassigned": true })))
}

/// `GET /api/v1/services`: what the signed-in user's current tenant can use.
pub async fn accessible(
    State(state): State<AppState>,
    actor: Actor,
) -> ApiResult<Vec<AccessibleService>> {
    Ok(Envelope(auth::accessible_services(&state, &actor).await?))
}
