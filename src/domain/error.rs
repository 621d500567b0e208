//! The one error type of the application. Server code, server functions and the REST API all
//! return it; `server::http::error` maps it to HTTP status and the JSON envelope in one place.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Bad input: which field, and what is wrong with it.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// Login failed. Deliberately says nothing about which part was wrong.
    #[error("Invalid email or password")]
    InvalidCredentials,
    /// No valid session or token.
    #[error("Authentication required")]
    Unauthenticated,
    /// The second factor's code was wrong (or used before).
    #[error("That code is not valid")]
    InvalidCode,
    /// A login's second step came after its challenge ended (expired, used, or too many wrong
    /// codes): sign in again.
    #[error("This sign-in has expired; sign in again")]
    SignInExpired,
    /// The tenant requires a second factor of its administrators, and this one has none.
    #[error("This tenant requires administrators to use two-factor authentication; set it up on your account page first")]
    TwoFactorRequired,
    #[error("You do not have permission to do this")]
    Forbidden,
    /// Also used for objects of another tenant, so that their existence does not leak.
    #[error("Not found")]
    NotFound,
    /// A uniqueness or state conflict; `field` names the input that collides, when one does.
    #[error("{message}")]
    Conflict {
        field: Option<String>,
        message: String,
    },
    /// An update based on an old version: `current` is the object as it is now (JSON), for
    /// the client to show or merge.
    #[error("{message}")]
    Stale { message: String, current: String },
    /// Throttled; the client may try again after `retry_after_secs` (the `Retry-After` header).
    #[error("Too many attempts; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    #[error("A required backend is unavailable")]
    Unavailable,
    /// An external service, reached through the gateway, failed: it could not be reached,
    /// answered with an error or a redirect, or sent too much. `upstream_status`: what it
    /// answered, when it answered.
    #[error("{message}")]
    BadGateway {
        message: String,
        upstream_status: Option<u16>,
    },
    /// An external service did not answer within its endpoint's timeout.
    #[error("The service did not answer in time")]
    GatewayTimeout,
    /// Several fields are wrong at once (a body checked against an endpoint's form schema):
    /// each with its JSON path. `field` in the answer is the first.
    #[error("{}", first_problem(.fields))]
    Invalid { fields: Vec<FieldProblem> },
    /// A state-changing request from another site (its `Origin` or `Referer`, if it had one).
    #[error("Cross-site request refused: {}", cross_site_reason(.origin))]
    CrossSiteRequest { origin: Option<String> },
    /// The request's body is larger than the server accepts (`limit_bytes`).
    #[error("The request body is larger than the {limit_bytes} bytes allowed")]
    TooLarge { limit_bytes: u64 },
    /// The request took longer than the server allows and was stopped.
    #[error("The request took too long and was stopped")]
    Timeout,
    /// The cause is logged where it happens and never returned to the client.
    #[error("Internal error")]
    Internal,
    /// The request never reached the application (network, encoding); client side only.
    #[error("Request failed: {message}")]
    Transport { message: String },
}

fn first_problem(fields: &[FieldProblem]) -> String {
    fields
        .first()
        .map(|f| format!("{}: {}", f.field, f.message))
        .unwrap_or_default()
}

fn cross_site_reason(origin: &Option<String>) -> String {
    match origin {
        Some(o) => format!("it came from {o}, not from this site"),
        None => "the request has no Origin or Referer".to_string(),
    }
}

/// One wrong field of several (`AppError::Invalid`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// Request input as it arrived: parsed, or the validation error that parsing gave. Handlers
/// pass it to the service unopened, and the service opens it (`input?`) only after checking
/// who is calling and what they may do, so that a caller without the permission gets 403
/// whatever they sent.
pub type Input<T> = Result<T, AppError>;

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Conflict {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// The input field an error is about, if any (validation errors and field conflicts).
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Validation { field, .. }
            | Self::Conflict {
                field: Some(field), ..
            } => Some(field),
            Self::Invalid { fields } => fields.first().map(|f| f.field.as_str()),
            Self::TooLarge { .. } => Some("body"),
            _ => None,
        }
    }

    /// The HTTP status and the stable machine-readable code of the answer: the one table of
    /// every code an answer can carry.
    pub fn status_and_code(&self) -> (u16, &'static str) {
        match self {
            Self::Validation { .. } | Self::Invalid { .. } => (422, "VALIDATION_ERROR"),
            Self::InvalidCredentials => (401, "INVALID_CREDENTIALS"),
            Self::Unauthenticated => (401, "UNAUTHENTICATED"),
            Self::InvalidCode => (401, "INVALID_CODE"),
            Self::SignInExpired => (401, "SIGN_IN_EXPIRED"),
            Self::TwoFactorRequired => (403, "TWO_FACTOR_REQUIRED"),
            Self::Forbidden => (403, "FORBIDDEN"),
            Self::CrossSiteRequest { .. } => (403, "CROSS_SITE_REQUEST"),
            Self::NotFound => (404, "NOT_FOUND"),
            Self::Conflict { .. } | Self::Stale { .. } => (409, "CONFLICT"),
            Self::TooLarge { .. } => (413, "PAYLOAD_TOO_LARGE"),
            Self::RateLimited { .. } => (429, "RATE_LIMITED"),
            Self::Unavailable => (503, "UNAVAILABLE"),
            Self::Timeout => (503, "TIMEOUT"),
            Self::BadGateway { .. } => (502, "BAD_GATEWAY"),
            Self::GatewayTimeout => (504, "GATEWAY_TIMEOUT"),
            Self::Internal => (500, "INTERNAL_ERROR"),
            Self::Transport { .. } => (500, "TRANSPORT_ERROR"),
        }
    }

    /// Stable machine-readable code, used in the REST envelope.
    pub fn code(&self) -> &'static str {
        self.status_and_code().1
    }

    /// Message a person can read, without the field prefix for validation errors.
    pub fn user_message(&self) -> String {
        match self {
            Self::Validation { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

impl server_fn_error::FromServerFnError for AppError {
    type Encoder = server_fn_error::JsonEncoding;

    fn from_server_fn_error(value: server_fn_error::ServerFnErrorErr) -> Self {
        use server_fn_error::ServerFnErrorErr as E;
        match value {
            E::Args(msg) | E::MissingArg(msg) => Self::validation("request", msg),
            other => Self::Transport {
                message: other.to_string(),
            },
        }
    }
}

/// Re-exports of the server-function error plumbing, kept in one place.
mod server_fn_error {
    pub use leptos::server_fn::codec::JsonEncoding;
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_messages_do_not_leak_internals() {
        assert_eq!(AppError::InvalidCredentials.code(), "INVALID_CREDENTIALS");
        assert_eq!(AppError::Internal.to_string(), "Internal error");
        let v = AppError::validation("email", "must not be empty");
        assert_eq!(v.code(), "VALIDATION_ERROR");
        assert_eq!(v.user_message(), "must not be empty");
        assert_eq!(v.to_string(), "email: must not be empty");
    }
}
