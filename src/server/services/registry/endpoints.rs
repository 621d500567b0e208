//! A service's endpoints: read, added or changed one at a time, deleted.

use super::*;

#[tracing::instrument(level = "debug", skip_all, fields(service_id = %crate::server::http::request_span::shown(&service_id)))]
pub async fn endpoints(
    state: &AppState,
    actor: &Actor,
    service_id: Input<ServiceId>,
) -> Result<Vec<EndpointView>, AppError> {
    actor.require_platform(&perm::SERVICE_READ)?;
    let service_id = service_id?.0;
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
#[tracing::instrument(level = "debug", skip_all, fields(ids = ?ids.as_ref().ok()))]
pub async fn save_endpoint(
    state: &AppState,
    actor: &Actor,
    ids: Input<(ServiceId, Option<Uuid>)>,
    command: Input<SaveEndpoint>,
    client: &ClientInfo,
) -> Result<EndpointView, AppError> {
    actor.require_platform(&perm::SERVICE_UPDATE)?;
    let ((ServiceId(service_id), endpoint_id), command) = (ids?, command?);
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
        let spec = command.spec(&JsonPath::root(""), existing.as_ref(), server_pattern)?;
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

#[tracing::instrument(level = "debug", skip_all, fields(ids = ?ids.as_ref().ok()))]
pub async fn delete_endpoint(
    state: &AppState,
    actor: &Actor,
    ids: Input<(ServiceId, Uuid)>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require_platform(&perm::SERVICE_UPDATE)?;
    let (ServiceId(service_id), endpoint_id) = ids?;
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
