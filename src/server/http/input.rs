//! Checks on raw input that hold for every route, made once here rather than in each handler:
//! text containing U+0000 (which PostgreSQL cannot store) is refused with 422 naming the field,
//! and a server function whose arguments fail to decode answers 422 like the REST API, not 500.

use axum::{
    body::{to_bytes, Body},
    extract::Request,
    http::{header, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde_json::Value;

use super::error::{too_large, MAX_BODY_BYTES};
use crate::domain::error::AppError;

/// Refuses a query string or a JSON or form body that carries a NUL character anywhere.
pub async fn reject_nul(request: Request, next: Next) -> Response {
    let server_fn = is_server_fn(request.uri().path());
    if let Some(field) = request.uri().query().and_then(nul_in_form) {
        return refusal(&field, server_fn);
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let json = content_type.starts_with("application/json");
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    if !json && !form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The body-limit layer's own bound: a body past it fails here first.
    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) if over_the_limit(&e) => return too_large().into_response(),
        Err(_) => {
            return AppError::validation("body", "The body could not be read").into_response()
        }
    };
    let found = if json {
        serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| nul_in_json(&v, ""))
    } else {
        std::str::from_utf8(&bytes).ok().and_then(nul_in_form)
    };
    if let Some(field) = found {
        return refusal(&field, server_fn);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Whether reading a body failed because it was larger than allowed (not because the client
/// went away or sent broken chunks).
fn over_the_limit(error: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// Server functions live under `/api/` beside the versioned REST API.
fn is_server_fn(path: &str) -> bool {
    path.starts_with("/api/") && !path.starts_with("/api/v1/")
}

fn refusal(field: &str, server_fn: bool) -> Response {
    let error = AppError::validation(field, "Text must not contain the NUL character (U+0000)");
    if server_fn {
        // The encoding the hydrated client decodes server-function errors from.
        let body = serde_json::to_string(&error).unwrap_or_default();
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    } else {
        error.into_response()
    }
}

/// The name of the first `application/x-www-form-urlencoded` pair holding a NUL.
fn nul_in_form(text: &str) -> Option<String> {
    form_urlencoded::parse(text.as_bytes())
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| k.replace('\0', ""))
}

/// The JSON path (`a.b[2]`) of the first string or key holding a NUL.
fn nul_in_json(value: &Value, path: &str) -> Option<String> {
    let here = || {
        if path.is_empty() {
            "body".to_string()
        } else {
            path.to_string()
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => Some(here()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_in_json(v, &format!("{}[{i}]", here()))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let child = if path.is_empty() {
                k.replace('\0', "")
            } else {
                format!("{path}.{}", k.replace('\0', ""))
            };
            if k.contains('\0') {
                Some(child)
            } else {
                nul_in_json(v, &child)
            }
        }),
        _ => None,
    }
}

/// Server functions whose arguments cannot be decoded fail inside Leptos before any of our
/// code runs, and Leptos answers 500. The error body is our own `AppError` (see
/// `AppError::from_server_fn_error`), so its status is restored here from the one mapping.
pub async fn server_fn_status(request: Request, next: Next) -> Response {
    if !is_server_fn(request.uri().path()) {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = super::error::status_of(&error);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_nul_and_names_the_field() {
        assert_eq!(nul_in_form("a=1&name=x%00y"), Some("name".into()));
        assert_eq!(nul_in_form("a=1&b=2"), None);
        let v = json!({"name": "ok", "items": [{"label": "a\u{0}"}]});
        assert_eq!(nul_in_json(&v, ""), Some("items[0].label".into()));
        assert_eq!(nul_in_json(&json!("x\u{0}"), ""), Some("body".into()));
        assert_eq!(nul_in_json(&json!({"a": [1, "b"]}), ""), None);
    }
}
