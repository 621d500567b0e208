//! `GET /api/v1/audit`.

use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    domain::{audit::AuditEntryView, error::AppError, tenant::Page},
    server::{
        auth::actor::Actor,
        http::error::{ApiResult, Envelope},
        services::audit::{self, AuditFilter},
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
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Page<AuditEntryView>> {
    let Query(p) = query.map_err(|e| AppError::validation("query", e.body_text()))?;
    let filter = AuditFilter {
        action: p.action.filter(|a| !a.is_empty()),
        outcome: p
            .outcome
            .filter(|o| !o.is_empty())
            .map(|o| o.to_uppercase()),
        actor_user_id: p.actor_user_id,
        since: p.since,
        until: p.until,
    };
    Ok(Envelope(
        audit::list(&state, &actor, filter, p.page, p.per_page).await?,
    ))
}
