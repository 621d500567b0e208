//! A tenant's members as the users API and pages present them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    /// The account's own status (a suspended account is suspended everywhere).
    pub status: String,
    pub home_tenant_id: Uuid,
    pub role: String,
    /// The grant's status in this tenant.
    pub access_status: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// An account as the platform-wide user list shows it (super admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub status: String,
    pub home_tenant_id: Uuid,
    pub home_tenant_domain: String,
    pub last_login_at: Option<DateTime<Utc>>,
}
