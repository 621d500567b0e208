//! The seed document's demo data: three tenants and four users, one per role. Idempotent:
//! what exists is left as it is.

use crate::domain::tenant::TenantType;
use diesel_async::AsyncPgConnection;

use crate::{
    domain::error::AppError,
    server::db::scope::{scoped, Scope},
    server::{
        auth::password,
        db::{tenants, users},
        secret::Secret,
        services::{
            access::{SUPER_ADMIN, TENANT_ADMIN, USER},
            builtin_services,
        },
        state::AppState,
    },
};

struct DemoTenant {
    domain: &'static str,
    name: &'static str,
    tenant_type: &'static str,
    tier: &'static str,
    max_users: i32,
}

const TENANTS: [DemoTenant; 3] = [
    DemoTenant {
        domain: "core",
        name: "Core Platform",
        tenant_type: TenantType::Core.as_str(),
        tier: "ENTERPRISE",
        max_users: 1000,
    },
    DemoTenant {
        domain: "taskmanager",
        name: "Task Manager",
        tenant_type: TenantType::Business.as_str(),
        tier: "PROFESSIONAL",
        max_users: 50,
    },
    DemoTenant {
        domain: "whatsapp",
        name: "WhatsApp Gateway",
        tenant_type: TenantType::Business.as_str(),
        tier: "STARTER",
        max_users: 10,
    },
];

/// (email, name, home tenant, role there)
pub const USERS: [(&str, &str, &str, &str); 4] = [
    ("superadmin@core.com", "Super Admin", "core", SUPER_ADMIN),
    (
        "admin@taskmanager.com",
        "Task Manager Admin",
        "taskmanager",
        TENANT_ADMIN,
    ),
    (
        "user@taskmanager.com",
        "Task Manager User",
        "taskmanager",
        USER,
    ),
    (
        "admin@whatsapp.com",
        "WhatsApp Admin",
        "whatsapp",
        TENANT_ADMIN,
    ),
];

pub async fn ensure_core_tenant(conn: &mut AsyncPgConnection) -> Result<tenants::Tenant, AppError> {
    ensure_tenant(conn, &TENANTS[0]).await
}

async fn ensure_tenant(
    conn: &mut AsyncPgConnection,
    t: &DemoTenant,
) -> Result<tenants::Tenant, AppError> {
    if let Some(found) = tenants::find_by_domain(conn, t.domain).await? {
        return Ok(found);
    }
    Ok(tenants::insert(
        conn,
        tenants::NewTenant {
            name: t.name,
            domain: t.domain,
            tenant_type: t.tenant_type,
            subscription_tier: t.tier,
            max_users: t.max_users,
        },
    )
    .await?)
}

/// Whether the database has no tenant at all (dev mode then seeds on start).
pub async fn is_empty(state: &AppState) -> Result<bool, AppError> {
    // Row-level security hides every tenant from an unscoped query.
    scoped(&state.db, Scope::platform(), async |c| {
        Ok(tenants::active_matching(c, None, 1).await?.is_empty())
    })
    .await
}

/// Seeds the demo tenants, users and services. `whatsapp`: the demo WhatsApp service's API
/// key and webhook secret (`Settings::demo_whatsapp_secrets`).
pub async fn seed(
    state: &AppState,
    password: &Secret,
    whatsapp: &(Secret, Secret),
) -> Result<(), AppError> {
    let hash = password::hash(password).await?;
    scoped(&state.db, Scope::platform(), async |conn| {
        for t in &TENANTS {
            ensure_tenant(conn, t).await?;
        }
        for (email, name, home, role) in USERS {
            if users::find_by_email(conn, email).await?.is_some() {
                continue;
            }
            let tenant = tenants::find_by_domain(conn, home)
                .await?
                .ok_or(AppError::Internal)?;
            let user = users::insert(
                conn,
                users::NewUser {
                    email,
                    password_hash: &hash,
                    name,
                    home_tenant_id: tenant.id,
                },
            )
            .await?;
            let role_id = tenants::system_role_id(conn, role).await?;
            tenants::upsert_grant(conn, user.id, tenant.id, role_id, None).await?;
        }
        builtin_services::seed(conn, state, whatsapp).await
    })
    .await
}
