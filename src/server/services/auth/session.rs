//! Resolving a session into an `Actor` on every request, the signed-in view, and logout.

use std::sync::Arc;

use diesel_async::AsyncPgConnection;
use serde_json::json;
use uuid::Uuid;

use crate::server::db::scope::scoped;
use crate::{
    domain::{
        account::{AccessibleService, SessionView, UserView},
        audit::AuditAction,
        error::AppError,
        permission::PermissionSet,
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        db::{
            audit::Outcome,
            scope::{self},
            sessions,
            tenants::{self, Grant},
            users,
        },
        services::{
            access::{self, Reach},
            audit::{self, Event},
            registry,
        },
        state::AppState,
    },
};

/// Loads a live session and checks, on every request, that its user is active and still
/// reaches its tenant: a suspended user, a removed or expired grant or a revoked session
/// stops working immediately. From memory when nothing changed since the last request
/// (`AccessCache`), otherwise one round trip to the database.
pub async fn resolve_actor(state: &AppState, session_id: Uuid) -> Result<Actor, AppError> {
    let actor = cached_or_resolved(state, session_id).await?;
    crate::server::http::request_span::identify(&actor);
    note_seen(state, &actor);
    Ok(actor)
}

/// A session's `last_seen_at` is written at most this often (per node).
const SEEN_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// Writes that the session was used, in the background, unless this node did so lately: the
/// sessions page shows it, to the minutes; a request never waits for it.
fn note_seen(state: &AppState, actor: &Actor) {
    let (session_id, user) = (actor.session_id, actor.user());
    use std::{
        collections::HashMap,
        sync::{LazyLock, Mutex},
        time::Instant,
    };
    static SEEN: LazyLock<Mutex<HashMap<Uuid, Instant>>> = LazyLock::new(Default::default);
    let now = Instant::now();
    {
        let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
        if seen
            .get(&session_id)
            .is_some_and(|t| now.duration_since(*t) < SEEN_EVERY)
        {
            return;
        }
        if seen.len() >= 100_000 {
            seen.retain(|_, t| now.duration_since(*t) < SEEN_EVERY);
            // Still full (that many sessions used within minutes): start over rather than grow.
            if seen.len() >= 100_000 {
                seen.clear();
            }
        }
        seen.insert(session_id, now);
    }
    let state = state.clone();
    tokio::spawn(async move {
        let written = scoped(&state.db, scope::Scope::user(user), async |c| {
            Ok(sessions::seen(c, session_id).await?)
        })
        .await;
        if let Err(e) = written {
            tracing::debug!(error = %e, "could not note a session's last use");
        }
    });
}

async fn cached_or_resolved(state: &AppState, session_id: Uuid) -> Result<Actor, AppError> {
    if let Some(actor) = state.access.actor(session_id) {
        return Ok(actor);
    }
    let ticket = state.access.ticket();
    let mut conn = state.db.get().await?;
    let found = scope::resolve_session(&mut conn, session_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let valid_until = found.valid_until;
    let actor = resolved(session_id, found);
    if let Some(ticket) = ticket {
        state.access.store_actor(ticket, &actor, valid_until);
    }
    Ok(actor)
}

/// `resolve_actor` on the caller's connection (inside its transaction, if any), uncached.
pub(super) async fn resolve_in(
    c: &mut AsyncPgConnection,
    session_id: Uuid,
) -> Result<Actor, AppError> {
    let found = scope::resolve_session(c, session_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(resolved(session_id, found))
}

fn resolved(session_id: Uuid, found: scope::ResolvedSession) -> Actor {
    Actor {
        user_id: found.user_id,
        session_id,
        tenant_id: found.tenant_id,
        role: found.role_name,
        role_id: found.role_id,
        permissions: PermissionSet::from_strings(found.permissions),
        is_super_admin: found.platform,
    }
}

/// The actor of a session just opened with this reach (its permissions were read with the
/// grants, in the same transaction).
pub(super) fn actor_for(user_id: Uuid, session_id: Uuid, reach: Reach) -> Actor {
    Actor {
        user_id,
        session_id,
        tenant_id: reach.tenant.id,
        is_super_admin: reach.platform,
        role: reach.role_name,
        role_id: reach.role_id,
        permissions: PermissionSet::from_strings(reach.permissions),
    }
}

/// The signed-in user as the API and the layout present them, shared with the cache.
/// Cached beside the actor, and dropped with it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn session_view(state: &AppState, actor: &Actor) -> Result<Arc<SessionView>, AppError> {
    if let Some(view) = state.access.view(actor.session_id) {
        return Ok(view);
    }
    let ticket = state.access.ticket();
    let view =
        Arc::new(scoped(&state.db, actor.scope(), async |c| view_for(c, actor).await).await?);
    if let Some(ticket) = ticket {
        state.access.store_view(ticket, actor, Arc::clone(&view));
    }
    Ok(view)
}

pub(super) async fn view_for(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
) -> Result<SessionView, AppError> {
    let user = users::find(conn, actor.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let grants = tenants::live_grants(conn, actor.user_id).await?;
    view_from(conn, actor, user, &grants).await
}

/// `view_for` with the user's row and live grants already loaded (a login or a switch).
pub(super) async fn view_from(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    user: users::User,
    grants: &[Grant],
) -> Result<SessionView, AppError> {
    // Bounded: a platform admin reaches every tenant but gets the current, recent and first
    // ones here, and searches for the rest (`tenants_for`).
    let reaches =
        access::listed_among(conn, actor.user_id, grants, Some(actor.tenant_id), None).await?;
    let current = reaches
        .iter()
        .find(|r| r.tenant.id == actor.tenant_id)
        .ok_or(AppError::Unauthenticated)?;
    let accessible_services = registry::accessible_at(
        conn,
        actor,
        &current.tenant.tenant_type,
        &current.tenant.status,
    )
    .await?;
    Ok(SessionView {
        user: UserView {
            id: user.id,
            email: user.email,
            name: user.name,
            home_tenant_id: user.home_tenant_id,
            current_tenant_id: actor.tenant_id,
            roles: vec![actor.role.clone()],
            permissions: actor.permissions.to_strings(),
            display: crate::server::time_zones::with_offsets(
                crate::domain::account::DisplaySettings::read(&user.preferences),
            ),
        },
        current_tenant: current.view(),
        tenants: reaches.iter().map(Reach::view).collect(),
        accessible_services,
    })
}

/// The tenants the actor reaches whose name or domain contains `search` (the tenant
/// switcher's search), at most `access::LISTED_TENANTS`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn tenants_for(
    state: &AppState,
    actor: &Actor,
    search: Option<String>,
) -> Result<Vec<crate::domain::account::TenantAccess>, AppError> {
    let search = search
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if search.as_ref().is_some_and(|s| s.chars().count() > 100) {
        return Err(AppError::validation(
            "search",
            "Search must be at most 100 characters",
        ));
    }
    scoped(&state.db, actor.scope(), async |c| {
        let found = access::listed(c, actor.user_id, None, search.as_deref()).await?;
        Ok(found.iter().map(Reach::view).collect())
    })
    .await
}

/// The services the actor's current tenant can use, with the endpoints they may call.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn accessible_services(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<AccessibleService>, AppError> {
    scoped(&state.db, actor.scope(), async |c| {
        registry::accessible_in(c, actor).await
    })
    .await
}

/// Ends the actor's session: its refresh tokens and browser cookie stop working at once.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn logout(state: &AppState, actor: &Actor, client: &ClientInfo) -> Result<(), AppError> {
    scoped(&state.db, actor.scope(), async |c| {
        sessions::revoke(c, actor.session_id, "logout").await?;
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::AuthLogout,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("session", actor.session_id.to_string())),
                details: json!({}),
            },
        )
        .await?;
        Ok(())
    })
    .await
}
