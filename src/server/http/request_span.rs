//! Every request's span, which every log line inside it shows: the request id (also sent
//! back as `X-Request-Id`), method, matched route, and, once the caller is known, the
//! tenant and user ids.

use axum::{
    extract::{MatchedPath, Request},
    http::{HeaderName, HeaderValue},
    middleware::Next,
    response::Response,
};
use tracing::{field::Empty, Instrument, Span};

use crate::server::auth::actor::Actor;

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request's id, for whatever else wants to name it (the gateway passes it upstream).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

tokio::task_local! {
    /// The request's span, for code that runs inside other spans (a session layer's, a
    /// service's) and still has to add to it.
    static REQUEST_SPAN: Span;
}

/// Opens the request's span around everything inside, with its id: the caller's
/// `X-Request-Id` when it is a short plain token (so that a proxy's id carries through), a
/// new UUID otherwise; the answer carries it back.
pub async fn open(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| plain_token(v))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        route = %route,
        tenant_id = Empty,
        user_id = Empty,
    );
    request.extensions_mut().insert(RequestId(id.clone()));
    let inner = next.run(request).instrument(span.clone());
    let mut response = REQUEST_SPAN.scope(span, inner).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    response
}

/// At most 64 letters, digits, `-`, `_` or `.`: nothing a log line could be forged with.
fn plain_token(v: &str) -> bool {
    (1..=64).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Adds the caller to the request's span, once the session is resolved.
pub fn identify(actor: &Actor) {
    let _ = REQUEST_SPAN.try_with(|span| {
        span.record("tenant_id", tracing::field::display(actor.tenant_id));
        span.record("user_id", tracing::field::display(actor.user_id));
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
