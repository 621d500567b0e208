//! `GET /api/v1/dashboard`.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::dashboard::DashboardView,
    server::{
        auth::actor::Actor,
        http::{
            error::{ApiResult, Envelope},
            openapi::Success,
        },
        services::dashboard,
        state::AppState,
    },
};

/// What needs the caller now in their current tenant: their services with health, open
/// tasks and newest notifications; the tenant's panels with `dashboard:view` (each also
/// with its page's permission); the platform's with platform authority.
#[utoipa::path(
    get,
    path = "/dashboard",
    tag = "dashboard",
    operation_id = "getDashboard",
    responses((status = 200, description = "Success", body = Success<DashboardView>))
)]
pub async fn get(State(state): State<AppState>, actor: Actor) -> ApiResult<DashboardView> {
    Ok(Envelope(dashboard::view(&state, &actor).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get))
}
