//! Who reaches which tenant, with which role and permissions.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::{
    domain::account::TenantAccess,
    server::db::tenants::{self, Grant, Tenant},
};

pub const SUPER_ADMIN: &str = "SUPER_ADMIN";
pub const TENANT_ADMIN: &str = "TENANT_ADMIN";
pub const USER: &str = "USER";

/// A tenant the user can act in, and the role that lets them.
#[derive(Debug, Clone)]
pub struct Reach {
    pub tenant: Tenant,
    pub role_id: Uuid,
    pub role_name: String,
    /// Reached through a platform grant (SUPER_ADMIN in the CORE tenant).
    pub platform: bool,
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

/// Every tenant the user can act in now. A SUPER_ADMIN grant in the CORE tenant reaches every
/// active tenant as SUPER_ADMIN; everyone else reaches the tenants of their live grants.
pub async fn reachable(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> diesel::QueryResult<Vec<Reach>> {
    let grants = tenants::live_grants(conn, user_id).await?;
    let super_admin = grants
        .iter()
        .find(|g| is_super_admin_grant(g))
        .map(|g| g.role_id);
    if let Some(role_id) = super_admin {
        let all = tenants::active_ordered(conn).await?;
        return Ok(all
            .into_iter()
            .map(|tenant| Reach {
                tenant,
                role_id,
                role_name: SUPER_ADMIN.to_string(),
                platform: true,
            })
            .collect());
    }
    Ok(grants
        .into_iter()
        .map(|g| Reach {
            tenant: g.tenant,
            role_id: g.role_id,
            role_name: g.role_name,
            platform: false,
        })
        .collect())
}

fn is_super_admin_grant(g: &Grant) -> bool {
    g.role_is_system && g.role_name == SUPER_ADMIN && g.tenant.tenant_type == "CORE"
}
