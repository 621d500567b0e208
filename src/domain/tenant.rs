//! Tenants as clients and admin pages see them, and the rules for their fields.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::error::AppError;

crate::closed_set! {
    /// What a tenant pays for; it sets the default user limit.
    pub enum Tier {
        Starter => "STARTER",
        Professional => "PROFESSIONAL",
        Enterprise => "ENTERPRISE",
    }
}

impl Tier {
    /// The user limit a tenant of this tier gets unless a custom one is set.
    pub fn max_users(self) -> i32 {
        match self {
            Self::Starter => 10,
            Self::Professional => 100,
            Self::Enterprise => 1000,
        }
    }
}

crate::closed_set! {
    /// A tenant's, an account's or a grant's status.
    pub enum Status {
        Active => "ACTIVE",
        Inactive => "INACTIVE",
        Suspended => "SUSPENDED",
    }
}

crate::closed_set! {
    /// The platform's own tenant, or a business tenant.
    pub enum TenantType {
        Core => "CORE",
        Business => "BUSINESS",
    }
}

/// Domains that would collide with the platform's own routes or names.
const RESERVED_DOMAINS: [&str; 6] = ["api", "admin", "www", "login", "static", "pkg"];

/// A tenant's slug (`domain`): 1-63 lowercase letters, digits and inner hyphens.
pub fn parse_domain(raw: &str) -> Result<String, AppError> {
    let domain = raw.trim().to_lowercase();
    let field = "domain";
    if domain.is_empty() {
        return Err(AppError::validation(field, "Domain is required"));
    }
    if domain.len() > 63 {
        return Err(AppError::validation(
            field,
            "Domain must be at most 63 characters",
        ));
    }
    let chars_ok = domain
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !chars_ok || domain.starts_with('-') || domain.ends_with('-') {
        return Err(AppError::validation(
            field,
            "Use lowercase letters, digits and hyphens, not starting or ending with a hyphen",
        ));
    }
    if RESERVED_DOMAINS.contains(&domain.as_str()) {
        return Err(AppError::validation(
            field,
            format!("\"{domain}\" is reserved"),
        ));
    }
    Ok(domain)
}

pub fn parse_tenant_name(raw: &str) -> Result<String, AppError> {
    crate::domain::identity::parse_name("name", raw)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TenantDetail {
    pub id: Uuid,
    pub name: String,
    pub domain: String,
    #[serde(rename = "type")]
    pub tenant_type: String,
    pub subscription_tier: String,
    pub status: String,
    pub max_users: i32,
    pub user_count: i64,
    pub settings: serde_json::Value,
    /// Its administrators sign in with a second factor.
    pub require_admin_two_factor: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains() {
        assert_eq!(parse_domain(" Acme-2 ").unwrap(), "acme-2");
        for bad in [
            "",
            "-acme",
            "acme-",
            "ac_me",
            "ac me",
            "api",
            &"a".repeat(64),
        ] {
            let err = parse_domain(bad).unwrap_err();
            assert!(
                matches!(err, AppError::Validation { ref field, .. } if field == "domain"),
                "{bad}"
            );
        }
    }

    #[test]
    fn tiers_and_statuses() {
        assert_eq!(
            Tier::parse_field("subscriptionTier", "professional"),
            Ok(Tier::Professional)
        );
        assert!(Tier::parse_field("subscriptionTier", "GOLD").is_err());
        assert_eq!(Status::parse("suspended"), Some(Status::Suspended));
        assert!(Status::parse("gone").is_none());
        assert_eq!(Tier::Starter.max_users(), 10);
    }
}

/// `POST /api/v1/core/tenants`: a new BUSINESS tenant (super admins).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct AddTenant {
    pub name: String,
    /// Lowercase letters, digits and `-`; unique; it cannot change later.
    pub domain: String,
    /// `FREE` (the default), `BASIC`, `PREMIUM` or `ENTERPRISE`.
    pub subscription_tier: Option<String>,
}

/// `PATCH /api/v1/core/tenants/{id}`: what changes. Absent keys keep their value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct EditTenant {
    pub name: Option<String>,
    pub subscription_tier: Option<String>,
    /// A custom user limit; without it, a tier change sets the tier's default.
    pub max_users: Option<i32>,
    /// `ACTIVE`, `INACTIVE` or `SUSPENDED`.
    pub status: Option<String>,
    /// The tenant's own settings, an object.
    pub settings: Option<serde_json::Value>,
}

/// `PATCH /api/v1/tenant`: what a tenant's admin changes of their own tenant. Domain, tier,
/// user limit and status are the platform's to change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct EditOwnTenant {
    pub name: Option<String>,
    /// The tenant's own settings, an object; replaces the stored one.
    pub settings: Option<serde_json::Value>,
    /// Members whose role manages users, roles or the tenant must sign in with a second factor
    /// (and set one up at their next sign-in if they have none).
    pub require_admin_two_factor: Option<bool>,
}
