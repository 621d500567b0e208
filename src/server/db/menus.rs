//! Queries of the menus: layout versions, the registry's version, and what each service
//! contributes to a tenant's menu.

use chrono::{DateTime, Utc};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Integer, Uuid as SqlUuid},
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

use super::schema::{menu_layouts, service_health, services, tenant_service_assignments};
use crate::domain::service::ServiceStatus;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = menu_layouts, check_for_backend(diesel::pg::Pg))]
pub struct LayoutRow {
    pub version: i32,
    pub operations: Value,
    pub author_name: String,
    pub reverted_from: Option<i32>,
    pub created_at: DateTime<Utc>,
}

#[derive(Insertable)]
// `None` inserts NULL, which is what DEFAULT gives these columns: with DEFAULT-able `Option`
// fields diesel never caches the INSERT's prepared statement.
#[diesel(table_name = menu_layouts, treat_none_as_default_value = false)]
pub struct NewLayout<'a> {
    pub tenant_id: Option<Uuid>,
    pub version: i32,
    pub operations: &'a Value,
    pub author_id: Uuid,
    pub author_name: &'a str,
    pub reverted_from: Option<i32>,
}

/// What a cached menu was computed from: a change to any of them changes the cache key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, QueryableByName)]
pub struct Versions {
    #[diesel(sql_type = BigInt)]
    pub registry: i64,
    #[diesel(sql_type = Integer)]
    pub global: i32,
    #[diesel(sql_type = Integer)]
    pub tenant: i32,
}

pub async fn versions(conn: &mut AsyncPgConnection, tenant: Uuid) -> QueryResult<Versions> {
    diesel::sql_query(
        "SELECT (SELECT version FROM inti_versions WHERE name = 'registry') AS registry, \
         coalesce((SELECT max(version) FROM menu_layouts WHERE tenant_id IS NULL), 0) AS global, \
         coalesce((SELECT max(version) FROM menu_layouts WHERE tenant_id = $1), 0) AS tenant",
    )
    .bind::<SqlUuid, _>(tenant)
    .get_result(conn)
    .await
}

/// The layouts of one scope (a tenant, or the global one with `None`), newest first.
pub async fn history(
    conn: &mut AsyncPgConnection,
    tenant: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<LayoutRow>> {
    let mut q = menu_layouts::table
        .select(LayoutRow::as_select())
        .order(menu_layouts::version.desc())
        .limit(limit)
        .into_boxed();
    q = match tenant {
        Some(t) => q.filter(menu_layouts::tenant_id.eq(t)),
        None => q.filter(menu_layouts::tenant_id.is_null()),
    };
    q.load(conn).await
}

pub async fn latest(
    conn: &mut AsyncPgConnection,
    tenant: Option<Uuid>,
) -> QueryResult<Option<LayoutRow>> {
    Ok(history(conn, tenant, 1).await?.pop())
}

pub async fn version(
    conn: &mut AsyncPgConnection,
    tenant: Option<Uuid>,
    version: i32,
) -> QueryResult<Option<LayoutRow>> {
    let mut q = menu_layouts::table
        .select(LayoutRow::as_select())
        .filter(menu_layouts::version.eq(version))
        .into_boxed();
    q = match tenant {
        Some(t) => q.filter(menu_layouts::tenant_id.eq(t)),
        None => q.filter(menu_layouts::tenant_id.is_null()),
    };
    q.first(conn).await.optional()
}

pub async fn insert(conn: &mut AsyncPgConnection, layout: NewLayout<'_>) -> QueryResult<()> {
    diesel::insert_into(menu_layouts::table)
        .values(layout)
        .execute(conn)
        .await
        .map(|_| ())
}

/// A service that may contribute to a menu: what the visibility rules and the menu need.
#[derive(Debug, Clone, Queryable)]
pub struct MenuSource {
    pub name: String,
    pub display_name: String,
    pub service_type: String,
    pub status: String,
    pub visibility: String,
    pub menu_schema: Option<Value>,
    /// The tenant's assignment, where it has one: its status and menu changes.
    pub assignment: Option<String>,
    pub custom_menu_config: Option<Value>,
    /// Its health status, judged on its current health URL.
    pub health: Option<String>,
}

/// Every service that is not INACTIVE (all of them with `everything`, for the "why can't
/// I see it" answers), with the tenant's assignment where it has one.
pub async fn sources(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    everything: bool,
) -> QueryResult<Vec<MenuSource>> {
    let mut q = services::table
        .left_join(
            tenant_service_assignments::table.on(tenant_service_assignments::service_id
                .eq(services::id)
                .and(tenant_service_assignments::tenant_id.eq(tenant))),
        )
        .left_join(
            service_health::table.on(service_health::service_id
                .eq(services::id)
                .and(services::health_check_url.eq(service_health::url.nullable()))),
        )
        .order((services::display_name.asc(), services::id.asc()))
        .select((
            services::name,
            services::display_name,
            services::service_type,
            services::status,
            services::visibility,
            services::menu_schema,
            tenant_service_assignments::status.nullable(),
            tenant_service_assignments::custom_menu_config.nullable(),
            service_health::status.nullable(),
        ))
        .into_boxed();
    if !everything {
        q = q.filter(services::status.ne(ServiceStatus::Inactive.as_str()));
    }
    q.load(conn).await
}
