//! Tenants as clients and admin pages see them, and the rules for their fields.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::error::AppError;

pub const TIERS: [&str; 3] = ["STARTER", "PROFESSIONAL", "ENTERPRISE"];
pub const STATUSES: [&str; 3] = ["ACTIVE", "INACTIVE", "SUSPENDED"];
/// Domains that would collide with the platform's own routes or names.
const RESERVED_DOMAINS: [&str; 6] = ["api", "admin", "www", "login", "static", "pkg"];

/// The subscription tier decides how many users a tenant may have.
pub fn max_users_for_tier(tier: &str) -> Option<i32> {
    match tier {
        "STARTER" => Some(10),
        "PROFESSIONAL" => Some(100),
        "ENTERPRISE" => Some(1000),
        _ => None,
    }
}

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
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::validation("name", "Name is required"));
    }
    if name.chars().count() > 255 {
        return Err(AppError::validation(
            "name",
            "Name must be at most 255 characters",
        ));
    }
    Ok(name.to_string())
}

pub fn parse_tier(raw: &str) -> Result<String, AppError> {
    let tier = raw.trim().to_uppercase();
    TIERS
        .contains(&tier.as_str())
        .then_some(tier)
        .ok_or_else(|| {
            AppError::validation(
                "subscriptionTier",
                "Choose STARTER, PROFESSIONAL or ENTERPRISE",
            )
        })
}

pub fn parse_status(raw: &str) -> Result<String, AppError> {
    let status = raw.trim().to_uppercase();
    STATUSES
        .contains(&status.as_str())
        .then_some(status)
        .ok_or_else(|| AppError::validation("status", "Choose ACTIVE, INACTIVE or SUSPENDED"))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
        assert_eq!(parse_tier("professional").unwrap(), "PROFESSIONAL");
        assert!(parse_tier("GOLD").is_err());
        assert_eq!(parse_status("suspended").unwrap(), "SUSPENDED");
        assert!(parse_status("gone").is_err());
        assert_eq!(max_users_for_tier("STARTER"), Some(10));
    }
}
