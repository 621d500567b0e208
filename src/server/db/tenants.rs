//! Queries on `tenants`, and on the grants (`user_tenant_access`) that decide who reaches which.

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

pub async fn active_ordered(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Tenant>> {
    tenants::table
        .filter(tenants::status.eq("ACTIVE"))
        .order((tenants::tenant_type.eq("CORE").desc(), tenants::name.asc()))
        .select(Tenant::as_select())
        .load(conn)
        .await
}

pub async fn live_grants(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Vec<Grant>> {
    let rows: Vec<(Tenant, Uuid, String, bool)> = user_tenant_access::table
        .inner_join(tenants::table)
        .inner_join(roles::table)
        .filter(user_tenant_access::user_id.eq(user_id))
        .filter(user_tenant_access::status.eq("ACTIVE"))
        .filter(
            user_tenant_access::expires_at
                .is_null()
                .or(user_tenant_access::expires_at.gt(diesel::dsl::now)),
        )
        .filter(tenants::status.eq("ACTIVE"))
        .order((tenants::tenant_type.eq("CORE").desc(), tenants::name.asc()))
        .select((
            Tenant::as_select(),
            roles::id,
            roles::name,
            roles::is_system,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(tenant, role_id, role_name, role_is_system)| Grant {
            tenant,
            role_id,
            role_name,
            role_is_system,
        })
        .collect())
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
            user_tenant_access::status.eq("ACTIVE"),
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
