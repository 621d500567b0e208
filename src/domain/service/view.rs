//! The registry as the API and the UI show it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::{endpoint::EndpointSpec, health::HealthView, AssignmentStatus, ServiceSpec};
use crate::domain::account::AccessibleService;

/// A registered service. Its API key is write-only: only whether one is set and its last
/// four characters are ever shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceView {
    pub id: Uuid,
    #[serde(flatten)]
    pub spec: ServiceSpec,
    pub api_key_set: bool,
    pub api_key_last4: Option<String>,
    pub api_key_updated_at: Option<DateTime<Utc>>,
    pub tenant_count: i64,
    pub endpoint_count: i64,
    /// What the health checks found, on the current health URL (`None` before any probe).
    #[serde(default)]
    pub health: Option<HealthView>,
    pub registered_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A service with its endpoints (registration and detail answers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceDetail {
    #[serde(flatten)]
    pub service: ServiceView,
    pub endpoints: Vec<EndpointView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EndpointView {
    pub id: Uuid,
    pub service_id: Uuid,
    #[serde(flatten)]
    pub spec: EndpointSpec,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A service assigned to a tenant, seen from either side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AssignmentView {
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub tenant_domain: String,
    pub service_id: Uuid,
    pub service_name: String,
    pub service_display_name: String,
    pub status: AssignmentStatus,
    pub custom_settings: Value,
    pub custom_menu_config: Option<Value>,
    pub assigned_by: Option<Uuid>,
    pub assigned_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A service the current tenant can use, with the tenant's settings for it (its Services
/// page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TenantService {
    #[serde(flatten)]
    pub service: AccessibleService,
    /// The assignment's `customSettings`; `None` for a PUBLIC service used unassigned.
    pub settings: Option<Value>,
    /// Whether it has a form (`/forms/{name}`).
    pub has_form: bool,
}

/// One call through the gateway, as its service's page lists it (no bodies, no keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CallView {
    pub id: i64,
    pub tenant_id: Uuid,
    pub user: Option<String>,
    pub endpoint: String,
    pub method: String,
    pub path: String,
    pub status: i16,
    pub latency_ms: i32,
    pub request_bytes: i64,
    pub response_bytes: i64,
    pub request_id: String,
    pub created_at: DateTime<Utc>,
}

/// A webhook delivery a service sent, verified and kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeliveryView {
    pub delivery_id: String,
    pub event: Option<String>,
    pub payload: Value,
    pub received_at: DateTime<Utc>,
}
