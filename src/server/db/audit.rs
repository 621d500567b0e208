//! Writes to the append-only `audit_log`. Never pass a secret in `details`.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::audit_log;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
}

#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub tenant_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    pub action: &'a str,
    pub outcome: Outcome,
    pub target_type: Option<&'a str>,
    pub target_id: Option<String>,
    pub client_ip: Option<&'a str>,
    pub details: serde_json::Value,
}

pub async fn record(conn: &mut AsyncPgConnection, entry: AuditEntry<'_>) -> QueryResult<()> {
    let outcome = match entry.outcome {
        Outcome::Success => "SUCCESS",
        Outcome::Failure => "FAILURE",
    };
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::tenant_id.eq(entry.tenant_id),
            audit_log::actor_user_id.eq(entry.actor_user_id),
            audit_log::action.eq(entry.action),
            audit_log::outcome.eq(outcome),
            audit_log::target_type.eq(entry.target_type),
            audit_log::target_id.eq(entry.target_id),
            audit_log::client_ip.eq(entry.client_ip),
            audit_log::details.eq(entry.details),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}
