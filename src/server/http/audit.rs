//! `GET /api/v1/audit`.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Deserialize;
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

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Params {
    action: Option<String>,
    outcome: Option<String>,
    actor_user_id: Option<Uuid>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    page: Option<i64>,
    per_page: Option<i64>,
}

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
