//! Invitations to join a tenant, as the inviting tenant and the invitee see them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What adding a member by email answers, the same whether or not the address already had
/// an account: the invitation, pending until its owner signs in and accepts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
