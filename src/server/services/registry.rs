//! The service registry: registering, describing, securing and assigning services. Platform
//! work (super admins, `service:*` held with platform authority); every tenant's users read
//! what their tenant can use through `accessible`.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::{
    domain::{
        account::AccessibleService,
        audit::AuditAction,
        error::{AppError, Input},
        form::{self, FormSchema},
        paging::{Page, Paging},
        service::{
            endpoint::EndpointSpec,
            health::HealthReport,
            reader::{JsonPath, Obj},
            view::{AssignmentView, EndpointView, ServiceDetail, ServiceView, TenantService},
            AssignmentStatus, ServiceSpec, ServiceStatus, ServiceType, Usage, Visibility,
            MAX_SETTINGS_BYTES,
        },
        tenant::{Status, TenantType},
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        db::{
            audit::Outcome,
            health as health_db,
            scope::{scoped, Scope},
            services::{
                self as db, AssignmentColumns, EndpointColumns, ServiceFilter, SpecColumns,
            },
            tenants,
        },
        keyring::{api_key_aad, webhook_secret_aad},
        outbound,
        services::{
            audit::{self, Event},
            forms,
        },
        state::AppState,
    },
};
use diesel_async::AsyncPgConnection;

/// At most this many endpoints in one registration.
const MAX_ENDPOINTS: usize = 100;
const MAX_KEY_CHARS: usize = 4096;

/// Patterns compile with the linear-time engine under a size limit, or are refused.
pub fn server_pattern(p: &str) -> Result<(), String> {
    compile(p).map(|_| ())
}

fn compile(p: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(p)
        .size_limit(256 * 1024)
        .dfa_size_limit(256 * 1024)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => "too complex".to_string(),
            _ => "syntax error".to_string(),
        })
}

/// The server's pattern check for values (see `form::validate`). Compiled patterns are kept
/// per thread (a form post may check one pattern against a thousand items).
pub fn pattern_matches(p: &str, value: &str) -> bool {
    use std::{cell::RefCell, collections::HashMap};
    // Each compiled pattern may hold up to 512 KB (program and search cache): a bounded few.
    const KEPT: usize = 32;
    thread_local! {
        static COMPILED: RefCell<HashMap<String, Option<regex::Regex>>> = RefCell::new(HashMap::new());
    }
    COMPILED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.contains_key(p) {
            if cache.len() >= KEPT {
                cache.clear();
            }
            cache.insert(p.to_string(), compile(p).ok());
        }
        cache
            .get(p)
            .and_then(Option::as_ref)
            .is_some_and(|re| re.is_match(value))
    })
}

async fn check_urls(state: &AppState, spec: &ServiceSpec) -> Result<(), AppError> {
    let allowed = &state.settings.gateway.allowed_private_hosts;
    for (field, url) in [
        ("baseUrl", &spec.base_url),
        ("healthCheckUrl", &spec.health_check_url),
    ] {
        if let Some(u) = url {
            outbound::check(field, u, allowed).await?;
        }
    }
    if let Some(u) = &spec.documentation_url {
        // Shown as a link, never fetched: the shape is enough.
        url::Url::parse(u)
            .map_err(|_| AppError::validation("documentationUrl", "must be a valid URL"))?;
    }
    Ok(())
}

/// A write-only secret of the body (`apiKey`, `webhookSecret`): a string of at most 4096
/// characters; `null` removes it; absent, it stays as it is (`None`).
fn secret_in(body: &Value, field: &str) -> Result<Option<Option<String>>, AppError> {
    let o = Obj::new(body, JsonPath::root(""))?;
    if !o.has(field) {
        return Ok(None);
    }
    match o.get(field) {
        None => Ok(Some(None)),
        Some(Value::String(k)) if !k.trim().is_empty() && k.chars().count() <= MAX_KEY_CHARS => {
            Ok(Some(Some(k.trim().to_string())))
        }
        Some(_) => Err(AppError::validation(
            field,
            format!("must be a non-empty string of at most {MAX_KEY_CHARS} characters, or null to remove it"),
        )),
    }
}

fn api_key(body: &Value) -> Result<Option<Option<String>>, AppError> {
    secret_in(body, "apiKey")
}

/// Seals the webhook secret for the service's row (`None` removes it).
pub(crate) async fn store_webhook_secret(
    c: &mut AsyncPgConnection,
    state: &AppState,
    service_id: Uuid,
    secret: Option<String>,
) -> Result<(), AppError> {
    let sealed = match secret {
        Some(s) => Some(
            state
                .keyring
                .seal(s.as_bytes(), &webhook_secret_aad(service_id))?,
        ),
        None => None,
    };
    db::set_webhook_secret(c, service_id, sealed).await?;
    Ok(())
}

/// Seals the key for the service's row; the hint is its last four characters, shown only
/// for keys long enough that four characters give little away.
pub(crate) async fn store_key(
    c: &mut AsyncPgConnection,
    state: &AppState,
    service_id: Uuid,
    key: Option<String>,
) -> Result<(), AppError> {
    let sealed = match key {
        Some(k) => {
            let chars: Vec<char> = k.chars().collect();
            let hint = if chars.len() >= 12 {
                chars[chars.len() - 4..].iter().collect()
            } else {
                String::new()
            };
            Some((
                state.keyring.seal(k.as_bytes(), &api_key_aad(service_id))?,
                hint,
            ))
        }
        None => None,
    };
    db::set_api_key(c, service_id, sealed).await?;
    Ok(())
}

fn endpoints_in(body: &Value) -> Result<Vec<EndpointSpec>, AppError> {
    let o = Obj::new(body, JsonPath::root(""))?;
    let raw = o.array("endpoints", MAX_ENDPOINTS)?;
    let mut out: Vec<EndpointSpec> = Vec::with_capacity(raw.len());
    for (i, v) in raw.iter().enumerate() {
        let at = JsonPath::root("endpoints").index(i);
        let e = EndpointSpec::parse(v, at.clone(), None, server_pattern)?;
        if out.iter().any(|x| x.method == e.method && x.path == e.path) {
            return Err(AppError::conflict(
                at.key("path").as_str(),
                format!("another endpoint is already {} {}", e.method, e.path),
            ));
        }
        out.push(e);
    }
    Ok(out)
}

/// Registry changes are platform work: recorded without a tenant (super admins read them),
/// never in the log of whichever tenant the super admin happens to be in.
fn event(actor: &Actor, action: AuditAction, service_id: Uuid, details: Value) -> Event<'static> {
    Event {
        action,
        outcome: Outcome::Success,
        tenant_id: None,
        actor_user_id: Some(actor.user_id),
        target: Some(("service", service_id.to_string())),
        details,
    }
}

async fn detail(c: &mut AsyncPgConnection, id: Uuid) -> Result<ServiceDetail, AppError> {
    let row = db::find(c, id).await?.ok_or(AppError::NotFound)?;
    let counts = db::counts(c, &[id]).await?;
    let (_, tenants, _) = counts.first().copied().unwrap_or((id, 0, 0));
    let endpoints = db::endpoints_of(c, &[id])
        .await?
        .iter()
        .map(|e| e.view())
        .collect::<Result<Vec<_>, _>>()?;
    let mut service = row.view(tenants, endpoints.len() as i64)?;
    service.health = health_db::views(c, &[id]).await?.remove(&id);
    Ok(ServiceDetail { service, endpoints })
}

/// `POST /api/v1/core/services/register`: the seed document's body, plus endpoints,
/// category, visibility, status, URLs, an API key, version and contact.
pub async fn register(
    state: &AppState,
    actor: &Actor,
    body: Input<Value>,
    client: &ClientInfo,
) -> Result<ServiceDetail, AppError> {
    actor.require_platform("service:register")?;
    let body = body?;
    let (spec, endpoints) = check_registration(state, &body).await?;
    let key = api_key(&body)?.flatten();
    let webhook_secret = secret_in(&body, "webhookSecret")?.flatten();
    let columns = SpecColumns::of(&spec)?;
    scoped(&state.db, Scope::platform(), async |c| {
        let row = db::insert(c, columns, actor.user_id, actor.tenant_id).await?;
        for e in &endpoints {
            db::insert_endpoint(c, row.id, EndpointColumns::of(e)?).await?;
        }
        let key_set = key.is_some();
        if key_set {
            store_key(c, state, row.id, key).await?;
        }
        let webhook_secret_set = webhook_secret.is_some();
        if webhook_secret_set {
            store_webhook_secret(c, state, row.id, webhook_secret).await?;
        }
        if let Some(schema) = &spec.form_schema {
            forms::record_registry_version(c, actor.user_id, row.id, 0, schema, "Registered")
                .await?;
        }
        let details = json!({
            "name": spec.name,
            "type": spec.service_type.as_str(),
            "visibility": spec.visibility.as_str(),
            "endpoints": endpoints.len(),
            "apiKeySet": key_set,
            "webhookSecretSet": webhook_secret_set,
        });
        audit::record(
            c,
            client,
            event(actor, AuditAction::ServiceRegister, row.id, details),
        )
        .await?;
        detail(c, row.id).await
    })
    .await
}

/// A registration body as `register` reads it: the service, its endpoints and its URLs
/// checked; nothing stored (the OpenAPI import's preview checks its draft with it too).
pub async fn check_registration(
    state: &AppState,
    body: &Value,
) -> Result<(ServiceSpec, Vec<EndpointSpec>), AppError> {
    let spec = ServiceSpec::parse(
        body,
        None,
        &["endpoints", "apiKey", "webhookSecret"],
        server_pattern,
    )?;
    let endpoints = endpoints_in(body)?;
    check_urls(state, &spec).await?;
    Ok((spec, endpoints))
}

#[derive(Debug, Default)]
pub struct ServiceQuery {
    pub search: Option<String>,
    pub service_type: Option<String>,
    pub status: Option<String>,
    pub visibility: Option<String>,
    pub category: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub async fn list(
    state: &AppState,
    actor: &Actor,
    query: Input<ServiceQuery>,
) -> Result<Page<ServiceView>, AppError> {
    actor.require_platform("service:read")?;
    let q = query?;
    let closed = |field: &str,
                  raw: &Option<String>,
                  parse: fn(&str, &str) -> Result<&'static str, AppError>| {
        raw.as_deref().map(|r| parse(field, r)).transpose()
    };
    let service_type = closed("type", &q.service_type, |f, r| {
        ServiceType::parse_field(f, r).map(ServiceType::as_str)
    })?;
    let status = closed("status", &q.status, |f, r| {
        ServiceStatus::parse_field(f, r).map(ServiceStatus::as_str)
    })?;
    let visibility = closed("visibility", &q.visibility, |f, r| {
        Visibility::parse_field(f, r).map(Visibility::as_str)
    })?;
    let search = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if search.is_some_and(|s| s.chars().count() > 100) {
        return Err(AppError::validation(
            "search",
            "Search must be at most 100 characters",
        ));
    }
    let paging = Paging::parse(q.page, q.per_page)?;
    let filter = ServiceFilter {
        search,
        service_type,
        status,
        visibility,
        category: q
            .category
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
    };
    scoped(&state.db, Scope::platform(), async |c| {
        let (rows, total) = db::search(c, &filter, paging.offset(), paging.limit()).await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let counts = db::counts(c, &ids).await?;
        let mut health = health_db::views(c, &ids).await?;
        let views = rows
            .iter()
            .zip(counts)
            .map(|(r, (_, tenants, endpoints))| {
                let mut view = r.view(tenants, endpoints)?;
                view.health = health.remove(&r.id);
                Ok(view)
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(paging.page_of(views, total))
    })
    .await
}

pub async fn get(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
) -> Result<ServiceDetail, AppError> {
    actor.require_platform("service:read")?;
    let id = id?;
    scoped(&state.db, Scope::platform(), async |c| detail(c, id).await).await
}

/// Changes what the body names (absent keys keep their value, `null` clears an optional
/// one); `apiKey` sets, replaces or (with `null`) removes the key.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
    body: Input<Value>,
    client: &ClientInfo,
) -> Result<ServiceDetail, AppError> {
    actor.require_platform("service:update")?;
    let (id, body) = (id?, body?);
    let key = api_key(&body)?;
    let webhook_secret = secret_in(&body, "webhookSecret")?;
    // Read, merged and written under the row's lock: two concurrent updates of different
    // fields both hold.
    scoped(&state.db, Scope::platform(), async |c| {
        let before = db::find_for_update(c, id).await?.ok_or(AppError::NotFound)?;
        let current = before.spec()?;
        let spec = ServiceSpec::parse(&body, Some(&current), &["apiKey", "webhookSecret"], server_pattern)?;
        check_urls(state, &spec).await?;
        // The Task Manager's handler reads its own fields from its form (as in the builder).
        if let Some(schema) = spec.form_schema.as_ref().filter(|_| spec.name == crate::domain::task::SERVICE) {
            crate::domain::task::check_form(schema, "formSchema")?;
        }
        db::update(c, id, SpecColumns::of(&spec)?).await?;
        if let Some(schema) = spec.form_schema.as_ref().filter(|s| current.form_schema.as_ref() != Some(*s)) {
            forms::record_registry_version(c, actor.user_id, id, before.form_version, schema, "Updated in the service registry").await?;
        }
        let changed: Vec<&str> = Obj::new(&body, JsonPath::root(""))?
            .keys()
            .filter(|k| *k != "apiKey" && *k != "webhookSecret")
            .collect();
        if !changed.is_empty() {
            let details = json!({ "name": spec.name, "changed": changed, "statusBefore": before.status, "status": spec.status.as_str() });
            audit::record(c, client, event(actor, AuditAction::ServiceUpdate, id, details)).await?;
        }
        if let Some(key) = key {
            let details = json!({ "name": spec.name, "apiKeySet": key.is_some(), "replaced": before.api_key_updated_at.is_some() });
            store_key(c, state, id, key).await?;
            audit::record(c, client, event(actor, AuditAction::ServiceKeySet, id, details)).await?;
        }
        if let Some(secret) = webhook_secret {
            let details = json!({ "name": spec.name, "webhookSecretSet": secret.is_some() });
            store_webhook_secret(c, state, id, secret).await?;
            audit::record(c, client, event(actor, AuditAction::ServiceKeySet, id, details)).await?;
        }
        detail(c, id).await
    })
    .await
}

/// Deletes a service that no tenant has; an assigned one is 409 (deactivate it instead).
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_platform("service:delete")?;
    let id = id?;
    scoped(&state.db, Scope::platform(), async |c| {
        let row = db::find_for_update(c, id).await?.ok_or(AppError::NotFound)?;
        let assigned = db::assignments(c, Some(id), None).await?.len();
        if assigned > 0 {
            return Err(AppError::conflict(
                "id",
                format!("{} is assigned to {assigned} tenant(s); unassign it first, or set its status to INACTIVE", row.display_name),
            ));
        }
        db::delete(c, id).await?;
        let details = json!({ "name": row.name });
        audit::record(c, client, event(actor, AuditAction::ServiceDelete, id, details)).await?;
        Ok(())
    })
    .await
}

// ---- endpoints ----

pub async fn endpoints(
    state: &AppState,
    actor: &Actor,
    service_id: Input<Uuid>,
) -> Result<Vec<EndpointView>, AppError> {
    actor.require_platform("service:read")?;
    let service_id = service_id?;
    scoped(&state.db, Scope::platform(), async |c| {
        db::find(c, service_id).await?.ok_or(AppError::NotFound)?;
        db::endpoints_of(c, &[service_id])
            .await?
            .iter()
            .map(|e| e.view())
            .collect()
    })
    .await
}

/// Adds an endpoint (`endpoint_id` None) or changes one; a second endpoint with the same
/// method and path is 409 naming `path`.
pub async fn save_endpoint(
    state: &AppState,
    actor: &Actor,
    ids: Input<(Uuid, Option<Uuid>)>,
    body: Input<Value>,
    client: &ClientInfo,
) -> Result<EndpointView, AppError> {
    actor.require_platform("service:update")?;
    let ((service_id, endpoint_id), body) = (ids?, body?);
    scoped(&state.db, Scope::platform(), async |c| {
        db::find_for_update(c, service_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let existing = match endpoint_id {
            Some(id) => Some(
                db::find_endpoint(c, service_id, id)
                    .await?
                    .ok_or(AppError::NotFound)?
                    .spec()?,
            ),
            None => None,
        };
        let spec =
            EndpointSpec::parse(&body, JsonPath::root(""), existing.as_ref(), server_pattern)?;
        if db::route_taken(c, service_id, spec.method.as_str(), &spec.path, endpoint_id).await? {
            return Err(AppError::conflict(
                "path",
                format!(
                    "This service already has an endpoint {} {}",
                    spec.method, spec.path
                ),
            ));
        }
        let columns = EndpointColumns::of(&spec)?;
        let (row, action) = match endpoint_id {
            Some(id) => (
                db::update_endpoint(c, id, columns).await?,
                AuditAction::EndpointUpdate,
            ),
            None => (
                db::insert_endpoint(c, service_id, columns).await?,
                AuditAction::EndpointCreate,
            ),
        };
        let details = json!({ "endpointId": row.id, "method": row.method, "path": row.path });
        audit::record(c, client, event(actor, action, service_id, details)).await?;
        row.view()
    })
    .await
}

pub async fn delete_endpoint(
    state: &AppState,
    actor: &Actor,
    ids: Input<(Uuid, Uuid)>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_platform("service:update")?;
    let (service_id, endpoint_id) = ids?;
    scoped(&state.db, Scope::platform(), async |c| {
        let row = db::find_endpoint(c, service_id, endpoint_id)
            .await?
            .ok_or(AppError::NotFound)?;
        db::delete_endpoint(c, endpoint_id).await?;
        let details = json!({ "endpointId": row.id, "method": row.method, "path": row.path });
        audit::record(
            c,
            client,
            event(actor, AuditAction::EndpointDelete, service_id, details),
        )
        .await?;
        Ok(())
    })
    .await
}

// ---- assignments ----

/// Whose assignments to list.
#[derive(Debug, Clone, Copy)]
pub enum AssignmentsOf {
    /// Every tenant a service is assigned to.
    Service(Uuid),
    /// Every service assigned to a tenant.
    Tenant(Uuid),
}

pub async fn assignments(
    state: &AppState,
    actor: &Actor,
    of: Input<AssignmentsOf>,
) -> Result<Vec<AssignmentView>, AppError> {
    actor.require_platform("service:read")?;
    let (service_id, tenant_id) = match of? {
        AssignmentsOf::Service(s) => (Some(s), None),
        AssignmentsOf::Tenant(t) => (None, Some(t)),
    };
    scoped(&state.db, Scope::platform(), async |c| {
        if let Some(s) = service_id {
            db::find(c, s).await?.ok_or(AppError::NotFound)?;
        }
        if let Some(t) = tenant_id {
            tenants::find_record(c, t)
                .await?
                .ok_or(AppError::NotFound)?;
        }
        db::assignments(c, service_id, tenant_id).await
    })
    .await
}

/// Assigns a service to a tenant, or changes its assignment (`status`, `customSettings`,
/// `customMenuConfig`; absent keys keep their value).
pub async fn assign(
    state: &AppState,
    actor: &Actor,
    ids: Input<(Uuid, Uuid)>,
    body: Input<Value>,
    client: &ClientInfo,
) -> Result<AssignmentView, AppError> {
    actor.require_platform("service:assign")?;
    let ((service_id, tenant_id), body) = (ids?, body?);
    let o = Obj::new(&body, JsonPath::root(""))?.only(&[
        "status",
        "customSettings",
        "customMenuConfig",
    ])?;
    scoped(&state.db, Scope::platform(), async |c| {
        let service = db::find_for_update(c, service_id)
            .await?
            .ok_or(AppError::NotFound)?;
        tenants::find_record(c, tenant_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let current = db::assignments(c, Some(service_id), Some(tenant_id))
            .await?
            .pop();
        let status = match o.opt_str("status", 20)? {
            Some(raw) => AssignmentStatus::parse_field("status", &raw)?,
            None => current
                .as_ref()
                .map_or(AssignmentStatus::Active, |a| a.status),
        };
        let custom_settings = match o.get("customSettings") {
            Some(v) => {
                // The gateway reads `rateLimits`: its shape is checked whatever the schema.
                crate::server::gateway::routes::check_rate_limits(v)?;
                settings(&service.spec()?.settings_schema, v)?
            }
            None => current
                .as_ref()
                .map_or_else(|| json!({}), |a| a.custom_settings.clone()),
        };
        // The layout format of the menus (operations on this service's item ids), stored
        // as written once it reads.
        let custom_menu_config = match o.get("customMenuConfig") {
            Some(v) => {
                crate::domain::menu::Layout::parse(v, o.at("customMenuConfig"))?;
                Some(v.clone())
            }
            None if o.has("customMenuConfig") => None,
            None => current.as_ref().and_then(|a| a.custom_menu_config.clone()),
        };
        let created = db::upsert_assignment(
            c,
            tenant_id,
            service_id,
            AssignmentColumns {
                status,
                custom_settings,
                custom_menu_config,
            },
            actor.user_id,
        )
        .await?;
        let details = json!({
            "tenantId": tenant_id,
            "status": status.as_str(),
            "created": created,
            "statusBefore": current.as_ref().map(|a| a.status.as_str()),
        });
        audit::record(
            c,
            client,
            event(actor, AuditAction::ServiceAssign, service_id, details),
        )
        .await?;
        db::assignments(c, Some(service_id), Some(tenant_id))
            .await?
            .pop()
            .ok_or(AppError::Internal)
    })
    .await
}

/// `customSettings`: an object of at most 16 KB, valid under the service's settings schema
/// (but for `formDefaults`, the form's defaults for this tenant).
fn settings(schema: &Option<FormSchema>, v: &Value) -> Result<Value, AppError> {
    if !v.is_object() || v.to_string().len() > MAX_SETTINGS_BYTES {
        return Err(AppError::validation(
            "customSettings",
            format!(
                "must be an object of at most {} KB",
                MAX_SETTINGS_BYTES / 1024
            ),
        ));
    }
    // `formDefaults` belongs to the service's form (its defaults for this tenant), and
    // `rateLimits` to the gateway (checked by `assign`), not to the settings schema:
    // `formDefaults` is checked here; the rest under the settings schema.
    let mut rest = v.clone();
    if let Some(o) = rest.as_object_mut() {
        o.remove("rateLimits");
    }
    if let Some(defaults) = rest.as_object_mut().and_then(|o| o.remove("formDefaults")) {
        if !defaults.is_object() {
            return Err(AppError::validation(
                "customSettings.formDefaults",
                "must be an object of values by field name",
            ));
        }
    }
    if let Some(schema) = schema {
        if let Some(e) = form::validate(schema, &rest, pattern_matches)
            .into_iter()
            .next()
        {
            return Err(AppError::validation(
                format!("customSettings.{}", e.path),
                e.message,
            ));
        }
    }
    Ok(v.clone())
}

pub async fn unassign(
    state: &AppState,
    actor: &Actor,
    ids: Input<(Uuid, Uuid)>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_platform("service:assign")?;
    let (service_id, tenant_id) = ids?;
    scoped(&state.db, Scope::platform(), async |c| {
        if !db::delete_assignment(c, tenant_id, service_id).await? {
            return Err(AppError::NotFound);
        }
        let details = json!({ "tenantId": tenant_id });
        audit::record(
            c,
            client,
            event(actor, AuditAction::ServiceUnassign, service_id, details),
        )
        .await?;
        Ok(())
    })
    .await
}

// ---- what a tenant's users can use ----

/// The services the actor's current tenant can use, each with the endpoints the actor's
/// permissions allow: `GET /api/v1/services` and `accessibleServices`.
pub async fn accessible_in(
    c: &mut AsyncPgConnection,
    actor: &Actor,
) -> Result<Vec<AccessibleService>, AppError> {
    let tenant = tenants::find_record(c, actor.tenant_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    accessible_at(c, actor, &tenant.tenant_type, &tenant.status).await
}

/// `accessible_in` when the current tenant's type and status are known already (a login).
pub async fn accessible_at(
    c: &mut AsyncPgConnection,
    actor: &Actor,
    tenant_type: &str,
    tenant_status: &str,
) -> Result<Vec<AccessibleService>, AppError> {
    let business =
        tenant_type == TenantType::Business.as_str() && tenant_status == Status::Active.as_str();
    let candidates = db::candidates_for_tenant(c, actor.tenant_id).await?;
    let mut usable = Vec::new();
    for s in candidates {
        let usage = Usage::read(
            &s.name,
            &s.status,
            &s.visibility,
            s.assignment.as_deref(),
            business,
        );
        let (Some(usage), Some(service_type)) = (usage, ServiceType::parse(&s.service_type)) else {
            // One unreadable row must not lock everyone out: skip it, loudly.
            tracing::error!(service = %s.id, "a service row does not read back; skipped");
            continue;
        };
        let status = usage.status;
        if usage.user_may_use(&actor.permissions) {
            usable.push((s, service_type, status));
        }
    }
    let ids: Vec<Uuid> = usable.iter().map(|(s, _, _)| s.id).collect();
    let endpoints = db::endpoints_of(c, &ids).await?;
    Ok(usable
        .into_iter()
        .map(|(s, service_type, status)| AccessibleService {
            id: s.id,
            endpoints: endpoints
                .iter()
                .filter(|e| e.service_id == s.id)
                .filter(|e| {
                    // Unreadable permissions allow nothing.
                    e.spec().is_ok_and(|e| {
                        e.required_permissions
                            .iter()
                            .all(|p| actor.permissions.covers(p))
                    })
                })
                .map(|e| e.name.clone())
                .collect(),
            name: s.name,
            display_name: s.display_name,
            service_type: service_type.as_str().to_string(),
            status: status.as_str().to_string(),
            category: s.category,
        })
        .collect())
}

/// The current tenant's services (`service:read` in the tenant), with the tenant's settings
/// for each to those who manage the tenant (`tenant:update`), password fields masked:
/// settings may hold credentials. Its Services page.
pub async fn tenant_services(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<TenantService>, AppError> {
    actor.require("service:read")?;
    let shows_settings = actor.permissions.allows("tenant:update");
    scoped(&state.db, actor.scope(), async |c| {
        let services = accessible_in(c, actor).await?;
        let assignments = if shows_settings {
            db::assignments(c, None, Some(actor.tenant_id)).await?
        } else {
            Vec::new()
        };
        let mut out = Vec::with_capacity(services.len());
        for service in services {
            let spec = db::find(c, service.id)
                .await?
                .map(|r| r.spec())
                .transpose()?;
            let has_form = spec.as_ref().is_some_and(|s| s.form_schema.is_some());
            let settings = assignments
                .iter()
                .find(|a| a.service_id == service.id)
                .map(|a| {
                    let mut settings = a.custom_settings.clone();
                    if let Some(schema) = spec.as_ref().and_then(|s| s.settings_schema.as_ref()) {
                        form::values::mask_passwords(&schema.fields, &mut settings);
                    }
                    // The form's defaults may name a password field too.
                    let form = spec.as_ref().and_then(|s| s.form_schema.as_ref());
                    if let (Some(form), Some(defaults)) = (form, settings.get_mut("formDefaults")) {
                        form::values::mask_passwords(&form.fields, defaults);
                    }
                    settings
                });
            out.push(TenantService {
                service,
                settings,
                has_form,
            });
        }
        Ok(out)
    })
    .await
}

/// Re-seals every API key under the active key (`inti rotate-secrets`); answers how many
/// changed, each audited. Afterwards the old key can be removed from `secrets.keys`.
pub async fn rotate_secrets(state: &AppState) -> Result<usize, AppError> {
    scoped(&state.db, Scope::platform(), async |c| {
        let mut rotated = 0;
        for (id, sealed) in db::all_api_keys(c).await? {
            if state.keyring.is_current(&sealed) {
                continue;
            }
            let aad = api_key_aad(id);
            let clear = state.keyring.open(&sealed, &aad)?;
            db::replace_api_key_ciphertext(c, id, state.keyring.seal(&clear, &aad)?).await?;
            let event = Event {
                action: AuditAction::ServiceKeyRotate,
                outcome: Outcome::Success,
                tenant_id: None,
                actor_user_id: None,
                target: Some(("service", id.to_string())),
                details: json!({ "keyId": state.keyring.active_id() }),
            };
            audit::record(c, &ClientInfo::default(), event).await?;
            rotated += 1;
        }
        for (id, sealed) in db::all_webhook_secrets(c).await? {
            if state.keyring.is_current(&sealed) {
                continue;
            }
            let aad = webhook_secret_aad(id);
            let clear = state.keyring.open(&sealed, &aad)?;
            db::set_webhook_secret(c, id, Some(state.keyring.seal(&clear, &aad)?)).await?;
            rotated += 1;
        }
        Ok(rotated)
    })
    .await
}

// ---- what the gateway and webhooks recorded ----

/// Calls a service's page lists.
const CALLS_SHOWN: i64 = 100;
const DELIVERIES_SHOWN: i64 = 50;

/// The newest calls to a service through the gateway (platform `service:read`).
pub async fn calls(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
) -> Result<Vec<crate::domain::service::view::CallView>, AppError> {
    actor.require_platform("service:read")?;
    let id = id?;
    scoped(&state.db, Scope::platform(), async |c| {
        db::find(c, id).await?.ok_or(AppError::NotFound)?;
        let rows = crate::server::db::gateway::recent_calls(c, id, CALLS_SHOWN).await?;
        Ok(rows
            .into_iter()
            .map(|r| crate::domain::service::view::CallView {
                id: r.id,
                tenant_id: r.tenant_id,
                user: r.user_email,
                endpoint: r.endpoint_name,
                method: r.method,
                path: r.path,
                status: r.status,
                latency_ms: r.latency_ms,
                request_bytes: r.request_bytes,
                response_bytes: r.response_bytes,
                request_id: r.request_id,
                created_at: r.created_at,
            })
            .collect())
    })
    .await
}

/// The newest webhook deliveries a service sent (platform `service:read`).
pub async fn deliveries(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
) -> Result<Vec<crate::domain::service::view::DeliveryView>, AppError> {
    actor.require_platform("service:read")?;
    let id = id?;
    scoped(&state.db, Scope::platform(), async |c| {
        db::find(c, id).await?.ok_or(AppError::NotFound)?;
        let rows = crate::server::db::gateway::recent_deliveries(c, id, DELIVERIES_SHOWN).await?;
        Ok(rows
            .into_iter()
            .map(|r| crate::domain::service::view::DeliveryView {
                delivery_id: r.delivery_id,
                event: r.event,
                payload: r.payload,
                received_at: r.received_at,
            })
            .collect())
    })
    .await
}

const CHECKS_SHOWN: i64 = 50;

/// A service's health and its newest probes (platform `service:read`).
pub async fn health(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
) -> Result<HealthReport, AppError> {
    actor.require_platform("service:read")?;
    let id = id?;
    scoped(&state.db, Scope::platform(), async |c| {
        db::find(c, id).await?.ok_or(AppError::NotFound)?;
        Ok(HealthReport {
            health: health_db::views(c, &[id]).await?.remove(&id),
            checks: health_db::recent_checks(c, id, CHECKS_SHOWN).await?,
        })
    })
    .await
}
