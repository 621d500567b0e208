//! Liveness and readiness probes.

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde_json::json;

use crate::server::{db, state::AppState};

/// The process answers.
pub async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// 200 when PostgreSQL and Redis both answer, 503 otherwise, and 503 as soon as the node
/// drains after SIGTERM (while it still serves what it is sent).
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.lifecycle.is_draining() {
        let body = json!({ "status": "draining" });
        return (StatusCode::SERVICE_UNAVAILABLE, Json(body));
    }
    let (database, redis) = tokio::join!(db::ping(&state.db), ping_redis(&state.redis));
    let ok = database.is_ok() && redis.is_ok();
    let label = |r: &Result<(), String>| if r.is_ok() { "ok" } else { "unavailable" };
    for (name, result) in [("postgresql", &database), ("redis", &redis)] {
        if let Err(e) = result {
            tracing::warn!(backend = name, error = %e, "readiness check failed");
        }
    }
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if ok { "ok" } else { "unavailable" },
        "checks": { "postgresql": label(&database), "redis": label(&redis) },
    });
    (status, Json(body))
}

/// While the node drains, every answer closes its connection: a proxy's pooled connections
/// move to the other nodes before this one stops accepting, and none is closed under a
/// request the proxy is about to send.
pub async fn close_when_draining(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(request).await;
    if state.lifecycle.is_draining() {
        response.headers_mut().insert(
            axum::http::header::CONNECTION,
            axum::http::HeaderValue::from_static("close"),
        );
    }
    response
}

pub async fn ping_redis(pool: &crate::server::redis_pool::RedisPool) -> Result<(), String> {
    let timeout = std::time::Duration::from_secs(2);
    let ping = async {
        let mut conn = pool.get().await.map_err(|e| e.to_string())?;
        deadpool_redis::redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let pinged = tokio::time::timeout(timeout, ping)
        .await
        .map_err(|_| "timed out".to_string())
        .and_then(|r| r);
    if pinged.is_err() {
        crate::server::metrics::redis_error();
    }
    pinged
}
