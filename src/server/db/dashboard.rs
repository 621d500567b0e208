//! The dashboard's counts and short lists, each one query; row-level security bounds them
//! to the caller's scope (the platform's figures run as platform work).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::sql_types::{BigInt, Date, Text, Timestamptz, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::dashboard::Count;

#[derive(QueryableByName)]
pub struct DueRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Date)]
    pub due_date: NaiveDate,
    #[diesel(sql_type = Text)]
    pub status: String,
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Tasks assigned to `user` in `tenant`, to do or in progress: how many, and those overdue
/// or due within 7 days of `today` (at most 10, soonest first). Today is the caller's (UTC),
/// not the database session's.
pub async fn due_tasks(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    today: NaiveDate,
) -> diesel::QueryResult<(i64, Vec<DueRow>)> {
    const OPEN: &str = "tenant_id = $1 AND assignee_id = $2 AND status IN ('TODO', 'IN_PROGRESS')";
    let open: Total = diesel::sql_query(format!("SELECT count(*) AS n FROM tasks WHERE {OPEN}"))
        .bind::<SqlUuid, _>(tenant)
        .bind::<SqlUuid, _>(user)
        .get_result(conn)
        .await?;
    let due = diesel::sql_query(format!(
        "SELECT id, title, due_date, status FROM tasks WHERE {OPEN} \
           AND due_date IS NOT NULL AND due_date <= $3 + 7 \
         ORDER BY due_date, id LIMIT 10"
    ))
    .bind::<SqlUuid, _>(tenant)
    .bind::<SqlUuid, _>(user)
    .bind::<Date, _>(today)
    .load(conn)
    .await?;
    Ok((open.n, due))
}

#[derive(QueryableByName)]
pub struct EndingRow {
    #[diesel(sql_type = SqlUuid)]
    pub user_id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub email: String,
    #[diesel(sql_type = Timestamptz)]
    pub expires_at: DateTime<Utc>,
}

/// Members of `tenant` whose access ends within 7 days, soonest first (at most 20).
pub async fn access_ending(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
) -> diesel::QueryResult<Vec<EndingRow>> {
    diesel::sql_query(
        "SELECT a.user_id, u.name::text AS name, u.email::text AS email, a.expires_at \
         FROM user_tenant_access a JOIN users u ON u.id = a.user_id AND u.status = 'ACTIVE' \
         WHERE a.tenant_id = $1 AND a.status = 'ACTIVE' \
           AND a.expires_at > now() AND a.expires_at <= now() + interval '7 days' \
         ORDER BY a.expires_at, a.user_id LIMIT 20",
    )
    .bind::<SqlUuid, _>(tenant)
    .load(conn)
    .await
}

#[derive(QueryableByName)]
pub struct CallsRow {
    #[diesel(sql_type = SqlUuid)]
    pub service_id: Uuid,
    #[diesel(sql_type = BigInt)]
    pub calls: i64,
    #[diesel(sql_type = BigInt)]
    pub errors: i64,
}

/// `tenant`'s gateway calls of the last 24 hours per service, and those answered 5xx.
pub async fn calls_per_service(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
) -> diesel::QueryResult<Vec<CallsRow>> {
    diesel::sql_query(
        "SELECT service_id, count(*) AS calls, count(*) FILTER (WHERE status >= 500) AS errors \
         FROM gateway_calls WHERE tenant_id = $1 AND created_at > now() - interval '24 hours' \
         GROUP BY service_id",
    )
    .bind::<SqlUuid, _>(tenant)
    .load(conn)
    .await
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

async fn counts(conn: &mut AsyncPgConnection, sql: &str) -> diesel::QueryResult<Vec<Count>> {
    let rows: Vec<CountRow> = diesel::sql_query(sql).load(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| Count {
            key: r.key,
            count: r.count,
        })
        .collect())
}

/// Platform work: tenants per status.
pub async fn tenants_by_status(conn: &mut AsyncPgConnection) -> diesel::QueryResult<Vec<Count>> {
    counts(
        conn,
        "SELECT status AS key, count(*) AS count FROM tenants GROUP BY status ORDER BY status",
    )
    .await
}

/// Platform work: services (not INACTIVE) per health on their current health URL.
pub async fn services_by_health(conn: &mut AsyncPgConnection) -> diesel::QueryResult<Vec<Count>> {
    counts(
        conn,
        "SELECT coalesce(h.status, 'UNKNOWN') AS key, count(*) AS count FROM services s \
         LEFT JOIN service_health h ON h.service_id = s.id AND h.url = s.health_check_url \
         WHERE s.status <> 'INACTIVE' GROUP BY 1 ORDER BY 1",
    )
    .await
}

/// Platform work: gateway calls of the last hour, and those answered 5xx.
pub async fn gateway_last_hour(conn: &mut AsyncPgConnection) -> diesel::QueryResult<(i64, i64)> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        calls: i64,
        #[diesel(sql_type = BigInt)]
        errors: i64,
    }
    let row: Row = diesel::sql_query(
        "SELECT count(*) AS calls, count(*) FILTER (WHERE status >= 500) AS errors \
         FROM gateway_calls WHERE created_at > now() - interval '1 hour'",
    )
    .get_result(conn)
    .await?;
    Ok((row.calls, row.errors))
}

/// Platform work: mail the outbox gave up on in the last 7 days.
pub async fn failed_mail(conn: &mut AsyncPgConnection) -> diesel::QueryResult<i64> {
    let row: Total = diesel::sql_query(
        "SELECT count(*) AS n FROM mail_outbox \
         WHERE status = 'FAILED' AND created_at > now() - interval '7 days'",
    )
    .get_result(conn)
    .await?;
    Ok(row.n)
}
