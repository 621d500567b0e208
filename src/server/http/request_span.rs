//! Every request's span, which every log line inside it shows: the request id (also sent
//! back as `X-Request-Id`), method, matched route, and, once the caller is known, the
//! tenant and user ids. (Leptos resources that the renderer spawns as tasks of their own
//! run outside it.)

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, MatchedPath, Request, State},
    http::{HeaderName, HeaderValue},
    middleware::Next,
    response::Response,
};
use tracing::{field::Empty, Instrument, Span};

use crate::server::{auth::actor::Actor, state::AppState};

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What code deep inside a request (under other spans: a session layer's, a service's) still
/// needs of it.
#[derive(Clone)]
struct Current {
    span: Span,
    id: String,
}

tokio::task_local! {
    static CURRENT: Current;
}

/// The route a request matched, as a pattern (`/api/v1/tasks/{id}`), never its raw path:
/// a label for logs and metrics. The site's files, served by the fallback, share one.
pub fn route_of(request: &Request) -> &str {
    match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str(),
        None if request.uri().path().starts_with("/pkg/") => "/pkg/{file}",
        None => "unmatched",
    }
}

/// Opens the request's span around everything inside, with its id: a trusted proxy's
/// `X-Request-Id` when it is a short plain token (nginx's `$request_id`, so that both logs
/// name the same id), a new UUID otherwise; the answer carries it back.
pub async fn open(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let from_proxy = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(peer)| {
            state
                .settings
                .trusted_proxies
                .contains(&peer.ip().to_canonical())
        });
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .filter(|_| from_proxy)
        .and_then(|v| v.to_str().ok())
        .filter(|v| plain_token(v))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        route = %route_of(&request),
        tenant_id = Empty,
        user_id = Empty,
    );
    let current = Current {
        span: span.clone(),
        id: id.clone(),
    };
    let mut response = CURRENT
        .scope(current, next.run(request).instrument(span))
        .await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    response
}

/// The current request's id (the gateway sends it upstream and logs its call under it).
pub fn current_id() -> Option<String> {
    CURRENT.try_with(|c| c.id.clone()).ok()
}

/// A span field for an argument that may have failed to parse: its value, or `-`.
pub fn shown<T: std::fmt::Display, E>(input: &Result<T, E>) -> String {
    input
        .as_ref()
        .map_or_else(|_| "-".to_string(), ToString::to_string)
}

/// At most 64 letters, digits, `-`, `_` or `.`: nothing a log line could be forged with.
fn plain_token(v: &str) -> bool {
    (1..=64).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Adds the caller to the request's span, once the session is resolved.
pub fn identify(actor: &Actor) {
    let _ = CURRENT.try_with(|c| {
        c.span
            .record("tenant_id", tracing::field::display(actor.tenant_id));
        c.span
            .record("user_id", tracing::field::display(actor.user_id));
    });
}

#[cfg(test)]
mod tests {
    use super::plain_token;

    #[test]
    fn only_plain_tokens_are_taken_from_the_caller() {
        assert!(plain_token("4f1c2e3a-req.1_x"));
        assert!(!plain_token(""));
        assert!(!plain_token("a b"));
        assert!(!plain_token("x\"}{\"admin\":true"));
        assert!(!plain_token(&"a".repeat(65)));
    }
}
