//! The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json` and read by the
//! documentation page at `/api/docs`.
//!
//! Every API route is registered through `utoipa_axum::routes!`, which takes the path, the
//! method and the description from the handler's `#[utoipa::path]`: the string that routes a
//! request is the string described, and a handler without the attribute does not compile
//! there. (`OpenApiRouter::route`, which would add an undescribed route, is refused by Clippy;
//! see `clippy.toml`. Answer bodies are checked against the live server by
//! `scripts/api-check.sh`.) The errors each operation can answer follow from what it takes and are
//! added here in one pass, so that the table of codes is written once.

use std::{borrow::Cow, sync::Arc};

use axum::{
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use serde_json::json;
use utoipa::{
    openapi::{
        content::ContentBuilder,
        header::HeaderBuilder,
        path::{Operation, ParameterIn},
        response::ResponseBuilder,
        schema::{ObjectBuilder, Schema, Type},
        security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme},
        OpenApi as Document, Ref, RefOr,
    },
    OpenApi, PartialSchema, ToSchema,
};

/// `{"success": true, "data": …}`: the envelope of every successful answer.
#[derive(ToSchema)]
pub struct Success<T> {
    /// Always `true`.
    pub success: bool,
    pub data: T,
}

/// `data` of a deletion: `{"deleted": true}`.
#[derive(serde::Serialize, ToSchema)]
pub struct Deleted {
    pub deleted: bool,
}

impl Deleted {
    pub const YES: Self = Self { deleted: true };
}

/// The `data` of an answer that carries nothing (a deleted task): `null`.
pub struct Nothing;

impl PartialSchema for Nothing {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::Null).into()
    }
}

impl ToSchema for Nothing {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Nothing")
    }
}

/// One kind of failure: its status, the name of its reusable response, what it means, and
/// the `error.code`s it carries (`AppError::status_and_code`; a unit test keeps them equal).
struct Failure {
    status: u16,
    name: &'static str,
    description: &'static str,
    codes: &'static [&'static str],
}

const FAILURES: &[Failure] = &[
    Failure {
        status: 401,
        name: "Unauthenticated",
        description: "No valid access token (`UNAUTHENTICATED`), wrong credentials \
                      (`INVALID_CREDENTIALS`, the same answer whichever part was wrong), a \
                      wrong second-factor code (`INVALID_CODE`) or a sign-in whose challenge \
                      ended (`SIGN_IN_EXPIRED`).",
        codes: &[
            "UNAUTHENTICATED",
            "INVALID_CREDENTIALS",
            "INVALID_CODE",
            "SIGN_IN_EXPIRED",
        ],
    },
    Failure {
        status: 403,
        name: "Forbidden",
        description: "The caller lacks the permission in the current tenant, or (switching \
                      tenant) the tenant requires a second factor this session did not pass \
                      (`TWO_FACTOR_REQUIRED`).",
        codes: &["FORBIDDEN", "CROSS_SITE_REQUEST", "TWO_FACTOR_REQUIRED"],
    },
    Failure {
        status: 404,
        name: "NotFound",
        description: "Nothing with this id in the caller's tenant (another tenant's records \
                      are not found either).",
        codes: &["NOT_FOUND"],
    },
    Failure {
        status: 409,
        name: "Conflict",
        description: "Conflicts with an existing record (`error.details.field` names it), or \
                      was changed by someone else since it was read.",
        codes: &["CONFLICT"],
    },
    Failure {
        status: 422,
        name: "Invalid",
        description: "The input is invalid: `error.details.field` names the first wrong field \
                      by its JSON path (`endpoints[0].method`), `error.details.fields` all of \
                      them when several are checked together. Nothing was changed.",
        codes: &["VALIDATION_ERROR"],
    },
    Failure {
        status: 413,
        name: "TooLarge",
        description: "The body is larger than the server accepts (1 MiB; \
                      `error.details.limitBytes`). Nothing was changed.",
        codes: &["PAYLOAD_TOO_LARGE"],
    },
    Failure {
        status: 429,
        name: "RateLimited",
        description: "Too many attempts; `Retry-After` (and `error.details.retryAfter`) says \
                      how many seconds to wait.",
        codes: &["RATE_LIMITED"],
    },
    Failure {
        status: 500,
        name: "Internal",
        description: "An unexpected failure; the log holds the details under the answer's \
                      `X-Request-Id`.",
        codes: &["INTERNAL_ERROR", "TRANSPORT_ERROR"],
    },
    Failure {
        status: 502,
        name: "BadGateway",
        description: "The external service failed or answered in a way Inti cannot pass on \
                      (`error.details.upstreamStatus` holds its status when it answered).",
        codes: &["BAD_GATEWAY"],
    },
    Failure {
        status: 503,
        name: "Unavailable",
        description: "A backend is unavailable, the node is stopping, or the request ran past \
                      its deadline; retrying later is safe for reads.",
        codes: &["UNAVAILABLE", "TIMEOUT"],
    },
    Failure {
        status: 504,
        name: "GatewayTimeout",
        description: "The external service did not answer within the endpoint's timeout.",
        codes: &["GATEWAY_TIMEOUT"],
    },
];

/// The description, built once at start-up and served as JSON bytes.
#[derive(Clone)]
pub struct Description(Arc<[u8]>);

impl Description {
    pub fn new(document: &Document) -> Self {
        Self(
            serde_json::to_vec(document)
                .expect("the API description serializes")
                .into(),
        )
    }

    pub fn response(&self) -> Response {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            axum::body::Bytes::from_owner(self.0.clone()),
        )
            .into_response()
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Inti API",
        description = "The JSON API of Inti, a multi-tenant core platform: tenants, users, \
            roles, the service registry, menus, the Task Manager and the gateway to external \
            services.\n\nEvery answer is an envelope: `{\"success\": true, \"data\": …}` or \
            `{\"success\": false, \"error\": {\"code\", \"message\", \"details\"}}`. Sign in \
            with `POST /api/v1/auth/login` and send the access token as \
            `Authorization: Bearer …`; the tenant of every call is the token's current tenant. \
            Lists take `page` (from 1) and `perPage` (1 to 100, 20 by default) and answer \
            `{items, total, page, perPage}`.",
        license(name = "MIT", identifier = "MIT"),
    ),
    tags(
        (name = "auth", description = "Signing in and out, tokens and the current session"),
        (name = "account", description = "The caller's own account"),
        (name = "users", description = "Members of the current tenant and their invitations"),
        (name = "roles", description = "Roles of the current tenant"),
        (name = "tenants", description = "Tenants: platform administration, and the caller's own tenant"),
        (name = "dashboard", description = "What needs the caller now"),
        (name = "services", description = "The service registry"),
        (name = "gateway", description = "Calls to external services, and their webhooks"),
        (name = "menus", description = "The sidebar menu and its layout"),
        (name = "tasks", description = "The Task Manager"),
        (name = "audit", description = "The audit log"),
        (name = "notifications", description = "The caller's notifications, live and stored"),
    )
)]
struct Base;

/// The description's frame (info, tags, the Bearer scheme); `finish` completes it once the
/// routes have added their operations.
pub fn base() -> Document {
    Base::openapi()
}

/// Adds the Bearer scheme to every operation that does not say otherwise, the reusable error
/// answers, and to each operation the errors that what it takes can cause.
pub fn finish(mut document: Document) -> Document {
    let components = document.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        BEARER.to_string(),
        RefOr::T(SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some(
                    "The access token from `POST /api/v1/auth/login` (valid 15 minutes by default); renew it \
                     with `POST /api/v1/auth/refresh`.",
                ))
                .build(),
        )),
    );
    for failure in FAILURES {
        components
            .responses
            .insert(failure.name.to_string(), RefOr::T(error_response(failure)));
    }
    for (path, item) in document.paths.paths.iter_mut() {
        let relayed = path.starts_with("/api/v1/gateway/");
        let operations = [
            ("GET", &mut item.get),
            ("POST", &mut item.post),
            ("PUT", &mut item.put),
            ("PATCH", &mut item.patch),
            ("DELETE", &mut item.delete),
        ];
        let ids: Vec<Option<String>> = operations
            .iter()
            .filter_map(|(_, o)| o.as_ref().map(|o| o.operation_id.clone()))
            .collect();
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            add_errors(method, operation);
            if relayed {
                relay_answers(operation);
            }
            // One handler on several methods (the gateway): a name per method.
            let id = &mut operation.operation_id;
            if ids.iter().filter(|other| *other == id).count() > 1 {
                *id = id.take().map(|id| format!("{id}{}", title_case(method)));
            }
        }
    }
    // axum's catch-all `{*path}` is a plain parameter in OpenAPI.
    let paths = std::mem::take(&mut document.paths.paths);
    document.paths.paths = paths
        .into_iter()
        .map(|(path, item)| (path.replace("{*", "{"), item))
        .collect();
    document
}

const BEARER: &str = "bearer";

/// `GET` → `Get`.
fn title_case(method: &str) -> String {
    let lower = method.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn add_errors(method: &str, operation: &mut Operation) {
    let public = operation
        .security
        .as_ref()
        .is_some_and(|s| s.iter().all(|r| r == &SecurityRequirement::default()));
    if operation.security.is_none() {
        operation.security = Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
    }
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let in_path = parameters
        .iter()
        .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Path));
    let in_query = parameters
        .iter()
        .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
    let writes = method != "GET";
    let mut statuses = vec![500, 503];
    if !public {
        statuses.extend([401, 403]);
    }
    if in_path {
        statuses.push(404);
    }
    // A write may also break a rule of the data it changes (removing one's own access).
    if writes {
        statuses.extend([409, 422]);
    }
    if in_query || operation.request_body.is_some() {
        statuses.push(422);
    }
    if operation.request_body.is_some() {
        statuses.push(413);
    }
    // Every error answer, added here or named by the route (`(status = 429, description =
    // …)`), is the shared one for its status.
    let responses = &mut operation.responses.responses;
    for failure in FAILURES {
        let status = failure.status.to_string();
        // What the route says of it (when it names the status) stays, on the shared answer.
        let said = match responses.get(&status) {
            Some(RefOr::T(own)) => Some(own.description.clone()),
            _ => None,
        };
        if said.is_some() || statuses.contains(&failure.status) {
            let mut shared = Ref::from_response_name(failure.name);
            if let Some(said) = said {
                shared.description = said;
            }
            responses.insert(status, RefOr::Ref(shared));
        }
    }
}

/// The gateway passes the service's answer through, whatever its status: each error status
/// is Inti's envelope when Inti refused the call, or the service's own body otherwise.
fn relay_answers(operation: &mut Operation) {
    for (status, response) in operation.responses.responses.iter_mut() {
        let Some(failure) = FAILURES.iter().find(|f| f.status.to_string() == *status) else {
            continue;
        };
        let said = match response {
            RefOr::Ref(r) if !r.description.is_empty() => r.description.clone(),
            _ => failure.description.to_string(),
        };
        *response = RefOr::T(
            ResponseBuilder::new()
                .description(format!(
                    "{said} Or the service's own answer with this status, passed through."
                ))
                .content("*/*", ContentBuilder::new().build())
                .build(),
        );
    }
}

fn error_response(failure: &Failure) -> utoipa::openapi::Response {
    let string = || ObjectBuilder::new().schema_type(Type::String);
    let error = ObjectBuilder::new()
        .property(
            "code",
            string().enum_values(Some(failure.codes.iter().copied())),
        )
        .required("code")
        .property(
            "message",
            string().description(Some("For people; may change between releases.")),
        )
        .required("message")
        .property(
            "details",
            ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
                    Type::Object,
                    Type::Null,
                ]))
                .description(Some(
                    "`field` (and `fields`) for invalid input, `retryAfter` when throttled, \
                     `upstreamStatus` from the gateway, `current` for a stale write; \
                     otherwise `null`.",
                )),
        )
        .required("details");
    let body = ObjectBuilder::new()
        .property(
            "success",
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .enum_values(Some([false])),
        )
        .required("success")
        .property("error", error)
        .required("error");
    let example = json!({
        "success": false,
        "error": { "code": failure.codes[0], "message": "…", "details": null },
    });
    let mut response = ResponseBuilder::new()
        .description(failure.description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(body))
                .example(Some(example))
                .build(),
        );
    let header_of = |description: &str| {
        HeaderBuilder::new()
            .schema(Some(string()))
            .description(Some(description))
            .build()
    };
    match failure.status {
        401 => {
            response = response.header(
                "WWW-Authenticate",
                header_of("`Bearer`: the scheme to authenticate with."),
            )
        }
        429 => {
            response = response.header(
                "Retry-After",
                header_of("Seconds to wait before trying again."),
            )
        }
        _ => {}
    }
    response.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::error::AppError;

    /// Each code an error can carry is documented under the status it is sent with.
    #[test]
    fn the_table_of_failures_matches_the_errors() {
        let every = [
            AppError::validation("f", "m"),
            AppError::InvalidCredentials,
            AppError::Unauthenticated,
            AppError::InvalidCode,
            AppError::SignInExpired,
            AppError::TwoFactorRequired,
            AppError::Forbidden,
            AppError::CrossSiteRequest { origin: None },
            AppError::NotFound,
            AppError::Conflict {
                field: None,
                message: String::new(),
            },
            AppError::RateLimited {
                retry_after_secs: 1,
            },
            AppError::Unavailable,
            AppError::Timeout,
            AppError::BadGateway {
                message: String::new(),
                upstream_status: None,
            },
            AppError::GatewayTimeout,
            AppError::Internal,
            AppError::Transport {
                message: String::new(),
            },
            AppError::TooLarge { limit_bytes: 1 },
        ];
        for error in every {
            // No wildcard: a new variant fails to compile here until it is listed above.
            match &error {
                AppError::Validation { .. }
                | AppError::InvalidCredentials
                | AppError::Unauthenticated
                | AppError::InvalidCode
                | AppError::SignInExpired
                | AppError::TwoFactorRequired
                | AppError::Forbidden
                | AppError::NotFound
                | AppError::Conflict { .. }
                | AppError::Stale { .. }
                | AppError::RateLimited { .. }
                | AppError::Unavailable
                | AppError::BadGateway { .. }
                | AppError::GatewayTimeout
                | AppError::Invalid { .. }
                | AppError::CrossSiteRequest { .. }
                | AppError::TooLarge { .. }
                | AppError::Timeout
                | AppError::Internal
                | AppError::Transport { .. } => {}
            }
            let (status, code) = error.status_and_code();
            assert!(
                FAILURES
                    .iter()
                    .any(|f| f.status == status && f.codes.contains(&code)),
                "{status} {code} is not described"
            );
        }
    }
}
