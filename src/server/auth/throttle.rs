//! Brute-force protection for credential checks (login, the current-password check,
//! refresh), shared by every node through Redis. Keycloak's brute-force detection is the
//! model: failures are counted per account and per client IP; from a threshold on, each
//! further failure locks the subject for a wait that doubles up to a maximum. A lock ends by
//! itself (a Redis expiry); a success clears the account's count. The lock and its end are
//! audited by the caller from what these functions answer.

use std::time::Duration;

use deadpool_redis::redis::{self, Script};

use crate::{
    domain::error::AppError,
    server::{config::LockoutSettings, state::AppState},
};

/// What is being throttled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    /// A normalised email (or a user id for the password check).
    Account(&'a str),
    /// A client IP address.
    Ip(&'a str),
}

impl Subject<'_> {
    fn key(&self, state: &AppState, part: &str) -> String {
        let prefix = &state.settings.redis.key_prefix;
        match self {
            Self::Account(a) => format!("{prefix}bf:{part}:acct:{a}"),
            Self::Ip(ip) => format!("{prefix}bf:{part}:ip:{ip}"),
        }
    }

    /// Failures allowed before the first lock. One IP may front many people (an office, a
    /// NAT), so it gets more room than one account.
    fn free_failures(&self, settings: &LockoutSettings) -> u32 {
        match self {
            Self::Account(_) => settings.account_failures,
            Self::Ip(_) => settings.ip_failures,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Account(_) => "account",
            Self::Ip(_) => "ip",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Self::Account(v) | Self::Ip(v) => v,
        }
    }
}

/// A lock that a failure has just started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locked {
    pub subject_kind: &'static str,
    pub subject: String,
    pub failures: u64,
    pub wait: Duration,
}

/// Counts a failure and, past the free ones, locks for a doubling wait, atomically on Redis.
/// The marker remembers that a lock happened, so that its end can be audited once.
const RECORD_FAILURE: &str = r"
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local free = tonumber(ARGV[1])
if n > free then
  local wait = math.min(tonumber(ARGV[2]) * 2 ^ (n - free - 1), tonumber(ARGV[3]))
  wait = math.floor(wait)
  redis.call('SET', KEYS[2], n, 'PX', wait)
  redis.call('SET', KEYS[3], n, 'PX', ARGV[4])
  return {n, wait}
end
return {n, 0}
";

fn redis_error(e: redis::RedisError) -> AppError {
    tracing::error!(error = %e, "brute-force throttle: redis failed");
    AppError::Unavailable
}

/// A lock that has ended since anyone last looked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    pub subject_kind: &'static str,
    pub subject: String,
}

/// Refuses with `RateLimited` while any subject is locked. Answers the subjects whose lock
/// has ended since it was last looked at (each reported once, across nodes), for the audit.
pub async fn check(state: &AppState, subjects: &[Subject<'_>]) -> Result<Vec<Ended>, AppError> {
    let mut conn = state.redis.get().await?;
    let mut ended = Vec::new();
    let mut wait_ms: i64 = 0;
    for subject in subjects {
        let ttl: i64 = redis::cmd("PTTL")
            .arg(subject.key(state, "lock"))
            .query_async(&mut conn)
            .await
            .map_err(redis_error)?;
        if ttl > 0 {
            wait_ms = wait_ms.max(ttl);
        } else {
            let removed: i64 = redis::cmd("DEL")
                .arg(subject.key(state, "locked"))
                .query_async(&mut conn)
                .await
                .map_err(redis_error)?;
            if removed > 0 {
                ended.push(Ended {
                    subject_kind: subject.kind(),
                    subject: subject.value().to_string(),
                });
            }
        }
    }
    if wait_ms > 0 {
        let secs = u64::try_from(wait_ms).unwrap_or(1).div_ceil(1000).max(1);
        return Err(AppError::RateLimited {
            retry_after_secs: secs,
        });
    }
    Ok(ended)
}

/// Counts a failed attempt against every subject; answers the locks it started.
pub async fn record_failure(
    state: &AppState,
    subjects: &[Subject<'_>],
) -> Result<Vec<Locked>, AppError> {
    let mut conn = state.redis.get().await?;
    let script = Script::new(RECORD_FAILURE);
    let mut locked = Vec::new();
    let policy = &state.settings.auth.lockout;
    for subject in subjects {
        let (failures, wait_ms): (u64, u64) = script
            .key(subject.key(state, "count"))
            .key(subject.key(state, "lock"))
            .key(subject.key(state, "locked"))
            .arg(subject.free_failures(policy))
            .arg(policy.first_wait.as_millis() as u64)
            .arg(policy.max_wait.as_millis() as u64)
            .arg(policy.reset_after.as_millis() as u64)
            .invoke_async(&mut conn)
            .await
            .map_err(redis_error)?;
        if wait_ms > 0 {
            locked.push(Locked {
                subject_kind: subject.kind(),
                subject: subject.value().to_string(),
                failures,
                wait: Duration::from_millis(wait_ms),
            });
        }
    }
    Ok(locked)
}

/// A correct credential clears the account's failure count (not the IP's: one success must
/// not reset a spray across many accounts).
pub async fn record_success(state: &AppState, account: &str) -> Result<(), AppError> {
    let mut conn = state.redis.get().await?;
    let subject = Subject::Account(account);
    redis::cmd("DEL")
        .arg(subject.key(state, "count"))
        .query_async::<i64>(&mut conn)
        .await
        .map_err(redis_error)?;
    Ok(())
}
