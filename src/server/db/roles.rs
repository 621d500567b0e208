//! Roles and their permissions. Row-level security shows system roles and the scoped tenant's.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{role_permissions, roles, user_tenant_access};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = roles, check_for_backend(diesel::pg::Pg))]
pub struct Role {
    pub id: Uuid,
    pub tenant_id: Option<Uuid>,
    pub name: String,
    pub description: String,
    pub is_system: bool,
}

/// System roles and the tenant's own, with permissions.
pub async fn for_tenant(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
) -> QueryResult<Vec<(Role, Vec<String>)>> {
    let found: Vec<Role> = roles::table
        .filter(
            roles::tenant_id
                .is_null()
                .or(roles::tenant_id.eq(tenant_id)),
        )
        .order((roles::is_system.desc(), roles::name.asc()))
        .select(Role::as_select())
        .load(conn)
        .await?;
    let ids: Vec<Uuid> = found.iter().map(|r| r.id).collect();
    let perms: Vec<(Uuid, String)> = role_permissions::table
        .filter(role_permissions::role_id.eq_any(&ids))
        .order(role_permissions::permission.asc())
        .select((role_permissions::role_id, role_permissions::permission))
        .load(conn)
        .await?;
    Ok(found
        .into_iter()
        .map(|r| {
            let p = perms
                .iter()
                .filter(|(id, _)| *id == r.id)
                .map(|(_, p)| p.clone())
                .collect();
            (r, p)
        })
        .collect())
}

pub async fn find_custom(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> QueryResult<Option<Role>> {
    roles::table
        .find(id)
        .filter(roles::tenant_id.eq(tenant_id))
        .select(Role::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn name_taken(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    name: &str,
) -> QueryResult<bool> {
    let n: i64 = roles::table
        .filter(roles::name.eq(name))
        .filter(
            roles::tenant_id
                .is_null()
                .or(roles::tenant_id.eq(tenant_id)),
        )
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    name: &str,
    description: &str,
) -> QueryResult<Role> {
    diesel::insert_into(roles::table)
        .values((
            roles::tenant_id.eq(tenant_id),
            roles::name.eq(name),
            roles::description.eq(description),
            roles::is_system.eq(false),
        ))
        .returning(Role::as_returning())
        .get_result(conn)
        .await
}

pub async fn set_description(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    description: &str,
) -> QueryResult<usize> {
    diesel::update(roles::table.find(id))
        .set(roles::description.eq(description))
        .execute(conn)
        .await
}

pub async fn replace_permissions(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    permissions: &[String],
) -> QueryResult<()> {
    diesel::delete(role_permissions::table.filter(role_permissions::role_id.eq(id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = permissions
        .iter()
        .map(|p| {
            (
                role_permissions::role_id.eq(id),
                role_permissions::permission.eq(p),
            )
        })
        .collect();
    diesel::insert_into(role_permissions::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn in_use(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    let n: i64 = user_tenant_access::table
        .filter(user_tenant_access::role_id.eq(id))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(roles::table.find(id)).execute(conn).await
}
