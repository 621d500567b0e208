//! The second factor's building blocks: TOTP secrets and codes (RFC 6238: SHA-1, 6 digits,
//! 30-second steps, one step of clock drift either way), the authenticator app's
//! `otpauth://` link and its QR code, and single-use recovery codes.

use rand::RngCore;
use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret as TotpSecret, Totp};

use crate::domain::error::AppError;

/// 160 bits, as RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;
/// How many recovery codes a person gets at a time.
pub const RECOVERY_CODES: usize = 10;

pub fn new_secret() -> Vec<u8> {
    let mut bytes = vec![0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

fn totp(secret: &[u8], account: &str, issuer: &str) -> Result<Totp, AppError> {
    Builder::new()
        .with_secret(TotpSecret::from(secret))
        // `:` separates issuer and account in the link's label: never inside either.
        .with_account_name(account.replace(':', " "))
        .with_issuer(Some(issuer.replace(':', " ")))
        .build()
        .map_err(|e| {
            tracing::error!(error = %e, "a TOTP secret could not be used");
            AppError::Internal
        })
}

/// The secret as people type it into an authenticator app by hand: base32 in groups of four.
pub fn display_secret(secret: &[u8]) -> String {
    let plain = TotpSecret::from(secret).to_base32();
    let plain = plain.trim_end_matches('=');
    plain
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The secret back from its display form (spaces and padding ignored).
pub fn secret_from_display(shown: &str) -> Option<Vec<u8>> {
    let plain: String = shown.chars().filter(|c| !c.is_whitespace()).collect();
    TotpSecret::try_from_base32(plain.to_ascii_uppercase())
        .ok()
        .map(|s| s.as_bytes().to_vec())
}

/// The `otpauth://totp/...` link an authenticator app reads from the QR code.
pub fn otpauth_uri(secret: &[u8], account: &str, issuer: &str) -> Result<String, AppError> {
    totp(secret, account, issuer)?
        .to_url()
        .map_err(|_| AppError::Internal)
}

/// The link as a QR code: an SVG image in a `data:` URI, for an `<img>`.
pub fn qr_code(uri: &str) -> Result<String, AppError> {
    use base64::Engine;
    let code = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| AppError::Internal)?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

/// The time step a code belongs to, when it is one of the secret's codes now (give or take one
/// step). The caller refuses a step at or before the last one accepted (RFC 6238 §5.2: each
/// code is good once).
pub fn matching_step(secret: &[u8], code: &str, now_secs: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    totp(secret, "", "x").ok()?.check(&code, now_secs)
}

/// The code of the secret at a moment (tests use it; people use their app).
pub fn code_at(secret: &[u8], now_secs: u64) -> String {
    totp(secret, "", "x")
        .map(|t| t.generate(now_secs).to_string())
        .unwrap_or_default()
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Whether what someone typed has a TOTP code's shape (six digits) rather than a recovery
/// code's.
pub fn looks_like_totp(code: &str) -> bool {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Letters and digits that cannot be misread for one another (no 0/O, 1/I/L, U/V).
const RECOVERY_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTWXYZ23456789";

/// A fresh set of recovery codes (`XXXXX-XXXXX`, about 48 bits each), to show once.
pub fn new_recovery_codes() -> Vec<String> {
    let alphabet = RECOVERY_ALPHABET;
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            // 29 symbols: `% 29` over a byte leans slightly to the first ones; 48 bits remain.
            let chars: String = bytes
                .iter()
                .map(|b| alphabet[(*b as usize) % alphabet.len()] as char)
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// What is stored of a recovery code: SHA-256 of the account's id and the code's normalised
/// form (upper case, no dashes or spaces, so that `abcde fghij` matches `ABCDE-FGHIJ`). The
/// id makes one search of the code space find one account's codes, not everyone's.
pub fn recovery_hash(user_id: uuid::Uuid, code: &str) -> [u8; 32] {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut hash = Sha256::new();
    hash.update(user_id.as_bytes());
    hash.update(normal.as_bytes());
    hash.finalize().into()
}

/// Which step a moment falls in.
#[cfg(test)]
fn step_of(now_secs: u64) -> u64 {
    now_secs / 30
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret "12345678901234567890" at 59 s gives 94287082
    /// (8 digits); its last 6 are the 6-digit code.
    #[test]
    fn codes_follow_rfc_6238() {
        let secret = b"12345678901234567890";
        assert_eq!(code_at(secret, 59), "287082");
        assert_eq!(code_at(secret, 1_111_111_109), "081804");
        assert_eq!(code_at(secret, 1_234_567_890), "005924");
    }

    #[test]
    fn a_code_matches_its_step_and_its_neighbours_only() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let code = code_at(&secret, now);
        assert_eq!(matching_step(&secret, &code, now), Some(step_of(now)));
        assert_eq!(
            matching_step(&secret, &code, now + 30),
            Some(step_of(now)),
            "one step late is allowed"
        );
        assert_eq!(
            matching_step(&secret, &code, now + 90),
            None,
            "three steps late is not"
        );
        assert_eq!(
            matching_step(&secret, &format!("{} {}", &code[..3], &code[3..]), now),
            Some(step_of(now)),
            "spaces are ignored"
        );
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
        assert_eq!(
            matching_step(&new_secret(), &code, now),
            None,
            "another secret"
        );
    }

    #[test]
    fn recovery_codes_are_distinct_and_match_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(code.len(), 11);
        assert_eq!(&code[5..6], "-");
        assert!(!looks_like_totp(code));
        let (me, other) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        assert_eq!(
            recovery_hash(me, code),
            recovery_hash(me, &code.to_lowercase().replace('-', " "))
        );
        assert_ne!(recovery_hash(me, code), recovery_hash(me, &codes[1]));
        assert_ne!(recovery_hash(me, code), recovery_hash(other, code));
    }

    #[test]
    fn the_link_names_issuer_and_account_and_carries_the_secret() {
        let secret = new_secret();
        let uri = otpauth_uri(&secret, "ana@acme.test", "Inti").unwrap();
        assert!(
            uri.starts_with("otpauth://totp/Inti:ana%40acme.test?"),
            "{uri}"
        );
        assert_eq!(
            secret_from_display(&display_secret(&secret)),
            Some(secret.clone())
        );
        let base32 = display_secret(&secret).replace(' ', "");
        assert!(uri.contains(&format!("secret={base32}")), "{uri}");
        assert!(uri.contains("issuer=Inti"), "{uri}");
        let qr = qr_code(&uri).unwrap();
        assert!(qr.starts_with("data:image/svg+xml;base64,"));
    }
}
