//! Which tenants have a service, with each tenant's status and settings for it.

use super::*;

/// Whose assignments to list.
#[derive(Debug, Clone, Copy)]
pub enum AssignmentsOf {
    /// Every tenant a service is assigned to.
    Service(ServiceId),
    /// Every service assigned to a tenant.
    Tenant(TenantId),
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn assignments(
    state: &AppState,
    actor: &Actor,
    of: Input<AssignmentsOf>,
) -> Result<Vec<AssignmentView>, AppError> {
    actor.require_platform(&perm::SERVICE_READ)?;
    let (service_id, tenant_id) = match of? {
        AssignmentsOf::Service(ServiceId(s)) => (Some(s), None),
        AssignmentsOf::Tenant(TenantId(t)) => (None, Some(t)),
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
#[tracing::instrument(level = "debug", skip_all, fields(ids = ?ids.as_ref().ok()))]
pub async fn assign(
    state: &AppState,
    actor: &Actor,
    ids: Input<(ServiceId, TenantId)>,
    command: Input<AssignService>,
    client: &ClientInfo,
) -> Result<AssignmentView, AppError> {
    actor.require_platform(&perm::SERVICE_ASSIGN)?;
    let ((ServiceId(service_id), TenantId(tenant_id)), command) = (ids?, command?);
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
        let status = command.status.unwrap_or_else(|| {
            current
                .as_ref()
                .map_or(AssignmentStatus::Active, |a| a.status)
        });
        let custom_settings = match &command.custom_settings {
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
        let custom_menu_config = match &command.custom_menu_config {
            Some(Some(v)) => {
                crate::domain::menu::Layout::parse(v, JsonPath::root("customMenuConfig"))?;
                Some(v.clone())
            }
            Some(None) => None,
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

#[tracing::instrument(level = "debug", skip_all, fields(ids = ?ids.as_ref().ok()))]
pub async fn unassign(
    state: &AppState,
    actor: &Actor,
    ids: Input<(ServiceId, TenantId)>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_platform(&perm::SERVICE_ASSIGN)?;
    let (ServiceId(service_id), TenantId(tenant_id)) = ids?;
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
