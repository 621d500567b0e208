//! `GET /api/v1/dashboard` and the dashboard page: what needs the person now. One read-only
//! transaction in the actor's scope; the platform's figures in one of platform work.

use diesel_async::AsyncPgConnection;

use crate::{
    domain::{
        account::AccessibleService,
        dashboard::{
            DashboardView, DueTask, EndingAccess, PlatformPanels, Seats, ServiceLine, TaskPanel,
            TenantPanels, TenantServiceLine,
        },
        error::AppError,
        permission::perm,
        task::{TaskStatus, SERVICE as TASKS},
    },
    server::{
        auth::actor::Actor,
        db::{
            dashboard as db, health as health_db, invitations, members, notifications,
            scope::{scoped, Scope},
            tenants,
        },
        services::{
            audit::{self, AuditQuery},
            registry::accessible_in,
        },
        state::AppState,
    },
};

/// How many of the newest notifications and audit entries it shows.
const RECENT: i64 = 5;

#[tracing::instrument(level = "debug", skip_all)]
pub async fn view(state: &AppState, actor: &Actor) -> Result<DashboardView, AppError> {
    let mut view = scoped(&state.db, actor.scope(), async |c| {
        let services = accessible_in(c, actor).await?;
        let ids: Vec<_> = services.iter().map(|s| s.id).collect();
        let health = health_db::views(c, &ids).await?;
        let lines: Vec<ServiceLine> = services
            .iter()
            .map(|s| ServiceLine {
                name: s.name.clone(),
                display_name: s.display_name.clone(),
                status: s.status.clone(),
                health: health.get(&s.id).map(|h| h.status.clone()),
            })
            .collect();
        let tasks = tasks_panel(c, actor, &services).await?;
        let (recent, _) =
            notifications::page(c, (actor.tenant_id, actor.user_id), false, 0, RECENT).await?;
        let tenant = if actor.permissions.covers(&perm::DASHBOARD_VIEW) {
            Some(tenant_panels(c, actor, &lines, &services).await?)
        } else {
            None
        };
        let view = DashboardView {
            services: lines,
            tasks,
            notifications: recent
                .into_iter()
                .map(crate::server::services::notifications::view)
                .collect(),
            tenant,
            platform: None,
        };
        Ok(view)
    })
    .await?;
    if let Some(tenant) = view.tenant.as_mut() {
        if actor.permissions.covers(&perm::AUDIT_READ) {
            let query = AuditQuery {
                per_page: Some(RECENT),
                ..AuditQuery::default()
            };
            tenant.audit = Some(audit::list(state, actor, Ok(query)).await?.items);
        }
    }
    if actor.require_platform(&perm::TENANT_READ).is_ok() {
        view.platform = Some(platform_panels(state).await?);
    }
    Ok(view)
}

/// The person's open tasks, where the tenant uses the Task Manager and they may read tasks.
async fn tasks_panel(
    c: &mut AsyncPgConnection,
    actor: &Actor,
    services: &[AccessibleService],
) -> Result<Option<TaskPanel>, AppError> {
    let reads = ["task:read", "task:read:own"]
        .iter()
        .any(|p| actor.permissions.allows(p));
    if !reads || !services.iter().any(|s| s.name == TASKS) {
        return Ok(None);
    }
    let today = chrono::Utc::now().date_naive();
    let (assigned_open, due) = db::due_tasks(c, actor.tenant_id, actor.user_id, today).await?;
    Ok(Some(TaskPanel {
        assigned_open,
        due: due
            .into_iter()
            .map(|r| DueTask {
                id: r.id,
                title: r.title,
                due_date: r.due_date,
                status: TaskStatus::parse(&r.status).unwrap_or(TaskStatus::Todo),
                overdue: r.due_date < today,
            })
            .collect(),
    }))
}

/// Each panel with the permission of the page it links to.
async fn tenant_panels(
    c: &mut AsyncPgConnection,
    actor: &Actor,
    lines: &[ServiceLine],
    services: &[AccessibleService],
) -> Result<TenantPanels, AppError> {
    let may = |p| actor.permissions.covers(p);
    let seats = if may(&perm::TENANT_READ) {
        let limit = tenants::find_record(c, actor.tenant_id)
            .await?
            .map_or(0, |t| t.max_users);
        let used = members::active_count(c, actor.tenant_id).await?;
        Some(Seats { used, limit })
    } else {
        None
    };
    let (pending_invitations, access_ending) = if may(&perm::USER_READ) {
        let pending = invitations::pending_for_tenant(c, actor.tenant_id).await?;
        let ending = db::access_ending(c, actor.tenant_id)
            .await?
            .into_iter()
            .map(|r| EndingAccess {
                user_id: r.user_id,
                name: r.name,
                email: r.email,
                expires_at: r.expires_at,
            })
            .collect();
        (Some(pending.len() as i64), Some(ending))
    } else {
        (None, None)
    };
    let tenant_services = if may(&perm::SERVICE_READ) {
        let calls = db::calls_per_service(c, actor.tenant_id).await?;
        Some(
            lines
                .iter()
                .zip(services)
                .map(|(line, s)| {
                    let (calls_24h, errors_24h) = calls
                        .iter()
                        .find(|r| r.service_id == s.id)
                        .map_or((0, 0), |r| (r.calls, r.errors));
                    TenantServiceLine {
                        name: line.name.clone(),
                        display_name: line.display_name.clone(),
                        health: line.health.clone(),
                        external: s.service_type == "EXTERNAL",
                        calls_24h,
                        errors_24h,
                    }
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(TenantPanels {
        seats,
        pending_invitations,
        access_ending,
        services: tenant_services,
        audit: None,
    })
}

async fn platform_panels(state: &AppState) -> Result<PlatformPanels, AppError> {
    scoped(&state.db, Scope::platform(), async |c| {
        let (gateway_calls_hour, gateway_errors_hour) = db::gateway_last_hour(c).await?;
        Ok(PlatformPanels {
            tenants_by_status: db::tenants_by_status(c).await?,
            services_by_health: db::services_by_health(c).await?,
            gateway_calls_hour,
            gateway_errors_hour,
            failed_mail_7d: db::failed_mail(c).await?,
        })
    })
    .await
}
