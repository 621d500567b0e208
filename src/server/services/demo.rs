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

/// (title, description, status, priority, assignee (an index into `USERS`), due in days from
/// today, labels).
type DemoTask = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<usize>,
    Option<i64>,
    &'static [&'static str],
);

/// What a new user finds on the Task Manager's board.
const TASKS: [DemoTask; 8] = [
    (
        "Plan the spring release",
        "Agree on scope and dates with the product team.",
        "IN_PROGRESS",
        "HIGH",
        Some(1),
        Some(5),
        &["planning"],
    ),
    (
        "Write the onboarding guide",
        "A one-page guide for new members: signing in, switching tenant, the board.",
        "TODO",
        "MEDIUM",
        Some(2),
        Some(10),
        &["docs"],
    ),
    (
        "Fix the invoice export",
        "Totals are rounded twice in the CSV export.",
        "TODO",
        "URGENT",
        Some(2),
        Some(1),
        &["bug", "billing"],
    ),
    (
        "Review the vendor contract",
        "",
        "TODO",
        "LOW",
        None,
        Some(21),
        &["legal"],
    ),
    (
        "Set up the weekly report",
        "Every Monday at 9: open tasks by assignee.",
        "IN_PROGRESS",
        "MEDIUM",
        Some(2),
        Some(3),
        &["reporting"],
    ),
    (
        "Migrate the customer list",
        "Imported from the old CRM; duplicates merged.",
        "DONE",
        "HIGH",
        Some(1),
        Some(-4),
        &["data"],
    ),
    (
        "Order new laptops",
        "Two for the new hires.",
        "DONE",
        "LOW",
        Some(1),
        Some(-10),
        &[],
    ),
    (
        "Archive last year's projects",
        "Nobody needs them on the board any more.",
        "CANCELLED",
        "LOW",
        None,
        None,
        &[],
    ),
];

/// Puts a handful of realistic tasks on the Task Manager tenant's board, once: a tenant that
/// has any task already is left alone. (Tasks are visible to their tenant's scope only, not
/// even to platform work: they are written as the tenant's admin.)
pub async fn seed_tasks(state: &AppState) -> Result<(), AppError> {
    use crate::{
        domain::id::{TenantId, UserId},
        server::db::tasks::{self, NewTask},
    };
    let (tenant, people) = scoped(&state.db, Scope::platform(), async |conn| {
        let tenant = tenants::find_by_domain(conn, TENANTS[1].domain)
            .await?
            .ok_or(AppError::Internal)?;
        let mut people = Vec::new();
        for (email, ..) in USERS {
            people.push(users::find_by_email(conn, email).await?.map(|u| u.id));
        }
        Ok((tenant.id, people))
    })
    .await?;
    let creator = people[1].ok_or(AppError::Internal)?;
    let scope = Scope::member(UserId(creator), TenantId(tenant));
    scoped(&state.db, scope, async |conn| {
        if tasks::any_in(conn, tenant).await? {
            return Ok(());
        }
        let today = chrono::Utc::now().date_naive();
        for (title, description, status, priority, assignee, due, labels) in TASKS {
            let task = NewTask {
                tenant_id: tenant,
                title: title.into(),
                description: description.into(),
                status: status.into(),
                priority: priority.into(),
                assignee_id: assignee.and_then(|i| people[i]),
                due_date: due.map(|d| today + chrono::Duration::days(d)),
                labels: labels.iter().map(|l| l.to_string()).collect(),
                custom_fields: serde_json::json!({}),
                created_by: creator,
            };
            tasks::insert(conn, task).await?;
        }
        Ok(())
    })
    .await
}
