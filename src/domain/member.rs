//! A tenant's members as the users API and pages present them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
    /// The account signs in with a second factor.
    pub two_factor_enabled: bool,
}

/// An account as the platform-wide user list shows it (super admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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

/// `POST /api/v1/users`: invites someone into the caller's current tenant. The answer is
/// 202: the person joins when they accept (a new address chooses its password from the
/// mailed link; nobody else ever does).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Invite {
    /// The address the invitation is mailed to.
    pub email: String,
    /// The name of the account, when the invitation creates it (ignored when the address
    /// already has an account; required either way, so that the answer does not tell the
    /// two apart).
    pub name: String,
    /// A role of this tenant the caller may grant.
    pub role: String,
    /// When the access ends (RFC 3339); none: it does not.
    pub expires_at: Option<DateTime<Utc>>,
}

/// `PATCH /api/v1/users/{id}`: changes a member's access in the current tenant. Absent keys
/// keep their value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct EditMember {
    pub name: Option<String>,
    /// A role of this tenant the caller may grant.
    pub role: Option<String>,
    /// When the access ends; `null` clears the expiry.
    #[serde(deserialize_with = "crate::domain::command::present")]
    pub expires_at: Option<Option<DateTime<Utc>>>,
    /// `ACTIVE` or `SUSPENDED`.
    pub access_status: Option<String>,
}

/// `PATCH /api/v1/core/users/{id}`: an account's status on the whole platform (super admins).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SetAccountStatus {
    /// `ACTIVE` or `SUSPENDED`.
    pub status: String,
}
