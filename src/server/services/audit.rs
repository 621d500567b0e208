//! Recording and reading audit events. A failure to audit is logged but does not fail the user's request
//! for read-like events (failed logins); changes record inside their own transaction.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::domain::permission::perm;
pub use crate::server::db::audit::AuditFilter;
use crate::server::db::scope::scoped;
use crate::{
    domain::{
        audit::{AuditAction, AuditEntryView},
        error::{AppError, Input},
        paging::{Page, Paging},
    },
    server::{
        auth::actor::ClientInfo,
        db::{
            audit::{self, AuditEntry, Outcome},
            scope::Scope,
        },
    },
};

pub struct Event<'a> {
    pub action: AuditAction,
    pub outcome: Outcome,
    pub tenant_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    pub target: Option<(&'a str, String)>,
    pub details: serde_json::Value,
}

pub async fn record(
    conn: &mut AsyncPgConnection,
    client: &ClientInfo,
    event: Event<'_>,
) -> diesel::QueryResult<()> {
    let (target_type, target_id) = match event.target {
        Some((kind, id)) => (Some(kind), Some(id)),
        None => (None, None),
    };
    // Every change is audited: this is how a request is known to have changed something.
    crate::server::auth::access_cache::note_change();
    audit::record(
        conn,
        AuditEntry {
            tenant_id: event.tenant_id,
            actor_user_id: event.actor_user_id,
            action: event.action.as_str(),
            outcome: event.outcome,
            target_type,
            target_id,
            client_ip: client.ip.as_deref(),
            details: event.details,
        },
    )
    .await
}

/// Best effort, for tenant-less events before anyone is signed in (failed logins, locks)
/// that must not turn a response into an error. No scope: the audit policy accepts entries
/// without a tenant.
pub async fn record_unscoped(
    state: &crate::server::state::AppState,
    client: &ClientInfo,
    event: Event<'_>,
) {
    let action = event.action.as_str();
    let written = scoped(&state.db, Scope::default(), async |c| {
        record(c, client, event).await?;
        Ok(())
    })
    .await;
    if let Err(e) = written {
        tracing::error!(error = %e, action, "writing the audit log failed");
    }
}

/// What the audit viewer asks for.
#[derive(Debug, Default, Clone)]
pub struct AuditQuery {
    pub filter: AuditFilter,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The audit viewer: super admins see every entry, tenant admins (`audit:read`) their tenant's.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    state: &crate::server::state::AppState,
    actor: &crate::server::auth::actor::Actor,
    query: Input<AuditQuery>,
) -> Result<Page<AuditEntryView>, AppError> {
    actor.require(&perm::AUDIT_READ)?;
    let AuditQuery {
        mut filter,
        page,
        per_page,
    } = query?;
    if let Some(action) = &filter.action {
        // Stored names are exact: match what was parsed, not what was typed.
        let parsed = AuditAction::parse(action)
            .ok_or_else(|| AppError::validation("action", "Choose an action from the list"))?;
        filter.action = Some(parsed.as_str().to_string());
    }
    if let Some(outcome) = &filter.outcome {
        if outcome != "SUCCESS" && outcome != "FAILURE" {
            return Err(AppError::validation("outcome", "Choose SUCCESS or FAILURE"));
        }
    }
    if let (Some(since), Some(until)) = (filter.since, filter.until) {
        if since >= until {
            return Err(AppError::validation("until", "until must be after since"));
        }
    }
    let paging = Paging::parse(page, per_page)?;
    let platform_view = actor.require_platform(&perm::AUDIT_READ).is_ok();
    let scope = if platform_view {
        Scope::platform()
    } else {
        filter.tenant_id = Some(actor.tenant_id);
        filter.without_platform_staff = filter.actor_user_id.is_some();
        actor.scope()
    };
    let (rows, total) = scoped(&state.db, scope, async |c| {
        Ok(audit::search(c, &filter, paging.offset(), paging.limit()).await?)
    })
    .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            // A tenant sees that platform staff acted, never who or from where.
            let hidden = r.actor_platform && !platform_view;
            // What would name the hidden person: an action on themselves.
            let about_them = hidden
                && r.target_type.as_deref() == Some("user")
                && r.target_id.as_deref() == r.actor_user_id.map(|u| u.to_string()).as_deref();
            AuditEntryView {
                id: r.id,
                occurred_at: r.occurred_at,
                tenant_id: r.tenant_id,
                tenant_domain: r.tenant_domain,
                actor_user_id: r.actor_user_id.filter(|_| !hidden),
                actor_email: r.actor_email.filter(|_| !hidden),
                action: r.action,
                outcome: r.outcome,
                target_type: r.target_type,
                target_id: r.target_id.filter(|_| !about_them),
                client_ip: r.client_ip.filter(|_| !hidden),
                details: if about_them {
                    serde_json::json!({})
                } else {
                    r.details
                },
                actor_platform: r.actor_platform,
            }
        })
        .collect();
    Ok(paging.page_of(items, total))
}
