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
        .hset_multiple(key(state, token.expose()), &fields_of(pending))
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
    Ok(parse(&fields))
}

fn fields_of(pending: &Pending) -> [(&'static str, String); 5] {
    [
        ("user", pending.user_id.to_string()),
        ("email", pending.email.clone()),
        ("slug", pending.tenant_slug.clone().unwrap_or_default()),
        ("kind", pending.kind.as_str().to_string()),
        ("setup", u8::from(pending.setup).to_string()),
    ]
}

fn parse(fields: &std::collections::HashMap<String, String>) -> Option<Pending> {
    let kind = match fields.get("kind").map(String::as_str) {
        Some("WEB") => SessionKind::Web,
        Some("API") => SessionKind::Api,
        _ => return None,
    };
    let user_id = fields.get("user").and_then(|u| u.parse().ok())?;
    Some(Pending {
        user_id,
        email: fields.get("email")?.clone(),
        tenant_slug: fields.get("slug").filter(|s| !s.is_empty()).cloned(),
        kind,
        setup: fields.get("setup").is_some_and(|s| s == "1"),
    })
}

/// Takes the challenge out of the store, atomically: the one request that gets it checks its
/// code (two at once cannot both try, nor both pass); a wrong code puts it back (`restore`).
/// Answers its fields, wrong codes so far and the milliseconds it had left.
const TAKE: &str = r"
local fields = redis.call('HGETALL', KEYS[1])
if #fields == 0 then return fields end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1])
table.insert(fields, 'ttl')
table.insert(fields, tostring(ttl))
return fields
";

/// A challenge taken for one code check.
pub struct Taken {
    pub pending: Pending,
    wrong: i64,
    ttl_ms: i64,
}

pub async fn take(state: &AppState, token: &str) -> Result<Option<Taken>, AppError> {
    static SCRIPT: std::sync::LazyLock<redis::Script> =
        std::sync::LazyLock::new(|| redis::Script::new(TAKE));
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let mut conn = state.redis.get().await?;
    let flat: Vec<String> = SCRIPT
        .key(key(state, token))
        .invoke_async(&mut conn)
        .await
        .map_err(unavailable)?;
    let fields: std::collections::HashMap<String, String> = flat
        .chunks(2)
        .filter_map(|kv| match kv {
            [k, v] => Some((k.clone(), v.clone())),
            _ => None,
        })
        .collect();
    let number = |name: &str| fields.get(name).and_then(|v| v.parse::<i64>().ok());
    Ok(parse(&fields).map(|pending| Taken {
        pending,
        wrong: number("wrong").unwrap_or(0),
        ttl_ms: number("ttl").unwrap_or(0),
    }))
}

/// Puts a challenge back after a wrong code, with the time it had left, unless that was its
/// `MAX_WRONG`th.
pub async fn restore(state: &AppState, token: &str, taken: &Taken) -> Result<(), AppError> {
    let wrong = taken.wrong + 1;
    if wrong >= MAX_WRONG || taken.ttl_ms <= 0 {
        return Ok(());
    }
    let mut conn = state.redis.get().await?;
    let key = key(state, token);
    redis::pipe()
        .atomic()
        .hset_multiple(&key, &fields_of(&taken.pending))
        .ignore()
        .hset(&key, "wrong", wrong)
        .ignore()
        .pexpire(&key, taken.ttl_ms)
        .ignore()
        .query_async::<()>(&mut conn)
        .await
        .map_err(unavailable)
}
