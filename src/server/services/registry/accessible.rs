//! What a tenant's users can use: its services, each with the endpoints their permissions
//! allow.

use super::*;

/// The services the actor's current tenant can use, each with the endpoints the actor's
/// permissions allow: `GET /api/v1/services` and `accessibleServices`.
#[tracing::instrument(level = "debug", skip_all)]
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
#[tracing::instrument(level = "debug", skip_all)]
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn tenant_services(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<TenantService>, AppError> {
    actor.require(&perm::SERVICE_READ)?;
    let shows_settings = actor.permissions.covers(&perm::TENANT_UPDATE);
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
