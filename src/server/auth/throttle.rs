//! Brute-force protection for credential checks (login, the current-password check,
//! refresh), shared by every node through Redis. Keycloak's brute-force detection is the
//! model: failures are counted per account and per client network; past the free ones, each
//! further failure locks the subject for a wait that doubles up to a maximum, and the lock
//! ends by itself (a Redis expiry). Checks still running count too (`reserve`), so that
//! concurrent guesses get no more tries than sequential ones. The lock and its end are
//! audited by the caller from what `reserve` and `settle` answer.

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

/// A lock that ended since anyone last looked, or one that a failure has just started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockEvent {
    pub subject_kind: &'static str,
    pub subject: String,
    /// `Some((failures, wait))` when a failure started the lock; `None` when a lock ended.
    pub started: Option<(u64, Duration)>,
}

/// Before a credential check, atomically: refused while locked; refused for a moment (no
/// lock) while the checks already running could take the failures past the free ones, so
/// that a burst of concurrent guesses gets no more tries than sequential ones; otherwise
/// the check is counted as running. Answers {state, wait ms, lock ended}: state -1
/// locked, -2 busy, 0 go.
const RESERVE: &str = r"
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then return {-1, ttl, 0} end
local ended = redis.call('DEL', KEYS[3])
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
local running = redis.call('INCR', KEYS[4])
-- The expiry is set by the first running check only, so that slots of checks that never
-- settle (a dropped request) age out even while new checks keep arriving.
if running == 1 then redis.call('PEXPIRE', KEYS[4], ARGV[2]) end
-- Checks allowed at once: what is left of the free failures plus the one that may start a
-- lock, and never fewer than the floor (1 for an account after a lock has ended: a failure
-- then locks again, for longer; more for a network, which many people may share).
if running > math.max(tonumber(ARGV[1]) + 1 - failures, tonumber(ARGV[3])) then
  redis.call('DECR', KEYS[4])
  return {-2, 1000, ended}
end
return {0, 0, ended}
";

/// After the check: no longer running; a failure ('1') is counted and, past the free ones,
/// locks for a wait that doubles up to the maximum (the marker remembers the lock, so that
/// its end is reported once); a success ('0') of an account clears its failures; a check
/// that could not decide ('2': a backend failed) only gives its slot back.
const SETTLE: &str = r"
if tonumber(redis.call('DECR', KEYS[4])) < 0 then redis.call('DEL', KEYS[4]) end
if ARGV[1] == '2' then return {0, 0} end
if ARGV[1] == '0' then
  if ARGV[6] == '1' then redis.call('DEL', KEYS[1], KEYS[2]) end
  return {0, 0}
end
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
local free = tonumber(ARGV[2])
if n > free then
  local wait = math.floor(math.min(tonumber(ARGV[3]) * 2 ^ (n - free - 1), tonumber(ARGV[4])))
  redis.call('SET', KEYS[2], n, 'PX', wait)
  redis.call('SET', KEYS[3], n, 'PX', ARGV[5])
  return {n, wait}
end
return {n, 0}
";

/// How long a check counts as running at most (beyond the request deadline), so that a
/// request that never settles frees its slot by itself.
const RUNNING_TTL_MS: u64 = 35_000;

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

fn keys<'s>(
    script: &'s Script,
    state: &AppState,
    subject: &Subject<'_>,
) -> redis::ScriptInvocation<'s> {
    let mut invocation = script.key(subject.key(state, "count"));
    invocation
        .key(subject.key(state, "lock"))
        .key(subject.key(state, "locked"))
        .key(subject.key(state, "running"));
    invocation
}

/// What `reserve` found: the locks that have ended (to audit whatever happens next), and
/// the refusal, if any subject is locked or busy.
pub struct Reservation {
    pub ended: Vec<LockEvent>,
    pub refused: Option<AppError>,
}

/// Counts a credential check as running against every subject, unless one is locked or busy
/// (then nothing stays counted).
pub async fn reserve(state: &AppState, subjects: &[Subject<'_>]) -> Result<Reservation, AppError> {
    let mut conn = state.redis.get().await?;
    let script = Script::new(RESERVE);
    let policy = &state.settings.auth.lockout;
    let mut ended = Vec::new();
    for (i, subject) in subjects.iter().enumerate() {
        // A network may be many people: never fewer checks at once than its free failures.
        let floor = match subject {
            Subject::Account(_) => 1,
            Subject::Ip(_) => subject.free_failures(policy) + 1,
        };
        let (go, wait_ms, lock_ended): (i64, i64, i64) = keys(&script, state, subject)
            .arg(subject.free_failures(policy))
            .arg(RUNNING_TTL_MS)
            .arg(floor)
            .invoke_async(&mut conn)
            .await
            .map_err(redis_error)?;
        if lock_ended > 0 {
            ended.push(LockEvent {
                subject_kind: subject.kind(),
                subject: subject.value().to_string(),
                started: None,
            });
        }
        if go < 0 {
            // This check will not run: give back what the subjects before it reserved.
            drop(conn);
            settle(state, &subjects[..i], Outcome::Undecided).await?;
            return Ok(Reservation {
                ended,
                refused: Some(refused(wait_ms)),
            });
        }
    }
    Ok(Reservation {
        ended,
        refused: None,
    })
}

/// How a check that `reserve` let run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    /// A backend failed or the request was cut short: the check decided nothing.
    Undecided,
}

/// Ends a check that `reserve` let run: a failure counts (and may start a lock, answered for
/// the audit); a success clears the account's failures; an undecided check only frees its
/// slot.
pub async fn settle(
    state: &AppState,
    subjects: &[Subject<'_>],
    outcome: Outcome,
) -> Result<Vec<LockEvent>, AppError> {
    let mut conn = state.redis.get().await?;
    let script = Script::new(SETTLE);
    let policy = &state.settings.auth.lockout;
    let mut started = Vec::new();
    for subject in subjects {
        let (failures, wait_ms): (i64, i64) = keys(&script, state, subject)
            .arg(match outcome {
                Outcome::Success => "0",
                Outcome::Failure => "1",
                Outcome::Undecided => "2",
            })
            .arg(subject.free_failures(policy))
            .arg(policy.first_wait.as_millis() as u64)
            .arg(policy.max_wait.as_millis() as u64)
            .arg(policy.reset_after.as_millis() as u64)
            .arg(if matches!(subject, Subject::Account(_)) {
                "1"
            } else {
                "0"
            })
            .invoke_async(&mut conn)
            .await
            .map_err(redis_error)?;
        if wait_ms > 0 {
            started.push(LockEvent {
                subject_kind: subject.kind(),
                subject: subject.value().to_string(),
                started: Some((
                    u64::try_from(failures).unwrap_or_default(),
                    Duration::from_millis(u64::try_from(wait_ms).unwrap_or_default()),
                )),
            });
        }
    }
    Ok(started)
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
