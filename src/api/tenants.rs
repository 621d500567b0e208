//! Tenant administration for the browser (super admins).

use leptos::prelude::*;

use crate::domain::{error::AppError, paging::Page, tenant::TenantDetail};

#[server(prefix = "/api", endpoint = "tenants_list")]
pub async fn list_tenants(
    search: Option<String>,
    page: Option<i64>,
) -> Result<Page<TenantDetail>, AppError> {
    use crate::{api::context, server::services::tenants};
    context::as_actor(async |state, actor| {
        let query = tenants::TenantQuery {
            search,
            page,
            ..Default::default()
        };
        tenants::list(state, actor, Ok(query)).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "tenants_get")]
pub async fn get_tenant(id: String) -> Result<TenantDetail, AppError> {
    use crate::{api::context, server::services::tenants};
    context::as_actor(async |state, actor| {
        let id = id.parse().map_err(|_| AppError::NotFound);
        tenants::get(state, actor, id).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "tenants_create")]
pub async fn create_tenant(
    name: String,
    domain: String,
    subscription_tier: String,
) -> Result<TenantDetail, AppError> {
    use crate::{api::context, server::services::tenants};
    context::as_actor(async |state, actor| {
        let input = crate::domain::tenant::AddTenant {
            name,
            domain,
            subscription_tier: Some(subscription_tier),
        };
        let created = tenants::create(state, actor, Ok(input), &context::client().await).await?;
        leptos_axum::redirect(&format!("/admin/tenants/{}", created.id));
        Ok(created)
    })
    .await
}

#[server(prefix = "/api", endpoint = "tenants_update")]
pub async fn update_tenant(
    id: String,
    name: String,
    subscription_tier: String,
    status: String,
) -> Result<TenantDetail, AppError> {
    use crate::{api::context, server::services::tenants};
    context::as_actor(async |state, actor| {
        let id = id.parse().map_err(|_| AppError::NotFound);
        let patch = crate::domain::tenant::EditTenant {
            name: Some(name),
            subscription_tier: Some(subscription_tier),
            max_users: None,
            status: Some(status),
            settings: None,
        };
        tenants::update(state, actor, id, Ok(patch), &context::client().await).await
    })
    .await
}

/// The current tenant, for its settings page.
#[server(prefix = "/api", endpoint = "tenant_own")]
pub async fn own_tenant() -> Result<TenantDetail, AppError> {
    use crate::{api::context, server::services::tenants};
    context::as_actor(async |state, actor| tenants::own(state, actor).await).await
}

/// Renames the current tenant and replaces its settings (the settings page's JSON).
#[server(prefix = "/api", endpoint = "tenant_own_update")]
pub async fn update_own_tenant(
    name: String,
    settings: String,
    // A checkbox: present when ticked.
    #[server(default)] require_admin_two_factor: Option<String>,
) -> Result<TenantDetail, AppError> {
    use crate::{api::context, server::services::tenants};
    context::as_actor(async |state, actor| {
        let patch = serde_json::from_str::<serde_json::Value>(&settings)
            .map_err(|e| AppError::validation("settings", format!("is not JSON: {e}")))
            .map(|settings| crate::domain::tenant::EditOwnTenant {
                name: Some(name),
                settings: Some(settings),
                require_admin_two_factor: Some(require_admin_two_factor.is_some()),
            });
        tenants::update_own(state, actor, patch, &context::client().await).await
    })
    .await
}
