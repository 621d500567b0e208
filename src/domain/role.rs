//! Roles: system roles and a tenant's custom roles, with their permissions.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{error::AppError, permission::Permission};

/// Permissions the platform knows about, offered by the role editor's picker.
pub const CATALOG: [(&str, &str); 18] = [
    ("dashboard:view", "See the dashboard"),
    ("tenant:read", "View tenant information"),
    ("tenant:update", "Update tenant settings"),
    ("user:read", "View the tenant's users"),
    ("user:manage", "Manage the tenant's users"),
    ("role:read", "View roles"),
    ("role:manage", "Create and edit custom roles"),
    ("service:read", "See the tenant's services"),
    ("menu:read", "View menus"),
    ("menu:create", "Create menus"),
    ("menu:update", "Update menus"),
    ("audit:read", "Read the tenant's audit log"),
    ("task:read", "Access the task manager"),
    ("task:create", "Create tasks"),
    ("task:*", "Every task permission"),
    ("whatsapp:blast", "Send WhatsApp messages"),
    ("whatsapp:read", "View message history"),
    ("*:read", "Read access to every resource"),
];

/// The permissions that make a member one of a tenant's administrators: whom the tenant may
/// require to use a second factor.
pub const ADMINISTRATION: [&str; 3] = ["user:manage", "role:manage", "tenant:update"];

crate::closed_set! {
    /// The roles every tenant has.
    pub enum SystemRole {
        SuperAdmin => "SUPER_ADMIN",
        TenantAdmin => "TENANT_ADMIN",
        User => "USER",
    }
}

/// Platform authority comes from one grant only: the system SUPER_ADMIN role, held in the
/// CORE tenant (a role of that name elsewhere, or a custom one, gives none).
pub fn is_platform_grant(tenant_type: &str, role_name: &str, role_is_system: bool) -> bool {
    role_is_system
        && role_name == SystemRole::SuperAdmin.as_str()
        && tenant_type == crate::domain::tenant::TenantType::Core.as_str()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RoleView {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// System roles are shared by every tenant and cannot be edited.
    pub system: bool,
    pub permissions: Vec<String>,
}

/// `UPPER_SNAKE_CASE`, 1-64 characters, starting with a letter.
pub fn parse_role_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim().to_uppercase().replace([' ', '-'], "_");
    let ok = name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if name.is_empty() {
        return Err(AppError::validation("name", "Name is required"));
    }
    ok.then_some(name).ok_or_else(|| {
        AppError::validation(
            "name",
            "Use letters, digits and underscores, starting with a letter",
        )
    })
}

/// Parses, de-duplicates and sorts a permission list; at least one is required.
pub fn parse_permissions<S: AsRef<str>>(raw: &[S]) -> Result<Vec<Permission>, AppError> {
    let mut parsed = raw
        .iter()
        .map(|s| s.as_ref().trim())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<Permission>().map_err(AppError::from))
        .collect::<Result<Vec<_>, _>>()?;
    parsed.sort();
    parsed.dedup();
    if parsed.is_empty() {
        return Err(AppError::validation(
            "permissions",
            "Choose at least one permission",
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_permission_lists() {
        assert_eq!(parse_role_name(" support agent ").unwrap(), "SUPPORT_AGENT");
        assert!(parse_role_name("1ST").is_err());
        assert!(parse_role_name("").is_err());
        let p = parse_permissions(&["task:read", " task:read", "menu:read"]).unwrap();
        assert_eq!(
            p.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["menu:read", "task:read"]
        );
        assert!(parse_permissions::<&str>(&[]).is_err());
        assert!(parse_permissions(&["Task"]).is_err());
        assert!(CATALOG.iter().all(|(p, _)| p.parse::<Permission>().is_ok()));
    }
}

/// `POST /api/v1/roles`: a custom role in the caller's current tenant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct AddRole {
    pub name: String,
    pub description: String,
    /// `resource:action[:scope]` strings the caller holds themselves (wildcards allowed).
    pub permissions: Vec<String>,
}

/// `PATCH /api/v1/roles/{id}`: a custom role's changes; absent parts stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct EditRole {
    pub description: Option<String>,
    pub permissions: Option<Vec<String>>,
}
