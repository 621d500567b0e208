//! Read-your-writes on this node: a request that changed something returns only once this
//! node's access cache has seen the change (see `AccessCache::settle`), so the next request,
//! whoever sends it, is decided on the new state. Requests that changed nothing (reads,
//! refusals) pass straight through.

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};

use crate::server::{auth::access_cache::tracking_changes, state::AppState};

pub async fn settle_changes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (response, changed) = tracking_changes(next.run(request)).await;
    if changed {
        state.access.settle(&state.db).await;
    }
    response
}
