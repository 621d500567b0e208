//! Recording and reading audit events. A failure to audit is logged but does not fail the user's request
//! for read-like events (failed logins); changes record inside their own transaction.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

pub use crate::server::db::audit::AuditFilter;
use crate::{
    domain::{
        audit::AuditEntryView,
        error::AppError,
        tenant::{paging, Page},
    },
    server::{
        auth::actor::ClientInfo,
        db::{
            audit::{self, AuditEntry, Outcome},
            scope::{set_scope, Scope},
        },
    },
};

pub struct Event<'a> {
    pub action: &'a str,
    pub outcome: Outcome,
    pub tenant_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    pub target: Option<(&'a str, String)>,
    pub details: serde_json::Value,
}

pub async fn record(
    conn: &mut AsyncPgConnection,
    client: &ClientInfo,
    event: Event<'_>,
) -> diesel::QueryResult<()> {
    let (target_type, target_id) = match event.target {
        Some((kind, id)) => (Some(kind), Some(id)),
        None => (None, None),
    };
    audit::record(
        conn,
        AuditEntry {
            tenant_id: event.tenant_id,
            actor_user_id: event.actor_user_id,
            action: event.action,
            outcome: event.outcome,
            target_type,
            target_id,
            client_ip: client.ip.as_deref(),
            details: event.details,
        },
    )
    .await
}

/// Best effort, for events that must not turn a response into an error.
pub async fn record_best_effort(
    conn: &mut AsyncPgConnection,
    client: &ClientInfo,
    event: Event<'_>,
) {
    let action = event.action.to_string();
    if let Err(e) = record(conn, client, event).await {
        tracing::error!(error = %e, action, "writing the audit log failed");
    }
}

/// The audit viewer: super admins see every entry, tenant admins (`audit:read`) their tenant's.
pub async fn list(
    state: &crate::server::state::AppState,
    actor: &crate::server::auth::actor::Actor,
    filter: AuditFilter,
    page: Option<i64>,
    per_page: Option<i64>,
) -> Result<Page<AuditEntryView>, AppError> {
    actor.require("audit:read")?;
    if let Some(outcome) = &filter.outcome {
        if outcome != "SUCCESS" && outcome != "FAILURE" {
            return Err(AppError::validation("outcome", "Choose SUCCESS or FAILURE"));
        }
    }
    if let (Some(since), Some(until)) = (filter.since, filter.until) {
        if since >= until {
            return Err(AppError::validation("until", "until must be after since"));
        }
    }
    let (page, per_page) = paging(page, per_page);
    let scope = if actor.is_super_admin {
        Scope::platform()
    } else {
        actor.scope()
    };
    let mut conn = state.db.get().await?;
    let (rows, total) = conn
        .transaction::<_, AppError, _>(async |c| {
            set_scope(c, scope).await?;
            Ok(audit::search(c, &filter, (page - 1) * per_page, per_page).await?)
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|r| AuditEntryView {
            id: r.id,
            occurred_at: r.occurred_at,
            tenant_id: r.tenant_id,
            tenant_domain: r.tenant_domain,
            actor_user_id: r.actor_user_id,
            actor_email: r.actor_email,
            action: r.action,
            outcome: r.outcome,
            target_type: r.target_type,
            target_id: r.target_id,
            client_ip: r.client_ip,
            details: r.details,
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}
