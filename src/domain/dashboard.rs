//! The dashboard: what needs the person now, in their current tenant. Each panel is there
//! only for someone who may see what it shows: their own services, tasks and notifications
//! for everyone; the tenant's panels with `dashboard:view` (each also needs the permission of
//! the page it links to); the platform's with platform authority.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{audit::AuditEntryView, notification::Notification, task::TaskStatus};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DashboardView {
    /// The services the person may use here, with their health.
    pub services: Vec<ServiceLine>,
    /// Their open tasks: absent where they cannot use the Task Manager.
    pub tasks: Option<TaskPanel>,
    /// Their newest notifications here.
    pub notifications: Vec<Notification>,
    /// The tenant's panels (`dashboard:view`).
    pub tenant: Option<TenantPanels>,
    /// The platform's panels (platform authority).
    pub platform: Option<PlatformPanels>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceLine {
    pub name: String,
    pub display_name: String,
    /// `ACTIVE` or `MAINTENANCE`.
    pub status: String,
    /// `HEALTHY`, `UNHEALTHY` or `UNKNOWN`; absent for a service without health checks.
    pub health: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TaskPanel {
    /// Tasks assigned to the person, to do or in progress.
    pub assigned_open: i64,
    /// Those of them overdue or due within 7 days, soonest first (at most 10).
    pub due: Vec<DueTask>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DueTask {
    pub id: Uuid,
    pub title: String,
    pub due_date: NaiveDate,
    pub status: TaskStatus,
    pub overdue: bool,
}

/// Each panel is absent without the permission of the page it links to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TenantPanels {
    /// Members of the user limit (`tenant:read`).
    pub seats: Option<Seats>,
    /// Invitations not yet answered (`user:read`).
    pub pending_invitations: Option<i64>,
    /// Members whose access ends within 7 days (`user:read`).
    pub access_ending: Option<Vec<EndingAccess>>,
    /// The tenant's services, their health and the last 24 hours' gateway calls
    /// (`service:read`).
    pub services: Option<Vec<TenantServiceLine>>,
    /// The newest audit entries (`audit:read`).
    pub audit: Option<Vec<AuditEntryView>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Seats {
    pub used: i64,
    pub limit: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EndingAccess {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TenantServiceLine {
    pub name: String,
    pub display_name: String,
    pub health: Option<String>,
    /// Reached through the gateway (so its calls are counted).
    pub external: bool,
    /// Gateway calls from this tenant in the last 24 hours, and those that failed (5xx).
    pub calls_24h: i64,
    pub errors_24h: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlatformPanels {
    /// Tenants per status.
    pub tenants_by_status: Vec<Count>,
    /// Services per health (`UNKNOWN` for those not judged or without checks).
    pub services_by_health: Vec<Count>,
    /// Gateway calls in the last hour, and those that failed (5xx).
    pub gateway_calls_hour: i64,
    pub gateway_errors_hour: i64,
    /// Mail the outbox gave up on in the last 7 days.
    pub failed_mail_7d: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Count {
    pub key: String,
    pub count: i64,
}
