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

fn envelope(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({
        "success": false,
        "error": { "code": code, "message": message, "details": null },
    });
    (status, Json(body)).into_response()
}

/// 503 when the handler has not produced a response within `REQUEST_TIMEOUT`; the handler's
/// future is dropped, which releases its database connection.
pub async fn deadline(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
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
