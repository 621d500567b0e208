//! Calls per minute per (tenant, endpoint), one budget for every Inti node: GCRA in one
//! Redis script, on Redis' clock (`TIME`), so that nodes whose clocks differ still agree.
//! A limit of `n` per minute lets `n` calls through at once, then one every `60/n` seconds.

use std::sync::LazyLock;

use redis::Script;
use uuid::Uuid;

use crate::{domain::error::AppError, server::state::AppState};

/// KEYS[1]: the limit's key. ARGV: limit (calls per period, also the burst), period in
/// seconds. Answers {allowed (1/0), remaining, retry after (s, as text), reset after (s)}.
const GCRA: &str = r"
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local interval = period / limit
local t = redis.call('TIME')
local now = tonumber(t[1]) - 1700000000 + tonumber(t[2]) / 1000000
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - limit * interval
local diff = now - allow_at
if diff < 0 then
  return {0, 0, tostring(-diff), tostring(tat - now)}
end
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.ceil((new_tat - now) * 1000))
return {1, math.floor(diff / interval), '0', tostring(new_tat - now)}
";

static SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(GCRA));

pub const PERIOD_SECS: u32 = 60;

/// What the limiter decided, for the `RateLimit` headers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Whole seconds until a refused call may be tried again (0 when allowed).
    pub retry_after: u64,
    /// Whole seconds until the whole budget is back.
    pub reset: u64,
}

impl Decision {
    /// `RateLimit-Policy` and `RateLimit` (the IETF draft's structured fields).
    pub fn headers(&self) -> [(&'static str, String); 2] {
        [
            (
                "ratelimit-policy",
                format!("\"per-minute\";q={};w={PERIOD_SECS}", self.limit),
            ),
            (
                "ratelimit",
                format!("\"per-minute\";r={};t={}", self.remaining, self.reset),
            ),
        ]
    }
}

/// Spends one call of `limit` per minute for the tenant's use of the endpoint.
pub async fn spend(
    state: &AppState,
    tenant: Uuid,
    service: Uuid,
    endpoint: &str,
    limit: u32,
) -> Result<Decision, AppError> {
    spend_on(
        state,
        &format!("gateway:rate:{tenant}:{service}:{endpoint}"),
        limit,
    )
    .await
}

/// Spends one of `limit` per minute from the budget named `name`.
pub async fn spend_on(state: &AppState, name: &str, limit: u32) -> Result<Decision, AppError> {
    let key = format!("{}{name}", state.settings.redis.key_prefix);
    let mut conn = state.redis.get().await?;
    let (allowed, remaining, retry, reset): (i64, i64, String, String) = SCRIPT
        .key(key)
        .arg(limit)
        .arg(PERIOD_SECS)
        .invoke_async(&mut conn)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "gateway rate limit: redis failed");
            AppError::Unavailable
        })?;
    let secs = |s: &str| s.parse::<f64>().map_or(1, |f| f.max(0.0).ceil() as u64);
    Ok(Decision {
        allowed: allowed == 1,
        limit,
        remaining: u32::try_from(remaining.max(0)).unwrap_or(0),
        retry_after: if allowed == 1 { 0 } else { secs(&retry).max(1) },
        reset: secs(&reset),
    })
}
