//! Calls per minute per (tenant, endpoint) and per (member, endpoint), one budget for every
//! Inti node: GCRA in one Redis script, on Redis' clock (`TIME`), so that nodes whose clocks
//! differ still agree. A limit of `n` per minute lets `n` calls through at once, then one
//! every `60/n` seconds. A call spends from every budget it is under, or from none.

use std::sync::LazyLock;

use redis::Script;
use uuid::Uuid;

use crate::{
    domain::error::AppError,
    server::{redis_pool::hash_tag, state::AppState},
};

/// KEYS: the budgets' keys. ARGV[1]: the period in seconds; ARGV[1 + i]: the limit of
/// KEYS[i] (calls per period, also the burst). All or nothing: refused if any budget is
/// spent, and then nothing is taken from the others. Answers {allowed (1/0), the binding
/// budget's index, remaining, retry after (s, as text), reset after (s, as text)}.
const GCRA: &str = r"
local period = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) - 1700000000 + tonumber(t[2]) / 1000000
local tats = {}
local refused, wait, reset = 0, 0, 0
local binding, remaining = 1, nil
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[i + 1])
  local interval = period / limit
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  local new_tat = tat + interval
  local diff = now - (new_tat - limit * interval)
  if diff < 0 then
    if refused == 0 or -diff > wait then refused, wait, reset, binding = 1, -diff, tat - now, i end
  else
    tats[i] = new_tat
    local left = math.floor(diff / interval)
    if refused == 0 and (remaining == nil or left < remaining) then
      remaining, binding, reset = left, i, new_tat - now
    end
  end
end
if refused == 1 then return {0, binding, 0, tostring(wait), tostring(reset)} end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, tostring(tats[i]), 'PX', math.ceil((tats[i] - now) * 1000))
end
return {1, binding, remaining, '0', tostring(reset)}
";

static SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(GCRA));

pub const PERIOD_SECS: u32 = 60;

/// What the limiter decided, for the `RateLimit` headers: about the binding budget (the one
/// that refused, or the one with the fewest calls left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    /// The binding budget's policy name (`per-minute` for the tenant, `per-user`).
    pub policy: &'static str,
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
                format!("\"{}\";q={};w={PERIOD_SECS}", self.policy, self.limit),
            ),
            (
                "ratelimit",
                format!("\"{}\";r={};t={}", self.policy, self.remaining, self.reset),
            ),
        ]
    }
}

/// Spends one call of the endpoint for the tenant (`limit` per minute) and for the member
/// (`user_limit` per minute), so that one member cannot spend everyone's budget.
pub async fn spend(
    state: &AppState,
    tenant: Uuid,
    user: Uuid,
    service: Uuid,
    endpoint: &str,
    (limit, user_limit): (u32, u32),
) -> Result<Decision, AppError> {
    // Tagged by tenant: both budgets are spent by one script on a Redis Cluster.
    let tag = hash_tag(&tenant.to_string());
    let tenant_key = format!("gateway:rate:{tag}:{tenant}:{service}:{endpoint}");
    let user_key = format!("{tenant_key}:user:{user}");
    spend_all(
        state,
        &[
            ("per-minute", &tenant_key, limit),
            ("per-user", &user_key, user_limit),
        ],
    )
    .await
}

/// Spends one of `limit` per minute from the budget named `name`.
pub async fn spend_on(state: &AppState, name: &str, limit: u32) -> Result<Decision, AppError> {
    spend_all(state, &[("per-minute", name, limit)]).await
}

/// Spends one call from every budget `(policy, name, limit)`, or from none.
async fn spend_all(
    state: &AppState,
    budgets: &[(&'static str, &str, u32)],
) -> Result<Decision, AppError> {
    let prefix = &state.settings.redis.key_prefix;
    let mut conn = state.redis.get().await?;
    let mut invocation = SCRIPT.prepare_invoke();
    invocation.arg(PERIOD_SECS);
    for (_, name, limit) in budgets {
        invocation.key(format!("{prefix}{name}")).arg(*limit);
    }
    let (allowed, binding, remaining, retry, reset): (i64, i64, i64, String, String) =
        invocation.invoke_async(&mut conn).await.map_err(|e| {
            crate::server::metrics::redis_error();
            tracing::error!(error = %e, "gateway rate limit: redis failed");
            AppError::Unavailable
        })?;
    let (policy, _, limit) = usize::try_from(binding - 1)
        .ok()
        .and_then(|i| budgets.get(i))
        .copied()
        .ok_or(AppError::Internal)?;
    let secs = |s: &str| s.parse::<f64>().map_or(1, |f| f.max(0.0).ceil() as u64);
    Ok(Decision {
        allowed: allowed == 1,
        policy,
        limit,
        remaining: u32::try_from(remaining.max(0)).unwrap_or(0),
        retry_after: if allowed == 1 { 0 } else { secs(&retry).max(1) },
        reset: secs(&reset),
    })
}
