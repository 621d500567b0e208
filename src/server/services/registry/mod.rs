//! The service registry: registering, describing, securing and assigning services. Platform
//! work (super admins, `service:*` held with platform authority); every tenant's users read
//! what their tenant can use through `accessible`.
//!
//! - this module: services themselves (register, read, update, delete);
//! - [`endpoints`]: a service's endpoints;
//! - [`secrets`]: its API key and webhook secret, sealed at rest;
//! - [`assignments`]: which tenants have it, with their settings;
//! - [`accessible`]: what a tenant's users can use;
//! - [`monitoring`]: its calls, webhook deliveries and health.

mod accessible;
mod assignments;
mod endpoints;
mod monitoring;
mod secrets;

pub(crate) use self::secrets::{store_key, store_webhook_secret};
pub use self::{
    accessible::{accessible_at, accessible_in, tenant_services},
    assignments::{assign, assignments, unassign, AssignmentsOf},
    endpoints::{delete_endpoint, endpoints, save_endpoint},
    monitoring::{calls, deliveries, health},
    secrets::rotate_secrets,
};

use serde_json::{json, Value};
use uuid::Uuid;

use crate::domain::permission::perm;
use crate::{
    domain::{
        account::AccessibleService,
        audit::AuditAction,
        error::{AppError, Input},
        form::{self, FormSchema},
        id::{ServiceId, TenantId},
        paging::{Page, Paging},
        service::{
            command::{AssignService, RegisterService, Registration, SaveEndpoint, UpdateService},
            health::HealthReport,
            reader::JsonPath,
            view::{AssignmentView, EndpointView, ServiceDetail, ServiceView, TenantService},
            AssignmentStatus, ServiceSpec, ServiceStatus, ServiceType, Usage, Visibility,
            MAX_SETTINGS_BYTES,
        },
        tenant::{Status, TenantType},
    },
    server::pattern::{pattern_matches, server_pattern},
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn register(
    state: &AppState,
    actor: &Actor,
    command: Input<RegisterService>,
    client: &ClientInfo,
) -> Result<ServiceDetail, AppError> {
    actor.require_platform(&perm::SERVICE_REGISTER)?;
    let Registration {
        spec,
        endpoints,
        api_key: key,
        webhook_secret,
    } = check_registration(state, command?).await?;
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

/// A registration as `register` checks it: the service, its endpoints and its URLs; nothing
/// stored (the OpenAPI import's preview checks its draft with it too).
pub async fn check_registration(
    state: &AppState,
    command: RegisterService,
) -> Result<Registration, AppError> {
    let registration = command.check(server_pattern)?;
    check_urls(state, &registration.spec).await?;
    Ok(registration)
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

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    state: &AppState,
    actor: &Actor,
    query: Input<ServiceQuery>,
) -> Result<Page<ServiceView>, AppError> {
    actor.require_platform(&perm::SERVICE_READ)?;
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

#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn get(
    state: &AppState,
    actor: &Actor,
    id: Input<ServiceId>,
) -> Result<ServiceDetail, AppError> {
    actor.require_platform(&perm::SERVICE_READ)?;
    let id = id?.0;
    scoped(&state.db, Scope::platform(), async |c| detail(c, id).await).await
}

/// Changes what the body names (absent keys keep their value, `null` clears an optional
/// one); `apiKey` sets, replaces or (with `null`) removes the key.
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Input<ServiceId>,
    command: Input<UpdateService>,
    client: &ClientInfo,
) -> Result<ServiceDetail, AppError> {
    actor.require_platform(&perm::SERVICE_UPDATE)?;
    let (id, command) = (id?.0, command?);
    let key = command.api_key()?;
    let webhook_secret = command.webhook_secret()?;
    // Read, merged and written under the row's lock: two concurrent updates of different
    // fields both hold.
    scoped(&state.db, Scope::platform(), async |c| {
        let before = db::find_for_update(c, id).await?.ok_or(AppError::NotFound)?;
        let current = before.spec()?;
        let spec = command.spec(Some(&current), server_pattern)?;
        check_urls(state, &spec).await?;
        // The Task Manager's handler reads its own fields from its form (as in the builder).
        if let Some(schema) = spec.form_schema.as_ref().filter(|_| spec.name == crate::domain::task::SERVICE) {
            crate::domain::task::check_form(schema, "formSchema")?;
        }
        db::update(c, id, SpecColumns::of(&spec)?).await?;
        if let Some(schema) = spec.form_schema.as_ref().filter(|s| current.form_schema.as_ref() != Some(*s)) {
            forms::record_registry_version(c, actor.user_id, id, before.form_version, schema, "Updated in the service registry").await?;
        }
        let changed = command.changed();
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
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    id: Input<ServiceId>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_platform(&perm::SERVICE_DELETE)?;
    let id = id?.0;
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
