//! Prometheus metrics, served on their own listener (`observability.metrics_addr`) so that
//! they never share a port with the public site. Counters and histograms are recorded where
//! things happen (through the helpers below, which hold every metric's name); gauges of
//! state (pools, caches, outbox, service health) are read when Prometheus scrapes.
//!
//! Labels are bounded: a matched route pattern (never a raw path), a status class, a method,
//! a registered service and endpoint name, a job name. Never a user, e-mail or address.

use std::{net::SocketAddr, sync::OnceLock, time::Duration};

use axum::{
    extract::{Request, State},
    http::{header, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::{
    domain::error::AppError,
    server::{
        db::scope::{scoped, Scope},
        state::AppState,
    },
};

/// Seconds, from 1 ms to 10 s: where request and upstream latencies fall.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// How often histograms fold their samples, so that memory stays flat between scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Installs the process-wide recorder once (inside the runtime); until then every metric
/// call is a no-op.
pub fn install() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_duration_seconds".into()), LATENCY_BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics shows nothing");
        }
        let upkeep = handle.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(UPKEEP_EVERY);
            loop {
                tick.tick().await;
                upkeep.run_upkeep();
            }
        });
        handle
    })
}

/// Serves `/metrics` on the listener until the process ends.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) {
    let app = router(state);
    if let Err(e) = axum::serve(listener, app).await {
        tracing::error!(error = %e, "metrics listener stopped");
    }
}

pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener, String> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen for metrics on {addr}: {e}"))
}

pub fn router(state: AppState) -> Router {
    install();
    Router::new()
        .route("/metrics", get(render))
        .with_state(state)
}

async fn render(State(state): State<AppState>) -> Response {
    refresh_gauges(&state);
    let mut body = install().render();
    body.push_str(&backlog_text(&state).await);
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// Request count and latency by matched route, method and status class. Paths no route
/// matched (probes of random URLs) share one label.
pub async fn track_requests(request: Request, next: Next) -> Response {
    let route = crate::server::http::request_span::route_of(&request).to_string();
    let method = method_label(request.method());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let status = status_class(response.status());
    counter!("inti_http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    histogram!("inti_http_request_duration_seconds", "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    response
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// A sign-in's outcome: `success`, `invalid` (wrong credentials, generic answer), `locked`
/// (refused by brute-force protection) or `error`.
pub fn login<T>(result: &Result<T, AppError>) {
    let outcome = match result {
        Ok(_) => "success",
        Err(AppError::InvalidCredentials) => "invalid",
        Err(AppError::RateLimited { .. }) => "locked",
        Err(_) => "error",
    };
    counter!("inti_logins_total", "outcome" => outcome).increment(1);
}

/// A brute-force lock started on a subject kind (`account`, `ip`, `account_wide`).
pub fn lock_started(subject_kind: &'static str) {
    counter!("inti_lockouts_total", "subject" => subject_kind).increment(1);
}

/// One gateway call that reached a registered endpoint.
pub fn gateway_call(service: &str, endpoint: &str, status: StatusCode, took: Duration) {
    let (service, endpoint) = (service.to_string(), endpoint.to_string());
    counter!("inti_gateway_calls_total", "service" => service.clone(), "endpoint" => endpoint.clone(), "status" => status_class(status))
        .increment(1);
    histogram!("inti_gateway_call_duration_seconds", "service" => service, "endpoint" => endpoint)
        .record(took.as_secs_f64());
}

/// A Redis command or connection that failed.
pub fn redis_error() {
    counter!("inti_redis_errors_total").increment(1);
}

/// An access-cache lookup (`actor`, `view`, `menu`) that was served from memory or not.
pub fn cache_lookup(kind: &'static str, hit: bool) {
    let result = if hit { "hit" } else { "miss" };
    counter!("inti_access_cache_lookups_total", "kind" => kind, "result" => result).increment(1);
}

/// A change message that dropped cached sessions (`user`, `role`, `tenant` or `all`).
pub fn cache_invalidation(scope: &'static str) {
    counter!("inti_access_cache_invalidations_total", "scope" => scope).increment(1);
}

/// A mail delivery attempt: `sent`, `retry` (will be tried again) or `failed` (given up).
pub fn mail_delivery(outcome: &'static str) {
    counter!("inti_mail_deliveries_total", "outcome" => outcome).increment(1);
}

/// One round of a background job, and when it ended.
pub fn job_round(job: &'static str, ok: bool) {
    let outcome = if ok { "ok" } else { "failed" };
    counter!("inti_job_runs_total", "job" => job, "outcome" => outcome).increment(1);
    let now = chrono::Utc::now().timestamp_millis() as f64 / 1000.0;
    gauge!("inti_job_last_run_timestamp_seconds", "job" => job).set(now);
    if ok {
        gauge!("inti_job_last_success_timestamp_seconds", "job" => job).set(now);
    }
}

/// The state read at scrape time from memory: pools, the access cache's listener, draining.
fn refresh_gauges(state: &AppState) {
    let db = state.db.status();
    gauge!("inti_db_pool_connections", "state" => "max").set(db.max_size as f64);
    gauge!("inti_db_pool_connections", "state" => "open").set(db.size as f64);
    gauge!("inti_db_pool_connections", "state" => "idle").set(db.available as f64);
    gauge!("inti_db_pool_connections", "state" => "in_use")
        .set(db.size.saturating_sub(db.available) as f64);
    gauge!("inti_db_pool_waiting").set(db.waiting as f64);
    let redis = state.redis.status();
    gauge!("inti_redis_pool_connections", "state" => "open").set(redis.size as f64);
    gauge!("inti_redis_pool_connections", "state" => "idle").set(redis.available as f64);
    gauge!("inti_redis_pool_waiting").set(redis.waiting as f64);

    let cache = &state.access;
    gauge!("inti_access_cache_live").set(if cache.is_live() { 1.0 } else { 0.0 });
    gauge!("inti_access_cache_sessions").set(cache.len() as f64);
    if let Some(age) = cache.heartbeat_age() {
        gauge!("inti_access_cache_heartbeat_age_seconds").set(age.as_secs_f64());
    }
    gauge!("inti_draining").set(if state.lifecycle.is_draining() {
        1.0
    } else {
        0.0
    });
}

/// How long the database-backed lines are reused: however often (or by how many) the
/// endpoint is scraped, it costs at most one pair of queries per interval.
const BACKLOG_FRESH: Duration = Duration::from_secs(10);

static BACKLOG: tokio::sync::Mutex<Option<(std::time::Instant, String)>> =
    tokio::sync::Mutex::const_new(None);

/// The mail outbox by status and each service's health, written as text per scrape rather
/// than kept in the registry, so that a deleted service's series disappears with it. A
/// query that fails leaves the lines out (and says so in the log).
async fn backlog_text(state: &AppState) -> String {
    let mut cached = BACKLOG.lock().await;
    if let Some((at, text)) = cached.as_ref() {
        if at.elapsed() < BACKLOG_FRESH {
            return text.clone();
        }
    }
    let text = match read_backlog(state).await {
        Ok(backlog) => backlog.to_text(),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: the outbox and health could not be read");
            String::new()
        }
    };
    *cached = Some((std::time::Instant::now(), text.clone()));
    text
}

struct Backlog {
    outbox: Vec<(String, i64)>,
    health: Vec<(String, String)>,
}

impl Backlog {
    fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::from("# TYPE inti_mail_outbox_messages gauge\n");
        for (status, n) in &self.outbox {
            let _ = writeln!(out, "inti_mail_outbox_messages{{status=\"{status}\"}} {n}");
        }
        out.push_str("# TYPE inti_service_health gauge\n");
        for (service, status) in &self.health {
            for known in ["HEALTHY", "UNHEALTHY", "UNKNOWN"] {
                let up = u8::from(status == known);
                let service = label_value(service);
                let _ = writeln!(
                    out,
                    "inti_service_health{{service=\"{service}\",state=\"{known}\"}} {up}"
                );
            }
        }
        out
    }
}

/// A label value as the text format wants it: backslash, quote and newline escaped.
fn label_value(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

async fn read_backlog(state: &AppState) -> Result<Backlog, AppError> {
    use diesel::sql_types::{BigInt, Text};
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Depth {
        #[diesel(sql_type = Text)]
        status: String,
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    #[derive(diesel::QueryableByName)]
    struct Health {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        status: String,
    }
    scoped(&state.db, Scope::platform(), async |c| {
        // Every status, so that a drained state reads 0 rather than its last value.
        let outbox = diesel::sql_query(
            "SELECT s.status, count(m.id) AS n \
             FROM unnest(ARRAY['PENDING','SENDING','SENT','FAILED']) AS s(status) \
             LEFT JOIN mail_outbox m ON m.status = s.status GROUP BY s.status",
        )
        .load::<Depth>(c)
        .await?
        .into_iter()
        .map(|d| (d.status, d.n))
        .collect();
        let health = diesel::sql_query(
            "SELECT s.name, h.status::text AS status FROM service_health h \
             JOIN services s ON s.id = h.service_id",
        )
        .load::<Health>(c)
        .await?
        .into_iter()
        .map(|h| (h.name, h.status))
        .collect();
        Ok(Backlog { outbox, health })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }

    #[test]
    fn labels_are_bounded() {
        assert_eq!(status_class(StatusCode::NO_CONTENT), "2xx");
        assert_eq!(status_class(StatusCode::SERVICE_UNAVAILABLE), "5xx");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "other");
    }
}
