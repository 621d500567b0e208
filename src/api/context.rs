//! What a server function needs from the request it runs in.

use axum::http::request::Parts;
use leptos::prelude::use_context;
use tower_sessions::Session;

use crate::{
    domain::error::AppError,
    server::{
        auth::{
            actor::{Actor, ClientInfo},
            web_session,
        },
        services::auth as auth_service,
        state::AppState,
    },
};

/// Gives a failed server function the same HTTP status as the REST API would (401 for a
/// failed login, 422 for bad input, ...) instead of a blanket 500. A plain HTML form post
/// (no JavaScript) keeps its redirect back to the form, which carries the error.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let (Err(e), false) = (&result, from_html_form()) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            use crate::server::http::error::{extra_header, status_of};
            response.set_status(status_of(e));
            if let Some((name, value)) = extra_header(e) {
                response.insert_header(name, value);
            }
        }
    }
    result
}

/// Whether this call is a plain HTML form post (no JavaScript), which leptos answers with a
/// redirect back to the form's page.
pub fn from_html_form() -> bool {
    use_context::<Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// A server function's work as the signed-in user: the app state and the actor are read
/// first (401 without a session), then `work` runs, and its error gets the REST API's status.
pub async fn as_actor<T>(
    work: impl AsyncFnOnce(&AppState, &Actor) -> Result<T, AppError>,
) -> Result<T, AppError> {
    respond(
        async {
            let state = state()?;
            let actor = actor(&state).await?;
            work(&state, &actor).await
        }
        .await,
    )
}

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "no session layer in front of the server function");
        AppError::Internal
    })
}

/// Keeps `value` in the session for the page a post without JavaScript returns to (read
/// there with `take_once`). What the post did stands even if the page cannot be told: a
/// failure is logged, not answered.
pub async fn keep_once<T: serde::Serialize>(key: &str, value: T) {
    match session().await {
        Ok(session) => {
            if let Err(e) = session.insert(key, value).await {
                tracing::error!(error = %e, key, "cannot keep a post's outcome in the session");
            }
        }
        Err(e) => tracing::error!(error = %e, "no session for a post's outcome"),
    }
}

/// What `take_once` has read during one page render, by key. The router may build a route's
/// view more than once while it renders a page, and so run the same read twice, at the same
/// time: whichever ran second found the value already removed, and the page could show that
/// empty read instead of the outcome. Each read of a key in one render sees the first one's.
#[derive(Clone, Default)]
pub struct TakenOnce(std::sync::Arc<tokio::sync::Mutex<Reads>>);

/// Key → what the session held under it (`None`: nothing).
type Reads = std::collections::HashMap<String, Option<serde_json::Value>>;

/// Leptos context for every rendered page: the store of its `take_once` reads.
pub fn provide_taken_once() {
    leptos::prelude::provide_context(TakenOnce::default());
}

/// A value a post without JavaScript left in the session for the page it returns to, removed
/// as it is read (every read of `key` during the same page render gets it).
pub async fn take_once<T: serde::de::DeserializeOwned>(key: &str) -> Result<Option<T>, AppError> {
    let taken = use_context::<TakenOnce>();
    // Held across the session's read and removal: a second read waits for the first.
    let mut memo = match &taken {
        Some(TakenOnce(store)) => Some(store.lock().await),
        None => None,
    };
    let stored = match memo.as_ref().and_then(|m| m.get(key)) {
        Some(read) => read.clone(),
        None => {
            let read = take_from_session(key).await?;
            if let Some(m) = memo.as_mut() {
                m.insert(key.to_string(), read.clone());
            }
            read
        }
    };
    // A value that does not read back as a `T` is removed all the same: it would never show.
    Ok(stored.and_then(|v| serde_json::from_value(v).ok()))
}

/// Looked up first: removing a key saves the session again, even when absent.
async fn take_from_session(key: &str) -> Result<Option<serde_json::Value>, AppError> {
    let session = session().await?;
    let Some(stored) = session.get_value(key).await.ok().flatten() else {
        return Ok(None);
    };
    let _ = session.remove_value(key).await;
    Ok(Some(stored))
}

pub async fn client() -> ClientInfo {
    let trusted = use_context::<AppState>()
        .map(|s| s.settings.trusted_proxies.clone())
        .unwrap_or_default();
    leptos_axum::extract::<Parts>()
        .await
        .map(|parts| ClientInfo::from_parts(&parts, &trusted))
        .unwrap_or_default()
}

/// The signed-in user of this browser session, checked against the database on every call.
pub async fn actor(state: &AppState) -> Result<Actor, AppError> {
    let session = session().await?;
    let id = web_session::current(&session)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    auth_service::resolve_actor(state, id).await
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use leptos::prelude::{provide_context, Owner, ScopedFuture};
    use tower_sessions::{MemoryStore, Session};

    use super::*;

    /// A page render's `take_once` reads of one key, here two at the same time as when the
    /// router builds a route's view twice, all get the value; the next render does not.
    #[tokio::test]
    async fn every_read_of_one_render_gets_the_value_once_left() {
        let session = Session::new(None, Arc::new(MemoryStore::default()), None);
        session
            .insert("outcome", "must be at least 3 characters")
            .await
            .unwrap();
        let render = |session: Session| {
            let owner = Owner::new();
            owner.with(|| {
                let (mut parts, ()) = axum::http::Request::new(()).into_parts();
                parts.extensions.insert(session);
                provide_context(parts);
                provide_taken_once();
            });
            owner
        };

        let page = render(session.clone());
        let read = || page.with(|| ScopedFuture::new(take_once::<String>("outcome")));
        let (first, second) = tokio::join!(read(), read());
        let shown = Some("must be at least 3 characters".to_string());
        assert_eq!(first.unwrap(), shown);
        assert_eq!(second.unwrap(), shown);

        let next = render(session.clone());
        let later = next
            .with(|| ScopedFuture::new(take_once::<String>("outcome")))
            .await;
        assert_eq!(later.unwrap(), None);
    }
}
