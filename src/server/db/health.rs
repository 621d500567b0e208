//! Queries of the health checks: who probes (an advisory lock), what to probe, each
//! service's counters, the probe history and the 24-hour availability.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Bool},
    upsert::excluded,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{service_health, service_health_checks, services};
use crate::domain::service::{
    health::{availability, CheckView, HealthView},
    ServiceStatus,
};

/// The advisory lock that lets one node probe at a time ("inti" "heal" as a number).
const PROBER_LOCK: i64 = 0x696e_7469_6865_616c;

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

/// Takes the prober's lock for this transaction; `false` when another node holds it.
pub async fn try_lock(conn: &mut AsyncPgConnection) -> QueryResult<bool> {
    let row: Locked = diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS locked")
        .bind::<BigInt, _>(PROBER_LOCK)
        .get_result(conn)
        .await?;
    Ok(row.locked)
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = Bool)]
    claimed: bool,
}

/// Claims the next round unless one started less than `gap` ago (the database's clock).
pub async fn claim_round(
    conn: &mut AsyncPgConnection,
    gap: std::time::Duration,
) -> QueryResult<bool> {
    let gap_ms = i64::try_from(gap.as_millis()).unwrap_or(i64::MAX);
    let rows: Vec<Claimed> = diesel::sql_query(
        "UPDATE health_rounds SET started_at = now() \
         WHERE id = 1 AND started_at <= now() - make_interval(secs => $1::float8 / 1000) \
         RETURNING true AS claimed",
    )
    .bind::<BigInt, _>(gap_ms)
    .load(conn)
    .await?;
    Ok(rows.iter().any(|r| r.claimed))
}

/// Which of `ids` are still registered.
pub async fn existing(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<Uuid>> {
    services::table
        .filter(services::id.eq_any(ids))
        .select(services::id)
        .load(conn)
        .await
}

/// A service to probe.
#[derive(Debug, Clone)]
pub struct Target {
    pub id: Uuid,
    pub name: String,
    pub url: String,
    pub base_url: Option<String>,
    pub auth_type: String,
    pub sealed_key: Option<Vec<u8>>,
}

/// Every service with a health URL that is not INACTIVE, with its sealed key (platform
/// work: the key is read through `services::sealed_keys`).
pub async fn targets(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Target>> {
    let rows: Vec<(Uuid, String, String, Option<String>, String)> = services::table
        .filter(services::health_check_url.is_not_null())
        .filter(services::status.ne(ServiceStatus::Inactive.as_str()))
        .order(services::name.asc())
        .select((
            services::id,
            services::name,
            services::health_check_url.assume_not_null(),
            services::base_url,
            services::auth_type,
        ))
        .load(conn)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
    let mut keys = super::services::sealed_keys(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, url, base_url, auth_type)| Target {
            sealed_key: keys.remove(&id),
            id,
            name,
            url,
            base_url,
            auth_type,
        })
        .collect())
}

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = service_health)]
pub struct HealthRow {
    pub service_id: Uuid,
    pub url: String,
    pub status: String,
    pub successes: i32,
    pub failures: i32,
    pub since: DateTime<Utc>,
    pub checked_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

pub async fn rows(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<HealthRow>> {
    service_health::table
        .filter(service_health::service_id.eq_any(ids))
        .select((
            service_health::service_id,
            service_health::url,
            service_health::status,
            service_health::successes,
            service_health::failures,
            service_health::since,
            service_health::checked_at,
            service_health::last_error,
        ))
        .load(conn)
        .await
}

pub async fn save(conn: &mut AsyncPgConnection, rows: &[HealthRow]) -> QueryResult<usize> {
    diesel::insert_into(service_health::table)
        .values(rows)
        .on_conflict(service_health::service_id)
        .do_update()
        .set((
            service_health::url.eq(excluded(service_health::url)),
            service_health::status.eq(excluded(service_health::status)),
            service_health::successes.eq(excluded(service_health::successes)),
            service_health::failures.eq(excluded(service_health::failures)),
            service_health::since.eq(excluded(service_health::since)),
            service_health::checked_at.eq(excluded(service_health::checked_at)),
            service_health::last_error.eq(excluded(service_health::last_error)),
        ))
        .execute(conn)
        .await
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = service_health_checks)]
pub struct NewCheck {
    pub service_id: Uuid,
    pub checked_at: DateTime<Utc>,
    pub ok: bool,
    pub status_code: Option<i16>,
    pub latency_ms: i32,
    pub error: Option<String>,
}

pub async fn insert_checks(
    conn: &mut AsyncPgConnection,
    checks: &[NewCheck],
) -> QueryResult<usize> {
    diesel::insert_into(service_health_checks::table)
        .values(checks)
        .execute(conn)
        .await
}

/// (service, status, since, checked at, last error)
type CurrentRow = (Uuid, String, DateTime<Utc>, DateTime<Utc>, Option<String>);
/// (checked at, ok, status code, latency, error)
type CheckRow = (DateTime<Utc>, bool, Option<i16>, i32, Option<String>);

/// The health of each service named that has been judged on its current health URL, with
/// its availability over the last 24 hours.
pub async fn views(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, HealthView>> {
    let current: Vec<CurrentRow> = service_health::table
        .inner_join(services::table)
        .filter(service_health::service_id.eq_any(ids))
        .filter(services::health_check_url.eq(service_health::url.nullable()))
        .select((
            service_health::service_id,
            service_health::status,
            service_health::since,
            service_health::checked_at,
            service_health::last_error,
        ))
        .load(conn)
        .await?;
    if current.is_empty() {
        return Ok(HashMap::new());
    }
    let judged: Vec<Uuid> = current.iter().map(|c| c.0).collect();
    let counts: Vec<(Uuid, i64, i64)> = service_health_checks::table
        .filter(service_health_checks::service_id.eq_any(&judged))
        .filter(service_health_checks::checked_at.gt(Utc::now() - Duration::hours(24)))
        .group_by(service_health_checks::service_id)
        .select((
            service_health_checks::service_id,
            diesel::dsl::sql::<BigInt>("count(*) FILTER (WHERE ok)"),
            diesel::dsl::count_star(),
        ))
        .load(conn)
        .await?;
    let counts: HashMap<Uuid, (i64, i64)> = counts
        .into_iter()
        .map(|(id, ok, n)| (id, (ok, n)))
        .collect();
    Ok(current
        .into_iter()
        .map(|(id, status, since, checked_at, last_error)| {
            let (ok, total) = counts.get(&id).copied().unwrap_or((0, 0));
            let view = HealthView {
                status,
                since,
                checked_at,
                last_error,
                availability_24h: availability(ok, total),
            };
            (id, view)
        })
        .collect())
}

/// The newest probes of a service, newest first.
pub async fn recent_checks(
    conn: &mut AsyncPgConnection,
    service_id: Uuid,
    limit: i64,
) -> QueryResult<Vec<CheckView>> {
    let rows: Vec<CheckRow> = service_health_checks::table
        .filter(service_health_checks::service_id.eq(service_id))
        .order((
            service_health_checks::checked_at.desc(),
            service_health_checks::id.desc(),
        ))
        .limit(limit)
        .select((
            service_health_checks::checked_at,
            service_health_checks::ok,
            service_health_checks::status_code,
            service_health_checks::latency_ms,
            service_health_checks::error,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(checked_at, ok, status_code, latency_ms, error)| CheckView {
                checked_at,
                ok,
                status_code,
                latency_ms,
                error,
            },
        )
        .collect())
}
