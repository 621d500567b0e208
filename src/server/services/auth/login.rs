//! Checking credentials and opening a session; switching a session to another tenant.

use crate::domain::tenant::Status;
use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use crate::server::db::scope::scoped;
use crate::{
    domain::{account::SessionView, audit::AuditAction, error::AppError, login::LoginInput},
    server::{
        auth::{
            actor::{Actor, ClientInfo},
            password, refresh_token,
        },
        db::{
            audit::Outcome,
            scope::Scope,
            sessions::{self, AuthSession, NewAuthSession},
            users,
        },
        secret::Secret,
        services::{
            access::{self, Reach},
            audit::{self, Event},
            invitations, lockout,
        },
        state::AppState,
    },
};

use super::{
    session::{actor_for, view_for},
    tokens::{store_refresh, TokenPair},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// Browser: cookie session, no tokens handed out.
    Web,
    /// API client: access and refresh tokens.
    Api,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Web => "WEB",
            Self::Api => "API",
        }
    }
}

pub struct LoggedIn {
    pub session: AuthSession,
    pub view: SessionView,
    /// The actor of the new session.
    pub actor: Actor,
    /// API sessions only: the first token pair of the new family.
    pub tokens: Option<TokenPair>,
}

/// Checks the credentials and opens a session in the requested (or home) tenant. Every
/// failure answers the same `InvalidCredentials`, is audited, and counts towards the
/// account's and the client IP's brute-force lock.
pub async fn login(
    state: &AppState,
    input: LoginInput,
    kind: SessionKind,
    client: &ClientInfo,
) -> Result<LoggedIn, AppError> {
    let subjects = lockout::subjects(Some(&input.email), client);
    lockout::before_attempt(state, &subjects, client).await?;
    let checked = check_credentials(state, &input, client).await;
    let (ok, found) = lockout::settle_after(state, &subjects, client, checked).await?;
    let Some((user_id, reach)) = found.filter(|_| ok) else {
        return Err(AppError::InvalidCredentials);
    };

    let ttl = chrono::Duration::from_std(state.settings.auth.session_ttl)
        .map_err(|_| AppError::Internal)?;
    let opening = Opening {
        user_id,
        reach,
        kind,
        expires_at: Utc::now() + ttl,
        replaces: None,
    };
    open_session(state, client, opening).await
}

/// The credential check itself: `(true, Some(..))` for a correct password of an active user
/// who reaches a tenant (the requested one, or where they land), `(false, ..)` otherwise,
/// audited. Holds no database connection while argon2 runs: a flood of logins must not
/// starve every other request of connections.
async fn check_credentials(
    state: &AppState,
    input: &LoginInput,
    client: &ClientInfo,
) -> Result<(bool, Option<(Uuid, Reach)>), AppError> {
    let creds = {
        let mut conn = state.db.get().await?;
        users::credentials_by_email(&mut conn, &input.email).await?
    };
    let password = Secret::new(input.password.clone());
    let (user_id, stored_hash, active) = match creds {
        Some(c) => (
            Some(c.id),
            Some(c.password_hash),
            c.status == Status::Active.as_str(),
        ),
        None => (None, None, false),
    };
    let password_ok = password::verify(&password, stored_hash).await?;
    let reach = match (user_id, password_ok && active) {
        (Some(id), true) => {
            let slug = input.tenant_slug.clone();
            scoped(&state.db, Scope::user(id), async |c| {
                invitations::accept_automatic(c, id, client).await?;
                let reach = match slug.as_deref() {
                    Some(slug) => access::reach_in(c, id, None, Some(slug)).await?,
                    None => {
                        let home = users::find(c, id).await?.map(|u| u.home_tenant_id);
                        access::landing(c, id, home).await?
                    }
                };
                Ok(reach.map(|r| (id, r)))
            })
            .await?
        }
        _ => None,
    };
    if reach.is_none() {
        // No tenant: the audit policy accepts tenant-less entries without a scope.
        audit::record_unscoped(
            state,
            client,
            Event {
                action: AuditAction::AuthLogin,
                outcome: Outcome::Failure,
                tenant_id: None,
                actor_user_id: user_id,
                target: None,
                details: json!({ "email": input.auditable_email(), "tenantSlug": input.tenant_slug }),
            },
        )
        .await;
    }
    Ok((reach.is_some(), reach))
}

struct Opening {
    user_id: Uuid,
    reach: Reach,
    kind: SessionKind,
    expires_at: chrono::DateTime<Utc>,
    /// The session a tenant switch ends.
    replaces: Option<Uuid>,
}

/// Opens a session (ending the one it replaces), stores the first refresh token of an API
/// session, records the user's current tenant and audits it: one transaction scoped to the
/// new tenant, so that either all of it happens or none.
async fn open_session(
    state: &AppState,
    client: &ClientInfo,
    opening: Opening,
) -> Result<LoggedIn, AppError> {
    let tenant_id = opening.reach.tenant.id;
    let (session, actor, view, pending) = scoped(
        &state.db,
        Scope::member(opening.user_id, tenant_id),
        async |conn| {
            if let Some(old) = opening.replaces {
                // Ended meanwhile (logout, suspension): the switch must not outlive it.
                if !sessions::revoke(conn, old, "switch_tenant").await? {
                    return Err(AppError::Unauthenticated);
                }
            }
            let session = sessions::create(
                conn,
                NewAuthSession {
                    user_id: opening.user_id,
                    tenant_id,
                    kind: opening.kind.as_str(),
                    client_ip: client.ip.as_deref(),
                    user_agent: client.user_agent.as_deref(),
                    expires_at: opening.expires_at,
                },
            )
            .await?;
            users::record_login(conn, opening.user_id, tenant_id).await?;
            let action = match opening.replaces {
                Some(_) => AuditAction::AuthSwitchTenant,
                None => AuditAction::AuthLogin,
            };
            audit::record(
                conn,
                client,
                Event {
                    action,
                    outcome: Outcome::Success,
                    tenant_id: Some(tenant_id),
                    actor_user_id: Some(opening.user_id),
                    target: Some(("session", session.id.to_string())),
                    details: json!({ "kind": opening.kind.as_str(), "replaces": opening.replaces }),
                },
            )
            .await?;
            let pending = match opening.kind {
                SessionKind::Api => {
                    Some(store_refresh(conn, state, &session, refresh_token::generate()).await?)
                }
                SessionKind::Web => None,
            };
            let actor = actor_for(conn, opening.user_id, session.id, opening.reach).await?;
            let view = view_for(conn, &actor).await?;
            Ok((session, actor, view, pending))
        },
    )
    .await?;
    let tokens = pending.map(|p| p.finish(state)).transpose()?;
    Ok(LoggedIn {
        session,
        view,
        actor,
        tokens,
    })
}

/// Moves the actor into another tenant they reach: a new session (and, for API clients, a new
/// token family) scoped to it replaces the current one, which ends, in one transaction. The
/// new session keeps the old one's absolute expiry, so switching never extends a login. A
/// tenant the user cannot reach is `NotFound`, whether or not it exists.
pub async fn switch_tenant(
    state: &AppState,
    actor: &Actor,
    tenant_id: Uuid,
    kind: SessionKind,
    client: &ClientInfo,
) -> Result<LoggedIn, AppError> {
    let (reach, current) = scoped(&state.db, actor.scope(), async |c| {
        let reach = access::reach_in(c, actor.user_id, Some(tenant_id), None)
            .await?
            .ok_or(AppError::NotFound)?;
        let current = sessions::find_live(c, actor.session_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Ok((reach, current))
    })
    .await?;
    let opening = Opening {
        user_id: actor.user_id,
        reach,
        kind,
        expires_at: current.expires_at,
        replaces: Some(current.id),
    };
    open_session(state, client, opening).await
}
