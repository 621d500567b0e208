//! A service's health as active checks judge it, after Kong's model: a probe succeeds with a
//! 2xx answer within the timeout; `healthy_after` successes in a row make a service HEALTHY,
//! `unhealthy_after` failures in a row make it UNHEALTHY, and until either has happened it is
//! UNKNOWN. One odd result never flips a service.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::closed_set;

closed_set! {
    /// UNKNOWN until the thresholds have been met once (a new service, a new health URL).
    pub enum HealthStatus {
        Unknown => "UNKNOWN",
        Healthy => "HEALTHY",
        Unhealthy => "UNHEALTHY",
    }
}

/// Consecutive results needed to change a service's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub healthy_after: u32,
    pub unhealthy_after: u32,
}

/// What the prober keeps about a service between probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counters {
    pub status: HealthStatus,
    pub successes: u32,
    pub failures: u32,
}

impl Counters {
    pub const NEW: Self = Self {
        status: HealthStatus::Unknown,
        successes: 0,
        failures: 0,
    };

    /// After one more probe: the counters, and whether the status changed.
    pub fn after(self, ok: bool, t: Thresholds) -> (Self, bool) {
        let (successes, failures) = if ok {
            (self.successes.saturating_add(1), 0)
        } else {
            (0, self.failures.saturating_add(1))
        };
        let status = if ok && successes >= t.healthy_after {
            HealthStatus::Healthy
        } else if !ok && failures >= t.unhealthy_after {
            HealthStatus::Unhealthy
        } else {
            self.status
        };
        let next = Self {
            status,
            successes,
            failures,
        };
        (next, status != self.status)
    }
}

/// A service's health as the registry, its cards and its pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HealthView {
    /// `UNKNOWN`, `HEALTHY` or `UNHEALTHY`.
    pub status: String,
    /// When it entered that status.
    pub since: DateTime<Utc>,
    pub checked_at: DateTime<Utc>,
    /// Why the last probe failed, when it did.
    pub last_error: Option<String>,
    /// Share of the last 24 hours' probes that succeeded, in percent; `None` before any.
    pub availability_24h: Option<f64>,
}

impl HealthView {
    pub fn is_down(&self) -> bool {
        self.status == HealthStatus::Unhealthy.as_str()
    }
}

/// One probe, as the service's detail page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CheckView {
    pub checked_at: DateTime<Utc>,
    pub ok: bool,
    pub status_code: Option<i16>,
    pub latency_ms: i32,
    pub error: Option<String>,
}

/// `GET /api/v1/core/services/{id}/health`: the current health and the newest probes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HealthReport {
    /// `None` while the service has no health URL or has not been probed yet.
    pub health: Option<HealthView>,
    pub checks: Vec<CheckView>,
}

/// Percent of `ok` among `total`, to one decimal; `None` for no probes.
pub fn availability(ok: i64, total: i64) -> Option<f64> {
    (total > 0).then(|| (ok as f64 * 1000.0 / total as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Thresholds = Thresholds {
        healthy_after: 2,
        unhealthy_after: 3,
    };

    fn run(results: &[bool]) -> Vec<HealthStatus> {
        let mut c = Counters::NEW;
        results
            .iter()
            .map(|&ok| {
                c = c.after(ok, T).0;
                c.status
            })
            .collect()
    }

    #[test]
    fn thresholds_decide_and_one_odd_result_does_not_flip() {
        use HealthStatus::*;
        assert_eq!(run(&[true, true]), [Unknown, Healthy]);
        assert_eq!(
            run(&[true, true, false, true, false, false, false]),
            [Unknown, Healthy, Healthy, Healthy, Healthy, Healthy, Unhealthy]
        );
        assert_eq!(
            run(&[false, false, false, true, false, true, true]),
            [Unknown, Unknown, Unhealthy, Unhealthy, Unhealthy, Unhealthy, Healthy]
        );
    }

    #[test]
    fn a_change_is_reported_once() {
        let (c, changed) = Counters::NEW.after(true, T);
        assert!(!changed);
        let (c, changed) = c.after(true, T);
        assert!(changed);
        let (_, changed) = c.after(true, T);
        assert!(!changed);
    }

    #[test]
    fn availability_is_a_rounded_percentage() {
        assert_eq!(availability(0, 0), None);
        assert_eq!(availability(3, 3), Some(100.0));
        assert_eq!(availability(2, 3), Some(66.7));
        assert_eq!(availability(0, 5), Some(0.0));
    }
}
