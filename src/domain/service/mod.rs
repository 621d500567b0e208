//! The service registry's shapes and rules: what a service is (type, status, visibility,
//! authentication), its endpoints, form and menu schemas, and which tenants and users may use
//! it. Compiles for the browser too, which validates with the same code.

pub mod endpoint;
pub mod health;
pub mod menu;
pub mod openapi;
pub mod page;
pub mod reader;
pub mod view;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    closed_set,
    domain::{
        error::AppError,
        form::{serde_as_str, FormSchema, PatternCheck},
        identity::parse_email,
        permission::{Permission, PermissionSet},
    },
};

use self::{
    menu::MenuSchema,
    reader::{JsonPath, Obj},
};

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

/// What a registration or update may carry besides the spec.
pub const SPEC_KEYS: &[&str] = &[
    "name",
    "displayName",
    "description",
    "type",
    "category",
    "status",
    "visibility",
    "baseUrl",
    "authType",
    "healthCheckUrl",
    "formSchema",
    "menuSchema",
    "settingsSchema",
    "version",
    "documentationUrl",
    "contactEmail",
];

impl ServiceSpec {
    /// Reads a registration (`base` = None) or an update of `base` (absent keys keep their
    /// value, `null` clears an optional one). `extra` lists further keys the caller reads.
    pub fn parse(
        value: &Value,
        base: Option<&ServiceSpec>,
        extra: &[&str],
        pattern_ok: PatternCheck,
    ) -> Result<Self, AppError> {
        let known: Vec<&str> = SPEC_KEYS.iter().chain(extra).copied().collect();
        let o = Obj::new(value, JsonPath::root(""))?.only(&known)?;
        let name = match (o.opt_str("name", 63)?, base) {
            (Some(n), Some(b)) if n != b.name => {
                return Err(o
                    .at("name")
                    .error("cannot be changed; register a new service"))
            }
            (Some(n), _) => n,
            (None, Some(b)) => b.name.clone(),
            (None, None) => return Err(o.at("name").error("is required")),
        };
        if !is_service_name(&name) {
            return Err(o
                .at("name")
                .error("must be 2 to 63 lowercase letters, digits or -, starting with a letter"));
        }
        let display_name = match (o.opt_str("displayName", 200)?, base) {
            (Some(d), _) => d,
            (None, Some(b)) if !o.has("displayName") => b.display_name.clone(),
            _ => return Err(o.at("displayName").error("is required")),
        };
        let service_type = closed(
            &o,
            "type",
            base.map(|b| b.service_type),
            None,
            ServiceType::parse_field,
        )?;
        let status = closed(
            &o,
            "status",
            base.map(|b| b.status),
            Some(ServiceStatus::Active),
            ServiceStatus::parse_field,
        )?;
        let visibility = closed(
            &o,
            "visibility",
            base.map(|b| b.visibility),
            Some(Visibility::Private),
            Visibility::parse_field,
        )?;
        let auth_type = closed(
            &o,
            "authType",
            base.map(|b| b.auth_type),
            Some(AuthType::None),
            AuthType::parse_field,
        )?;
        let opt = |key: &str,
                   max: usize,
                   old: Option<&Option<String>>|
         -> Result<Option<String>, AppError> {
            match o.opt_str(key, max)? {
                Some(v) => Ok(Some(v)),
                None if o.has(key) => Ok(None),
                None => Ok(old.cloned().flatten()),
            }
        };
        let base_url = opt("baseUrl", 500, base.map(|b| &b.base_url))?;
        let health_check_url = opt("healthCheckUrl", 500, base.map(|b| &b.health_check_url))?;
        let documentation_url = opt("documentationUrl", 500, base.map(|b| &b.documentation_url))?;
        for (key, url) in [
            ("baseUrl", &base_url),
            ("healthCheckUrl", &health_check_url),
            ("documentationUrl", &documentation_url),
        ] {
            if let Some(u) = url {
                if !(u.starts_with("http://") || u.starts_with("https://")) {
                    return Err(o.at(key).error("must be an http or https URL"));
                }
            }
        }
        match service_type {
            ServiceType::External if base_url.is_none() => {
                return Err(o.at("baseUrl").error("is required for an EXTERNAL service"))
            }
            ServiceType::Internal if base_url.is_some() => {
                return Err(o
                    .at("baseUrl")
                    .error("an INTERNAL service is hosted here and has no base URL"))
            }
            _ => {}
        }
        if service_type == ServiceType::Internal && auth_type != AuthType::None {
            return Err(o
                .at("authType")
                .error("an INTERNAL service shares Inti's authentication; use NONE"));
        }
        let contact_email = match opt("contactEmail", 255, base.map(|b| &b.contact_email))? {
            Some(e) => Some(parse_email("contactEmail", &e)?),
            None => None,
        };
        let form_schema = schema(
            &o,
            "formSchema",
            base.and_then(|b| b.form_schema.clone()),
            |v, p| FormSchema::parse(v, p, pattern_ok),
        )?;
        let settings_schema = schema(
            &o,
            "settingsSchema",
            base.and_then(|b| b.settings_schema.clone()),
            |v, p| FormSchema::parse(v, p, pattern_ok),
        )?;
        let menu_schema = schema(
            &o,
            "menuSchema",
            base.and_then(|b| b.menu_schema.clone()),
            MenuSchema::parse,
        )?;
        let version = match (o.opt_str("version", 50)?, base) {
            (Some(v), _) => v,
            (None, Some(b)) => b.version.clone(),
            (None, None) => "1.0.0".to_string(),
        };
        Ok(Self {
            name,
            display_name,
            description: opt("description", 5000, base.map(|b| &b.description))?,
            service_type,
            category: opt("category", 100, base.map(|b| &b.category))?,
            status,
            visibility,
            base_url,
            auth_type,
            health_check_url,
            form_schema,
            menu_schema,
            settings_schema,
            version,
            documentation_url,
            contact_email,
        })
    }
}

fn closed<T: Copy>(
    o: &Obj<'_>,
    key: &str,
    old: Option<T>,
    default: Option<T>,
    parse: fn(&str, &str) -> Result<T, AppError>,
) -> Result<T, AppError> {
    match o.opt_str(key, 40)? {
        Some(raw) => parse(o.at(key).as_str(), &raw),
        None => old
            .or(default)
            .ok_or_else(|| o.at(key).error("is required")),
    }
}

fn schema<T>(
    o: &Obj<'_>,
    key: &str,
    old: Option<T>,
    parse: impl FnOnce(&Value, JsonPath) -> Result<T, AppError>,
) -> Result<Option<T>, AppError> {
    match o.get(key) {
        Some(v) => parse(v, o.at(key)).map(Some),
        None if o.has(key) => Ok(None),
        None => Ok(old),
    }
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
