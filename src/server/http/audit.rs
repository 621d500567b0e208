//! `GET /api/v1/audit`.

use crate::server::http::openapi::Success;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    domain::{audit::AuditEntryView, paging::Page},
    server::{
        auth::actor::Actor,
        http::error::{ApiQuery, ApiResult, Envelope},
        services::audit::{self, AuditFilter, AuditQuery},
        state::AppState,
    },
};

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", default)]
pub struct Params {
    /// An action, such as `USER_INVITED`.
    action: Option<String>,
    /// `SUCCESS` or `FAILURE`.
    outcome: Option<String>,
    /// Only what this user did.
    actor_user_id: Option<Uuid>,
    /// From this time on (RFC 3339).
    since: Option<DateTime<Utc>>,
    /// Until this time (RFC 3339).
    until: Option<DateTime<Utc>>,
    /// The page, from 1.
    page: Option<i64>,
    /// Items per page, from 1 to 100 (20 by default).
    per_page: Option<i64>,
}

/// The current tenant's audit log, newest first (`audit:read`).
#[utoipa::path(
    get,
    path = "/audit",
    tag = "audit",
    operation_id = "listAuditEntries",
    params(Params),
    responses((status = 200, description = "Success", body = Success<Page<AuditEntryView>>))
)]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<Params>,
) -> ApiResult<Page<AuditEntryView>> {
    let query = query.map(|p| AuditQuery {
        filter: AuditFilter {
            tenant_id: None,
            action: p.action.filter(|a| !a.is_empty()),
            outcome: p
                .outcome
                .filter(|o| !o.is_empty())
                .map(|o| o.to_uppercase()),
            actor_user_id: p.actor_user_id,
            since: p.since,
            until: p.until,
            without_platform_staff: false,
        },
        page: p.page,
        per_page: p.per_page,
    });
    Ok(Envelope(audit::list(&state, &actor, query).await?))
}

/// `/audit`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}
