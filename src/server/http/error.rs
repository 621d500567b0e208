//! The one place where `AppError` becomes an HTTP response, in the JSON envelope
//! `{"success": false, "error": {"code", "message", "details"}}`.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Path, Query, Request},
    http::request::Parts,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::json;

use uuid::Uuid;

use crate::domain::{
    command::decode_slice,
    error::{AppError, Input},
};

/// The most a request's body may hold (`RequestBodyLimitLayer` in `http::router`): large
/// enough for any form or service definition, small enough to refuse abuse.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub fn too_large() -> AppError {
    AppError::TooLarge {
        limit_bytes: MAX_BODY_BYTES as u64,
    }
}

/// The body limit's own refusal (a `Content-Length` over the limit: plain text from
/// tower-http) in the envelope like every other error.
pub async fn envelope_too_large(request: Request, next: axum::middleware::Next) -> Response {
    let response = next.run(request).await;
    let plain = response.status() == StatusCode::PAYLOAD_TOO_LARGE
        && !response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if plain {
        too_large().into_response()
    } else {
        response
    }
}

pub fn status_of(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.status_and_code().0).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let details = match (&self, self.field()) {
            (AppError::Invalid { fields }, Some(field)) => {
                json!({ "field": field, "fields": fields })
            }
            (AppError::TooLarge { limit_bytes }, _) => {
                json!({ "field": "body", "limitBytes": limit_bytes })
            }
            (_, Some(field)) => json!({ "field": field }),
            (AppError::RateLimited { retry_after_secs }, _) => {
                json!({ "retryAfter": retry_after_secs })
            }
            (
                AppError::BadGateway {
                    upstream_status: Some(status),
                    ..
                },
                _,
            ) => json!({ "upstreamStatus": status }),
            (AppError::Stale { current, .. }, _) => {
                json!({ "current": serde_json::from_str::<serde_json::Value>(current).unwrap_or_default() })
            }
            _ => serde_json::Value::Null,
        };
        let body = json!({
            "success": false,
            "error": { "code": self.code(), "message": self.user_message(), "details": details },
        });
        let mut response = (status_of(&self), Json(body)).into_response();
        if let Some((name, value)) = extra_header(&self) {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

/// The header an error carries besides its body: `Retry-After` for throttling,
/// `WWW-Authenticate` when credentials are missing or wrong.
pub fn extra_header(error: &AppError) -> Option<(header::HeaderName, HeaderValue)> {
    match error {
        AppError::RateLimited { retry_after_secs } => {
            Some((header::RETRY_AFTER, HeaderValue::from(*retry_after_secs)))
        }
        AppError::Unauthenticated | AppError::InvalidCredentials => {
            Some((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")))
        }
        _ => None,
    }
}

/// `{"success": true, "data": ...}`
pub struct Envelope<T>(pub T);

/// `{"success": true, "data": …}`, written straight from `T` (no `serde_json::Value` tree
/// built and sorted on the way: the hottest answers are a few kilobytes).
#[derive(Serialize)]
struct Success<'a, T> {
    success: bool,
    data: &'a T,
}

impl<T: Serialize> IntoResponse for Envelope<T> {
    fn into_response(self) -> Response {
        let body = Success {
            success: true,
            data: &self.0,
        };
        match serde_json::to_vec(&body) {
            Ok(bytes) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                bytes,
            )
                .into_response(),
            // Inside the error envelope like every other failure.
            Err(_) => AppError::Internal.into_response(),
        }
    }
}

/// `{"success": true, "data": ...}` around `data`, JSON serialized already (a cached menu).
pub fn envelope_of_json(data: &str) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        format!("{{\"success\":true,\"data\":{data}}}"),
    )
        .into_response()
}

pub type ApiResult<T> = Result<Envelope<T>, AppError>;

/// Like `axum::Json`, but never rejects: a malformed body becomes a validation error that
/// the service reports after its authorization check (see `Input`).
pub struct ApiJson<T>(pub Input<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase)
            .is_some_and(|t| {
                let essence = t.split(';').next().unwrap_or_default().trim().to_string();
                essence == "application/json"
                    || (essence.starts_with("application/") && essence.ends_with("+json"))
            });
        if !json {
            return Ok(Self(Err(AppError::validation(
                "body",
                "Expected a JSON body with Content-Type: application/json",
            ))));
        }
        Ok(Self(match Bytes::from_request(req, state).await {
            Ok(bytes) => decode_slice(&bytes),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(too_large()),
            Err(e) => Err(AppError::validation("body", e.body_text())),
        }))
    }
}

/// The query string, parsed the same way: errors wait for the authorization check.
pub struct ApiQuery<T>(pub Input<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            Query::<T>::from_request_parts(parts, state)
                .await
                .map(|Query(value)| value)
                .map_err(|e| AppError::validation("query", query_message(&e.body_text()))),
        ))
    }
}

fn query_message(text: &str) -> String {
    text.replace("Failed to deserialize query string: ", "")
}

/// The `{id}` of a route, as the id type it names (`PathId<ServiceId>`): a value that is not a
/// UUID names nothing, so it is 404 (after the authorization check, like any unknown id).
pub struct PathId<T = Uuid>(pub Input<T>);

impl<S: Send + Sync, T: From<Uuid>> FromRequestParts<S> for PathId<T> {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw = Path::<String>::from_request_parts(parts, state).await;
        Ok(Self(
            raw.ok()
                .and_then(|Path(id)| id.parse::<Uuid>().ok())
                .map(T::from)
                .ok_or(AppError::NotFound),
        ))
    }
}

/// The two ids of a nested route (`/services/{id}/endpoints/{endpointId}`), like `PathId`.
pub struct PathIds<A = Uuid, B = Uuid>(pub Input<(A, B)>);

impl<S: Send + Sync, A: From<Uuid>, B: From<Uuid>> FromRequestParts<S> for PathIds<A, B> {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw = Path::<(String, String)>::from_request_parts(parts, state).await;
        Ok(Self(
            raw.ok()
                .and_then(|Path((a, b))| Some((a.parse::<Uuid>().ok()?, b.parse::<Uuid>().ok()?)))
                .map(|(a, b)| (A::from(a), B::from(b)))
                .ok_or(AppError::NotFound),
        ))
    }
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
