//! The service registry for the browser (super admins), and the tenant's own services. Each
//! server function reads its form into the same command the REST API takes
//! (`domain::service::command`) and calls the same service code, which checks the caller
//! before it looks at the command: both answer the same errors.

use leptos::prelude::*;
use serde_json::Value;

use crate::domain::{
    error::AppError,
    paging::Page,
    service::view::{AssignmentView, EndpointView, ServiceDetail, ServiceView, TenantService},
};

/// Form text, trimmed; empty is `None` (not given).
#[cfg(feature = "ssr")]
fn given(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// A choice of a closed set from a form; empty is `None` (not given).
#[cfg(feature = "ssr")]
fn choice<T>(
    field: &str,
    text: &str,
    parse: fn(&str, &str) -> Result<T, AppError>,
) -> Result<Option<T>, AppError> {
    given(text).map(|t| parse(field, &t)).transpose()
}

/// A JSON document typed into a text area; empty is `None`.
pub fn json_text(field: &str, text: &str) -> Result<Option<Value>, AppError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str(text).map(Some).map_err(|e| {
        AppError::validation(
            field,
            format!(
                "is not valid JSON (line {}, column {}): {}",
                e.line(),
                e.column(),
                e
            ),
        )
    })
}

/// A path or form id, as the id type it names: text that is not a UUID names nothing (404,
/// after authorization).
#[cfg(feature = "ssr")]
fn id<T: From<uuid::Uuid>>(raw: &str) -> crate::domain::error::Input<T> {
    raw.trim()
        .parse::<uuid::Uuid>()
        .map(T::from)
        .map_err(|_| AppError::NotFound)
}

/// Two ids at once (a service and its endpoint or tenant).
#[cfg(feature = "ssr")]
fn ids<A: From<uuid::Uuid>, B: From<uuid::Uuid>>(
    a: &str,
    b: &str,
) -> crate::domain::error::Input<(A, B)> {
    Ok((id(a)?, id(b)?))
}

#[server(prefix = "/api", endpoint = "services_list")]
pub async fn list_services(
    search: Option<String>,
    service_type: Option<String>,
    status: Option<String>,
    page: Option<i64>,
) -> Result<Page<ServiceView>, AppError> {
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| {
        let query = registry::ServiceQuery {
            search,
            service_type: service_type.filter(|s| !s.is_empty()),
            status: status.filter(|s| !s.is_empty()),
            page,
            ..Default::default()
        };
        registry::list(state, actor, Ok(query)).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "services_get")]
pub async fn get_service(id: String) -> Result<ServiceDetail, AppError> {
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| registry::get(state, actor, self::id(&id)).await).await
}

#[server(prefix = "/api", endpoint = "services_register")]
pub async fn register_service(
    name: String,
    display_name: String,
    service_type: String,
    base_url: String,
    auth_type: String,
    visibility: String,
    category: String,
    description: String,
    api_key: String,
    form_schema: String,
    menu_schema: String,
) -> Result<ServiceDetail, AppError> {
    use crate::domain::service::{command::RegisterService, AuthType, ServiceType, Visibility};
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| {
        // The registry checks the caller before it looks at what the form holds.
        let command = (|| {
            Ok(RegisterService {
                name,
                display_name,
                service_type: ServiceType::parse_field("type", &service_type)?,
                base_url: given(&base_url),
                auth_type: choice("authType", &auth_type, AuthType::parse_field)?,
                visibility: choice("visibility", &visibility, Visibility::parse_field)?,
                category: given(&category),
                description: given(&description),
                api_key: given(&api_key),
                form_schema: json_text("formSchema", &form_schema)?,
                menu_schema: json_text("menuSchema", &menu_schema)?,
                status: None,
                health_check_url: None,
                settings_schema: None,
                version: None,
                documentation_url: None,
                contact_email: None,
                endpoints: Vec::new(),
                webhook_secret: None,
            })
        })();
        let created = registry::register(state, actor, command, &context::client().await).await?;
        leptos_axum::redirect(&format!("/admin/services/{}", created.service.id));
        Ok(created)
    })
    .await
}

#[server(prefix = "/api", endpoint = "services_update")]
pub async fn update_service(
    id: String,
    display_name: String,
    #[server(default)] description: String,
    #[server(default)] category: String,
    status: String,
    visibility: String,
    auth_type: String,
    // A disabled input (an INTERNAL service's base URL) is not submitted at all.
    #[server(default)] base_url: String,
    #[server(default)] health_check_url: String,
) -> Result<ServiceDetail, AppError> {
    use crate::domain::service::{command::UpdateService, AuthType, ServiceStatus, Visibility};
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| {
        // An empty optional field clears it; an empty required one is left as it is.
        let command = (|| {
            Ok(UpdateService {
                display_name: given(&display_name).map(Some),
                description: Some(given(&description)),
                category: Some(given(&category)),
                status: choice("status", &status, ServiceStatus::parse_field)?,
                visibility: choice("visibility", &visibility, Visibility::parse_field)?,
                auth_type: choice("authType", &auth_type, AuthType::parse_field)?,
                base_url: Some(given(&base_url)),
                health_check_url: Some(given(&health_check_url)),
                ..UpdateService::default()
            })
        })();
        let id = self::id(&id);
        let client = context::client().await;
        registry::update(state, actor, id, command, &client).await
    })
    .await
}

/// The three schemas at once, as JSON text; an empty text removes that schema.
#[server(prefix = "/api", endpoint = "services_schemas")]
pub async fn update_schemas(
    id: String,
    form_schema: String,
    menu_schema: String,
    settings_schema: String,
) -> Result<ServiceDetail, AppError> {
    use crate::domain::service::command::UpdateService;
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| {
        let command = (|| {
            Ok(UpdateService {
                form_schema: Some(json_text("formSchema", &form_schema)?),
                menu_schema: Some(json_text("menuSchema", &menu_schema)?),
                settings_schema: Some(json_text("settingsSchema", &settings_schema)?),
                ..UpdateService::default()
            })
        })();
        let id = self::id(&id);
        let client = context::client().await;
        registry::update(state, actor, id, command, &client).await
    })
    .await
}

/// Sets or replaces the API key; `remove` deletes it.
#[server(prefix = "/api", endpoint = "services_key")]
pub async fn set_service_key(
    id: String,
    api_key: String,
    #[server(default)] remove: bool,
) -> Result<ServiceDetail, AppError> {
    use crate::domain::service::command::UpdateService;
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| {
        let command = UpdateService {
            api_key: Some((!remove).then_some(api_key)),
            ..UpdateService::default()
        };
        let id = self::id(&id);
        let client = context::client().await;
        registry::update(state, actor, id, Ok(command), &client).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "services_endpoint_save")]
pub async fn save_endpoint(
    service_id: String,
    #[server(default)] endpoint_id: String,
    name: String,
    display_name: String,
    method: String,
    path: String,
    required_permissions: String,
    rate_limit: String,
    timeout_ms: String,
) -> Result<EndpointView, AppError> {
    use crate::domain::service::{command::SaveEndpoint, endpoint::HttpMethod};
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| {
        let number = |field: &str, text: &str| -> Result<Option<i64>, AppError> {
            given(text)
                .map(|t| {
                    t.parse()
                        .map_err(|_| AppError::validation(field, "must be a whole number"))
                })
                .transpose()
        };
        let command = (|| {
            Ok(SaveEndpoint {
                name: given(&name),
                display_name: given(&display_name),
                method: choice("method", &method, HttpMethod::parse_field)?,
                path: given(&path),
                required_permissions: Some(
                    required_permissions
                        .split([',', ' ', '\n'])
                        .filter_map(given)
                        .collect(),
                ),
                rate_limit: number("rateLimit", &rate_limit)?,
                timeout_ms: number("timeoutMs", &timeout_ms)?,
                ..SaveEndpoint::default()
            })
        })();
        let service = id(&service_id);
        let endpoint = match endpoint_id.trim() {
            "" => Ok(None),
            e => id(e).map(Some),
        };
        let ids = service.and_then(|s| endpoint.map(|e| (s, e)));
        let client = context::client().await;
        registry::save_endpoint(state, actor, ids, command, &client).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "services_endpoint_delete")]
pub async fn delete_endpoint(service_id: String, endpoint_id: String) -> Result<(), AppError> {
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| {
        let ids = ids(&service_id, &endpoint_id);
        registry::delete_endpoint(state, actor, ids, &context::client().await).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "services_tenants")]
pub async fn service_tenants(id: String) -> Result<Vec<AssignmentView>, AppError> {
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| {
        let of = self::id(&id).map(registry::AssignmentsOf::Service);
        registry::assignments(state, actor, of).await
    })
    .await
}

/// Assigns the service to a tenant (by its domain), or changes the assignment.
#[server(prefix = "/api", endpoint = "services_assign")]
pub async fn assign_service(
    service_id: String,
    tenant: String,
    status: String,
    #[server(default)] custom_settings: String,
) -> Result<AssignmentView, AppError> {
    use crate::{
        api::context,
        domain::service::{command::AssignService, AssignmentStatus},
        server::{
            db::scope::{scoped, Scope},
            db::tenants,
            services::registry,
        },
    };
    context::as_actor(async |state, actor| {
        actor.require_platform(&crate::domain::permission::perm::SERVICE_ASSIGN)?;
        let domain = tenant.trim().to_lowercase();
        let found = scoped(&state.db, Scope::platform(), async |c| {
            Ok(tenants::find_by_domain(c, &domain).await?)
        })
        .await?;
        let tenant_id = found
            .map(|t| t.id)
            .ok_or_else(|| AppError::validation("tenant", "No tenant has this domain"))?;
        let command = (|| {
            Ok(AssignService {
                status: choice("status", &status, AssignmentStatus::parse_field)?,
                custom_settings: json_text("customSettings", &custom_settings)?,
                custom_menu_config: None,
            })
        })();
        let ids = id(&service_id).map(|s| (s, crate::domain::id::TenantId(tenant_id)));
        let client = context::client().await;
        registry::assign(state, actor, ids, command, &client).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "services_unassign")]
pub async fn unassign_service(service_id: String, tenant_id: String) -> Result<(), AppError> {
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| {
        let ids = ids(&service_id, &tenant_id);
        registry::unassign(state, actor, ids, &context::client().await).await
    })
    .await
}

/// The current tenant's services with its settings (the Services page).
#[server(prefix = "/api", endpoint = "services_mine")]
pub async fn my_services() -> Result<Vec<TenantService>, AppError> {
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| registry::tenant_services(state, actor).await).await
}

/// The service's newest gateway calls and webhook deliveries, for its Calls tab.
#[server(prefix = "/api", endpoint = "services_calls")]
pub async fn service_calls(
    id: String,
) -> Result<
    (
        Vec<crate::domain::service::view::CallView>,
        Vec<crate::domain::service::view::DeliveryView>,
    ),
    AppError,
> {
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| {
        let calls = registry::calls(state, actor, self::id(&id)).await?;
        let deliveries = registry::deliveries(state, actor, self::id(&id)).await?;
        Ok((calls, deliveries))
    })
    .await
}

/// The service's health and its newest probes, for its Health tab.
#[server(prefix = "/api", endpoint = "services_health")]
pub async fn service_health(
    id: String,
) -> Result<crate::domain::service::health::HealthReport, AppError> {
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| registry::health(state, actor, self::id(&id)).await)
        .await
}

/// Drafts a registration from an OpenAPI document (JSON or YAML), for the Import page.
#[server(prefix = "/api", endpoint = "services_import")]
pub async fn import_openapi(
    document: String,
) -> Result<crate::domain::service::openapi::Preview, AppError> {
    use crate::{api::context, domain::service::openapi::ImportOpenApi, server::services::openapi};
    context::as_actor(async |state, actor| {
        openapi::preview(state, actor, Ok(ImportOpenApi { document })).await
    })
    .await
}

/// Registers a service from its registration JSON (the Import page's edited draft).
#[server(prefix = "/api", endpoint = "services_register_json")]
pub async fn register_service_json(body: String) -> Result<ServiceDetail, AppError> {
    use crate::{api::context, server::services::registry};
    context::as_actor(async |state, actor| {
        // The registry checks the caller before it looks at the body.
        let command = json_text("body", &body)
            .and_then(|v| v.ok_or_else(|| AppError::validation("body", "is required")))
            .and_then(crate::domain::command::decode);
        let created = registry::register(state, actor, command, &context::client().await).await?;
        leptos_axum::redirect(&format!("/admin/services/{}", created.service.id));
        Ok(created)
    })
    .await
}
