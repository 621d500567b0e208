//! Active health checks (Kong's model): every `gateway.health_interval_secs`, each service
//! with a health URL that is not INACTIVE is asked `GET` with its credentials, through the
//! gateway's client (no redirects, no proxy, internal addresses refused at connect time),
//! within `gateway.health_timeout_secs`. Thresholds of consecutive results change its status
//! (`domain::service::health`). With several nodes, one probes per interval: a round is
//! claimed under a transaction-level advisory lock, and only when the last one started at
//! least half an interval ago by the database's clock.
//! Each probe is kept for `gateway.health_history_days`.

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use axum::{
    body::Bytes,
    http::{header, HeaderMap, HeaderValue, Method},
};
use chrono::Utc;
use futures_util::{stream, StreamExt};

use super::{
    credential,
    retention::{self, Kept},
    routes::open_key,
    upstream::{self, Outbound},
};
use crate::{
    domain::{
        error::AppError,
        notification::NotificationKind,
        service::{
            health::{Counters, HealthStatus, Thresholds},
            AuthType,
        },
    },
    server::{
        db::{
            health::{self as db, HealthRow, NewCheck, Target},
            scope::{scoped, Scope},
        },
        outbound,
        services::notifications::{self, Note},
        state::AppState,
    },
};

/// Probes running at once.
const CONCURRENCY: usize = 16;
/// A health answer is read, not kept: more than this is a failure.
const MAX_BODY: usize = 64 * 1024;
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// What a round did.
#[derive(Debug, PartialEq, Eq)]
pub enum Round {
    /// Probed this many services.
    Probed(usize),
    /// Another node holds the lock, or probed less than `min_gap` ago.
    Skipped,
}

/// Starts the prober (the server does; CLI commands and tests call `round` themselves).
pub fn start(state: &AppState) {
    let job = state.clone();
    state.lifecycle.spawn(async move {
        let state = job;
        let interval = state.settings.gateway.health_interval;
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut purged = Instant::now();
        while state.lifecycle.tick(&mut tick).await {
            let probed = round(&state, interval / 2).await;
            crate::server::metrics::job_round("health_checks", probed.is_ok());
            if let Err(e) = probed {
                tracing::warn!(error = %e, "health checks: a round failed");
            }
            if purged.elapsed() >= PURGE_EVERY {
                retention::purge(
                    &state,
                    Kept::HealthChecks,
                    state.settings.gateway.health_history_days,
                )
                .await;
                purged = Instant::now();
            }
        }
    });
}

/// One round: probes every service and records the results, unless another node holds the
/// lock or a round started less than `min_gap` ago. The claim and the results are two short
/// transactions; no connection is held while services answer.
pub async fn round(state: &AppState, min_gap: Duration) -> Result<Round, AppError> {
    let g = &state.settings.gateway;
    let thresholds = Thresholds {
        healthy_after: g.healthy_after,
        unhealthy_after: g.unhealthy_after,
    };
    let claimed = scoped(&state.db, Scope::platform(), async |c| {
        if !db::try_lock(c).await? || !db::claim_round(c, min_gap).await? {
            return Ok(None);
        }
        let targets = db::targets(c).await?;
        let ids: Vec<_> = targets.iter().map(|t| t.id).collect();
        let before: HashMap<_, _> = db::rows(c, &ids)
            .await?
            .into_iter()
            .map(|r| (r.service_id, r))
            .collect();
        Ok(Some((targets, before)))
    })
    .await?;
    let Some((targets, before)) = claimed else {
        return Ok(Round::Skipped);
    };
    let probes: Vec<(Target, Probe)> = stream::iter(targets)
        .map(|t| async move {
            let p = probe(state, &t).await;
            (t, p)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let now = Utc::now();
    let mut rows = Vec::with_capacity(probes.len());
    let mut checks = Vec::with_capacity(probes.len());
    let mut turned = Vec::new();
    for (t, p) in &probes {
        let previous = before.get(&t.id).filter(|r| r.url == t.url);
        let row = judge(t, previous, p, thresholds, now);
        let was = previous.and_then(|r| HealthStatus::parse(&r.status));
        let is = HealthStatus::parse(&row.status);
        if let Some(news) = health_news(was, is) {
            turned.push((t.id, t.name.clone(), news));
        }
        rows.push(row);
        checks.push(NewCheck {
            service_id: t.id,
            checked_at: now,
            ok: p.ok,
            status_code: p.status_code,
            latency_ms: p.latency_ms,
            error: p.error.clone(),
        });
    }
    scoped(&state.db, Scope::platform(), async |c| {
        // A service deleted while it was probed has nothing left to record.
        let ids: Vec<_> = rows.iter().map(|r| r.service_id).collect();
        let live = db::existing(c, &ids).await?;
        let rows: Vec<_> = rows
            .iter()
            .filter(|r| live.contains(&r.service_id))
            .cloned()
            .collect();
        let checks: Vec<_> = checks
            .iter()
            .filter(|k| live.contains(&k.service_id))
            .cloned()
            .collect();
        db::save(c, &rows).await?;
        db::insert_checks(c, &checks).await?;
        for (service, name, news) in turned.iter().filter(|(s, ..)| live.contains(s)) {
            for (tenant, admin) in
                crate::server::db::notifications::admins_using(c, *service).await?
            {
                let note = Note {
                    user_id: admin,
                    kind: NotificationKind::ServiceHealth,
                    title: format!("{name} {news}"),
                    body: String::new(),
                    link: Some("/services".into()),
                    topic: None,
                };
                notifications::notify(state, c, tenant, note).await?;
            }
        }
        Ok(())
    })
    .await?;
    Ok(Round::Probed(probes.len()))
}

/// What the tenant admins using a service hear when its health turns: it went down (from up
/// or not yet judged), or came back from down.
fn health_news(was: Option<HealthStatus>, is: Option<HealthStatus>) -> Option<&'static str> {
    match (was, is) {
        (Some(w), Some(HealthStatus::Unhealthy)) if w != HealthStatus::Unhealthy => Some("is down"),
        (Some(HealthStatus::Unhealthy), Some(HealthStatus::Healthy)) => Some("is back up"),
        _ => None,
    }
}

/// The service's row after this probe (a new health URL starts from UNKNOWN).
fn judge(
    t: &Target,
    previous: Option<&HealthRow>,
    p: &Probe,
    thresholds: Thresholds,
    now: chrono::DateTime<Utc>,
) -> HealthRow {
    let counters = previous
        .map(|r| Counters {
            status: HealthStatus::parse(&r.status).unwrap_or(HealthStatus::Unknown),
            successes: u32::try_from(r.successes).unwrap_or(0),
            failures: u32::try_from(r.failures).unwrap_or(0),
        })
        .unwrap_or(Counters::NEW);
    let (next, changed) = counters.after(p.ok, thresholds);
    if changed {
        match next.status {
            HealthStatus::Unhealthy => {
                tracing::warn!(service = %t.name, error = ?p.error, "health checks: the service is down")
            }
            _ => {
                tracing::info!(service = %t.name, status = next.status.as_str(), "health checks: the service's health changed")
            }
        }
    }
    let since = match previous {
        Some(r) if !changed => r.since,
        _ => now,
    };
    HealthRow {
        service_id: t.id,
        url: t.url.clone(),
        status: next.status.as_str().to_string(),
        successes: i32::try_from(next.successes).unwrap_or(i32::MAX),
        failures: i32::try_from(next.failures).unwrap_or(i32::MAX),
        since,
        checked_at: now,
        last_error: p.error.clone(),
    }
}

/// One probe's result. Errors say what happened, never with addresses or keys.
#[derive(Debug)]
struct Probe {
    ok: bool,
    status_code: Option<i16>,
    latency_ms: i32,
    error: Option<String>,
}

async fn probe(state: &AppState, t: &Target) -> Probe {
    let started = Instant::now();
    let result = ask(state, t).await;
    let latency_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    let (ok, status_code, error) = match result {
        Ok(status) if (200..300).contains(&status) => (true, Some(status as i16), None),
        Ok(status) => (
            false,
            Some(status as i16),
            Some(format!("answered {status}")),
        ),
        Err(AppError::GatewayTimeout) => (
            false,
            None,
            Some(format!(
                "no answer within {} s",
                state.settings.gateway.health_timeout.as_secs()
            )),
        ),
        Err(AppError::BadGateway {
            message,
            upstream_status,
        }) => (false, upstream_status.map(|s| s as i16), Some(message)),
        Err(e) => (false, None, Some(e.to_string())),
    };
    Probe {
        ok,
        status_code,
        latency_ms,
        error: error.map(|e| e.chars().take(200).collect()),
    }
}

/// The status the service answered, or why there was none.
async fn ask(state: &AppState, t: &Target) -> Result<u16, AppError> {
    let g = &state.settings.gateway;
    let url = outbound::check_literal("healthCheckUrl", &t.url, &g.allowed_private_hosts).map_err(
        |_| AppError::BadGateway {
            message: "The health URL is not an address Inti may call".into(),
            upstream_status: None,
        },
    )?;
    // The key goes only where the service's calls go: a health URL on another origin is
    // probed without it (else whoever may edit the URL could have the key sent to them).
    let same_origin = t
        .base_url
        .as_deref()
        .and_then(|b| url::Url::parse(b).ok())
        .is_some_and(|b| b.origin() == url.origin());
    let sealed = t.sealed_key.as_deref().filter(|_| same_origin);
    let key = open_key(state, t.id, sealed).map_err(|_| AppError::BadGateway {
        message: "The service's key does not open under the configured keys".into(),
        upstream_status: None,
    })?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::ACCEPT,
        HeaderValue::from_static("application/json, */*"),
    );
    let auth_type = AuthType::parse(&t.auth_type).unwrap_or(AuthType::None);
    if let Some((name, value)) = credential(auth_type, key.as_ref())? {
        headers.insert(name, value);
    }
    let out = Outbound {
        method: Method::GET,
        url,
        headers,
        body: Bytes::new(),
        timeout: g.health_timeout,
        max_bytes: MAX_BODY,
        service: &t.name,
    };
    Ok(upstream::send(&state.gateway.http, out)
        .await?
        .status
        .as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;
    use HealthStatus::{Healthy, Unhealthy, Unknown};

    #[test]
    fn tenants_hear_when_a_service_goes_down_or_comes_back_and_not_otherwise() {
        assert_eq!(health_news(Some(Healthy), Some(Unhealthy)), Some("is down"));
        assert_eq!(health_news(Some(Unknown), Some(Unhealthy)), Some("is down"));
        assert_eq!(
            health_news(Some(Unhealthy), Some(Healthy)),
            Some("is back up")
        );
        assert_eq!(health_news(Some(Unknown), Some(Healthy)), None);
        assert_eq!(health_news(Some(Unhealthy), Some(Unhealthy)), None);
        assert_eq!(health_news(Some(Healthy), Some(Healthy)), None);
        assert_eq!(health_news(None, Some(Unhealthy)), None);
    }
}
