//! The API gateway: how a user reaches an EXTERNAL service through Inti. One code path for
//! `/api/v1/gateway/{service}/{*path}` and for forms whose service is external:
//! the session's table of usable services (visibility rules: 404), the endpoint by method
//! and path template (404), its permissions (403), MAINTENANCE (503), the tenant's rate limit
//! for it (429), its `requestSchema` (422 with every field), then the call: the client's
//! credentials stripped, the service's own injected, its timeout (504), failures, redirects
//! and oversized answers (502). Every call that reached an endpoint is logged.

pub mod body;
pub mod call_log;
pub mod health;
pub mod rate_limit;
pub mod retention;
pub mod routes;
pub mod upstream;

use std::{sync::Arc, time::Instant};

use axum::{
    body::Bytes,
    http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode},
};
use chrono::Utc;
use uuid::Uuid;

use crate::{
    domain::{
        error::AppError,
        form::FieldError,
        service::{endpoint::HttpMethod, AuthType, ServiceStatus},
    },
    server::{
        auth::actor::Actor, config::GatewaySettings, db::gateway::NewCall, http::error::status_of,
        outbound, pattern::pattern_matches, secret::Secret, state::AppState,
    },
};

use self::{
    call_log::CallLog,
    rate_limit::Decision,
    routes::{Route, Upstream},
    upstream::{header_value, Answer, Outbound},
};

pub struct Gateway {
    pub http: reqwest::Client,
    pub calls: CallLog,
}

impl Gateway {
    pub fn new(settings: &GatewaySettings) -> Self {
        Self {
            http: upstream::client(settings),
            calls: CallLog::default(),
        }
    }
}

/// A call as the client made it.
pub struct Call<'a> {
    pub service: &'a str,
    pub method: HttpMethod,
    /// After `/gateway/{service}`, as sent (still percent-encoded), starting with `/`.
    pub path: &'a str,
    pub query: Option<&'a str>,
    /// The client's headers: only content negotiation passes (`FORWARDED`).
    pub headers: &'a HeaderMap,
    pub body: Bytes,
}

/// Why a call did not reach the service, or what the service answered.
pub enum Refusal {
    Error(AppError),
    /// The body does not fit the endpoint's `requestSchema`: every field's error.
    Invalid(Vec<FieldError>),
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Refusal::Error(e)
    }
}

pub struct Reply {
    pub result: Result<Answer, Refusal>,
    /// The rate limiter's decision, when the call got that far (`RateLimit` headers).
    pub limit: Option<Decision>,
    pub request_id: String,
}

/// Client headers that reach the service. Everything else stays behind: `Authorization`,
/// `Cookie`, API-key headers, forwarding headers a client could forge.
const FORWARDED: &[&str] = &[
    "content-type",
    "accept",
    "accept-language",
    "if-match",
    "if-none-match",
];

/// Longest query string passed on.
const MAX_QUERY: usize = 2000;

/// Makes the call for the actor, and logs it.
pub async fn call(state: &AppState, actor: &Actor, call: Call<'_>) -> Reply {
    // The request's own id, so that the call log, the service and Inti's logs agree.
    let request_id = crate::server::http::request_span::current_id()
        .unwrap_or_else(|| Uuid::new_v4().to_string());
    let started = Instant::now();
    let mut limit = None;
    let mut reached = None;
    let result = run(state, actor, &call, &request_id, &mut limit, &mut reached).await;
    if let Some((service, route)) = reached {
        let status = match &result {
            Ok(a) => a.status,
            Err(Refusal::Invalid(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            Err(Refusal::Error(e)) => status_of(e),
        };
        crate::server::metrics::gateway_call(&service.name, &route.name, status, started.elapsed());
        state.gateway.calls.record(NewCall {
            tenant_id: actor.tenant_id,
            user_id: Some(actor.user_id),
            service_id: service.id,
            endpoint_name: route.name.clone(),
            method: route.method.as_str().to_string(),
            path: call.path.chars().take(500).collect(),
            status: status.as_u16() as i16,
            latency_ms: i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX),
            request_bytes: call.body.len() as i64,
            response_bytes: result.as_ref().map_or(0, |a| a.body.len() as i64),
            request_id: request_id.clone(),
            created_at: Utc::now(),
        });
    }
    Reply {
        result,
        limit,
        request_id,
    }
}

async fn run(
    state: &AppState,
    actor: &Actor,
    call: &Call<'_>,
    request_id: &str,
    limit: &mut Option<Decision>,
    reached: &mut Option<(Arc<Upstream>, Arc<Route>)>,
) -> Result<Answer, Refusal> {
    let table = routes::table(state, actor).await?;
    let service = table
        .service(call.service)
        .ok_or(AppError::NotFound)?
        .clone();
    let route = service
        .route(call.method, call.path)
        .ok_or(AppError::NotFound)?
        .clone();
    *reached = Some((service.clone(), route.clone()));
    if !route.allows(&actor.permissions) {
        return Err(AppError::Forbidden.into());
    }
    if service.status == ServiceStatus::Maintenance {
        return Err(AppError::Unavailable.into());
    }
    let decision = rate_limit::spend(
        state,
        actor.tenant_id,
        actor.user_id,
        service.id,
        &route.name,
        (route.rate_limit, route.user_rate_limit),
    )
    .await?;
    *limit = Some(decision);
    if !decision.allowed {
        return Err(AppError::RateLimited {
            retry_after_secs: decision.retry_after,
        }
        .into());
    }
    // With a schema, what was checked is what is sent: the cleaned values, as JSON.
    let body = match &route.request_schema {
        Some(schema) => match body::checked(schema, &call.body, pattern_matches) {
            Ok(cleaned) => Some(cleaned),
            Err(body::Refused::Malformed(e)) => return Err(e.into()),
            Err(body::Refused::Invalid(errors)) => return Err(Refusal::Invalid(errors)),
        },
        None => None,
    };
    let query = match call.query {
        Some(q) if q.len() > MAX_QUERY => {
            return Err(AppError::validation(
                "query",
                format!("must be at most {MAX_QUERY} characters"),
            )
            .into())
        }
        Some(q) if !q.is_empty() => format!("?{q}"),
        _ => String::new(),
    };
    let raw = format!(
        "{}{}{query}",
        service.base_url.trim_end_matches('/'),
        call.path
    );
    // Checked again as called: the registry's rule may have tightened since registration.
    let url = outbound::check_literal(
        "baseUrl",
        &raw,
        &state.settings.gateway.allowed_private_hosts,
    )
    .map_err(|_| AppError::BadGateway {
        message: "The service's address is not one the gateway may call".into(),
        upstream_status: None,
    })?;
    let mut headers = outbound_headers(&service, actor, call.headers, request_id)?;
    if body.as_ref().is_some_and(|b| !b.is_empty()) {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    let out = Outbound {
        method: Method::from_bytes(route.method.as_str().as_bytes())
            .map_err(|_| AppError::Internal)?,
        url,
        headers,
        body: body.unwrap_or_else(|| call.body.clone()),
        timeout: route.timeout,
        max_bytes: state.settings.gateway.max_response_bytes,
        service: &service.name,
    };
    Ok(upstream::send(&state.gateway.http, out).await?)
}

fn outbound_headers(
    service: &Upstream,
    actor: &Actor,
    client: &HeaderMap,
    request_id: &str,
) -> Result<HeaderMap, AppError> {
    let mut headers = HeaderMap::new();
    for name in FORWARDED {
        if let Some(v) = client.get(*name) {
            headers.insert(HeaderName::from_static(name), v.clone());
        }
    }
    headers.insert("x-request-id", header_value(request_id)?);
    headers.insert(
        "x-inti-tenant-id",
        header_value(&actor.tenant_id.to_string())?,
    );
    headers.insert("x-inti-user-id", header_value(&actor.user_id.to_string())?);
    if let Some((name, value)) = credential(service.auth_type, service.key.as_ref())? {
        headers.insert(name, value);
    }
    Ok(headers)
}

/// The header that carries a service's key, as its auth type says (calls and health probes).
pub fn credential(
    auth_type: AuthType,
    key: Option<&Secret>,
) -> Result<Option<(HeaderName, HeaderValue)>, AppError> {
    let Some(key) = key else {
        return Ok(None);
    };
    let (name, mut value) = match auth_type {
        AuthType::None => return Ok(None),
        AuthType::ApiKey => (
            HeaderName::from_static("x-api-key"),
            header_value(key.expose())?,
        ),
        // A stored token, sent as a bearer token.
        AuthType::Jwt | AuthType::Oauth => (
            header::AUTHORIZATION,
            header_value(&format!("Bearer {}", key.expose()))?,
        ),
    };
    value.set_sensitive(true);
    Ok(Some((name, value)))
}

/// The JSON headers a form's submission goes with.
pub fn json_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    h
}
