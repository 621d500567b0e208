//! `/api/v1/core/services` (the registry, platform work) and `/api/v1/services` (what the
//! signed-in user's tenant can use). Bodies are the registry's commands
//! (`domain::service::command`), decoded with the JSON path of any error.

use crate::domain::service::{
    health::HealthReport,
    openapi::Preview,
    view::{CallView, DeliveryView, TenantService},
};
use crate::server::http::openapi::{Deleted, Success};
use axum::{extract::State, http::StatusCode};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
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

/// Registers an internal or external service with its endpoints, form schema and menu schema
/// (`service:register` in the core tenant).
#[utoipa::path(
    post,
    path = "/core/services/register",
    tag = "services",
    operation_id = "registerService", request_body = RegisterService,
    responses((status = 201, description = "Created", body = Success<ServiceDetail>))
)]
pub async fn register(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(command): ApiJson<RegisterService>,
) -> Result<(StatusCode, Envelope<ServiceDetail>), AppError> {
    let service = registry::register(&state, &actor, command, &client).await?;
    Ok((StatusCode::CREATED, Envelope(service)))
}

/// Reads an OpenAPI document (JSON or YAML) into a registration draft to edit and register;
/// nothing is stored (`service:register` in the core tenant).
#[utoipa::path(
    post,
    path = "/core/services/import",
    tag = "services",
    operation_id = "importOpenApi", request_body = crate::domain::service::openapi::ImportOpenApi,
    responses((status = 200, description = "Success", body = Success<Preview>))
)]
pub async fn import(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<crate::domain::service::openapi::ImportOpenApi>,
) -> ApiResult<crate::domain::service::openapi::Preview> {
    Ok(Envelope(
        crate::server::services::openapi::preview(&state, &actor, body).await?,
    ))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", default)]
pub struct ListParams {
    /// Part of a service's name, display name or description.
    search: Option<String>,
    /// `INTERNAL` or `EXTERNAL`.
    #[serde(rename = "type")]
    service_type: Option<String>,
    /// `ACTIVE`, `INACTIVE` or `MAINTENANCE`.
    status: Option<String>,
    /// `PUBLIC`, `PRIVATE` or `RESTRICTED`.
    visibility: Option<String>,
    /// A category, as registered.
    category: Option<String>,
    /// The page, from 1.
    page: Option<i64>,
    /// Items per page, from 1 to 100 (20 by default).
    per_page: Option<i64>,
}

/// The service registry (`service:read` in the core tenant).
#[utoipa::path(
    get,
    path = "/core/services",
    tag = "services",
    operation_id = "listServices",
    params(ListParams),
    responses((status = 200, description = "Success", body = Success<Page<ServiceView>>))
)]
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

/// One service with its endpoints and schemas (`service:read` in the core tenant).
#[utoipa::path(
    get,
    path = "/core/services/{id}",
    tag = "services",
    operation_id = "getService",
    params(("id" = Uuid, Path, description = "The service's id")),
    responses((status = 200, description = "Success", body = Success<ServiceDetail>))
)]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<ServiceDetail> {
    Ok(Envelope(registry::get(&state, &actor, id).await?))
}

/// Changes what the body names; absent keys stay as they are (`service:update` in the core tenant).
#[utoipa::path(
    patch,
    path = "/core/services/{id}",
    tag = "services",
    operation_id = "updateService", request_body = UpdateService,
    params(("id" = Uuid, Path, description = "The service's id")),
    responses((status = 200, description = "Success", body = Success<ServiceDetail>))
)]
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

/// Deletes a service and its assignments (`service:delete` in the core tenant).
#[utoipa::path(
    delete,
    path = "/core/services/{id}",
    tag = "services",
    operation_id = "deleteService",
    params(("id" = Uuid, Path, description = "The service's id")),
    responses((status = 200, description = "Success", body = Success<Deleted>))
)]
pub async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<Deleted> {
    registry::delete(&state, &actor, id, &client).await?;
    Ok(Envelope(Deleted::YES))
}

/// A service's endpoints (`service:read` in the core tenant).
#[utoipa::path(
    get,
    path = "/core/services/{id}/endpoints",
    tag = "services",
    operation_id = "listEndpoints",
    params(("id" = Uuid, Path, description = "The service's id")),
    responses((status = 200, description = "Success", body = Success<Vec<EndpointView>>))
)]
pub async fn endpoints(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<Vec<EndpointView>> {
    Ok(Envelope(registry::endpoints(&state, &actor, id).await?))
}

/// The latest gateway calls to a service (`service:read` in the core tenant).
#[utoipa::path(
    get,
    path = "/core/services/{id}/calls",
    tag = "services",
    operation_id = "listCalls",
    params(("id" = Uuid, Path, description = "The service's id")),
    responses((status = 200, description = "Success", body = Success<Vec<CallView>>))
)]
pub async fn calls(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<Vec<crate::domain::service::view::CallView>> {
    Ok(Envelope(registry::calls(&state, &actor, id).await?))
}

/// A service's health and its latest checks (`service:read` in the core tenant).
#[utoipa::path(
    get,
    path = "/core/services/{id}/health",
    tag = "services",
    operation_id = "getServiceHealth",
    params(("id" = Uuid, Path, description = "The service's id")),
    responses((status = 200, description = "Success", body = Success<HealthReport>))
)]
pub async fn health(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<crate::domain::service::health::HealthReport> {
    Ok(Envelope(registry::health(&state, &actor, id).await?))
}

/// The latest webhook deliveries from a service (`service:read` in the core tenant).
#[utoipa::path(
    get,
    path = "/core/services/{id}/webhooks",
    tag = "services",
    operation_id = "listWebhookDeliveries",
    params(("id" = Uuid, Path, description = "The service's id")),
    responses((status = 200, description = "Success", body = Success<Vec<DeliveryView>>))
)]
pub async fn deliveries(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<Vec<crate::domain::service::view::DeliveryView>> {
    Ok(Envelope(registry::deliveries(&state, &actor, id).await?))
}

/// Adds an endpoint to a service (`service:update` in the core tenant).
#[utoipa::path(
    post,
    path = "/core/services/{id}/endpoints",
    tag = "services",
    operation_id = "createEndpoint", request_body = SaveEndpoint,
    params(("id" = Uuid, Path, description = "The service's id")),
    responses((status = 201, description = "Created", body = Success<EndpointView>))
)]
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

/// Changes an endpoint (`service:update` in the core tenant).
#[utoipa::path(
    patch,
    path = "/core/services/{id}/endpoints/{endpoint_id}",
    tag = "services",
    operation_id = "updateEndpoint", request_body = SaveEndpoint,
    params(("id" = Uuid, Path, description = "The service's id"), ("endpoint_id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 200, description = "Success", body = Success<EndpointView>))
)]
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

/// Deletes an endpoint (`service:update` in the core tenant).
#[utoipa::path(
    delete,
    path = "/core/services/{id}/endpoints/{endpoint_id}",
    tag = "services",
    operation_id = "deleteEndpoint",
    params(("id" = Uuid, Path, description = "The service's id"), ("endpoint_id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 200, description = "Success", body = Success<Deleted>))
)]
pub async fn delete_endpoint(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathIds(ids): PathIds<ServiceId, Uuid>,
) -> ApiResult<Deleted> {
    registry::delete_endpoint(&state, &actor, ids, &client).await?;
    Ok(Envelope(Deleted::YES))
}

/// The tenants a service is assigned to (`service:read` in the core tenant).
#[utoipa::path(
    get,
    path = "/core/services/{id}/tenants",
    tag = "services",
    operation_id = "listServiceTenants",
    params(("id" = Uuid, Path, description = "The service's id")),
    responses((status = 200, description = "Success", body = Success<Vec<AssignmentView>>))
)]
pub async fn service_tenants(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<ServiceId>,
) -> ApiResult<Vec<AssignmentView>> {
    let of = id.map(AssignmentsOf::Service);
    Ok(Envelope(registry::assignments(&state, &actor, of).await?))
}

/// The services assigned to a tenant (`service:read` in the core tenant).
#[utoipa::path(
    get,
    path = "/core/tenants/{id}/services",
    tag = "services",
    operation_id = "listTenantServices",
    params(("id" = Uuid, Path, description = "The tenant's id")),
    responses((status = 200, description = "Success", body = Success<Vec<AssignmentView>>))
)]
pub async fn tenant_services(
    State(state): State<AppState>,
    actor: Actor,
    PathId(id): PathId<TenantId>,
) -> ApiResult<Vec<AssignmentView>> {
    let of = id.map(AssignmentsOf::Tenant);
    Ok(Envelope(registry::assignments(&state, &actor, of).await?))
}

/// Assigns a service to a tenant, or changes the assignment (`service:assign` in the core tenant).
#[utoipa::path(
    put,
    path = "/core/services/{id}/tenants/{tenant_id}",
    tag = "services",
    operation_id = "assignService", request_body = AssignService,
    params(("id" = Uuid, Path, description = "The service's id"), ("tenant_id" = Uuid, Path, description = "The tenant's id")),
    responses((status = 200, description = "Success", body = Success<AssignmentView>))
)]
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

/// `data` of an unassignment.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Unassigned {
    unassigned: bool,
}

/// Takes a service away from a tenant (`service:assign` in the core tenant).
#[utoipa::path(
    delete,
    path = "/core/services/{id}/tenants/{tenant_id}",
    tag = "services",
    operation_id = "unassignService",
    params(("id" = Uuid, Path, description = "The service's id"), ("tenant_id" = Uuid, Path, description = "The tenant's id")),
    responses((status = 200, description = "Success", body = Success<Unassigned>))
)]
pub async fn unassign(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    PathIds(ids): PathIds<ServiceId, TenantId>,
) -> ApiResult<Unassigned> {
    registry::unassign(&state, &actor, ids, &client).await?;
    Ok(Envelope(Unassigned { unassigned: true }))
}

/// The services the caller may use in the current tenant, with the endpoints they may call.
#[utoipa::path(
    get,
    path = "/services",
    tag = "services",
    operation_id = "listAccessibleServices",
    responses((status = 200, description = "Success", body = Success<Vec<AccessibleService>>))
)]
pub async fn accessible(
    State(state): State<AppState>,
    actor: Actor,
) -> ApiResult<Vec<AccessibleService>> {
    Ok(Envelope(auth::accessible_services(&state, &actor).await?))
}

/// The current tenant's services (`service:read`), with the tenant's settings for each to
/// those who manage the tenant (`tenant:update`; password fields masked): its Services page.
#[utoipa::path(
    get,
    path = "/tenant/services",
    tag = "services",
    operation_id = "listOwnTenantServices",
    responses((status = 200, description = "Success", body = Success<Vec<TenantService>>))
)]
pub async fn own_services(
    State(state): State<AppState>,
    actor: Actor,
) -> ApiResult<Vec<TenantService>> {
    Ok(Envelope(registry::tenant_services(&state, &actor).await?))
}

/// `/core/services*`, `/core/tenants/{id}/services`, `/services` and `/tenant/services`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(own_services))
        .routes(routes!(tenant_services))
        .routes(routes!(list))
        .routes(routes!(register))
        .routes(routes!(import))
        .routes(routes!(get, update, delete))
        .routes(routes!(endpoints, create_endpoint))
        .routes(routes!(update_endpoint, delete_endpoint))
        .routes(routes!(calls))
        .routes(routes!(deliveries))
        .routes(routes!(health))
        .routes(routes!(service_tenants))
        .routes(routes!(assign, unassign))
        .routes(routes!(accessible))
}
