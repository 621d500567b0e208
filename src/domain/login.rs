//! Login input: normalisation and shape checks shared by the login page and the server.

use crate::domain::error::AppError;

pub const MAX_EMAIL_LEN: usize = 255;
/// Long enough for passphrases, short enough that hashing cannot be used to exhaust the CPU.
pub const MAX_PASSWORD_LEN: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
    pub tenant_slug: Option<String>,
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
