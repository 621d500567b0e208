//! Parsing of people's identifiers and secrets chosen by them: emails, names, new passwords.

use crate::domain::error::AppError;

pub const MIN_PASSWORD_LEN: usize = 10;

/// A normalised (trimmed, lower-case) email with a plausible shape. Deliverability is not
/// checked here.
pub fn parse_email(field: &str, raw: &str) -> Result<String, AppError> {
    let email = raw.trim().to_lowercase();
    match email_problem(&email) {
        Some(problem) => Err(AppError::validation(field, problem)),
        None => Ok(email),
    }
}

/// What is wrong with the shape of a trimmed email, if anything. Case plays no part, so forms
/// check with this in the browser without lower-casing (whose Unicode table would weigh on
/// every page's WASM).
pub fn email_problem(email: &str) -> Option<&'static str> {
    if email.is_empty() {
        return Some("Email is required");
    }
    if email.len() > 255 {
        return Some("Email must be at most 255 characters");
    }
    let invalid = Some("Enter an email address like name@example.com");
    let Some((local, domain)) = email.split_once('@') else {
        return invalid;
    };
    let plausible = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace);
    if plausible {
        None
    } else {
        invalid
    }
}

pub fn parse_name(field: &str, raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::validation(field, "Name is required"));
    }
    if name.chars().count() > 255 {
        return Err(AppError::validation(
            field,
            "Name must be at most 255 characters",
        ));
    }
    // Names appear in other people's mails, notices and lists: one line, and no direction
    // controls that would make them read as something else.
    if name.chars().any(|c| {
        c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                    | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}')
    }) {
        return Err(AppError::validation(
            field,
            "Name must be one line without control characters",
        ));
    }
    Ok(name.to_string())
}

/// Length is what matters (NIST SP 800-63B); no composition rules.
pub fn check_new_password(field: &str, password: &str) -> Result<(), AppError> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(AppError::validation(
            field,
            format!("Password must be at least {MIN_PASSWORD_LEN} characters"),
        ));
    }
    if password.len() > crate::domain::login::MAX_PASSWORD_LEN {
        return Err(AppError::validation(field, "Password is too long"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(parse_email("email", " A@B.io ").unwrap(), "a@b.io");
        for bad in ["", "a", "a@b", "@b.io", "a@.io", "a b@c.io", "a@b.io."] {
            let err = parse_email("email", bad).unwrap_err();
            assert!(
                matches!(err, AppError::Validation { ref field, .. } if field == "email"),
                "{bad}"
            );
        }
    }

    #[test]
    fn names_and_passwords() {
        assert_eq!(parse_name("name", "  Ana ").unwrap(), "Ana");
        assert!(parse_name("name", "   ").is_err());
        assert!(check_new_password("password", "short").is_err());
        assert!(check_new_password("password", "long enough pw").is_ok());
    }
}
