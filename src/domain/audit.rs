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

/// Every action the audit log records. The filter list and the stored strings derive from
/// this enum, so a new action cannot be forgotten in either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    AuthLogin,
    AuthLogout,
    AuthSwitchTenant,
    AuthRefreshTokenReuse,
    AuthLockout,
    AuthLockoutEnd,
    AccountRename,
    AccountPasswordChange,
    RoleCreate,
    RoleUpdate,
    RoleDelete,
    TenantCreate,
    TenantUpdate,
    UserUpdate,
    UserRemove,
    UserCreateSuperadmin,
    UserInvite,
    InvitationAccept,
    InvitationDecline,
    InvitationRevoke,
}

impl AuditAction {
    pub const ALL: [Self; 20] = [
        Self::AuthLogin,
        Self::AuthLogout,
        Self::AuthSwitchTenant,
        Self::AuthRefreshTokenReuse,
        Self::AuthLockout,
        Self::AuthLockoutEnd,
        Self::AccountRename,
        Self::AccountPasswordChange,
        Self::RoleCreate,
        Self::RoleUpdate,
        Self::RoleDelete,
        Self::TenantCreate,
        Self::TenantUpdate,
        Self::UserUpdate,
        Self::UserRemove,
        Self::UserCreateSuperadmin,
        Self::UserInvite,
        Self::InvitationAccept,
        Self::InvitationDecline,
        Self::InvitationRevoke,
    ];

    /// The stored and displayed name, `area.action`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthLogin => "auth.login",
            Self::AuthLogout => "auth.logout",
            Self::AuthSwitchTenant => "auth.switch_tenant",
            Self::AuthRefreshTokenReuse => "auth.refresh_token_reuse",
            Self::AuthLockout => "auth.lockout",
            Self::AuthLockoutEnd => "auth.lockout_end",
            Self::AccountRename => "account.rename",
            Self::AccountPasswordChange => "account.password_change",
            Self::RoleCreate => "role.create",
            Self::RoleUpdate => "role.update",
            Self::RoleDelete => "role.delete",
            Self::TenantCreate => "tenant.create",
            Self::TenantUpdate => "tenant.update",
            Self::UserUpdate => "user.update",
            Self::UserRemove => "user.remove",
            Self::UserCreateSuperadmin => "user.create_superadmin",
            Self::UserInvite => "user.invite",
            Self::InvitationAccept => "invitation.accept",
            Self::InvitationDecline => "invitation.decline",
            Self::InvitationRevoke => "invitation.revoke",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
