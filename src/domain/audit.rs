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

/// Declares the audit actions once: the enum, its stored names and the list of all of them
/// come from the same lines, so a new action cannot be missing from the filter list or the
/// stored strings.
macro_rules! audit_actions {
    ($($variant:ident => $name:literal,)+) => {
        /// Every action the audit log records.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($variant,)+
        }

        impl AuditAction {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The stored and displayed name, `area.action`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }
        }
    };
}

audit_actions! {
    AuthLogin => "auth.login",
    AuthLogout => "auth.logout",
    AuthSwitchTenant => "auth.switch_tenant",
    AuthRefreshTokenReuse => "auth.refresh_token_reuse",
    AuthLockout => "auth.lockout",
    AuthLockoutEnd => "auth.lockout_end",
    AccountRename => "account.rename",
    AccountPasswordChange => "account.password_change",
    RoleCreate => "role.create",
    RoleUpdate => "role.update",
    RoleDelete => "role.delete",
    TenantCreate => "tenant.create",
    TenantUpdate => "tenant.update",
    UserUpdate => "user.update",
    UserRemove => "user.remove",
    UserCreateSuperadmin => "user.create_superadmin",
    UserInvite => "user.invite",
    InvitationAccept => "invitation.accept",
    InvitationDecline => "invitation.decline",
    InvitationRevoke => "invitation.revoke",
}

impl AuditAction {
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|a| a.as_str() == s)
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
