//! The step of a login between a right password and the second factor: a short-lived,
//! single-use challenge that a code redeems. Kept in Redis under its token's SHA-256 (the token
//! itself is only with the client), with the wrong codes tried against it.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    domain::error::AppError,
    server::{auth::refresh_token, secret::Secret, state::AppState},
};

use super::login::SessionKind;

/// How long the client has to send the code.
pub const TTL_SECS: i64 = 300;
/// Wrong codes a challenge takes before it is dropped (the account's lock counts them too).
const MAX_WRONG: i64 = 5;

/// Who passed the password and where the login was going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub user_id: Uuid,
    pub email: String,
    pub tenant_slug: Option<String>,
    pub kind: SessionKind,
    /// The tenant requires a second factor this account does not have yet: the code confirms
    /// the authenticator being set up.
    pub setup: bool,
}

fn key(state: &AppState, token: &str) -> String {
    format!(
        "{}login-challenge:{}",
        state.settings.redis.key_prefix,
        hex::encode(refresh_token::digest(token))
    )
}

fn unavailable(e: impl std::fmt::Display) -> AppError {
    crate::server::metrics::redis_error();
    tracing::warn!(error = %e, "login challenge store unavailable");
    AppError::Unavailable
}

/// Stores a new challenge; answers its token (for the client only) and when it ends.
pub async fn issue(
    state: &AppState,
    pending: &Pending,
) -> Result<(Secret, DateTime<Utc>), AppError> {
    let token = refresh_token::generate().token;
    let mut conn = state.redis.get().await?;
    redis::pipe()
        .atomic()
        .hset_multiple(
            key(state, token.expose()),
            &[
                ("user", pending.user_id.to_string()),
                ("email", pending.email.clone()),
                ("slug", pending.tenant_slug.clone().unwrap_or_default()),
                ("kind", pending.kind.as_str().to_string()),
                ("setup", u8::from(pending.setup).to_string()),
            ],
        )
        .ignore()
        .expire(key(state, token.expose()), TTL_SECS)
        .ignore()
        .query_async::<()>(&mut conn)
        .await
        .map_err(unavailable)?;
    Ok((token, Utc::now() + chrono::Duration::seconds(TTL_SECS)))
}

/// The live challenge of a token, if any.
pub async fn find(state: &AppState, token: &str) -> Result<Option<Pending>, AppError> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let mut conn = state.redis.get().await?;
    let fields: std::collections::HashMap<String, String> = redis::cmd("HGETALL")
        .arg(key(state, token))
        .query_async(&mut conn)
        .await
        .map_err(unavailable)?;
    let kind = match fields.get("kind").map(String::as_str) {
        Some("WEB") => SessionKind::Web,
        Some("API") => SessionKind::Api,
        _ => return Ok(None),
    };
    let (Some(user_id), Some(email)) = (
        fields.get("user").and_then(|u| u.parse().ok()),
        fields.get("email"),
    ) else {
        return Ok(None);
    };
    Ok(Some(Pending {
        user_id,
        email: email.clone(),
        tenant_slug: fields.get("slug").filter(|s| !s.is_empty()).cloned(),
        kind,
        setup: fields.get("setup").is_some_and(|s| s == "1"),
    }))
}

/// Counts a wrong code against a live challenge (never re-creating one that ended); the
/// challenge ends at the `MAX_WRONG`th.
const WRONG: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local n = redis.call('HINCRBY', KEYS[1], 'wrong', 1)
if n >= tonumber(ARGV[1]) then redis.call('DEL', KEYS[1]) end
return n
";

pub async fn wrong_code(state: &AppState, token: &str) -> Result<(), AppError> {
    static SCRIPT: std::sync::LazyLock<redis::Script> =
        std::sync::LazyLock::new(|| redis::Script::new(WRONG));
    let mut conn = state.redis.get().await?;
    SCRIPT
        .key(key(state, token))
        .arg(MAX_WRONG)
        .invoke_async::<i64>(&mut conn)
        .await
        .map_err(unavailable)?;
    Ok(())
}

/// Ends the challenge for its one use: true only for the request that ended it.
pub async fn spend(state: &AppState, token: &str) -> Result<bool, AppError> {
    let mut conn = state.redis.get().await?;
    let removed: i64 = redis::cmd("DEL")
        .arg(key(state, token))
        .query_async(&mut conn)
        .await
        .map_err(unavailable)?;
    Ok(removed == 1)
}
