//! Read-your-writes on this node: a request that may have changed something returns only
//! once this node's access cache has seen the change (see `AccessCache::settle`), so the next
//! request, whoever sends it, is decided on the new state.

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};

use crate::server::state::AppState;

pub async fn settle_changes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let may_change = !request.method().is_safe();
    let response = next.run(request).await;
    if may_change {
        state.access.settle(&state.db).await;
    }
    response
}
