//! Queries on `tenants`, and on the grants (`user_tenant_access`) that decide who reaches which.

use crate::domain::tenant::Status;
use crate::domain::tenant::TenantType;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{role_permissions, roles, tenants, user_tenant_access};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tenants, check_for_backend(diesel::pg::Pg))]
pub struct Tenant {
    pub id: Uuid,
    pub name: String,
    pub domain: String,
    pub tenant_type: String,
    pub status: String,
}

#[derive(Insertable)]
#[diesel(table_name = tenants)]
pub struct NewTenant<'a> {
    pub name: &'a str,
    pub domain: &'a str,
    pub tenant_type: &'a str,
    pub subscription_tier: &'a str,
    pub max_users: i32,
}

/// A live grant: an active, unexpired access row to an active tenant, with its role.
#[derive(Debug, Clone)]
pub struct Grant {
    pub tenant: Tenant,
    pub role_id: Uuid,
    pub role_name: String,
    /// System roles (SUPER_ADMIN, TENANT_ADMIN, USER) have no tenant.
    pub role_is_system: bool,
    /// The role's permissions, sorted: read with the grant, so that opening a session in
    /// the grant's tenant needs no further query.
    pub permissions: Vec<String>,
}

pub async fn find_by_domain(
    conn: &mut AsyncPgConnection,
    domain: &str,
) -> QueryResult<Option<Tenant>> {
    tenants::table
        .filter(tenants::domain.eq(domain))
        .select(Tenant::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn insert(conn: &mut AsyncPgConnection, new: NewTenant<'_>) -> QueryResult<Tenant> {
    diesel::insert_into(tenants::table)
        .values(new)
        .returning(Tenant::as_returning())
        .get_result(conn)
        .await
}

/// Active tenants whose name or domain contains `search` (all when `None`), CORE first,
/// then by name, at most `limit`.
pub async fn active_matching(
    conn: &mut AsyncPgConnection,
    search: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Tenant>> {
    let mut q = tenants::table
        .filter(tenants::status.eq(Status::Active.as_str()))
        .into_boxed();
    if let Some(text) = search {
        let pattern = super::like_pattern(text);
        q = q.filter(
            tenants::name
                .ilike(pattern.clone())
                .or(tenants::domain.ilike(pattern)),
        );
    }
    q.order((
        tenants::tenant_type.eq(TenantType::Core.as_str()).desc(),
        tenants::name.asc(),
    ))
    .limit(limit)
    .select(Tenant::as_select())
    .load(conn)
    .await
}

/// An active tenant by id or by domain.
pub async fn find_active(
    conn: &mut AsyncPgConnection,
    id: Option<Uuid>,
    domain: Option<&str>,
) -> QueryResult<Option<Tenant>> {
    let mut q = tenants::table
        .filter(tenants::status.eq(Status::Active.as_str()))
        .into_boxed();
    if let Some(id) = id {
        q = q.filter(tenants::id.eq(id));
    }
    if let Some(domain) = domain {
        q = q.filter(tenants::domain.eq(domain));
    }
    q.select(Tenant::as_select()).first(conn).await.optional()
}

/// The tenants the user's sessions were opened in, most recent first (at most `limit`).
pub async fn recently_used(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    limit: i64,
) -> QueryResult<Vec<Uuid>> {
    use super::schema::auth_sessions;
    auth_sessions::table
        .filter(auth_sessions::user_id.eq(user_id))
        .group_by(auth_sessions::tenant_id)
        .order(diesel::dsl::max(auth_sessions::created_at).desc())
        .limit(limit)
        .select(auth_sessions::tenant_id)
        .load(conn)
        .await
}

pub async fn live_grants(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Vec<Grant>> {
    // One row per grant and permission (a role without permissions gives one row with none).
    let rows: Vec<(Tenant, Uuid, String, bool, Option<String>)> = user_tenant_access::table
        .inner_join(tenants::table)
        .inner_join(roles::table.left_join(role_permissions::table))
        .filter(user_tenant_access::user_id.eq(user_id))
        .filter(user_tenant_access::status.eq(Status::Active.as_str()))
        .filter(
            user_tenant_access::expires_at
                .is_null()
                .or(user_tenant_access::expires_at.gt(diesel::dsl::now)),
        )
        .filter(tenants::status.eq(Status::Active.as_str()))
        .order((
            tenants::tenant_type.eq(TenantType::Core.as_str()).desc(),
            tenants::name.asc(),
            tenants::id.asc(),
            roles::id.asc(),
            role_permissions::permission.asc(),
        ))
        .select((
            Tenant::as_select(),
            roles::id,
            roles::name,
            roles::is_system,
            role_permissions::permission.nullable(),
        ))
        .load(conn)
        .await?;
    let mut grants: Vec<Grant> = Vec::new();
    for (tenant, role_id, role_name, role_is_system, permission) in rows {
        // A user has one grant per tenant, and a tenant's rows are adjacent (the order).
        let same = grants
            .last()
            .is_some_and(|g| g.tenant.id == tenant.id && g.role_id == role_id);
        if !same {
            grants.push(Grant {
                tenant,
                role_id,
                role_name,
                role_is_system,
                permissions: Vec::new(),
            });
        }
        if let (Some(grant), Some(p)) = (grants.last_mut(), permission) {
            grant.permissions.push(p);
        }
    }
    Ok(grants)
}

/// Creates or updates the user's grant in a tenant (used by seeding and user creation).
pub async fn upsert_grant(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    tenant_id: Uuid,
    role_id: Uuid,
    granted_by: Option<Uuid>,
) -> QueryResult<usize> {
    diesel::insert_into(user_tenant_access::table)
        .values((
            user_tenant_access::user_id.eq(user_id),
            user_tenant_access::tenant_id.eq(tenant_id),
            user_tenant_access::role_id.eq(role_id),
            user_tenant_access::granted_by.eq(granted_by),
        ))
        .on_conflict((user_tenant_access::tenant_id, user_tenant_access::user_id))
        .do_update()
        .set((
            user_tenant_access::role_id.eq(role_id),
            user_tenant_access::status.eq(Status::Active.as_str()),
        ))
        .execute(conn)
        .await
}

pub async fn system_role_id(conn: &mut AsyncPgConnection, name: &str) -> QueryResult<Uuid> {
    roles::table
        .filter(roles::tenant_id.is_null())
        .filter(roles::name.eq(name))
        .select(roles::id)
        .first(conn)
        .await
}

pub async fn role_permissions(
    conn: &mut AsyncPgConnection,
    role_id: Uuid,
) -> QueryResult<Vec<String>> {
    role_permissions::table
        .filter(role_permissions::role_id.eq(role_id))
        .order(role_permissions::permission.asc())
        .select(role_permissions::permission)
        .load(conn)
        .await
}

/// Every column an administrator sees.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tenants, check_for_backend(diesel::pg::Pg))]
pub struct TenantRecord {
    pub id: Uuid,
    pub name: String,
    pub domain: String,
    pub tenant_type: String,
    pub subscription_tier: String,
    pub status: String,
    pub settings: serde_json::Value,
    pub max_users: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub require_admin_two_factor: bool,
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = tenants)]
pub struct TenantChanges {
    pub name: Option<String>,
    pub subscription_tier: Option<String>,
    pub max_users: Option<i32>,
    pub status: Option<String>,
    pub settings: Option<serde_json::Value>,
    pub require_admin_two_factor: Option<bool>,
}

pub async fn search(
    conn: &mut AsyncPgConnection,
    text: Option<&str>,
    status: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<TenantRecord>, i64)> {
    let filtered = || {
        let mut query = tenants::table.into_boxed();
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            let pattern = super::like_pattern(text.trim());
            query = query.filter(
                tenants::name
                    .ilike(pattern.clone())
                    .or(tenants::domain.ilike(pattern)),
            );
        }
        if let Some(status) = status {
            query = query.filter(tenants::status.eq(status.to_string()));
        }
        query
    };
    let total = filtered().count().get_result(conn).await?;
    let items = filtered()
        .order((
            tenants::tenant_type.eq(TenantType::Core.as_str()).desc(),
            tenants::name.asc(),
            tenants::id.asc(),
        ))
        .offset(offset)
        .limit(limit)
        .select(TenantRecord::as_select())
        .load(conn)
        .await?;
    Ok((items, total))
}

pub async fn find_record(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<TenantRecord>> {
    tenants::table
        .find(id)
        .select(TenantRecord::as_select())
        .first(conn)
        .await
        .optional()
}

/// The tenant, locked until the transaction ends (seat counting, limit changes).
pub async fn find_record_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<TenantRecord>> {
    tenants::table
        .find(id)
        .select(TenantRecord::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &TenantChanges,
) -> QueryResult<Option<TenantRecord>> {
    diesel::update(tenants::table.find(id))
        .set(changes)
        .returning(TenantRecord::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// Active members per tenant, for the given tenants.
pub async fn member_counts(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, i64)>> {
    user_tenant_access::table
        .filter(user_tenant_access::tenant_id.eq_any(ids))
        .filter(user_tenant_access::status.eq(Status::Active.as_str()))
        .group_by(user_tenant_access::tenant_id)
        .select((user_tenant_access::tenant_id, diesel::dsl::count_star()))
        .load(conn)
        .await
}
