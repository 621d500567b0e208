//! Invitations to join a tenant, as the inviting tenant and the invitee see them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What adding a member by email answers, the same whether or not the address already had
/// an account: the invitation, pending until its owner signs in and accepts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub email: String,
    pub role: String,
    /// When the access it grants ends; `None` for no end.
    pub access_expires_at: Option<DateTime<Utc>>,
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// Where the invitation's e-mail stands (`PENDING`, `SENDING`, `SENT`, `FAILED`), for
    /// the inviting tenant; `None` to the invitee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<String>,
}

/// What a one-time link from an e-mail opens, as its page shows it before it is used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LinkView {
    /// `INVITATION` (choose a first password), `PASSWORD_RESET` or `EMAIL_CHANGE`.
    pub purpose: String,
    /// The account's address (for `EMAIL_CHANGE`, the new address it confirms).
    pub email: String,
    /// The account's pending invitations, to accept while choosing a first password.
    pub invitations: Vec<Invitation>,
}

crate::closed_set! {
    /// Where an invitation stands.
    pub enum InvitationStatus {
        Pending => "PENDING",
        Accepted => "ACCEPTED",
        Declined => "DECLINED",
        Revoked => "REVOKED",
    }
}
