//! Recording audit events. A failure to audit is logged but does not fail the user's request
//! for read-like events (failed logins); changes record inside their own transaction.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::server::{
    auth::actor::ClientInfo,
    db::audit::{self, AuditEntry, Outcome},
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
