//! Menus for the browser: the signed-in user's sidebar, and the menu editor's layouts. Each
//! calls the same service code as the REST API.

use leptos::prelude::*;

use crate::domain::{
    error::AppError,
    menu::view::{Explanation, LayoutVersionView, LayoutView, MenuData},
};

#[cfg(feature = "ssr")]
fn target(scope: &str) -> crate::server::services::menus::Target {
    use crate::server::services::menus::Target;
    if scope == "global" {
        Target::Global
    } else {
        Target::Tenant
    }
}

/// The sidebar's menu: rendered on the server from the same function as
/// `GET /api/v1/menus/user`. `None` when nobody is signed in: the layout then sends the
/// visitor to the login page (like `current_session`, whose page resource this runs beside).
#[server(prefix = "/api", endpoint = "menus_mine")]
pub async fn my_menu() -> Result<Option<MenuData>, AppError> {
    use crate::{api::context, server::services::menus};
    let state = context::state()?;
    match context::actor(&state).await {
        Ok(actor) => context::respond(
            menus::user_menu(&state, &actor)
                .await
                .map(|m| Some(m.data.clone())),
        ),
        Err(AppError::Unauthenticated) => Ok(None),
        Err(e) => context::respond(Err(e)),
    }
}

#[server(prefix = "/api", endpoint = "menus_layout")]
pub async fn menu_layout(scope: String) -> Result<LayoutView, AppError> {
    use crate::{api::context, server::services::menus};
    context::as_actor(async |state, actor| menus::layout(state, actor, target(&scope)).await).await
}

/// `operations`: the layout's JSON (`{"operations": [...]}`), as the editor computed it.
#[server(prefix = "/api", endpoint = "menus_layout_save")]
pub async fn save_menu_layout(
    scope: String,
    base_version: i32,
    operations: String,
) -> Result<LayoutView, AppError> {
    use crate::{api::context, server::services::menus};
    context::as_actor(async |state, actor| {
        let client = context::client().await;
        let command = serde_json::from_str::<serde_json::Value>(&operations)
            .map_err(|_| AppError::validation("operations", "is not valid JSON"))
            .map(|layout| crate::domain::menu::command::SaveLayout {
                base_version,
                operations: layout.get("operations").cloned().unwrap_or(layout),
            });
        menus::save_layout(state, actor, target(&scope), command, &client).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "menus_layout_versions")]
pub async fn menu_layout_versions(scope: String) -> Result<Vec<LayoutVersionView>, AppError> {
    use crate::{api::context, server::services::menus};
    context::as_actor(async |state, actor| menus::versions(state, actor, target(&scope)).await)
        .await
}

#[server(prefix = "/api", endpoint = "menus_layout_revert")]
pub async fn revert_menu_layout(
    scope: String,
    version: i32,
    base_version: i32,
) -> Result<LayoutView, AppError> {
    use crate::{api::context, server::services::menus};
    context::as_actor(async |state, actor| {
        let client = context::client().await;
        let command = crate::domain::menu::command::RevertLayout {
            version,
            base_version,
        };
        menus::revert_layout(state, actor, target(&scope), Ok(command), &client).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "menus_explain")]
pub async fn explain_menu_item(user_id: String, item_id: String) -> Result<Explanation, AppError> {
    use crate::{api::context, server::services::menus};
    context::as_actor(async |state, actor| {
        let user = user_id
            .trim()
            .parse()
            .map_err(|_| AppError::validation("userId", "choose a user"));
        let item = Ok(item_id);
        menus::explain(state, actor, user, item).await
    })
    .await
}
