//! Who reaches which tenant, with which role and permissions.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::{
    domain::account::TenantAccess,
    domain::role::SystemRole,
    server::db::tenants::{self, Grant, Tenant},
};

pub const SUPER_ADMIN: &str = SystemRole::SuperAdmin.as_str();
pub const TENANT_ADMIN: &str = SystemRole::TenantAdmin.as_str();
pub const USER: &str = SystemRole::User.as_str();

/// A tenant the user can act in, and the role that lets them.
#[derive(Debug, Clone)]
pub struct Reach {
    pub tenant: Tenant,
    pub role_id: Uuid,
    pub role_name: String,
    /// Reached through a platform grant (SUPER_ADMIN in the CORE tenant).
    pub platform: bool,
    /// The role's permissions, as read with the grants.
    pub permissions: Vec<String>,
}

impl Reach {
    pub fn view(&self) -> TenantAccess {
        TenantAccess {
            id: self.tenant.id,
            name: self.tenant.name.clone(),
            domain: self.tenant.domain.clone(),
            tenant_type: self.tenant.tenant_type.clone(),
            user_role: self.role_name.clone(),
        }
    }
}

/// How many tenants the login and `me` answers and the tenant switcher list at most; a
/// platform admin reaches every tenant and finds the others by searching.
pub const LISTED_TENANTS: i64 = 25;
/// Of those, how many recently used tenants a platform admin's list starts with.
const RECENT_TENANTS: i64 = 10;

pub fn platform_grant(grants: &[Grant]) -> Option<&Grant> {
    grants.iter().find(|g| is_super_admin_grant(g))
}

/// Any active tenant, reached as SUPER_ADMIN through the platform grant.
fn platform_reach(tenant: Tenant, platform: &Grant) -> Reach {
    Reach {
        tenant,
        role_id: platform.role_id,
        role_name: SUPER_ADMIN.to_string(),
        platform: true,
        permissions: platform.permissions.clone(),
    }
}

fn grant_reach(g: Grant) -> Reach {
    Reach {
        tenant: g.tenant,
        role_id: g.role_id,
        role_name: g.role_name,
        platform: false,
        permissions: g.permissions,
    }
}

/// The reach in one tenant (by id or domain) of a user with these live grants, if they may
/// act there now. A SUPER_ADMIN grant in the CORE tenant reaches every active tenant as
/// SUPER_ADMIN; everyone else reaches the tenants of their live grants.
pub async fn reach_among(
    conn: &mut AsyncPgConnection,
    grants: &[Grant],
    tenant_id: Option<Uuid>,
    domain: Option<&str>,
) -> diesel::QueryResult<Option<Reach>> {
    if let Some(platform) = platform_grant(grants) {
        let tenant = tenants::find_active(conn, tenant_id, domain).await?;
        return Ok(tenant.map(|t| platform_reach(t, platform)));
    }
    Ok(grants
        .iter()
        .find(|g| {
            tenant_id.is_none_or(|id| g.tenant.id == id)
                && domain.is_none_or(|d| g.tenant.domain == d)
        })
        .cloned()
        .map(grant_reach))
}

/// Where a login without a requested tenant lands, given the user's live grants: the home
/// tenant if reachable, else the first reachable one (CORE first, then by name).
pub async fn landing(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    grants: &[Grant],
    home: Uuid,
) -> diesel::QueryResult<Option<Reach>> {
    if let Some(reach) = reach_among(conn, grants, Some(home), None).await? {
        return Ok(Some(reach));
    }
    Ok(listed_among(conn, user_id, grants, None, None)
        .await?
        .into_iter()
        .next())
}

/// The tenants to list for the user: all of their grants' tenants (the current one first),
/// or for a platform admin a bounded list (the current tenant, the recently used ones, then
/// by name, at most `LISTED_TENANTS`). `search` narrows it to names or domains containing
/// the text, at most `LISTED_TENANTS`.
pub async fn listed(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    current: Option<Uuid>,
    search: Option<&str>,
) -> diesel::QueryResult<Vec<Reach>> {
    let grants = tenants::live_grants(conn, user_id).await?;
    listed_among(conn, user_id, &grants, current, search).await
}

/// `listed` with the user's live grants already loaded.
pub async fn listed_among(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    grants: &[Grant],
    current: Option<Uuid>,
    search: Option<&str>,
) -> diesel::QueryResult<Vec<Reach>> {
    let Some(platform) = platform_grant(grants) else {
        // Memberships are few: all of them, the current one first, or those matching.
        let needle = search.map(str::to_lowercase);
        let mut found: Vec<Reach> = grants
            .iter()
            .filter(|g| {
                needle.as_deref().is_none_or(|n| {
                    g.tenant.name.to_lowercase().contains(n) || g.tenant.domain.contains(n)
                })
            })
            .cloned()
            .map(grant_reach)
            .collect();
        if let Some(i) = found.iter().position(|r| Some(r.tenant.id) == current) {
            let here = found.remove(i);
            found.insert(0, here);
        }
        if search.is_some() {
            found.truncate(LISTED_TENANTS as usize);
        }
        return Ok(found);
    };
    let mut order: Vec<Uuid> = current.into_iter().collect();
    if search.is_none() {
        order.extend(tenants::recently_used(conn, user_id, RECENT_TENANTS).await?);
    }
    let mut found = tenants::active_matching(conn, search, LISTED_TENANTS).await?;
    // The current and recent tenants first, even when they are not among the first by name.
    for id in order.iter().rev() {
        if let Some(i) = found.iter().position(|t| t.id == *id) {
            let t = found.remove(i);
            found.insert(0, t);
        } else if search.is_none() {
            if let Some(t) = tenants::find_active(conn, Some(*id), None).await? {
                found.insert(0, t);
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|t| seen.insert(t.id));
    found.truncate(LISTED_TENANTS as usize);
    Ok(found
        .into_iter()
        .map(|t| platform_reach(t, platform))
        .collect())
}

fn is_super_admin_grant(g: &Grant) -> bool {
    crate::domain::role::is_platform_grant(&g.tenant.tenant_type, &g.role_name, g.role_is_system)
}
