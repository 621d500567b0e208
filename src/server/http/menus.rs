//! `/api/v1/menus/*` (the signed-in user's menu, the tenant's layout) and
//! `/api/v1/core/menus/layout*` (the global layout, super admins).

use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use crate::{
    domain::{
        error::AppError,
        menu::{
            command::{RevertLayout, SaveLayout},
            view::{Explanation, LayoutVersionView, LayoutView},
        },
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{envelope_of_json, ApiJson, ApiQuery, ApiResult, Envelope},
        services::menus::{self, Target},
        state::AppState,
    },
};

/// The seed document's shape, with an entity tag: a client that sends it back in
/// `If-None-Match` gets 304 while its menu is unchanged. Browsers may keep it (privately)
/// and must revalidate.
pub async fn user(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let menu = menus::user_menu(&state, &actor).await?;
    let etag = HeaderValue::from_str(&menu.etag).map_err(|_| AppError::Internal)?;
    let cache = HeaderValue::from_static("private, no-cache");
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == menu.etag
        });
    let headers = [(header::ETAG, etag), (header::CACHE_CONTROL, cache)];
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, headers).into_response());
    }
    Ok((headers, envelope_of_json(&menu.json)).into_response())
}

macro_rules! layout_routes {
    ($target:expr, $get:ident, $put:ident, $versions:ident, $revert:ident) => {
        pub async fn $get(State(state): State<AppState>, actor: Actor) -> ApiResult<LayoutView> {
            Ok(Envelope(menus::layout(&state, &actor, $target).await?))
        }

        pub async fn $put(
            State(state): State<AppState>,
            actor: Actor,
            client: ClientInfo,
            ApiJson(command): ApiJson<SaveLayout>,
        ) -> ApiResult<LayoutView> {
            Ok(Envelope(
                menus::save_layout(&state, &actor, $target, command, &client).await?,
            ))
        }

        pub async fn $versions(
            State(state): State<AppState>,
            actor: Actor,
        ) -> ApiResult<Vec<LayoutVersionView>> {
            Ok(Envelope(menus::versions(&state, &actor, $target).await?))
        }

        pub async fn $revert(
            State(state): State<AppState>,
            actor: Actor,
            client: ClientInfo,
            ApiJson(command): ApiJson<RevertLayout>,
        ) -> ApiResult<LayoutView> {
            Ok(Envelope(
                menus::revert_layout(&state, &actor, $target, command, &client).await?,
            ))
        }
    };
}

layout_routes!(Target::Tenant, layout, save_layout, versions, revert);
layout_routes!(
    Target::Global,
    global_layout,
    save_global_layout,
    global_versions,
    revert_global
);

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct ExplainParams {
    user_id: Option<String>,
    item_id: Option<String>,
}

/// `GET /api/v1/menus/explain?userId=…&itemId=…`: why a member does or does not see an item.
pub async fn explain(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ExplainParams>,
) -> ApiResult<Explanation> {
    let user_id = query.clone().and_then(|q| {
        q.user_id
            .ok_or_else(|| AppError::validation("userId", "is required"))?
            .parse()
            .map_err(|_| AppError::validation("userId", "must be a user id"))
    });
    let item = query.map(|q| q.item_id.unwrap_or_default());
    Ok(Envelope(
        menus::explain(&state, &actor, user_id, item).await?,
    ))
}
