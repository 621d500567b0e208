//! Login, token refresh, logout, and resolving a session into an `Actor`.

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::{
    domain::{
        account::{AccessibleService, SessionView, UserView},
        error::AppError,
        login::LoginInput,
        permission::PermissionSet,
    },
    server::{
        auth::{
            actor::{Actor, ClientInfo},
            password, refresh_token,
        },
        db::{
            audit::Outcome,
            scope::{self, set_scope, Scope},
            services,
            sessions::{self, AuthSession, NewAuthSession, Rotation},
            tenants, users,
        },
        secret::Secret,
        services::{
            access::{self, Reach, SUPER_ADMIN},
            audit::{self, Event},
        },
        state::AppState,
    },
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

/// A token pair, in the seed document's shape. The refresh token is shown once, here.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
}

impl std::fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenPair([redacted])")
    }
}

pub struct LoggedIn {
    pub session: AuthSession,
    pub view: SessionView,
}

/// Checks the credentials and opens a session in the requested (or home) tenant. Every
/// failure answers the same `InvalidCredentials`, and is audited.
pub async fn login(
    state: &AppState,
    input: LoginInput,
    kind: SessionKind,
    client: &ClientInfo,
) -> Result<LoggedIn, AppError> {
    let mut conn = state.db.get().await?;
    let creds = users::credentials_by_email(&mut conn, &input.email).await?;
    let password = Secret::new(input.password);
    let (user_id, stored_hash, status) = match creds {
        Some(c) => (Some(c.id), Some(c.password_hash), Some(c.status)),
        None => (None, None, None),
    };
    let password_ok = password::verify(&password, stored_hash).await?;

    let reach = match (user_id, password_ok, status.as_deref()) {
        (Some(id), true, Some("ACTIVE")) => {
            let slug = input.tenant_slug.clone();
            conn.transaction::<_, AppError, _>(async |c| {
                set_scope(c, Scope::user(id)).await?;
                let home = users::find(c, id).await?.map(|u| u.home_tenant_id);
                let reachable = access::reachable(c, id).await?;
                Ok(pick_tenant(reachable, slug.as_deref(), home).map(|r| (id, r)))
            })
            .await?
        }
        _ => None,
    };
    let Some((user_id, reach)) = reach else {
        // No tenant: the audit policy accepts tenant-less entries without a scope.
        audit::record_best_effort(
            &mut conn,
            client,
            Event {
                action: "auth.login",
                outcome: Outcome::Failure,
                tenant_id: None,
                actor_user_id: user_id,
                target: None,
                details: json!({ "email": input.email, "tenantSlug": input.tenant_slug }),
            },
        )
        .await;
        return Err(AppError::InvalidCredentials);
    };

    let ttl = chrono::Duration::from_std(state.settings.auth.session_ttl)
        .map_err(|_| AppError::Internal)?;
    let opening = Opening {
        user_id,
        tenant_id: reach.tenant.id,
        kind,
        expires_at: Utc::now() + ttl,
        replaces: None,
    };
    let session = open_session(&mut conn, client, opening).await?;
    let (_, view) = actor_and_view(&mut conn, user_id, session.id, reach).await?;
    Ok(LoggedIn { session, view })
}

struct Opening {
    user_id: Uuid,
    tenant_id: Uuid,
    kind: SessionKind,
    expires_at: chrono::DateTime<Utc>,
    /// The session a tenant switch ends.
    replaces: Option<Uuid>,
}

/// Opens a session (ending the one it replaces), records the user's current tenant and audits
/// it, all in one transaction scoped to the new tenant.
async fn open_session(
    conn: &mut AsyncPgConnection,
    client: &ClientInfo,
    opening: Opening,
) -> Result<AuthSession, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        set_scope(conn, Scope::member(opening.user_id, opening.tenant_id)).await?;
        if let Some(old) = opening.replaces {
            sessions::revoke(conn, old, "switch_tenant").await?;
        }
        let session = sessions::create(
            conn,
            NewAuthSession {
                user_id: opening.user_id,
                tenant_id: opening.tenant_id,
                kind: opening.kind.as_str(),
                client_ip: client.ip.as_deref(),
                user_agent: client.user_agent.as_deref(),
                expires_at: opening.expires_at,
            },
        )
        .await?;
        users::record_login(conn, opening.user_id, opening.tenant_id).await?;
        let action = match opening.replaces {
            Some(_) => "auth.switch_tenant",
            None => "auth.login",
        };
        audit::record(
            conn,
            client,
            Event {
                action,
                outcome: Outcome::Success,
                tenant_id: Some(opening.tenant_id),
                actor_user_id: Some(opening.user_id),
                target: Some(("session", session.id.to_string())),
                details: json!({ "kind": opening.kind.as_str(), "replaces": opening.replaces }),
            },
        )
        .await?;
        Ok(session)
    })
    .await
}

/// Moves the actor into another tenant they reach: a new session (and, for API clients, a new
/// token family) scoped to it replaces the current one, which ends. The new session keeps the
/// old one's absolute expiry, so switching never extends a login. A tenant the user cannot
/// reach is `NotFound`, whether or not it exists.
pub async fn switch_tenant(
    state: &AppState,
    actor: &Actor,
    tenant_id: Uuid,
    kind: SessionKind,
    client: &ClientInfo,
) -> Result<(LoggedIn, Actor), AppError> {
    let mut conn = state.db.get().await?;
    let (reach, current) = conn
        .transaction::<_, AppError, _>(async |c| {
            set_scope(c, actor.scope()).await?;
            let reach = access::reachable(c, actor.user_id)
                .await?
                .into_iter()
                .find(|r| r.tenant.id == tenant_id)
                .ok_or(AppError::NotFound)?;
            let current = sessions::find_live(c, actor.session_id)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            Ok((reach, current))
        })
        .await?;
    let opening = Opening {
        user_id: actor.user_id,
        tenant_id,
        kind,
        expires_at: current.expires_at,
        replaces: Some(current.id),
    };
    let session = open_session(&mut conn, client, opening).await?;
    let (new_actor, view) = actor_and_view(&mut conn, actor.user_id, session.id, reach).await?;
    Ok((LoggedIn { session, view }, new_actor))
}

/// The services the actor's current tenant can use.
pub async fn accessible_services(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<AccessibleService>, AppError> {
    let mut conn = state.db.get().await?;
    let found = conn
        .transaction::<_, AppError, _>(async |c| {
            set_scope(c, actor.scope()).await?;
            Ok(services::accessible_for_tenant(c, actor.tenant_id).await?)
        })
        .await?;
    Ok(found
        .into_iter()
        .map(|(s, endpoints)| AccessibleService {
            id: s.id,
            name: s.name,
            display_name: s.display_name,
            service_type: s.service_type,
            endpoints,
        })
        .collect())
}

/// The requested tenant if the user reaches it, else their home tenant, else the first one.
fn pick_tenant(reachable: Vec<Reach>, slug: Option<&str>, home: Option<Uuid>) -> Option<Reach> {
    match slug {
        Some(slug) => reachable.into_iter().find(|r| r.tenant.domain == slug),
        None => {
            let home_pos = reachable.iter().position(|r| Some(r.tenant.id) == home);
            let mut reachable = reachable;
            match home_pos {
                Some(i) => Some(reachable.swap_remove(i)),
                None => reachable.into_iter().next(),
            }
        }
    }
}

/// Issues an access token and a new refresh token in the session's family.
pub async fn issue_tokens(state: &AppState, session: &AuthSession) -> Result<TokenPair, AppError> {
    let mut conn = state.db.get().await?;
    let fresh = refresh_token::generate();
    let refresh_ttl = chrono::Duration::from_std(state.settings.auth.refresh_token_ttl)
        .map_err(|_| AppError::Internal)?;
    // A refresh token never outlives its family.
    let expires_at = (Utc::now() + refresh_ttl).min(session.expires_at);
    conn.transaction::<_, AppError, _>(async |c| {
        set_scope(c, Scope::member(session.user_id, session.tenant_id)).await?;
        sessions::insert_refresh_token(c, session.id, &fresh.hash, expires_at).await?;
        Ok(())
    })
    .await?;
    let access_token = state
        .jwt
        .issue(session.user_id, session.tenant_id, session.id)?;
    Ok(TokenPair {
        access_token,
        refresh_token: fresh.token.expose().to_string(),
        token_type: "Bearer",
        expires_in: state.jwt.ttl().as_secs(),
    })
}

/// Exchanges a refresh token for a new pair. A token that was already used revokes its whole
/// family (someone is replaying it), and is audited.
pub async fn refresh(
    state: &AppState,
    token: &str,
    client: &ClientInfo,
) -> Result<TokenPair, AppError> {
    if token.is_empty() {
        return Err(AppError::validation(
            "refreshToken",
            "Refresh token is required",
        ));
    }
    let hash = refresh_token::digest(token);
    let mut conn = state.db.get().await?;
    // The transaction commits a revocation even though the caller then gets an error.
    let rotated = conn
        .transaction::<_, AppError, _>(async |c| {
            let Some((_, user_id, tenant_id)) = scope::refresh_token_principal(c, &hash).await?
            else {
                return Ok(None);
            };
            set_scope(c, Scope::member(user_id, tenant_id)).await?;
            match sessions::rotate_refresh_token(c, &hash).await? {
                Rotation::Rotated { session_id } => Ok(sessions::find_live(c, session_id).await?),
                Rotation::Reused { session_id } => {
                    let revoked = sessions::revoke(c, session_id, "refresh_token_reuse").await?;
                    audit::record(
                        c,
                        client,
                        Event {
                            action: "auth.refresh_token_reuse",
                            outcome: Outcome::Failure,
                            tenant_id: Some(tenant_id),
                            actor_user_id: Some(user_id),
                            target: Some(("session", session_id.to_string())),
                            details: json!({ "familyRevoked": revoked }),
                        },
                    )
                    .await?;
                    Ok(None)
                }
                Rotation::Invalid => Ok(None),
            }
        })
        .await?;
    let session = rotated.ok_or(AppError::Unauthenticated)?;
    drop(conn);
    // The user must still be active and allowed into the session's tenant.
    resolve_actor(state, session.id).await?;
    issue_tokens(state, &session).await
}

/// Ends the actor's session: its refresh tokens and browser cookie stop working at once.
pub async fn logout(state: &AppState, actor: &Actor, client: &ClientInfo) -> Result<(), AppError> {
    let mut conn = state.db.get().await?;
    conn.transaction::<_, AppError, _>(async |c| {
        set_scope(c, actor.scope()).await?;
        sessions::revoke(c, actor.session_id, "logout").await?;
        audit::record(
            c,
            client,
            Event {
                action: "auth.logout",
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

/// Loads a live session and checks, on every request, that its user is active and still
/// reaches its tenant: a suspended user, a removed or expired grant or a revoked session
/// stops working immediately.
pub async fn resolve_actor(state: &AppState, session_id: Uuid) -> Result<Actor, AppError> {
    let mut conn = state.db.get().await?;
    conn.transaction::<_, AppError, _>(async |c| {
        let (user_id, tenant_id) = scope::session_principal(c, session_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        set_scope(c, Scope::member(user_id, tenant_id)).await?;
        users::find(c, user_id)
            .await?
            .filter(|u| u.status == "ACTIVE")
            .ok_or(AppError::Unauthenticated)?;
        let reach = access::reachable(c, user_id)
            .await?
            .into_iter()
            .find(|r| r.tenant.id == tenant_id)
            .ok_or(AppError::Unauthenticated)?;
        actor_for(c, user_id, session_id, reach).await
    })
    .await
}

async fn actor_for(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    session_id: Uuid,
    reach: Reach,
) -> Result<Actor, AppError> {
    let permissions =
        PermissionSet::from_strings(tenants::role_permissions(conn, reach.role_id).await?);
    Ok(Actor {
        user_id,
        session_id,
        tenant_id: reach.tenant.id,
        is_super_admin: reach.role_name == SUPER_ADMIN,
        role: reach.role_name,
        permissions,
    })
}

async fn actor_and_view(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    session_id: Uuid,
    reach: Reach,
) -> Result<(Actor, SessionView), AppError> {
    let scope = Scope::member(user_id, reach.tenant.id);
    conn.transaction::<_, AppError, _>(async |c| {
        set_scope(c, scope).await?;
        let actor = actor_for(c, user_id, session_id, reach).await?;
        let view = view_for(c, &actor).await?;
        Ok((actor, view))
    })
    .await
}

/// The signed-in user as the API and the layout present them.
pub async fn session_view(state: &AppState, actor: &Actor) -> Result<SessionView, AppError> {
    let mut conn = state.db.get().await?;
    conn.transaction::<_, AppError, _>(async |c| {
        set_scope(c, actor.scope()).await?;
        view_for(c, actor).await
    })
    .await
}

async fn view_for(conn: &mut AsyncPgConnection, actor: &Actor) -> Result<SessionView, AppError> {
    let user = users::find(conn, actor.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let tenants: Vec<_> = access::reachable(conn, actor.user_id)
        .await?
        .iter()
        .map(Reach::view)
        .collect();
    let current_tenant = tenants
        .iter()
        .find(|t| t.id == actor.tenant_id)
        .cloned()
        .ok_or(AppError::Unauthenticated)?;
    Ok(SessionView {
        user: UserView {
            id: user.id,
            email: user.email,
            name: user.name,
            home_tenant_id: user.home_tenant_id,
            current_tenant_id: actor.tenant_id,
            roles: vec![actor.role.clone()],
            permissions: actor.permissions.to_strings(),
        },
        current_tenant,
        tenants,
    })
}
