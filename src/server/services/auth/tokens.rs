//! API token pairs: a short-lived JWT access token and an opaque refresh token, rotated on
//! every use. Reusing a spent refresh token revokes its family, except within a short grace
//! period in which the same token (two tabs, a client retry) answers the same new pair.

use chrono::{DateTime, Utc};
use deadpool_redis::redis;
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use serde_json::json;

use crate::domain::id::{TenantId, UserId};
use crate::{
    domain::{audit::AuditAction, error::AppError},
    server::{
        auth::{actor::ClientInfo, refresh_token},
        db::{
            audit::Outcome,
            scope::{self, scoped, set_scope, Scope},
            sessions::{self, AuthSession, Rotation},
        },
        services::{
            audit::{self, Event},
            lockout,
        },
        state::AppState,
    },
};

use super::session::resolve_in;

/// A token pair, in the seed document's shape. The refresh token is shown once, here.
#[derive(Serialize, Clone, utoipa::ToSchema)]
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

/// A refresh token stored in the current transaction, waiting for its access token.
pub(super) struct PendingPair {
    refresh: refresh_token::NewRefreshToken,
    session: AuthSession,
}

impl PendingPair {
    /// Signs the access token; the refresh token is stored with the session.
    pub(super) fn finish(self, state: &AppState) -> Result<TokenPair, AppError> {
        let access_token = state.jwt.issue(
            self.session.user_id,
            self.session.tenant_id,
            self.session.id,
        )?;
        Ok(self.with_access_token(state, access_token))
    }

    fn with_access_token(self, state: &AppState, access_token: String) -> TokenPair {
        TokenPair {
            access_token,
            refresh_token: self.refresh.token.expose().to_string(),
            token_type: "Bearer",
            expires_in: state.jwt.ttl().as_secs(),
        }
    }
}

/// Stores `refresh` in the session's family, inside the caller's transaction.
pub(super) async fn store_refresh(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    session: &AuthSession,
    refresh: refresh_token::NewRefreshToken,
) -> Result<PendingPair, AppError> {
    let refresh_ttl = chrono::Duration::from_std(state.settings.auth.refresh_token_ttl)
        .map_err(|_| AppError::Internal)?;
    // A refresh token never outlives its family.
    let expires_at = (Utc::now() + refresh_ttl).min(session.expires_at);
    sessions::insert_refresh_token(conn, session.id, &refresh.hash, expires_at).await?;
    Ok(PendingPair {
        refresh,
        session: session.clone(),
    })
}

enum Exchange {
    /// A new pair (or, within the grace period, the pair already issued for this token).
    Issued(TokenPair),
    /// Unknown, expired, or reused after the grace period (the family is now revoked).
    Refused,
}

/// Exchanges a refresh token for a new pair, in one transaction: spending the old token,
/// checking that the user may still act in the session's tenant, and storing the new token.
/// Failures count towards the client IP's brute-force lock.
pub async fn refresh(
    state: &AppState,
    token: &str,
    client: &ClientInfo,
) -> Result<TokenPair, AppError> {
    let (state, token, client) = (state.clone(), token.to_string(), client.clone());
    lockout::to_completion(async move { checked_refresh(&state, &token, &client).await }).await
}

async fn checked_refresh(
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
    let subjects = lockout::subjects(None, client);
    lockout::before_attempt(state, &subjects, client).await?;
    let hash = refresh_token::digest(token);
    let grace = chrono::Duration::from_std(state.settings.auth.refresh_reuse_grace)
        .map_err(|_| AppError::Internal)?;
    // A reuse after the grace period commits the family's revocation and then answers 401.
    // The transaction starts without a scope: whose token it is decides the scope.
    let exchange = scoped(&state.db, Scope::default(), async |c| {
        let Some((_, user_id, tenant_id)) = scope::refresh_token_principal(c, &hash).await? else {
            return Ok(Exchange::Refused);
        };
        set_scope(c, Scope::member(UserId(user_id), TenantId(tenant_id))).await?;
        let successor = refresh_token::successor(state.settings.auth.jwt_secret.expose(), token);
        match sessions::rotate_refresh_token(c, &hash).await? {
            Rotation::Rotated { session_id } => {
                // The user must still be active and reach the session's tenant.
                let session = live_session(c, session_id).await?;
                let pair = store_refresh(c, state, &session, successor)
                    .await?
                    .finish(state)?;
                // Before the commit, so that a concurrent retry, which waits for this
                // transaction, finds the answer.
                remember_answer(state, &hash, &pair.access_token).await;
                Ok(Exchange::Issued(pair))
            }
            Rotation::Reused {
                session_id,
                rotated_at,
            } if within(rotated_at, grace)
                && sessions::refresh_token_unspent(c, session_id, &successor.hash).await? =>
            {
                let session = live_session(c, session_id).await?;
                let pending = PendingPair {
                    refresh: successor,
                    session,
                };
                let pair = match remembered_answer(state, &hash).await {
                    Some(access_token) => pending.with_access_token(state, access_token),
                    None => pending.finish(state)?,
                };
                Ok(Exchange::Issued(pair))
            }
            Rotation::Reused { session_id, .. } => {
                let revoked = sessions::revoke(c, session_id, "refresh_token_reuse").await?;
                audit::record(
                    c,
                    client,
                    Event {
                        action: AuditAction::AuthRefreshTokenReuse,
                        outcome: Outcome::Failure,
                        tenant_id: Some(tenant_id),
                        actor_user_id: Some(user_id),
                        target: Some(("session", session_id.to_string())),
                        details: json!({ "familyRevoked": revoked }),
                    },
                )
                .await?;
                Ok(Exchange::Refused)
            }
            Rotation::Invalid => Ok(Exchange::Refused),
        }
    })
    .await;
    // An unknown, expired or replayed token, or a user who may no longer act there, is a
    // failed check; a backend failure decides nothing.
    let checked = match exchange {
        Ok(Exchange::Issued(pair)) => Ok((true, Some(pair))),
        Ok(Exchange::Refused) | Err(AppError::Unauthenticated) => Ok((false, None)),
        Err(e) => Err(e),
    };
    match lockout::settle_after(state, &subjects, client, checked).await? {
        (true, Some(pair)) => Ok(pair),
        _ => Err(AppError::Unauthenticated),
    }
}

/// The session, if it is live and its user may still act in its tenant.
async fn live_session(
    conn: &mut AsyncPgConnection,
    session_id: uuid::Uuid,
) -> Result<AuthSession, AppError> {
    let session = sessions::find_live(conn, session_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    resolve_in(conn, session.id).await?;
    Ok(session)
}

fn within(at: DateTime<Utc>, grace: chrono::Duration) -> bool {
    Utc::now() - at <= grace
}

fn grace_key(state: &AppState, old_hash: &[u8; 32]) -> String {
    format!(
        "{}refresh-grace:{}",
        state.settings.redis.key_prefix,
        hex::encode(old_hash)
    )
}

/// Keeps the access token answered for a refresh token for the grace period, so that a
/// replay within it answers exactly the same pair. Best effort: without it, a replay gets a
/// fresh access token beside the same refresh token.
async fn remember_answer(state: &AppState, old_hash: &[u8; 32], access_token: &str) {
    let grace_ms = state.settings.auth.refresh_reuse_grace.as_millis() as u64;
    let stored = async {
        let mut conn = state.redis.get().await.map_err(|e| e.to_string())?;
        redis::cmd("SET")
            .arg(grace_key(state, old_hash))
            .arg(access_token)
            .arg("PX")
            .arg(grace_ms.max(1))
            .query_async::<()>(&mut conn)
            .await
            .map_err(|e| e.to_string())
    };
    if let Err(e) = stored.await {
        crate::server::metrics::redis_error();
        tracing::warn!(error = %e, "could not remember a refresh answer for its grace period");
    }
}

async fn remembered_answer(state: &AppState, old_hash: &[u8; 32]) -> Option<String> {
    let mut conn = state.redis.get().await.ok()?;
    redis::cmd("GET")
        .arg(grace_key(state, old_hash))
        .query_async::<Option<String>>(&mut conn)
        .await
        .ok()
        .flatten()
}
