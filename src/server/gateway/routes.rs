//! What the gateway may call for one session: the external services its tenant and user may
//! use, with their endpoints, limits and decrypted credentials. Built from the registry once
//! per session and kept beside the session's cached actor, so that a call through the gateway
//! costs no database round trip; every registry, assignment or grant change drops it (the
//! access cache's notifications).

use std::{sync::Arc, time::Duration};

use diesel_async::AsyncPgConnection;
use serde_json::Value;
use uuid::Uuid;

use crate::{
    domain::{
        error::AppError,
        form::FormSchema,
        permission::Permission,
        service::{
            endpoint::{HttpMethod, MAX_RATE_LIMIT},
            AuthType, ServiceStatus, ServiceType,
        },
    },
    server::{
        auth::actor::Actor,
        db::{
            scope::{scoped, set_scope, Scope},
            services::{self as registry_db, EndpointRow},
        },
        keyring::api_key_aad,
        secret::Secret,
        services::registry::accessible_in,
        state::AppState,
    },
};

/// The external services one session may call through the gateway.
#[derive(Debug, Default)]
pub struct Table {
    pub services: Vec<Arc<Upstream>>,
}

/// An external service as the gateway calls it.
#[derive(Debug)]
pub struct Upstream {
    pub id: Uuid,
    pub name: String,
    pub display_name: String,
    pub status: ServiceStatus,
    pub base_url: String,
    pub auth_type: AuthType,
    /// Opened from its sealed form; never serialized or logged (`Secret`).
    pub key: Option<Secret>,
    pub endpoints: Vec<Arc<Route>>,
}

/// One endpoint: how a request matches it, and what a call needs.
#[derive(Debug)]
pub struct Route {
    pub name: String,
    pub display_name: String,
    pub method: HttpMethod,
    pub template: String,
    segments: Vec<Segment>,
    pub required_permissions: Vec<Permission>,
    pub request_schema: Option<FormSchema>,
    pub response_schema: Option<Value>,
    /// Calls per minute for one tenant, after the assignment's `rateLimits` setting.
    pub rate_limit: u32,
    /// Calls per minute for one member of the tenant (`rateLimits.perUser`; half the
    /// tenant's by default).
    pub user_rate_limit: u32,
    pub timeout: Duration,
}

#[derive(Debug, PartialEq)]
enum Segment {
    Literal(String),
    Param,
}

impl Route {
    /// Whether `path` (as the client sent it, `/`-separated, still percent-encoded) fits
    /// this endpoint's template.
    pub fn matches(&self, path: &str) -> bool {
        self.fits(path, false)
    }

    /// `matches`, with literals compared case-insensitively when `fold` (what an upstream
    /// that ignores case would route).
    fn fits(&self, path: &str, fold: bool) -> bool {
        let trimmed = path.strip_prefix('/').unwrap_or(path);
        if self.segments.is_empty() {
            return trimmed.is_empty();
        }
        let mut parts = trimmed.split('/');
        for segment in &self.segments {
            match (segment, parts.next()) {
                (Segment::Literal(l), Some(p)) if p == l || (fold && p.eq_ignore_ascii_case(l)) => {
                }
                (Segment::Param, Some(p)) if is_param_value(p) => {}
                _ => return false,
            }
        }
        parts.next().is_none()
    }

    /// Literal segments, from the left: the more specific template sorts higher.
    fn specificity(&self) -> Vec<bool> {
        self.segments
            .iter()
            .map(|s| matches!(s, Segment::Literal(_)))
            .collect()
    }

    /// Whether `permissions` cover every permission the endpoint requires.
    pub fn allows(&self, permissions: &crate::domain::permission::PermissionSet) -> bool {
        self.required_permissions
            .iter()
            .all(|p| permissions.covers(p))
    }

    pub fn has_params(&self) -> bool {
        self.segments.contains(&Segment::Param)
    }
}

/// A path parameter's value, such that no upstream can read it as more than one segment: not
/// empty; not starting with `.` (`.`, `..`, `.env`); no `;` (Tomcat and Spring read `..;` as
/// `..`); no encoded `/`, `\` or `;`; no encoded `%` (a double encoding, decoded twice by
/// some stacks, would hide any of these); and no encoded unreserved character (which covers
/// an encoded `.`).
fn is_param_value(p: &str) -> bool {
    let lower = p.to_ascii_lowercase();
    !p.is_empty()
        && p.len() <= 200
        && !p.starts_with('.')
        && !["%2f", "%5c", "%3b", "%25"]
            .iter()
            .any(|e| lower.contains(e))
        && !encodes_unreserved(p)
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~%!$&'()*+,=:@".contains(c))
}

/// Whether `p` percent-encodes a letter, digit or `-._~`, which never needs encoding: an
/// upstream that decodes before routing would read `%62last` as `blast`, a literal that this
/// parameter must not stand in for.
fn encodes_unreserved(p: &str) -> bool {
    p.as_bytes().windows(3).any(|w| {
        w[0] == b'%'
            && std::str::from_utf8(&w[1..])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .is_some_and(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    })
}

fn segments(template: &str) -> Vec<Segment> {
    template
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with('{') {
                Segment::Param
            } else {
                Segment::Literal(s.to_string())
            }
        })
        .collect()
}

impl Upstream {
    /// The endpoint a request names: by method and path template, the most specific one
    /// when several fit (`/messages/blast` before `/messages/{id}`: a literal beats a
    /// parameter, from the left), so that the registry's order never decides whose
    /// permissions apply. `None` when nothing fits.
    pub fn route(&self, method: HttpMethod, path: &str) -> Option<&Arc<Route>> {
        let best = |fold: bool| {
            self.endpoints
                .iter()
                .filter(|e| e.method == method && e.fits(path, fold))
                .max_by_key(|e| e.specificity())
        };
        let exact = best(false)?;
        // `/messages/Blast` fits `/messages/{id}` here but may be `/messages/blast` to a
        // service that ignores case: a path that would pick a more specific endpoint that way
        // is refused rather than given the weaker one's permissions.
        match best(true) {
            Some(folded) if folded.specificity() > exact.specificity() => None,
            _ => Some(exact),
        }
    }

    pub fn endpoint(&self, name: &str) -> Option<&Arc<Route>> {
        self.endpoints.iter().find(|e| e.name == name)
    }
}

impl Table {
    pub fn service(&self, name: &str) -> Option<&Arc<Upstream>> {
        self.services.iter().find(|s| s.name == name)
    }
}

/// The session's table: cached, or built from the registry and cached.
pub async fn table(state: &AppState, actor: &Actor) -> Result<Arc<Table>, AppError> {
    if let Some(t) = state.access.derived::<Table>(actor.session_id) {
        return Ok(t);
    }
    let ticket = state.access.ticket();
    let table = Arc::new(build(state, actor).await?);
    if let Some(ticket) = ticket {
        state.access.store_derived(ticket, actor, table.clone());
    }
    Ok(table)
}

async fn build(state: &AppState, actor: &Actor) -> Result<Table, AppError> {
    scoped(&state.db, actor.scope(), async |c| {
        let usable = accessible_in(c, actor).await?;
        let mut services = Vec::new();
        let external: Vec<Uuid> = usable
            .iter()
            .filter(|s| s.service_type == ServiceType::External.as_str())
            .map(|s| s.id)
            .collect();
        let endpoints = registry_db::endpoints_of(c, &external).await?;
        // The keys of the services this tenant may use, and only those: ciphertexts are
        // platform data (no tenant scope reads them), so this one read is platform work.
        set_scope(c, Scope::platform()).await?;
        let mut keys = registry_db::sealed_keys(c, &external).await?;
        set_scope(c, actor.scope()).await?;
        for id in external {
            let sealed = keys.remove(&id);
            match upstream(c, state, actor, id, &endpoints, sealed).await {
                Ok(Some(u)) => services.push(Arc::new(u)),
                Ok(None) => {}
                // One unreadable service must not take the others down with it.
                Err(AppError::Internal) => {
                    tracing::error!(service = %id, "a service does not read back; the gateway skips it")
                }
                Err(e) => return Err(e),
            }
        }
        Ok(Table { services })
    })
    .await
}

async fn upstream(
    c: &mut AsyncPgConnection,
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    endpoints: &[EndpointRow],
    sealed_key: Option<Vec<u8>>,
) -> Result<Option<Upstream>, AppError> {
    let Some(row) = registry_db::find(c, id).await? else {
        return Ok(None);
    };
    let spec = row.spec()?;
    let Some(base_url) = spec.base_url else {
        return Ok(None);
    };
    let key = open_key(state, id, sealed_key.as_deref())?;
    let settings = registry_db::assignments(c, Some(id), Some(actor.tenant_id))
        .await?
        .pop()
        .map(|a| a.custom_settings)
        .unwrap_or(Value::Null);
    let mut routes = Vec::new();
    for e in endpoints.iter().filter(|e| e.service_id == id) {
        let spec = e.spec()?;
        let rate_limit = rate_limit_of(&settings, &spec.name, spec.rate_limit);
        routes.push(Arc::new(Route {
            segments: segments(&spec.path),
            rate_limit,
            user_rate_limit: user_rate_limit_of(&settings, &spec.name, rate_limit),
            name: spec.name,
            display_name: spec.display_name,
            method: spec.method,
            template: spec.path,
            required_permissions: spec.required_permissions,
            request_schema: spec.request_schema,
            response_schema: spec.response_schema,
            timeout: Duration::from_millis(u64::try_from(spec.timeout_ms).unwrap_or(30_000)),
        }));
    }
    Ok(Some(Upstream {
        id,
        name: row.name,
        display_name: row.display_name,
        status: spec.status,
        base_url,
        auth_type: spec.auth_type,
        key,
        endpoints: routes,
    }))
}

/// A service's API key, opened from its sealed form.
pub fn open_key(
    state: &AppState,
    id: Uuid,
    sealed: Option<&[u8]>,
) -> Result<Option<Secret>, AppError> {
    let Some(blob) = sealed else {
        return Ok(None);
    };
    let clear = state.keyring.open(blob, &api_key_aad(id)).inspect_err(|_| {
        tracing::error!(service = %id, "the service's API key does not open under the configured keys")
    })?;
    let text = String::from_utf8(clear).map_err(|_| AppError::Internal)?;
    Ok(Some(Secret::new(text)))
}

/// The tenant's limit for an endpoint: the assignment's `customSettings.rateLimits` may
/// name the endpoint or `*` (every endpoint) with calls per minute, raising or lowering the
/// endpoint's own `rateLimit`. (`assign` checks the shape when it is saved.)
pub fn rate_limit_of(settings: &Value, endpoint: &str, own: i32) -> u32 {
    let limits = settings.get("rateLimits");
    let pick = |key: &str| {
        limits
            .and_then(|l| l.get(key))
            .and_then(Value::as_i64)
            .filter(|n| (1..=MAX_RATE_LIMIT).contains(n))
    };
    let n = pick(endpoint)
        .or_else(|| pick("*"))
        .unwrap_or(i64::from(own));
    u32::try_from(n.max(1)).unwrap_or(1)
}

/// One member's limit for an endpoint: `customSettings.rateLimits.perUser` may name the
/// endpoint or `*`; otherwise half the tenant's (at least 1), so that no member alone can
/// spend the whole tenant's budget. Never above the tenant's.
pub fn user_rate_limit_of(settings: &Value, endpoint: &str, tenant_limit: u32) -> u32 {
    let per_user = settings.get("rateLimits").and_then(|l| l.get(PER_USER));
    let pick = |key: &str| {
        per_user
            .and_then(|l| l.get(key))
            .and_then(Value::as_i64)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n >= 1)
    };
    pick(endpoint)
        .or_else(|| pick("*"))
        .unwrap_or(tenant_limit.div_ceil(2))
        .clamp(1, tenant_limit.max(1))
}

/// The key of `rateLimits` that holds the per-member limits.
const PER_USER: &str = "perUser";

/// Checks an assignment's `rateLimits` setting, if it has one: an object of endpoint names
/// (or `*`) to whole numbers of calls per minute, and optionally `perUser`, the same for one
/// member.
pub fn check_rate_limits(settings: &Value) -> Result<(), AppError> {
    let Some(limits) = settings.get("rateLimits") else {
        return Ok(());
    };
    check_limits("customSettings.rateLimits", limits, true)
}

fn check_limits(path: &str, limits: &Value, top: bool) -> Result<(), AppError> {
    let obj = limits.as_object().ok_or_else(|| {
        AppError::validation(
            path,
            "must be an object of endpoint names (or *) to calls per minute",
        )
    })?;
    for (name, n) in obj {
        if top && name == PER_USER {
            check_limits(&format!("{path}.{PER_USER}"), n, false)?;
            continue;
        }
        if !n
            .as_i64()
            .is_some_and(|n| (1..=MAX_RATE_LIMIT).contains(&n))
        {
            return Err(AppError::validation(
                format!("{path}.{name}"),
                format!("must be a whole number of calls per minute from 1 to {MAX_RATE_LIMIT}"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(template: &str) -> Route {
        Route {
            name: "e".into(),
            display_name: "e".into(),
            method: HttpMethod::Get,
            template: template.into(),
            segments: segments(template),
            required_permissions: Vec::new(),
            request_schema: None,
            response_schema: None,
            rate_limit: 1,
            user_rate_limit: 1,
            timeout: Duration::from_secs(1),
        }
    }

    #[test]
    fn paths_match_templates_segment_by_segment() {
        let r = route("/messages/{id}/status");
        assert!(r.matches("/messages/42/status"));
        assert!(r.matches("/messages/a%20b/status"));
        for bad in [
            "/messages/status",
            "/messages/42/status/x",
            "/messages//status",
            "/messages/../status",
            "/messages/%2e%2e/status",
            "/messages/a%2Fb/status",
            "/messages/a%5cb/status",
            "/Messages/42/status",
            // Matrix parameters and their encodings: `..;` is `..` to Tomcat and Spring.
            "/messages/..;/status",
            "/messages/a;b/status",
            "/messages/a%3Bb/status",
            "/messages/a%3bb/status",
            // Dot segments and hidden files, plain or encoded.
            "/messages/./status",
            "/messages/.env/status",
            "/messages/.../status",
            "/messages/%2Eenv/status",
            "/messages/%2e./status",
            // Double encodings, which a stack that decodes twice would turn into the above.
            "/messages/%252e%252e/status",
            "/messages/a%252Fb/status",
            "/messages/a%253Bb/status",
            "/messages/100%25/status",
        ] {
            assert!(!r.matches(bad), "{bad}");
        }
        assert!(route("/").matches("/"));
        assert!(route("/").matches(""));
        assert!(!route("/").matches("/x"));
        assert!(route("/messages").matches("/messages"));
    }

    #[test]
    fn a_parameter_never_stands_in_for_a_literal_spelled_otherwise() {
        let service = Upstream {
            id: Uuid::nil(),
            name: "s".into(),
            display_name: "s".into(),
            status: ServiceStatus::Active,
            base_url: "http://x".into(),
            auth_type: AuthType::None,
            key: None,
            endpoints: vec![
                Arc::new(Route {
                    name: "blast".into(),
                    ..route("/messages/blast")
                }),
                Arc::new(Route {
                    name: "one".into(),
                    ..route("/messages/{id}")
                }),
            ],
        };
        let pick = |p: &str| service.route(HttpMethod::Get, p).map(|r| r.name.clone());
        assert_eq!(pick("/messages/blast").as_deref(), Some("blast"));
        assert_eq!(pick("/messages/42").as_deref(), Some("one"));
        assert_eq!(pick("/messages/a%20b").as_deref(), Some("one"));
        for sneaky in [
            "/messages/%62last",
            "/messages/Blast",
            "/messages/BLAST",
            "/messages/bl%61st",
        ] {
            assert_eq!(pick(sneaky), None, "{sneaky}");
        }
    }

    #[test]
    fn a_member_gets_half_the_tenants_budget_unless_the_assignment_says_otherwise() {
        let none = serde_json::json!({});
        assert_eq!(user_rate_limit_of(&none, "messages:blast", 60), 30);
        assert_eq!(user_rate_limit_of(&none, "messages:blast", 3), 2);
        assert_eq!(user_rate_limit_of(&none, "messages:blast", 1), 1);
        let s = serde_json::json!({"rateLimits": {"perUser": {"messages:blast": 5, "*": 500}}});
        assert_eq!(user_rate_limit_of(&s, "messages:blast", 60), 5);
        // Never above the tenant's own budget.
        assert_eq!(user_rate_limit_of(&s, "messages:list", 60), 60);
        assert!(check_rate_limits(&s).is_ok());
        let bad = serde_json::json!({"rateLimits": {"perUser": {"messages:blast": 0}}});
        match check_rate_limits(&bad) {
            Err(AppError::Validation { field, .. }) => {
                assert_eq!(field, "customSettings.rateLimits.perUser.messages:blast")
            }
            other => panic!("{other:?}"),
        }
        let bad = serde_json::json!({"rateLimits": {"perUser": 5}});
        assert!(check_rate_limits(&bad).is_err());
    }

    #[test]
    fn an_assignment_raises_or_lowers_a_limit() {
        let s = serde_json::json!({"rateLimits": {"messages:blast": 5, "*": 500}});
        assert_eq!(rate_limit_of(&s, "messages:blast", 60), 5);
        assert_eq!(rate_limit_of(&s, "messages:list", 100), 500);
        assert_eq!(rate_limit_of(&Value::Null, "x", 100), 100);
        assert!(check_rate_limits(&s).is_ok());
        let bad = serde_json::json!({"rateLimits": {"x": 0}});
        assert_eq!(
            check_rate_limits(&bad).unwrap_err().field(),
            Some("customSettings.rateLimits.x")
        );
        assert!(check_rate_limits(&serde_json::json!({"rateLimits": 5})).is_err());
    }
}
