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

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    /// Entries of this tenant only; `None` for the platform-wide view. Row-level security
    /// enforces the same a second time.
    pub tenant_id: Option<Uuid>,
    pub action: Option<String>,
    pub outcome: Option<String>,
    pub actor_user_id: Option<Uuid>,
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    /// Leave out entries of platform staff (a tenant's view filtering by actor: the filter
    /// must not confirm who a hidden actor is).
    pub without_platform_staff: bool,
}

#[derive(Queryable)]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub tenant_id: Option<Uuid>,
    pub tenant_domain: Option<String>,
    pub actor_user_id: Option<Uuid>,
    pub actor_email: Option<String>,
    pub action: String,
    pub outcome: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub client_ip: Option<String>,
    pub details: serde_json::Value,
    /// The actor was platform staff when the entry was written.
    pub actor_platform: bool,
}

/// Newest first, filtered in SQL; row-level security also limits the rows to the scope.
pub async fn search(
    conn: &mut AsyncPgConnection,
    filter: &AuditFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<AuditRow>, i64)> {
    use super::schema::{tenants, users};
    let filtered = || {
        let mut q = audit_log::table
            .left_join(tenants::table.on(tenants::id.nullable().eq(audit_log::tenant_id)))
            .left_join(users::table.on(users::id.nullable().eq(audit_log::actor_user_id)))
            .into_boxed();
        if let Some(tenant) = filter.tenant_id {
            q = q.filter(audit_log::tenant_id.eq(tenant));
        }
        if let Some(action) = &filter.action {
            q = q.filter(audit_log::action.eq(action.clone()));
        }
        if let Some(outcome) = &filter.outcome {
            q = q.filter(audit_log::outcome.eq(outcome.clone()));
        }
        if let Some(actor) = filter.actor_user_id {
            q = q.filter(audit_log::actor_user_id.eq(actor));
        }
        if filter.without_platform_staff {
            q = q.filter(audit_log::actor_platform.eq(false));
        }
        if let Some(since) = filter.since {
            q = q.filter(audit_log::occurred_at.ge(since));
        }
        if let Some(until) = filter.until {
            q = q.filter(audit_log::occurred_at.lt(until));
        }
        q
    };
    let total = filtered().count().get_result(conn).await?;
    let rows = filtered()
        .order(audit_log::id.desc())
        .offset(offset)
        .limit(limit)
        .select((
            audit_log::id,
            audit_log::occurred_at,
            audit_log::tenant_id,
            tenants::domain.nullable(),
            audit_log::actor_user_id,
            users::email.nullable(),
            audit_log::action,
            audit_log::outcome,
            audit_log::target_type,
            audit_log::target_id,
            audit_log::client_ip,
            audit_log::details,
            audit_log::actor_platform,
        ))
        .load(conn)
        .await?;
    Ok((rows, total))
}
