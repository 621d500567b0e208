//! The service registry's shapes and rules: what a service is (type, status, visibility,
//! authentication), its endpoints, form and menu schemas, and which tenants and users may use
//! it. Compiles for the browser too, which validates with the same code.

pub mod command;
pub mod endpoint;
pub mod health;
pub mod menu;
pub mod openapi;
pub mod page;
pub mod reader;
pub mod view;

use serde::{Deserialize, Serialize};

use crate::{
    closed_set,
    domain::{
        form::{serde_as_str, FormSchema},
        permission::{Permission, PermissionSet},
    },
};

use self::menu::MenuSchema;

closed_set! {
    /// INTERNAL: hosted in this application. EXTERNAL: another application, reached through
    /// the gateway at its `baseUrl`.
    pub enum ServiceType {
        Internal => "INTERNAL",
        External => "EXTERNAL",
    }
}

closed_set! {
    /// INACTIVE: invisible outside the registry. MAINTENANCE: visible with a badge; calls
    /// answer 503 and forms are disabled.
    pub enum ServiceStatus {
        Active => "ACTIVE",
        Inactive => "INACTIVE",
        Maintenance => "MAINTENANCE",
    }
}

closed_set! {
    /// PUBLIC: every active business tenant, unless its assignment is suspended. PRIVATE:
    /// tenants with an active assignment. RESTRICTED: those, and only users who also hold
    /// `service:access:<name>`.
    pub enum Visibility {
        Public => "PUBLIC",
        Private => "PRIVATE",
        Restricted => "RESTRICTED",
    }
}

closed_set! {
    /// How the gateway authenticates to an external service.
    pub enum AuthType {
        None => "NONE",
        ApiKey => "API_KEY",
        Jwt => "JWT",
        Oauth => "OAUTH",
    }
}

closed_set! {
    pub enum AssignmentStatus {
        Active => "ACTIVE",
        Inactive => "INACTIVE",
        Suspended => "SUSPENDED",
    }
}

serde_as_str!(ServiceType);
serde_as_str!(ServiceStatus);
serde_as_str!(Visibility);
serde_as_str!(AuthType);
serde_as_str!(AssignmentStatus);

/// Largest `customSettings` object, serialized.
pub const MAX_SETTINGS_BYTES: usize = 16 * 1024;

/// Whether `name` is a service name: lowercase letters, digits and `-`, starting with a
/// letter, 2 to 63 characters (it appears in URLs and in `service:access:<name>`).
const RESERVED_NAMES: &[&str] = &["core", "custom"];

pub fn is_service_name(name: &str) -> bool {
    let mut chars = name.chars();
    // `core` and `custom` name the menu's own items (`core.users`, `custom.help`).
    !RESERVED_NAMES.contains(&name)
        && (2..=63).contains(&name.len())
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The permission a RESTRICTED service requires besides an assignment.
pub fn access_permission(name: &str) -> String {
    format!("service:access:{name}")
}

/// A service's settable description (everything but its key and endpoints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceSpec {
    pub name: String,
    pub display_name: String,
    pub description: Option<String>,
    #[serde(rename = "type")]
    pub service_type: ServiceType,
    pub category: Option<String>,
    pub status: ServiceStatus,
    pub visibility: Visibility,
    pub base_url: Option<String>,
    pub auth_type: AuthType,
    pub health_check_url: Option<String>,
    pub form_schema: Option<FormSchema>,
    pub menu_schema: Option<MenuSchema>,
    pub settings_schema: Option<FormSchema>,
    pub version: String,
    pub documentation_url: Option<String>,
    pub contact_email: Option<String>,
}

/// Who may use a service in a tenant: the one place the visibility rules live.
#[derive(Debug, Clone, Copy)]
pub struct Usage<'a> {
    pub name: &'a str,
    pub status: ServiceStatus,
    pub visibility: Visibility,
    /// The tenant's assignment of the service, if any.
    pub assignment: Option<AssignmentStatus>,
    /// PUBLIC services reach ACTIVE business tenants only (the CORE tenant administers
    /// services); an explicit assignment works for any tenant.
    pub business_tenant: bool,
}

impl<'a> Usage<'a> {
    /// The rules' input as stored (status, visibility and assignment as text); `None` when
    /// a value does not read back, so that the caller can skip that one row.
    pub fn read(
        name: &'a str,
        status: &str,
        visibility: &str,
        assignment: Option<&str>,
        business_tenant: bool,
    ) -> Option<Self> {
        Some(Self {
            name,
            status: ServiceStatus::parse(status)?,
            visibility: Visibility::parse(visibility)?,
            assignment: assignment.and_then(AssignmentStatus::parse),
            business_tenant,
        })
    }

    /// Whether the tenant may use the service (MAINTENANCE included: it shows, with a badge).
    pub fn tenant_may_use(&self) -> bool {
        if self.status == ServiceStatus::Inactive {
            return false;
        }
        match self.visibility {
            Visibility::Public => {
                self.business_tenant
                    && self.assignment != Some(AssignmentStatus::Suspended)
                    && self.assignment != Some(AssignmentStatus::Inactive)
            }
            Visibility::Private | Visibility::Restricted => {
                self.assignment == Some(AssignmentStatus::Active)
            }
        }
    }

    /// Whether a user holding `permissions` in the tenant may use it.
    pub fn user_may_use(&self, permissions: &PermissionSet) -> bool {
        self.tenant_may_use()
            && (self.visibility != Visibility::Restricted
                || access_permission(self.name)
                    .parse::<Permission>()
                    .is_ok_and(|p| permissions.covers(&p)))
    }
}

#[cfg(test)]
mod tests;
