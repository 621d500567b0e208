//! The one place where `AppError` becomes an HTTP response, in the JSON envelope
//! `{"success": false, "error": {"code", "message", "details"}}`.

use axum::{
    extract::{rejection::JsonRejection, FromRequest, Request},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::json;

use crate::domain::error::AppError;

pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::InvalidCredentials | AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal | AppError::Transport { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let details = match &self {
            AppError::Validation { field, .. } => json!({ "field": field }),
            _ => serde_json::Value::Null,
        };
        let body = json!({
            "success": false,
            "error": { "code": self.code(), "message": self.user_message(), "details": details },
        });
        let mut response = (status_of(&self), Json(body)).into_response();
        if matches!(
            self,
            AppError::Unauthenticated | AppError::InvalidCredentials
        ) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// `{"success": true, "data": ...}`
pub struct Envelope<T>(pub T);

impl<T: Serialize> IntoResponse for Envelope<T> {
    fn into_response(self) -> Response {
        Json(json!({ "success": true, "data": self.0 })).into_response()
    }
}

pub type ApiResult<T> = Result<Envelope<T>, AppError>;

/// Like `axum::Json`, but a malformed body is a validation error in the envelope.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(body_error(rejection)),
        }
    }
}

fn body_error(rejection: JsonRejection) -> AppError {
    let message = match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "Expected a JSON body with Content-Type: application/json".to_string()
        }
        JsonRejection::JsonSyntaxError(_) => "The body is not valid JSON".to_string(),
        // serde's message names the field and the problem, e.g. "invalid type: integer, expected a string".
        JsonRejection::JsonDataError(e) => e.body_text().replace(
            "Failed to deserialize the JSON body into the target type: ",
            "",
        ),
        other => other.body_text(),
    };
    AppError::validation("body", message)
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
