//! The second factor as clients see it: the account's status, setting up an authenticator
//! app, recovery codes, and the login step that asks for a code.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /api/v1/account/two-factor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TwoFactorStatus {
    /// An authenticator app is set up; sign-ins ask for its code.
    pub enabled: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// A tenant this person administers requires it (for a platform admin: any tenant).
    pub required: bool,
}

/// `POST /api/v1/account/two-factor/setup` (and a login that must set it up first): what the
/// authenticator app needs. Shown once; nothing is enabled until a code confirms it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TwoFactorSetup {
    /// The secret in base32, grouped in fours, for typing in by hand.
    pub secret: String,
    /// The `otpauth://totp/...` link the QR code holds.
    pub otpauth_uri: String,
    /// The QR code: an SVG image as a `data:` URI.
    pub qr_code: String,
}

/// A code from the authenticator app (six digits) or, where allowed, a recovery code.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct TwoFactorCode {
    pub code: String,
}

/// New recovery codes, shown once: each signs in once in place of a code.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// A login whose password was right and that now needs the second factor: the client sends
/// `challengeToken` with a code to `POST /api/v1/auth/login/verify` before `expiresAt`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LoginChallenge {
    pub challenge_token: String,
    pub expires_at: DateTime<Utc>,
    /// Always `TOTP` today.
    pub method: String,
    /// The tenant requires a second factor of this administrator, who has none yet: set up
    /// the authenticator with this, then verify with its first code (the answer then also
    /// carries the recovery codes).
    pub setup: Option<TwoFactorSetup>,
}

/// `POST /api/v1/auth/login/verify`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct VerifyLogin {
    pub challenge_token: String,
    /// Six digits from the authenticator app, or a recovery code (`XXXXX-XXXXX`).
    pub code: String,
}

/// A code field: present, and short enough to be one.
pub fn parse_code(raw: &str) -> Result<String, crate::domain::error::AppError> {
    let code = raw.trim();
    if code.is_empty() {
        return Err(crate::domain::error::AppError::validation(
            "code",
            "Enter the code from your authenticator app",
        ));
    }
    if code.chars().count() > 32 {
        return Err(crate::domain::error::AppError::validation(
            "code",
            "A code is six digits, or a recovery code like ABCDE-FGHJK",
        ));
    }
    Ok(code.to_string())
}
