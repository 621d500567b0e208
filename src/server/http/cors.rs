//! Separate front ends (another origin's single-page app) calling `/api/v1` from a browser.
//! Only the origins in `http.cors_origins` are allowed, and only on `/api/v1` (never pages or
//! server functions); preflights are answered here, before any other layer, and cached by
//! the browser; credentials are never allowed, so a browser never sends Inti's session
//! cookie across origins and the API is reached with Bearer tokens only.

use std::time::Duration;

use axum::http::{header, request::Parts, HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long a browser may reuse a preflight's answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(3600);

/// The layer for `/api/v1`, or none when no origin is allowed (then browsers on other
/// origins get no CORS headers, and read nothing).
pub fn layer(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    let api_only = move |origin: &HeaderValue, parts: &Parts| {
        parts.uri.path().starts_with("/api/v1/") && allowed.contains(origin)
    };
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::predicate(api_only))
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::IF_NONE_MATCH,
                header::IF_MATCH,
                HeaderName::from_static("last-event-id"),
                HeaderName::from_static("x-request-id"),
            ])
            .expose_headers([
                header::ETAG,
                header::RETRY_AFTER,
                header::WWW_AUTHENTICATE,
                header::CONTENT_DISPOSITION,
                header::LOCATION,
                HeaderName::from_static("x-request-id"),
                HeaderName::from_static("ratelimit"),
                HeaderName::from_static("ratelimit-policy"),
            ])
            .max_age(PREFLIGHT_MAX_AGE),
    )
}
