//! Login input: normalisation and shape checks shared by the login page and the server.

use serde::Deserialize;

use crate::domain::error::AppError;

pub const MAX_EMAIL_LEN: usize = 255;
/// Long enough for passphrases, short enough that hashing cannot be used to exhaust the CPU.
pub const MAX_PASSWORD_LEN: usize = 1024;

/// A password as a server function receives it: serialized as the plain string the form
/// sends, but never printed by `Debug` (server-function argument structs derive it).
#[derive(Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(value_type = String, format = Password))]
#[serde(transparent)]
pub struct Password(pub String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
    pub tenant_slug: Option<String>,
}

/// Never prints the password: login input ends up in logs and panics only through this.
impl std::fmt::Debug for LoginInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginInput")
            .field("email", &self.email)
            .field("password", &"[redacted]")
            .field("tenant_slug", &self.tenant_slug)
            .finish()
    }
}

impl LoginInput {
    /// The email as it may be recorded (audit log): only when it has an email's shape, so a
    /// password typed into the email field is never stored or shown to admins.
    pub fn auditable_email(&self) -> Option<String> {
        crate::domain::identity::parse_email("email", &self.email).ok()
    }

    /// The tenant slug as it may be recorded: only when it has a slug's shape (a password
    /// typed into the wrong field never has one: it would need to be lowercase letters,
    /// digits and hyphens only).
    pub fn auditable_tenant_slug(&self) -> Option<String> {
        let slug = self.tenant_slug.as_deref()?;
        crate::domain::tenant::parse_domain(slug).ok()
    }
}

impl LoginInput {
    /// Trims and lower-cases the email, drops an empty tenant slug, and rejects missing fields.
    pub fn parse(
        email: &str,
        password: String,
        tenant_slug: Option<&str>,
    ) -> Result<Self, AppError> {
        let email = email.trim().to_lowercase();
        if email.is_empty() {
            return Err(AppError::validation("email", "Email is required"));
        }
        if email.len() > MAX_EMAIL_LEN {
            return Err(AppError::validation("email", "Email is too long"));
        }
        if password.is_empty() {
            return Err(AppError::validation("password", "Password is required"));
        }
        if password.len() > MAX_PASSWORD_LEN {
            return Err(AppError::validation("password", "Password is too long"));
        }
        let tenant_slug = tenant_slug
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
        Ok(Self {
            email,
            password,
            tenant_slug,
        })
    }
}

/// `POST /api/v1/auth/login`: signs in with an email and password, into the home tenant or
/// the one `tenantSlug` names (a domain the account has access to).
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SignIn {
    pub email: String,
    /// Never logged, never answered.
    pub password: String,
    pub tenant_slug: Option<String>,
}

/// `POST /api/v1/auth/refresh`: a new token pair for a refresh token (which is then spent).
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Refresh {
    pub refresh_token: String,
}

/// `POST /api/v1/auth/switch-tenant`: continues the session in another tenant the account
/// has access to, with new tokens.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SwitchTenant {
    /// The tenant's id.
    #[cfg_attr(feature = "ssr", schema(format = Uuid))]
    pub tenant_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_email_and_slug() {
        let input = LoginInput::parse("  Admin@Core.COM ", "pw".into(), Some(" Core ")).unwrap();
        assert_eq!(input.email, "admin@core.com");
        assert_eq!(input.tenant_slug.as_deref(), Some("core"));
        let input = LoginInput::parse("a@b.c", "pw".into(), Some("  ")).unwrap();
        assert_eq!(input.tenant_slug, None);
    }

    #[test]
    fn debug_and_audit_never_show_a_secret() {
        let input = LoginInput::parse("hunter2-password", "s3cret-pw".into(), None).unwrap();
        let debug = format!("{input:?}");
        assert!(!debug.contains("s3cret-pw"), "{debug}");
        assert_eq!(input.auditable_email(), None);
        let input = LoginInput::parse(" Ann@Example.com", "pw".into(), None).unwrap();
        assert_eq!(input.auditable_email().as_deref(), Some("ann@example.com"));
        let input = LoginInput::parse("a@b.io", "pw".into(), Some("Hunter2!pw")).unwrap();
        assert_eq!(input.auditable_tenant_slug(), None);
        let input = LoginInput::parse("a@b.io", "pw".into(), Some(" TaskManager ")).unwrap();
        assert_eq!(
            input.auditable_tenant_slug().as_deref(),
            Some("taskmanager")
        );
    }

    #[test]
    fn names_the_missing_field() {
        let err = LoginInput::parse(" ", "pw".into(), None).unwrap_err();
        assert_eq!(err, AppError::validation("email", "Email is required"));
        let err = LoginInput::parse("a@b.c", String::new(), None).unwrap_err();
        assert_eq!(
            err,
            AppError::validation("password", "Password is required")
        );
        let err = LoginInput::parse("a@b.c", "x".repeat(MAX_PASSWORD_LEN + 1), None).unwrap_err();
        assert_eq!(
            err,
            AppError::validation("password", "Password is too long")
        );
    }
}
