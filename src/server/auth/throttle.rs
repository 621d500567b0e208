//! Brute-force protection for credential checks (login, the current-password check,
//! refresh), shared by every node through Redis. Keycloak's brute-force detection is the
//! model: attempts are counted per account and per client network before the check (a
//! success gives its attempt back), so failures accumulate; past the free ones, each further
//! attempt locks the subject for a wait that doubles up to a maximum. A lock ends by itself
//! (a Redis expiry). The lock and its end are audited by the caller from what `reserve`
//! answers.

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
            Self::Ip(ip) => format!("{prefix}bf:{part}:ip:{}", ip_network(ip)),
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

/// The network an address is counted in: an IPv4 address alone, an IPv6 address by its /64
/// (one subscriber's prefix; counting single IPv6 addresses would let one client rotate
/// through billions of them).
fn ip_network(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        _ => ip.to_string(),
    }
}

/// What a reservation found for one subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reserved {
    pub subject_kind: &'static str,
    pub subject: String,
    /// Attempts counted so far (including this one), when this one started a lock.
    pub locked: Option<(u64, Duration)>,
    /// A lock that had ended since anyone last looked.
    pub lock_ended: bool,
}

/// Counts an attempt before the credential is checked, atomically on Redis, so that a burst
/// of concurrent guesses cannot all pass a check that only reads: refused while locked;
/// past the free attempts, this one still runs but locks the subject for a doubling wait.
/// A success refunds its attempt (`refund`). The marker remembers that a lock happened, so
/// that its end is reported (and audited) once.
const RESERVE: &str = r"
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then return {-1, ttl, 0} end
local ended = redis.call('DEL', KEYS[3])
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local free = tonumber(ARGV[1])
if n > free then
  local wait = math.floor(math.min(tonumber(ARGV[2]) * 2 ^ (n - free - 1), tonumber(ARGV[3])))
  redis.call('SET', KEYS[2], n, 'PX', wait)
  redis.call('SET', KEYS[3], n, 'PX', ARGV[4])
  return {n, wait, ended}
end
return {n, 0, ended}
";

fn redis_error(e: redis::RedisError) -> AppError {
    tracing::error!(error = %e, "brute-force throttle: redis failed");
    AppError::Unavailable
}

fn refused(wait_ms: i64) -> AppError {
    let secs = u64::try_from(wait_ms).unwrap_or(1).div_ceil(1000).max(1);
    AppError::RateLimited {
        retry_after_secs: secs,
    }
}

/// Reserves one attempt against every subject: `RateLimited` (with the wait) while any is
/// locked, otherwise what each reservation started or ended, for the audit.
pub async fn reserve(
    state: &AppState,
    subjects: &[Subject<'_>],
) -> Result<Vec<Reserved>, AppError> {
    let mut conn = state.redis.get().await?;
    // Look first, so that a lock on one subject does not count an attempt on the others.
    let mut wait_ms: i64 = 0;
    for subject in subjects {
        let ttl: i64 = redis::cmd("PTTL")
            .arg(subject.key(state, "lock"))
            .query_async(&mut conn)
            .await
            .map_err(redis_error)?;
        wait_ms = wait_ms.max(ttl);
    }
    if wait_ms > 0 {
        return Err(refused(wait_ms));
    }
    let script = Script::new(RESERVE);
    let policy = &state.settings.auth.lockout;
    let mut out = Vec::new();
    for subject in subjects {
        let (n, wait_ms, ended): (i64, i64, i64) = script
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
        if n < 0 {
            // Locked between the look and the reservation (another node's attempt).
            return Err(refused(wait_ms));
        }
        out.push(Reserved {
            subject_kind: subject.kind(),
            subject: subject.value().to_string(),
            locked: (wait_ms > 0).then(|| {
                (
                    u64::try_from(n).unwrap_or_default(),
                    Duration::from_millis(u64::try_from(wait_ms).unwrap_or_default()),
                )
            }),
            lock_ended: ended > 0,
        });
    }
    Ok(out)
}

/// A correct credential: the account's count and lock are cleared (its owner proved who they
/// are), and the address gets its attempt back (one success must not wipe a spray across
/// many accounts from the same address).
pub async fn refund(state: &AppState, subjects: &[Subject<'_>]) -> Result<(), AppError> {
    let mut conn = state.redis.get().await?;
    for subject in subjects {
        match subject {
            Subject::Account(_) => {
                redis::cmd("DEL")
                    .arg(subject.key(state, "count"))
                    .arg(subject.key(state, "lock"))
                    .query_async::<i64>(&mut conn)
                    .await
                    .map_err(redis_error)?;
            }
            Subject::Ip(_) => {
                redis::cmd("DECR")
                    .arg(subject.key(state, "count"))
                    .query_async::<i64>(&mut conn)
                    .await
                    .map_err(redis_error)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn ipv6_addresses_count_by_their_64_prefix() {
        assert_eq!(
            super::ip_network("2001:db8:1:2:aaaa::1"),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            super::ip_network("2001:db8:1:2:ffff::9"),
            "2001:db8:1:2::/64"
        );
        assert_eq!(super::ip_network("203.0.113.7"), "203.0.113.7");
    }
}
