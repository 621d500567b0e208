//! The browser side of a login: the tower-sessions cookie session holds only the id of the
//! `auth_sessions` row, so revoking that row ends the browser session on its next request.

use tower_sessions::Session;
use uuid::Uuid;

use crate::domain::error::AppError;

const AUTH_SESSION_KEY: &str = "auth_session_id";
/// A login waiting for its second factor: the challenge's token, kept server-side.
const CHALLENGE_KEY: &str = "login_challenge";

fn store_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store failed");
    AppError::Unavailable
}

/// Binds the browser to a login, under a fresh session id (no session fixation).
pub async fn sign_in(session: &Session, auth_session_id: Uuid) -> Result<(), AppError> {
    session.cycle_id().await.map_err(store_error)?;
    session
        .remove::<String>(CHALLENGE_KEY)
        .await
        .map_err(store_error)?;
    session
        .insert(AUTH_SESSION_KEY, auth_session_id)
        .await
        .map_err(store_error)
}

/// Keeps a login's challenge for the page that asks for the code (not signed in yet).
pub async fn hold_challenge(session: &Session, token: &str) -> Result<(), AppError> {
    session.cycle_id().await.map_err(store_error)?;
    session
        .insert(CHALLENGE_KEY, token)
        .await
        .map_err(store_error)
}

pub async fn held_challenge(session: &Session) -> Result<Option<String>, AppError> {
    session.get(CHALLENGE_KEY).await.map_err(store_error)
}

pub async fn current(session: &Session) -> Result<Option<Uuid>, AppError> {
    session.get(AUTH_SESSION_KEY).await.map_err(store_error)
}

/// Forgets the login and deletes the stored session; the next request gets a new id.
pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(store_error)
}
