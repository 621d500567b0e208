//! Audit log entries as the API and the viewer present them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
    /// Platform staff (a super admin) acted. A business tenant's view shows such an entry
    /// without the person's id, address or network.
    #[serde(default)]
    pub actor_platform: bool,
}

crate::closed_set! {
    /// Every action the audit log records.
    pub enum AuditAction {
        AuthLogin => "auth.login",
        AuthLogout => "auth.logout",
        AuthSwitchTenant => "auth.switch_tenant",
        AuthRefreshTokenReuse => "auth.refresh_token_reuse",
        AuthLockout => "auth.lockout",
        AuthLockoutEnd => "auth.lockout_end",
        AuthSecondFactor => "auth.second_factor",
        AccountRename => "account.rename",
        AccountPasswordChange => "account.password_change",
        AccountPasswordResetRequest => "account.password_reset_request",
        AccountPasswordSet => "account.password_set",
        AccountEmailChangeRequest => "account.email_change_request",
        AccountEmailChange => "account.email_change",
        AccountSessionRevoke => "account.session_revoke",
        AccountTwoFactorEnable => "account.two_factor_enable",
        AccountTwoFactorDisable => "account.two_factor_disable",
        AccountRecoveryCodes => "account.recovery_codes",
        RoleCreate => "role.create",
        RoleUpdate => "role.update",
        RoleDelete => "role.delete",
        TenantCreate => "tenant.create",
        TenantUpdate => "tenant.update",
        UserUpdate => "user.update",
        UserRemove => "user.remove",
        UserCreateSuperadmin => "user.create_superadmin",
        UserStatusChange => "user.status_change",
        UserInvite => "user.invite",
        InvitationAccept => "invitation.accept",
        InvitationDecline => "invitation.decline",
        InvitationRevoke => "invitation.revoke",
        ServiceRegister => "service.register",
        ServiceUpdate => "service.update",
        ServiceDelete => "service.delete",
        ServiceKeySet => "service.key_set",
        ServiceKeyRotate => "service.key_rotate",
        EndpointCreate => "service.endpoint_create",
        EndpointUpdate => "service.endpoint_update",
        EndpointDelete => "service.endpoint_delete",
        ServiceAssign => "service.assign",
        ServiceUnassign => "service.unassign",
        MenuLayoutSave => "menu.layout_save",
        MenuLayoutRevert => "menu.layout_revert",
        FormSave => "form.save",
        FormRestore => "form.restore",
        FormSubmit => "form.submit",
        TaskCreate => "task.create",
        TaskUpdate => "task.update",
        TaskStatusChange => "task.status_change",
        TaskDelete => "task.delete",
        TaskComment => "task.comment",
        WebhookReceive => "webhook.receive",
        WebhookRefuse => "webhook.refuse",
    }
}
