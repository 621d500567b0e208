//! Keeping one bad request from hanging or killing a worker: a deadline on every request and
//! a panic catcher, both answering in the API's error envelope.

use std::{any::Any, time::Duration};

use axum::{
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

/// Longer than any legitimate request (a login waits at most for its hash), short enough
/// that a stuck one frees its worker.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Requests that may wait on an external service get the longest endpoint timeout and some
/// room, so that the gateway's own 504 (and its call log row) comes first.
pub const CALL_TIMEOUT: Duration =
    Duration::from_millis(crate::domain::service::endpoint::MAX_TIMEOUT_MS as u64 + 5_000);

/// Paths whose handlers call external services through the gateway.
fn calls_out(path: &str) -> bool {
    path.starts_with("/api/v1/gateway/")
        || path.starts_with("/apps/")
        || path == "/api/forms_submit"
        || path == "/api/service_page"
}

fn envelope(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({
        "success": false,
        "error": { "code": code, "message": message, "details": null },
    });
    (status, Json(body)).into_response()
}

/// 503 when the handler has not produced a response within `REQUEST_TIMEOUT` (`CALL_TIMEOUT`
/// for calls to external services); the handler's future is dropped, which releases its
/// database connection.
pub async fn deadline(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let limit = if calls_out(&path) {
        CALL_TIMEOUT
    } else {
        REQUEST_TIMEOUT
    };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::error!(path, "request timed out");
            envelope(
                StatusCode::SERVICE_UNAVAILABLE,
                "TIMEOUT",
                "The request took too long and was stopped",
            )
        }
    }
}

/// Turns a panic in a handler into a logged 500 instead of a dropped connection.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %detail, "a request handler panicked");
    envelope(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_ERROR",
        "Internal error",
    )
}
