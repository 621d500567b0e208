//! A tenant's members: users joined with their grant (`user_tenant_access`) in that tenant.
//! Row-level security restricts the grants to the transaction's tenant.

use crate::domain::tenant::Status;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{roles, user_tenant_access, users};

#[derive(Debug, Clone, Queryable)]
pub struct MemberRow {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub status: String,
    pub home_tenant_id: Uuid,
    pub role_id: Uuid,
    pub role: String,
    pub access_status: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub two_factor_enabled: bool,
}

type Columns = (
    users::id,
    users::email,
    users::name,
    users::status,
    users::home_tenant_id,
    roles::id,
    roles::name,
    user_tenant_access::status,
    user_tenant_access::expires_at,
    users::last_login_at,
    users::two_factor_enabled,
);

const COLUMNS: Columns = (
    users::id,
    users::email,
    users::name,
    users::status,
    users::home_tenant_id,
    roles::id,
    roles::name,
    user_tenant_access::status,
    user_tenant_access::expires_at,
    users::last_login_at,
    users::two_factor_enabled,
);

pub async fn search(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    text: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<MemberRow>, i64)> {
    let filtered = || {
        let mut q = user_tenant_access::table
            .inner_join(users::table.on(users::id.eq(user_tenant_access::user_id)))
            .inner_join(roles::table.on(roles::id.eq(user_tenant_access::role_id)))
            .filter(user_tenant_access::tenant_id.eq(tenant_id))
            .into_boxed();
        if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
            let pattern = super::like_pattern(text);
            q = q.filter(
                users::email
                    .ilike(pattern.clone())
                    .or(users::name.ilike(pattern)),
            );
        }
        q
    };
    let total = filtered().count().get_result(conn).await?;
    let rows = filtered()
        .order((users::name.asc(), users::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(COLUMNS)
        .load(conn)
        .await?;
    Ok((rows, total))
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
) -> QueryResult<Option<MemberRow>> {
    user_tenant_access::table
        .inner_join(users::table.on(users::id.eq(user_tenant_access::user_id)))
        .inner_join(roles::table.on(roles::id.eq(user_tenant_access::role_id)))
        .filter(user_tenant_access::tenant_id.eq(tenant_id))
        .filter(users::id.eq(user_id))
        .select(COLUMNS)
        .first(conn)
        .await
        .optional()
}

/// Members who take a seat: active grants that have not expired.
pub async fn active_count(conn: &mut AsyncPgConnection, tenant_id: Uuid) -> QueryResult<i64> {
    user_tenant_access::table
        .filter(user_tenant_access::tenant_id.eq(tenant_id))
        .filter(user_tenant_access::status.eq(Status::Active.as_str()))
        .filter(
            user_tenant_access::expires_at
                .is_null()
                .or(user_tenant_access::expires_at.gt(diesel::dsl::now)),
        )
        .count()
        .get_result(conn)
        .await
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = user_tenant_access)]
pub struct GrantChanges {
    pub role_id: Option<Uuid>,
    pub status: Option<String>,
    pub expires_at: Option<Option<DateTime<Utc>>>,
}

pub async fn update_grant(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
    changes: &GrantChanges,
) -> QueryResult<usize> {
    diesel::update(
        user_tenant_access::table
            .filter(user_tenant_access::tenant_id.eq(tenant_id))
            .filter(user_tenant_access::user_id.eq(user_id)),
    )
    .set(changes)
    .execute(conn)
    .await
}

pub async fn delete_grant(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
) -> QueryResult<usize> {
    diesel::delete(
        user_tenant_access::table
            .filter(user_tenant_access::tenant_id.eq(tenant_id))
            .filter(user_tenant_access::user_id.eq(user_id)),
    )
    .execute(conn)
    .await
}

pub async fn set_grant(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
    role_id: Uuid,
    granted_by: Uuid,
    expires_at: Option<DateTime<Utc>>,
) -> QueryResult<usize> {
    diesel::insert_into(user_tenant_access::table)
        .values((
            user_tenant_access::tenant_id.eq(tenant_id),
            user_tenant_access::user_id.eq(user_id),
            user_tenant_access::role_id.eq(role_id),
            user_tenant_access::granted_by.eq(granted_by),
            user_tenant_access::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await
}

/// A role that can be granted in the tenant: a system role, or one of the tenant's own.
pub async fn grantable_role(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    name: &str,
) -> QueryResult<Option<Uuid>> {
    roles::table
        .filter(roles::name.eq(name))
        .filter(
            roles::tenant_id
                .is_null()
                .or(roles::tenant_id.eq(tenant_id)),
        )
        .order(roles::tenant_id.desc().nulls_last())
        .select(roles::id)
        .first(conn)
        .await
        .optional()
}

pub async fn set_name(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    name: &str,
) -> QueryResult<usize> {
    diesel::update(users::table.find(user_id))
        .set(users::name.eq(name))
        .execute(conn)
        .await
}
