//! `/api/v1/gateway/{service}/{*path}` (a Bearer token, or the browser session for the
//! app's own pages) and `/api/v1/webhooks/{service}`.

use crate::server::http::openapi::Success;
use axum::{
    body::{to_bytes, Body},
    extract::{Path, Request, State},
    http::{header, HeaderName, HeaderValue},
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::{
        error::{AppError, FieldProblem},
        service::endpoint::HttpMethod,
    },
    server::{
        auth::actor::ClientInfo,
        gateway::{self, Call, Refusal, Reply},
        http::error::Envelope,
        services::webhooks,
        state::AppState,
    },
};

/// Matches the router's body limit: a body this large was refused before it got here.
const MAX_BODY: usize = 1024 * 1024;

/// Calls an endpoint of an external service the caller's tenant uses, as the caller: Inti
/// checks the endpoint's permissions, adds the service's credentials, and passes the
/// answer's status, headers and body through (whatever its status, then, the body is the
/// service's own, not Inti's envelope, unless `error.code` says Inti refused the call).
/// `path` is the endpoint's path below the service's base URL and may hold slashes: send
/// them as `/`, not `%2F`. The query string and body (any content type) go along.
#[utoipa::path(
    method(get, post, put, patch, delete),
    path = "/gateway/{service}/{*path}",
    tag = "gateway",
    operation_id = "callService",
    params(
        ("service" = String, Path, description = "The service's name"),
        ("path" = String, Path, description = "The endpoint's path below the service's base URL"),
    ),
    request_body(content = Option<serde_json::Value>, content_type = "*/*", description = "Passed to the service as sent"),
    responses(
        (status = "default", description = "The service's answer: its status, headers and body"),
        (status = 404, description = "Unknown service or endpoint"),
        (status = 429, description = "Throttled"),
        (status = 502, description = "The service failed"),
        (status = 504, description = "The service did not answer in time"),
    )
)]
pub async fn proxy(
    State(state): State<AppState>,
    Path((service, path)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let actor = match super::caller::caller(&mut parts, &state).await {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let Some(method) = HttpMethod::parse(parts.method.as_str()) else {
        return AppError::NotFound.into_response();
    };
    let body = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return AppError::validation("body", "is too large").into_response(),
    };
    // The raw path, still percent-encoded, so that templates match what upstream receives
    // (the router is nested under /api/v1, which axum strips from the URI).
    let raw_path = parts.uri.path();
    let prefix = format!("/gateway/{service}");
    let rest = raw_path
        .strip_prefix(prefix.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| format!("/{path}"));
    let reply = gateway::call(
        &state,
        &actor,
        Call {
            service: &service,
            method,
            path: &rest,
            query: parts.uri.query(),
            headers: &parts.headers,
            body,
        },
    )
    .await;
    respond(reply)
}

/// The policy of every non-JSON answer of an external service: no script, no plugin, no
/// form, no framing, no same-origin rights.
const UPSTREAM_CSP: &str = "sandbox; default-src 'none'; frame-ancestors 'none'";

/// Whether the answer says it is JSON (`application/json` or `application/*+json`).
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .is_some_and(|t| {
            t == "application/json" || (t.starts_with("application/") && t.ends_with("+json"))
        })
}

/// The service's answer as it came (status, body, content headers), or the gateway's own
/// refusal in the API's error envelope; either way with `X-Request-Id` and the rate limit.
pub fn respond(reply: Reply) -> Response {
    let mut response = match reply.result {
        Ok(answer) => {
            let mut r = Response::new(Body::from(answer.body));
            *r.status_mut() = answer.status;
            *r.headers_mut() = answer.headers;
            if !is_json(r.headers()) {
                // Never live content on Inti's origin: a download, and sandboxed if opened.
                let h = r.headers_mut();
                h.insert(
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment"),
                );
                h.insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(UPSTREAM_CSP),
                );
            }
            r
        }
        Err(Refusal::Error(e)) => e.into_response(),
        Err(Refusal::Invalid(errors)) => AppError::Invalid {
            fields: errors
                .into_iter()
                .map(|e| FieldProblem {
                    field: e.path,
                    message: e.message,
                })
                .collect(),
        }
        .into_response(),
    };
    let headers = response.headers_mut();
    // Whatever the service's content type: its answers carry tenant data.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&reply.request_id) {
        headers.insert(HeaderName::from_static("x-request-id"), v);
    }
    if let Some(limit) = reply.limit {
        for (name, value) in limit.headers() {
            if let Ok(v) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(name), v);
            }
        }
    }
    response
}

/// `data` of an accepted webhook delivery.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Received {
    received: bool,
}

/// Receives an event from an external service. A delivery carries `X-Webhook-Id`,
/// `X-Webhook-Timestamp` (Unix seconds) and `X-Webhook-Signature`: `sha256=` and the hex
/// HMAC-SHA256, with the service's webhook secret, of the timestamp, `.` and the body. A bad
/// signature, a timestamp more than five minutes off or an id seen before is refused.
#[utoipa::path(
    post,
    path = "/webhooks/{service}",
    tag = "gateway",
    operation_id = "receiveWebhook",
    security(()),
    params(
        ("service" = String, Path, description = "The service's name"),
        ("X-Webhook-Id" = String, Header, description = "The delivery's id; a second delivery with the same id is refused"),
        ("X-Webhook-Timestamp" = String, Header, description = "Unix seconds; more than five minutes off is refused"),
        ("X-Webhook-Signature" = String, Header, description = "`sha256=` and the hex HMAC-SHA256 of the timestamp, `.` and the body"),
    ),
    request_body(content = inline(serde_json::Value), description = "The event, as the service sends it"),
    responses(
        (status = 200, description = "Success", body = Success<Received>),
        (status = 401, description = "Unsigned, or signed with another secret"),
        (status = 404, description = "Unknown service"),
        (status = 429, description = "Throttled"),
    )
)]
pub async fn webhook(
    State(state): State<AppState>,
    Path(service): Path<String>,
    client: ClientInfo,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return AppError::validation("body", "is too large").into_response(),
    };
    let h = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let delivery = webhooks::Delivery {
        id: h(webhooks::ID_HEADER),
        timestamp: h(webhooks::TIMESTAMP_HEADER),
        signature: h(webhooks::SIGNATURE_HEADER),
        body: &body,
    };
    match webhooks::receive(&state, &service, delivery, &client).await {
        Ok(()) => Envelope(Received { received: true }).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `/gateway/*` and `/webhooks/*`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(proxy))
        .routes(routes!(webhook))
}
