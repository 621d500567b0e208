//! Brute-force protection for credential checks (login, the current-password check,
//! refresh), shared by every node through Redis. Keycloak's brute-force detection is the
//! model: failures are counted per (account, client network) and per network; past the free
//! ones, each further failure locks that subject for a wait that doubles up to a maximum, and
//! the lock ends by itself (a Redis expiry). A lock refuses only the network that earned it:
//! nobody can lock an account's owner out from elsewhere. Across all networks an account is
//! only slowed down (a cap on checks at once and a short delay once failures pile up), never
//! locked. Checks still running count too (`reserve`), so that concurrent guesses get no
//! more tries than sequential ones. The lock and its end are audited by the caller from what
//! `reserve` and `settle` answer.

use std::time::Duration;

use deadpool_redis::redis::{self, Script};

use crate::{
    domain::error::AppError,
    server::{config::LockoutSettings, redis_pool::hash_tag, state::AppState},
};

/// What is being throttled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    /// A normalised email (or a user id for the password check) tried from one client
    /// network (`None`: the address is unknown). Locks that pair only.
    Account {
        account: &'a str,
        ip: Option<&'a str>,
    },
    /// A client IP address (counted by its network). Locks that network.
    Ip(&'a str),
    /// An account tried from anywhere: never locked, only slowed down.
    AccountWide(&'a str),
}

/// Checks of one account that may run at once, across every network it has not signed in
/// from before.
const ACCOUNT_WIDE_CHECKS: u32 = 4;

/// How long a network the account signed in from stays known (free of the account-wide cap).
const KNOWN_FOR: Duration = Duration::from_secs(30 * 86_400);

/// The pause before each check of an account whose failures across networks exceed twice its
/// free ones: a flood from many networks slows to a crawl, and the owner still gets in.
pub const FLOOD_DELAY: Duration = Duration::from_secs(1);

impl Subject<'_> {
    fn key(&self, state: &AppState, part: &str) -> String {
        let subject = match self {
            Self::Account { account, ip } => {
                let network = ip.map(ip_network).unwrap_or_else(|| "-".into());
                format!("acct:{account}|{network}")
            }
            Self::Ip(ip) => format!("ip:{}", ip_network(ip)),
            Self::AccountWide(a) => format!("acctall:{a}"),
        };
        key_of(&state.settings.redis.key_prefix, &subject, part)
    }

    /// Failures allowed before the first lock. One IP may front many people (an office, a
    /// NAT), so it gets more room than one account.
    /// An account across networks has no free count: it is never locked.
    fn free_failures(&self, settings: &LockoutSettings) -> u32 {
        match self {
            Self::Account { .. } => settings.account_failures,
            Self::Ip(_) => settings.ip_failures,
            Self::AccountWide(_) => u32::MAX,
        }
    }

    /// Checks allowed at once (0: bounded by the free failures only).
    fn cap(&self) -> u32 {
        match self {
            Self::AccountWide(_) => ACCOUNT_WIDE_CHECKS,
            _ => 0,
        }
    }

    /// The fewest checks at once that are let through: 1 for an account on one network (a
    /// failure after a lock locks again, for longer); a network may be many people, so never
    /// fewer than its free failures.
    fn floor(&self, settings: &LockoutSettings) -> u32 {
        match self {
            Self::Ip(_) => settings.ip_failures + 1,
            _ => 1,
        }
    }

    /// Whether a success clears the failures counted so far.
    fn cleared_by_success(&self) -> bool {
        !matches!(self, Self::Ip(_))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Account { .. } | Self::AccountWide(_) => "account",
            Self::Ip(_) => "ip",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Self::Account { account: v, .. } | Self::Ip(v) | Self::AccountWide(v) => v,
        }
    }
}

/// `<prefix>bf:{<tag>}:<subject>:<part>`: a subject's keys share a hash tag, so that one
/// script can use them all on a Redis Cluster.
pub fn key_of(prefix: &str, subject: &str, part: &str) -> String {
    format!("{prefix}bf:{}:{subject}:{part}", hash_tag(subject))
}

/// The network an address is counted in: an IPv4 address alone, an IPv6 address by its /64
/// (one subscriber's prefix; counting single IPv6 addresses would let one client rotate
/// through billions of them).
pub(crate) fn ip_network(ip: &str) -> String {
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
/// the check is counted as running. Answers {state, wait ms, lock ended, failures}: state -1
/// locked, -2 busy, 0 go.
const RESERVE: &str = r"
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then return {-1, ttl, 0, 0, 0} end
local ended = redis.call('DEL', KEYS[3])
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
local running = redis.call('INCR', KEYS[4])
-- The expiry is set by the first running check only, so that slots of checks that never
-- settle (a dropped request) age out even while new checks keep arriving.
if running == 1 then redis.call('PEXPIRE', KEYS[4], ARGV[2]) end
-- Checks allowed at once: what is left of the free failures plus the one that may start a
-- lock, and never fewer than the floor (1 for an account after a lock has ended: a failure
-- then locks again, for longer; more for a network, which many people may share). A cap
-- (ARGV[4], when not 0) bounds the checks at once whatever the failures.
local cap = tonumber(ARGV[4])
if running > math.max(tonumber(ARGV[1]) + 1 - failures, tonumber(ARGV[3]))
   or (cap > 0 and running > cap) then
  redis.call('DECR', KEYS[4])
  return {-2, 1000, ended, failures, 0}
end
return {0, 0, ended, failures, redis.call('EXISTS', KEYS[5])}
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
  if ARGV[7] == '1' then redis.call('SET', KEYS[5], 1, 'PX', ARGV[8]) end
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
    crate::server::metrics::redis_error();
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
        .key(subject.key(state, "running"))
        .key(subject.key(state, "known"));
    invocation
}

/// What `reserve` found: the locks that have ended (to audit whatever happens next), the
/// refusal, if any subject is locked or busy (`busy`: only busy, worth a retry in a moment),
/// and whether the account is flooded (the check should wait `FLOOD_DELAY` first).
pub struct Reservation {
    pub ended: Vec<LockEvent>,
    pub refused: Option<AppError>,
    pub busy: bool,
    pub flooded: bool,
}

/// Counts a credential check as running against every subject, unless one is locked or busy
/// (then nothing stays counted).
pub async fn reserve(state: &AppState, subjects: &[Subject<'_>]) -> Result<Reservation, AppError> {
    let mut conn = state.redis.get().await?;
    let script = Script::new(RESERVE);
    let policy = &state.settings.auth.lockout;
    let mut ended = Vec::new();
    let mut flooded = false;
    // Whether this account has signed in from this network before (within `KNOWN_FOR`): such
    // a network, the owner's usually, is not held back by the account-wide cap, so guesses
    // from many new networks cannot keep the cap full and the owner out.
    let mut known_here = false;
    for (i, subject) in subjects.iter().enumerate() {
        let cap = match subject {
            Subject::AccountWide(_) if known_here => 0,
            _ => subject.cap(),
        };
        let (go, wait_ms, lock_ended, failures, known): (i64, i64, i64, i64, i64) =
            keys(&script, state, subject)
                .arg(subject.free_failures(policy))
                .arg(RUNNING_TTL_MS)
                .arg(subject.floor(policy))
                .arg(cap)
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
                busy: go == -2,
                flooded,
            });
        }
        match subject {
            Subject::Account { .. } => known_here = known == 1,
            Subject::AccountWide(_) => {
                flooded = failures > 2 * i64::from(policy.account_failures);
            }
            Subject::Ip(_) => {}
        }
    }
    Ok(Reservation {
        ended,
        refused: None,
        busy: false,
        flooded,
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
            .arg(if subject.cleared_by_success() {
                "1"
            } else {
                "0"
            })
            // A success marks the (account, network) pair as known.
            .arg(if matches!(subject, Subject::Account { .. }) {
                "1"
            } else {
                "0"
            })
            .arg(KNOWN_FOR.as_millis() as u64)
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
