//! Queries on the gateway's call log and the webhook deliveries services sent.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

use super::schema::{gateway_calls, users, webhook_deliveries};

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = gateway_calls)]
pub struct NewCall {
    pub tenant_id: Uuid,
    pub user_id: Option<Uuid>,
    pub service_id: Uuid,
    pub endpoint_name: String,
    pub method: String,
    pub path: String,
    pub status: i16,
    pub latency_ms: i32,
    pub request_bytes: i64,
    pub response_bytes: i64,
    pub request_id: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_calls(conn: &mut AsyncPgConnection, calls: &[NewCall]) -> QueryResult<usize> {
    diesel::insert_into(gateway_calls::table)
        .values(calls)
        .execute(conn)
        .await
}

/// One logged call, with its user's email (a removed user's calls keep no name).
#[derive(Debug, Clone, Queryable)]
pub struct CallRow {
    pub id: i64,
    pub tenant_id: Uuid,
    pub user_email: Option<String>,
    pub endpoint_name: String,
    pub method: String,
    pub path: String,
    pub status: i16,
    pub latency_ms: i32,
    pub request_bytes: i64,
    pub response_bytes: i64,
    pub request_id: String,
    pub created_at: DateTime<Utc>,
}

/// The newest calls to a service, newest first.
pub async fn recent_calls(
    conn: &mut AsyncPgConnection,
    service_id: Uuid,
    limit: i64,
) -> QueryResult<Vec<CallRow>> {
    gateway_calls::table
        .left_join(users::table.on(users::id.nullable().eq(gateway_calls::user_id)))
        .filter(gateway_calls::service_id.eq(service_id))
        .order((gateway_calls::created_at.desc(), gateway_calls::id.desc()))
        .limit(limit)
        .select((
            gateway_calls::id,
            gateway_calls::tenant_id,
            users::email.nullable(),
            gateway_calls::endpoint_name,
            gateway_calls::method,
            gateway_calls::path,
            gateway_calls::status,
            gateway_calls::latency_ms,
            gateway_calls::request_bytes,
            gateway_calls::response_bytes,
            gateway_calls::request_id,
            gateway_calls::created_at,
        ))
        .load(conn)
        .await
}

/// Keeps a verified delivery; `false` when this delivery id was kept before.
pub async fn insert_delivery(
    conn: &mut AsyncPgConnection,
    service_id: Uuid,
    delivery_id: &str,
    event: Option<&str>,
    payload: &Value,
) -> QueryResult<bool> {
    let n = diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::service_id.eq(service_id),
            webhook_deliveries::delivery_id.eq(delivery_id),
            webhook_deliveries::event.eq(event),
            webhook_deliveries::payload.eq(payload),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(n == 1)
}

#[derive(Debug, Clone, Queryable)]
pub struct DeliveryRow {
    pub delivery_id: String,
    pub event: Option<String>,
    pub payload: Value,
    pub received_at: DateTime<Utc>,
}

pub async fn recent_deliveries(
    conn: &mut AsyncPgConnection,
    service_id: Uuid,
    limit: i64,
) -> QueryResult<Vec<DeliveryRow>> {
    webhook_deliveries::table
        .filter(webhook_deliveries::service_id.eq(service_id))
        .order(webhook_deliveries::received_at.desc())
        .limit(limit)
        .select((
            webhook_deliveries::delivery_id,
            webhook_deliveries::event,
            webhook_deliveries::payload,
            webhook_deliveries::received_at,
        ))
        .load(conn)
        .await
}

/// Whether `user` sent `service` a write (POST, PUT, PATCH or DELETE) through the gateway
/// from `tenant` within the last day, and the service took it (2xx): the only member a report
/// of that service may tell.
pub async fn wrote_lately(
    conn: &mut AsyncPgConnection,
    (tenant, user, service): (Uuid, Uuid, Uuid),
) -> QueryResult<bool> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        yes: bool,
    }
    let row: Row = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM gateway_calls WHERE service_id = $3 \
           AND tenant_id = $1 AND user_id = $2 AND status BETWEEN 200 AND 299 \
           AND method IN ('POST', 'PUT', 'PATCH', 'DELETE') \
           AND created_at > now() - interval '1 day') AS yes",
    )
    .bind::<diesel::sql_types::Uuid, _>(tenant)
    .bind::<diesel::sql_types::Uuid, _>(user)
    .bind::<diesel::sql_types::Uuid, _>(service)
    .get_result(conn)
    .await?;
    Ok(row.yes)
}
