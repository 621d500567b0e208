//! Keeping one bad request from hanging or killing a worker: a deadline on every request and
//! a panic catcher, both answering in the API's error envelope.

use std::{any::Any, time::Duration};

use axum::{
    extract::Request,
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::domain::error::AppError;

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

/// 503 when the handler has not produced a response within `REQUEST_TIMEOUT` (`CALL_TIMEOUT`
/// for calls to external services); the handler's future is dropped, which releases its
/// database connection.
pub async fn deadline(request: Request, next: Next) -> Response {
    let limit = if calls_out(request.uri().path()) {
        CALL_TIMEOUT
    } else {
        REQUEST_TIMEOUT
    };
    stop_after(limit, request, next).await
}

async fn stop_after(limit: Duration, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::error!(path, "request timed out");
            AppError::Timeout.into_response()
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
    AppError::Internal.into_response()
}

#[cfg(test)]
mod tests {
    use axum::{body::Body, http::StatusCode, middleware, routing::get, Router};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    use tower_http::catch_panic::CatchPanicLayer;

    use super::*;

    /// The two layers as the app stacks them, around handlers that misbehave.
    fn app() -> Router {
        Router::new()
            .route(
                "/boom",
                get(|| async {
                    if true {
                        panic!("a bad request");
                    }
                    "never"
                }),
            )
            .route(
                "/stuck",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                    "never"
                }),
            )
            .route("/fine", get(|| async { "fine" }))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(middleware::from_fn(|request, next| {
                stop_after(Duration::from_millis(50), request, next)
            }))
    }

    async fn call(app: &Router, path: &str) -> (StatusCode, serde_json::Value) {
        let request = Request::get(path).body(Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap_or_default())
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_in_the_envelope_and_the_next_request_works() {
        let app = app();
        let (status, body) = call(&app, "/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["error"]["code"], "INTERNAL_ERROR");
        assert!(!body.to_string().contains("a bad request"), "{body}");
        let request = Request::get("/fine").body(Body::empty()).unwrap();
        assert_eq!(app.oneshot(request).await.unwrap().status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn a_stuck_handler_is_stopped_at_the_deadline_with_503() {
        let (status, body) = call(&app(), "/stuck").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["error"]["code"], "TIMEOUT");
    }

    #[test]
    fn only_calls_to_external_services_get_the_longer_deadline() {
        for path in [
            "/api/v1/gateway/wa/messages",
            "/apps/wa/blast",
            "/api/forms_submit",
        ] {
            assert!(calls_out(path), "{path}");
        }
        for path in ["/api/v1/auth/me", "/api/login", "/apps", "/api/v1/gateway"] {
            assert!(!calls_out(path), "{path}");
        }
        assert!(CALL_TIMEOUT > REQUEST_TIMEOUT);
    }
}
