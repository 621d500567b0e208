//! The role editor's data.

use leptos::prelude::*;

use crate::domain::{error::AppError, role::RoleView};

#[server(prefix = "/api", endpoint = "roles_list")]
pub async fn list_roles() -> Result<Vec<RoleView>, AppError> {
    use crate::{api::context, server::services::roles};
    context::as_actor(async |state, actor| roles::list(state, actor).await).await
}

/// `permissions` are the picker's checked boxes; `extra` is a comma-separated list typed in.
#[server(prefix = "/api", endpoint = "roles_create")]
pub async fn create_role(
    name: String,
    description: String,
    #[server(default)] permissions: Vec<String>,
    extra: String,
) -> Result<RoleView, AppError> {
    use crate::{api::context, server::services::roles};
    context::as_actor(async |state, actor| {
        let mut all = permissions;
        all.extend(
            extra
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from),
        );
        let input = crate::domain::role::AddRole {
            name,
            description,
            permissions: all,
        };
        roles::create(state, actor, Ok(input), &context::client().await).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "roles_delete")]
pub async fn delete_role(id: String) -> Result<(), AppError> {
    use crate::{api::context, server::services::roles};
    context::as_actor(async |state, actor| {
        let id = id.parse().map_err(|_| AppError::NotFound);
        roles::delete(state, actor, id, &context::client().await).await
    })
    .await
}
