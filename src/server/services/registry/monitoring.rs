//! What the gateway saw of a service: its newest calls, webhook deliveries and health probes.

use super::*;

/// Calls a service's page lists.
const CALLS_SHOWN: i64 = 100;
const DELIVERIES_SHOWN: i64 = 50;

/// The newest calls to a service through the gateway (platform `service:read`).
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn calls(
    state: &AppState,
    actor: &Actor,
    id: Input<ServiceId>,
) -> Result<Vec<crate::domain::service::view::CallView>, AppError> {
    actor.require_platform(&perm::SERVICE_READ)?;
    let id = id?.0;
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
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn deliveries(
    state: &AppState,
    actor: &Actor,
    id: Input<ServiceId>,
) -> Result<Vec<crate::domain::service::view::DeliveryView>, AppError> {
    actor.require_platform(&perm::SERVICE_READ)?;
    let id = id?.0;
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
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn health(
    state: &AppState,
    actor: &Actor,
    id: Input<ServiceId>,
) -> Result<HealthReport, AppError> {
    actor.require_platform(&perm::SERVICE_READ)?;
    let id = id?.0;
    scoped(&state.db, Scope::platform(), async |c| {
        db::find(c, id).await?.ok_or(AppError::NotFound)?;
        Ok(HealthReport {
            health: health_db::views(c, &[id]).await?.remove(&id),
            checks: health_db::recent_checks(c, id, CHECKS_SHOWN).await?,
        })
    })
    .await
}
