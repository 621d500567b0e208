//! Audit log entries as the API and the viewer present them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntryView {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub tenant_id: Option<Uuid>,
    pub tenant_domain: Option<String>,
    pub actor_user_id: Option<Uuid>,
    pub actor_email: Option<String>,
    pub action: String,
    pub outcome: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub client_ip: Option<String>,
    pub details: serde_json::Value,
}

/// The actions the log records, for filters.
pub const ACTIONS: [&str; 7] = [
    "auth.login",
    "auth.logout",
    "auth.switch_tenant",
    "auth.refresh_token_reuse",
    "tenant.create",
    "tenant.update",
    "user.create_superadmin",
];
