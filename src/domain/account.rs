//! What a signed-in user and client see about themselves. These are the JSON shapes of the
//! seed document (camelCase) and are also what the browser UI renders.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The user as the API presents them in their current tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub home_tenant_id: Uuid,
    pub current_tenant_id: Uuid,
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
}

/// A tenant the user can reach, with the role they hold there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantAccess {
    pub id: Uuid,
    pub name: String,
    pub domain: String,
    #[serde(rename = "type")]
    pub tenant_type: String,
    pub user_role: String,
}

/// Everything the app layout needs: who is signed in, where, and where else they can go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    pub user: UserView,
    pub current_tenant: TenantAccess,
    pub tenants: Vec<TenantAccess>,
    /// What the current tenant can use, with the endpoints this user may call.
    pub accessible_services: Vec<AccessibleService>,
}

/// A service the current tenant can use (seed document, `accessibleServices`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessibleService {
    pub id: Uuid,
    pub name: String,
    pub display_name: String,
    #[serde(rename = "type")]
    pub service_type: String,
    /// MAINTENANCE services show with a badge; their calls answer 503.
    pub status: String,
    pub category: Option<String>,
    /// The endpoints the user may call (their names).
    pub endpoints: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRef {
    pub id: Uuid,
    pub name: String,
    pub domain: String,
}

/// The user after a tenant switch, in the seed document's shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SwitchedUser {
    pub id: Uuid,
    pub current_tenant_id: Uuid,
    pub current_tenant: TenantRef,
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
    pub accessible_services: Vec<AccessibleService>,
}
