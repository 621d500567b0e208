//! `/api/v1/menus/*` (the signed-in user's menu, the tenant's layout) and
//! `/api/v1/core/menus/layout*` (the global layout, super admins).

use crate::server::http::openapi::Success;
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::{
        error::AppError,
        menu::{
            command::{RevertLayout, SaveLayout},
            view::{Explanation, LayoutVersionView, LayoutView, MenuData},
        },
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{envelope_of_json, ApiJson, ApiQuery, ApiResult, Envelope},
        services::menus::{self, Target},
        state::AppState,
    },
};

/// The caller's sidebar menu in the current tenant. It carries an `ETag`: sending it back in
/// `If-None-Match` answers 304 while the menu is unchanged.
#[utoipa::path(
    get,
    path = "/menus/user",
    tag = "menus",
    operation_id = "myMenu",
    params(("If-None-Match" = Option<String>, Header, description = "The `ETag` of the menu the client holds")),
    responses(
        (status = 200, description = "Success", body = Success<MenuData>, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "The menu is unchanged since the `ETag` sent"),
    )
)]
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

/// The four layout operations, for the tenant's layout and for the global one: the same
/// handlers on two paths, each described under its own path and name.
macro_rules! layout_routes {
    (
        $target:expr, $path:literal, $versions_path:literal, $revert_path:literal, $who:literal,
        $get:ident / $get_id:literal, $put:ident / $put_id:literal,
        $versions:ident / $versions_id:literal, $revert:ident / $revert_id:literal
    ) => {
        /// The menu layout (groups, order, labels and what is hidden) with its preview.
        #[utoipa::path(get, path = $path, tag = "menus", operation_id = $get_id,
                    description = $who, responses((status = 200, description = "Success", body = Success<LayoutView>)))]
        pub async fn $get(State(state): State<AppState>, actor: Actor) -> ApiResult<LayoutView> {
            Ok(Envelope(menus::layout(&state, &actor, $target).await?))
        }

        /// Saves the layout as a new version; `baseVersion` must be the latest (409 otherwise).
        #[utoipa::path(put, path = $path, tag = "menus", operation_id = $put_id,
                    request_body = SaveLayout, description = $who, responses((status = 200, description = "Success", body = Success<LayoutView>)))]
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

        /// The layout's saved versions, newest first.
        #[utoipa::path(get, path = $versions_path, tag = "menus", operation_id = $versions_id,
                    description = $who,
                    responses((status = 200, description = "Success", body = Success<Vec<LayoutVersionView>>)))]
        pub async fn $versions(
            State(state): State<AppState>,
            actor: Actor,
        ) -> ApiResult<Vec<LayoutVersionView>> {
            Ok(Envelope(menus::versions(&state, &actor, $target).await?))
        }

        /// Makes an earlier version the current layout (as a new version).
        #[utoipa::path(post, path = $revert_path, tag = "menus", operation_id = $revert_id,
                    request_body = RevertLayout, description = $who, responses((status = 200, description = "Success", body = Success<LayoutView>)))]
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

layout_routes!(
    Target::Tenant,
    "/menus/layout",
    "/menus/layout/versions",
    "/menus/layout/revert",
    "The current tenant's layout, over the global one: read with `menu:read`; a save or revert adds groups and links with `menu:create` and changes anything else with `menu:update`.",
    layout / "getMenuLayout",
    save_layout / "saveMenuLayout",
    versions / "listMenuLayoutVersions",
    revert / "revertMenuLayout"
);
layout_routes!(
    Target::Global,
    "/core/menus/layout",
    "/core/menus/layout/versions",
    "/core/menus/layout/revert",
    "The global layout, which every tenant starts from: the same permissions, held in the core tenant with platform authority.",
    global_layout / "getGlobalMenuLayout",
    save_global_layout / "saveGlobalMenuLayout",
    global_versions / "listGlobalMenuLayoutVersions",
    revert_global / "revertGlobalMenuLayout"
);

#[derive(Deserialize, Default, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", default)]
pub struct ExplainParams {
    /// The member's user id (required).
    #[param(required = true, format = Uuid, value_type = String)]
    user_id: Option<String>,
    /// The menu item's id, as `GET /api/v1/menus/layout` lists it (required).
    #[param(required = true, value_type = String)]
    item_id: Option<String>,
}

/// Why a member does or does not see a menu item (`menu:update` and `user:read`).
#[utoipa::path(
    get,
    path = "/menus/explain",
    tag = "menus",
    operation_id = "explainMenuItem",
    params(ExplainParams),
    responses((status = 200, description = "Success", body = Success<Explanation>), (status = 404, description = "No such member or menu item"))
)]
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

/// `/menus/*` and `/core/menus/*`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(user))
        .routes(routes!(explain))
        .routes(routes!(layout, save_layout))
        .routes(routes!(versions))
        .routes(routes!(revert))
        .routes(routes!(global_layout, save_global_layout))
        .routes(routes!(global_versions))
        .routes(routes!(revert_global))
}
