//! The registry's commands: registering a service, changing it, saving one of its endpoints,
//! assigning it to a tenant. Each is read from JSON with the path of any error
//! (`domain::command::decode`), then checked into the registry's specs here, with the same
//! rules for a registration and an update.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::{
    command::present,
    error::AppError,
    form::{FormSchema, PatternCheck},
    identity::parse_email,
    permission::Permission,
    service::{
        endpoint::{
            check_template, is_endpoint_name, EndpointSpec, HttpMethod, DEFAULT_RATE_LIMIT,
            DEFAULT_TIMEOUT_MS, MAX_PERMISSIONS, MAX_RATE_LIMIT, MAX_TIMEOUT_MS,
        },
        is_service_name,
        menu::MenuSchema,
        reader::JsonPath,
        AssignmentStatus, AuthType, ServiceSpec, ServiceStatus, ServiceType, Visibility,
    },
};

/// At most this many endpoints in one registration.
pub const MAX_ENDPOINTS: usize = 100;
/// The longest API key or webhook secret.
pub const MAX_SECRET_CHARS: usize = 4096;

/// `POST /api/v1/core/services/register`: a new service, with its endpoints and secrets.
/// No `Debug`: it holds secrets.
#[derive(Clone, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RegisterService {
    /// 2 to 63 lowercase letters, digits or `-`, starting with a letter; unique. It names
    /// the service in URLs (`/api/v1/gateway/<name>/...`) and in `service:access:<name>`.
    pub name: String,
    /// What people see, at most 200 characters.
    pub display_name: String,
    /// At most 5,000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// `INTERNAL` (hosted in Inti) or `EXTERNAL` (reached through the gateway at `baseUrl`).
    #[serde(rename = "type")]
    pub service_type: ServiceType,
    /// A free grouping for the registry's filters, at most 100 characters.
    #[serde(default)]
    pub category: Option<String>,
    /// `ACTIVE` (the default), `INACTIVE` or `MAINTENANCE`.
    #[serde(default)]
    pub status: Option<ServiceStatus>,
    /// `PUBLIC`, `PRIVATE` (the default) or `RESTRICTED`.
    #[serde(default)]
    pub visibility: Option<Visibility>,
    /// An EXTERNAL service's http(s) address; an INTERNAL service has none.
    #[serde(default)]
    pub base_url: Option<String>,
    /// How the gateway authenticates: `NONE` (the default), `API_KEY`, `JWT` or `OAUTH`.
    #[serde(default)]
    pub auth_type: Option<AuthType>,
    /// An http(s) URL the gateway probes for the service's health.
    #[serde(default)]
    pub health_check_url: Option<String>,
    /// The form generated for the service (fields, rules, conditions).
    #[serde(default)]
    pub form_schema: Option<Value>,
    /// The service's sidebar items.
    #[serde(default)]
    pub menu_schema: Option<Value>,
    /// The form of each tenant's settings for the service.
    #[serde(default)]
    pub settings_schema: Option<Value>,
    /// At most 50 characters; `1.0.0` by default.
    #[serde(default)]
    pub version: Option<String>,
    /// An http(s) link shown with the service.
    #[serde(default)]
    pub documentation_url: Option<String>,
    /// Who to ask about the service.
    #[serde(default)]
    pub contact_email: Option<String>,
    /// At most 100 endpoints, each a unique method and path.
    #[serde(default)]
    pub endpoints: Vec<SaveEndpoint>,
    /// Write-only: sealed at rest, never answered (only its last four characters, for long
    /// keys).
    #[serde(default)]
    pub api_key: Option<String>,
    /// Write-only: the secret the service signs its webhooks with.
    #[serde(default)]
    pub webhook_secret: Option<String>,
}

/// `PATCH /api/v1/core/services/{id}`: what changes. An absent key keeps its value; `null`
/// clears an optional one (and removes the API key or webhook secret). The name cannot
/// change. No `Debug`: it may hold secrets.
#[derive(Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateService {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<Option<String>>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<ServiceType>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub category: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ServiceStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub base_url: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_type: Option<AuthType>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub health_check_url: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub form_schema: Option<Option<Value>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub menu_schema: Option<Option<Value>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub settings_schema: Option<Option<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub documentation_url: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_email: Option<Option<String>>,
    /// Sets or replaces the key; `null` removes it. Write-only: never in an answer.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "never_sent"
    )]
    pub api_key: Option<Option<String>>,
    /// Sets or replaces the webhook secret; `null` removes it. Write-only.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "never_sent"
    )]
    pub webhook_secret: Option<Option<String>>,
}

/// Secrets are read, never written back out (the API description still lists them, which a
/// plain `skip_serializing` would hide).
fn never_sent<T>(_: &T) -> bool {
    true
}

/// `POST /api/v1/core/services/{id}/endpoints` (all of it) or `PATCH .../endpoints/{id}`
/// (what changes), and each item of a registration's `endpoints`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SaveEndpoint {
    /// Starts with a letter; letters, digits, `_`, `-`, `.` and `:`; at most 100.
    #[serde(default)]
    pub name: Option<String>,
    /// The name by default.
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub description: Option<Option<String>>,
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    #[serde(default)]
    pub method: Option<HttpMethod>,
    /// A path template: `/messages/{id}`.
    #[serde(default)]
    pub path: Option<String>,
    /// The form a call's body is checked against.
    #[serde(default, deserialize_with = "present")]
    pub request_schema: Option<Option<Value>>,
    /// A JSON Schema object describing the answer (documentation only).
    #[serde(default, deserialize_with = "present")]
    pub response_schema: Option<Option<Value>>,
    /// Always `true`: every call through the gateway is made by a signed-in member, so
    /// `false` is refused (public endpoints are not supported).
    #[serde(default)]
    pub requires_auth: Option<bool>,
    /// Permissions a caller needs (`whatsapp:blast`), at most 20.
    #[serde(default)]
    pub required_permissions: Option<Vec<String>>,
    /// Calls per minute per tenant, 1 to 1,000,000 (100 by default).
    #[serde(default)]
    pub rate_limit: Option<i64>,
    /// 100 to 120,000 milliseconds (30,000 by default).
    #[serde(default)]
    pub timeout_ms: Option<i64>,
}

/// `PUT /api/v1/core/services/{id}/tenants/{tenantId}`: assigns the service to the tenant,
/// or changes the assignment. Absent keys keep their value.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AssignService {
    /// `ACTIVE` (the default), `INACTIVE` or `SUSPENDED`.
    #[serde(default)]
    pub status: Option<AssignmentStatus>,
    /// The tenant's settings: an object of at most 16 KB, valid under the service's
    /// settings schema.
    #[serde(default)]
    pub custom_settings: Option<Value>,
    /// A menu layout for this service's items in this tenant; `null` removes it.
    #[serde(default, deserialize_with = "present")]
    pub custom_menu_config: Option<Option<Value>>,
}

impl From<RegisterService> for UpdateService {
    fn from(r: RegisterService) -> Self {
        Self {
            name: Some(r.name),
            display_name: Some(Some(r.display_name)),
            description: r.description.map(Some),
            service_type: Some(r.service_type),
            category: r.category.map(Some),
            status: r.status,
            visibility: r.visibility,
            base_url: r.base_url.map(Some),
            auth_type: r.auth_type,
            health_check_url: r.health_check_url.map(Some),
            form_schema: r.form_schema.map(Some),
            menu_schema: r.menu_schema.map(Some),
            settings_schema: r.settings_schema.map(Some),
            version: r.version,
            documentation_url: r.documentation_url.map(Some),
            contact_email: r.contact_email.map(Some),
            api_key: r.api_key.map(Some),
            webhook_secret: r.webhook_secret.map(Some),
        }
    }
}

/// A registration, checked: the service, its endpoints and its secrets.
pub struct Registration {
    pub spec: ServiceSpec,
    pub endpoints: Vec<EndpointSpec>,
    pub api_key: Option<String>,
    pub webhook_secret: Option<String>,
}

impl RegisterService {
    pub fn check(self, pattern_ok: PatternCheck) -> Result<Registration, AppError> {
        if self.endpoints.len() > MAX_ENDPOINTS {
            return Err(AppError::validation(
                "endpoints",
                format!("must have at most {MAX_ENDPOINTS} items"),
            ));
        }
        let mut endpoints: Vec<EndpointSpec> = Vec::with_capacity(self.endpoints.len());
        for (i, e) in self.endpoints.iter().enumerate() {
            let at = JsonPath::root("endpoints").index(i);
            let e = e.spec(&at, None, pattern_ok)?;
            if endpoints
                .iter()
                .any(|x| x.method == e.method && x.path == e.path)
            {
                return Err(AppError::conflict(
                    at.key("path").as_str(),
                    format!("another endpoint is already {} {}", e.method, e.path),
                ));
            }
            endpoints.push(e);
        }
        let api_key = secret("apiKey", self.api_key.clone())?;
        let webhook_secret = secret("webhookSecret", self.webhook_secret.clone())?;
        let spec = UpdateService::from(self).spec(None, pattern_ok)?;
        Ok(Registration {
            spec,
            endpoints,
            api_key,
            webhook_secret,
        })
    }
}

impl UpdateService {
    /// The spec this change makes of `base` (a registration when `None`): absent keys keep
    /// their value, `null` clears an optional one.
    pub fn spec(
        &self,
        base: Option<&ServiceSpec>,
        pattern_ok: PatternCheck,
    ) -> Result<ServiceSpec, AppError> {
        let name = match (text("name", self.name.as_deref(), 63)?, base) {
            (Some(n), Some(b)) if n != b.name => {
                return Err(AppError::validation(
                    "name",
                    "cannot be changed; register a new service",
                ))
            }
            (Some(n), _) => n,
            (None, Some(b)) => b.name.clone(),
            (None, None) => return Err(AppError::validation("name", "is required")),
        };
        if !is_service_name(&name) {
            return Err(AppError::validation(
                "name",
                "must be 2 to 63 lowercase letters, digits or -, starting with a letter",
            ));
        }
        let display_name = match (&self.display_name, base) {
            (Some(d), _) => text("displayName", d.as_deref(), 200)?,
            (None, Some(b)) => Some(b.display_name.clone()),
            (None, None) => None,
        }
        .ok_or_else(|| AppError::validation("displayName", "is required"))?;
        let service_type = self
            .service_type
            .or(base.map(|b| b.service_type))
            .ok_or_else(|| AppError::validation("type", "is required"))?;
        let status = self
            .status
            .or(base.map(|b| b.status))
            .unwrap_or(ServiceStatus::Active);
        let visibility = self
            .visibility
            .or(base.map(|b| b.visibility))
            .unwrap_or(Visibility::Private);
        let auth_type = self
            .auth_type
            .or(base.map(|b| b.auth_type))
            .unwrap_or(AuthType::None);
        let base_url = optional("baseUrl", &self.base_url, 500, base.map(|b| &b.base_url))?;
        let health_check_url = optional(
            "healthCheckUrl",
            &self.health_check_url,
            500,
            base.map(|b| &b.health_check_url),
        )?;
        let documentation_url = optional(
            "documentationUrl",
            &self.documentation_url,
            500,
            base.map(|b| &b.documentation_url),
        )?;
        for (key, url) in [
            ("baseUrl", &base_url),
            ("healthCheckUrl", &health_check_url),
            ("documentationUrl", &documentation_url),
        ] {
            if let Some(u) = url {
                if !(u.starts_with("http://") || u.starts_with("https://")) {
                    return Err(AppError::validation(key, "must be an http or https URL"));
                }
            }
        }
        match service_type {
            ServiceType::External if base_url.is_none() => {
                return Err(AppError::validation(
                    "baseUrl",
                    "is required for an EXTERNAL service",
                ))
            }
            ServiceType::Internal if base_url.is_some() => {
                return Err(AppError::validation(
                    "baseUrl",
                    "an INTERNAL service is hosted here and has no base URL",
                ))
            }
            _ => {}
        }
        if service_type == ServiceType::Internal && auth_type != AuthType::None {
            return Err(AppError::validation(
                "authType",
                "an INTERNAL service shares Inti's authentication; use NONE",
            ));
        }
        let contact_email = optional(
            "contactEmail",
            &self.contact_email,
            255,
            base.map(|b| &b.contact_email),
        )?
        .map(|e| parse_email("contactEmail", &e))
        .transpose()?;
        let form = |v: &Value, at: JsonPath| FormSchema::parse(v, at, pattern_ok);
        let form_schema = document(
            "formSchema",
            &self.form_schema,
            base.and_then(|b| b.form_schema.clone()),
            form,
        )?;
        let settings_schema = document(
            "settingsSchema",
            &self.settings_schema,
            base.and_then(|b| b.settings_schema.clone()),
            form,
        )?;
        let menu_schema = document(
            "menuSchema",
            &self.menu_schema,
            base.and_then(|b| b.menu_schema.clone()),
            MenuSchema::parse,
        )?;
        if let (ServiceType::External, Some(menu)) = (service_type, &menu_schema) {
            menu.check_paths_free(&name)?;
        }
        let version = match (text("version", self.version.as_deref(), 50)?, base) {
            (Some(v), _) => v,
            (None, Some(b)) => b.version.clone(),
            (None, None) => "1.0.0".to_string(),
        };
        Ok(ServiceSpec {
            name,
            display_name,
            description: optional(
                "description",
                &self.description,
                5000,
                base.map(|b| &b.description),
            )?,
            service_type,
            category: optional("category", &self.category, 100, base.map(|b| &b.category))?,
            status,
            visibility,
            base_url,
            auth_type,
            health_check_url,
            form_schema,
            menu_schema,
            settings_schema,
            version,
            documentation_url,
            contact_email,
        })
    }

    /// The new API key (`Some(None)`: remove it), checked; `None`: unchanged.
    pub fn api_key(&self) -> Result<Option<Option<String>>, AppError> {
        self.api_key
            .clone()
            .map(|k| secret("apiKey", k))
            .transpose()
    }

    /// The new webhook secret, like `api_key`.
    pub fn webhook_secret(&self) -> Result<Option<Option<String>>, AppError> {
        self.webhook_secret
            .clone()
            .map(|k| secret("webhookSecret", k))
            .transpose()
    }

    /// The keys this change names, secrets aside (for the audit log).
    pub fn changed(&self) -> Vec<String> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
}

impl SaveEndpoint {
    /// The endpoint this makes of `base` (a new one when `None`); errors under `at`.
    pub fn spec(
        &self,
        at: &JsonPath,
        base: Option<&EndpointSpec>,
        pattern_ok: PatternCheck,
    ) -> Result<EndpointSpec, AppError> {
        let err = |key: &str, message: &str| at.key(key).error(message);
        // Given (even empty: then it is missing), or kept from `base`.
        let required = |key: &str, given: Option<&str>, max: usize, old: Option<&String>| {
            match given {
                Some(raw) => text_at(at, key, Some(raw), max)?,
                None => old.cloned(),
            }
            .ok_or_else(|| err(key, "is required"))
        };
        let method = self
            .method
            .or(base.map(|b| b.method))
            .ok_or_else(|| err("method", "is required"))?;
        let template = required("path", self.path.as_deref(), 500, base.map(|b| &b.path))?;
        check_template(&template).map_err(|why| err("path", &why))?;
        let name = required("name", self.name.as_deref(), 100, base.map(|b| &b.name))?;
        if !is_endpoint_name(&name) {
            return Err(err(
                "name",
                "must start with a letter and use only letters, digits, _, -, . and :",
            ));
        }
        let display_name = text_at(at, "displayName", self.display_name.as_deref(), 200)?
            .or_else(|| base.map(|b| b.display_name.clone()))
            .unwrap_or_else(|| name.clone());
        let request_schema = match &self.request_schema {
            Some(Some(v)) => Some(FormSchema::parse(v, at.key("requestSchema"), pattern_ok)?),
            Some(None) => None,
            None => base.and_then(|b| b.request_schema.clone()),
        };
        let response_schema = match &self.response_schema {
            Some(Some(v @ Value::Object(_))) => Some(v.clone()),
            Some(Some(_)) => return Err(err("responseSchema", "must be an object")),
            Some(None) => None,
            None => base.and_then(|b| b.response_schema.clone()),
        };
        let required_permissions = match &self.required_permissions {
            Some(raw) if raw.len() > MAX_PERMISSIONS => {
                return Err(err(
                    "requiredPermissions",
                    &format!("must have at most {MAX_PERMISSIONS} items"),
                ))
            }
            Some(raw) => {
                let mut perms: Vec<Permission> = Vec::with_capacity(raw.len());
                for (i, p) in raw.iter().enumerate() {
                    let perm = p
                        .parse::<Permission>()
                        .map_err(|e| at.key("requiredPermissions").index(i).error(e.to_string()))?;
                    if !perms.contains(&perm) {
                        perms.push(perm);
                    }
                }
                perms
            }
            None => base
                .map(|b| b.required_permissions.clone())
                .unwrap_or_default(),
        };
        let whole = |key: &str, n: Option<i64>, min: i64, max: i64| match n {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n as i32)),
            Some(_) => Err(err(
                key,
                &format!("must be a whole number from {min} to {max}"),
            )),
            None => Ok(None),
        };
        let description = match &self.description {
            Some(d) => text_at(at, "description", d.as_deref(), 2000)?,
            None => base.and_then(|b| b.description.clone()),
        };
        Ok(EndpointSpec {
            name,
            display_name,
            description,
            method,
            path: template,
            request_schema,
            response_schema,
            // Every call through the gateway is made by a signed-in member: a public endpoint
            // (no Inti session at all) is not offered until it is designed, so `false` is
            // refused rather than stored and ignored.
            requires_auth: match self.requires_auth {
                Some(false) => {
                    return Err(at.key("requiresAuth").error(
                        "must be true: every call through the gateway is made by a signed-in member; public endpoints are not supported",
                    ))
                }
                _ => true,
            },
            required_permissions,
            rate_limit: whole("rateLimit", self.rate_limit, 1, MAX_RATE_LIMIT)?
                .or(base.map(|b| b.rate_limit))
                .unwrap_or(DEFAULT_RATE_LIMIT),
            timeout_ms: whole("timeoutMs", self.timeout_ms, 100, MAX_TIMEOUT_MS)?
                .or(base.map(|b| b.timeout_ms))
                .unwrap_or(DEFAULT_TIMEOUT_MS),
        })
    }
}

/// Text as the registry keeps it: trimmed, at most `max` characters, no NUL; empty is `None`.
fn text(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>, AppError> {
    text_at(&JsonPath::root(""), field, raw, max)
}

fn text_at(
    at: &JsonPath,
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, AppError> {
    let Some(s) = raw.map(str::trim) else {
        return Ok(None);
    };
    if s.chars().count() > max {
        return Err(at
            .key(field)
            .error(format!("must be at most {max} characters")));
    }
    if s.contains('\0') {
        return Err(at.key(field).error("must not contain NUL characters"));
    }
    Ok((!s.is_empty()).then(|| s.to_string()))
}

/// An optional text of an update: given (empty clears it), `null` (clears it), or absent
/// (keeps `old`).
fn optional(
    field: &str,
    change: &Option<Option<String>>,
    max: usize,
    old: Option<&Option<String>>,
) -> Result<Option<String>, AppError> {
    match change {
        Some(value) => text(field, value.as_deref(), max),
        None => Ok(old.cloned().flatten()),
    }
}

/// A document people write by hand (a form or menu schema), read with the path of every
/// error: given, `null` (removed), or absent (kept).
fn document<T>(
    field: &str,
    change: &Option<Option<Value>>,
    old: Option<T>,
    parse: impl FnOnce(&Value, JsonPath) -> Result<T, AppError>,
) -> Result<Option<T>, AppError> {
    match change {
        Some(Some(v)) => parse(v, JsonPath::root(field)).map(Some),
        Some(None) => Ok(None),
        None => Ok(old),
    }
}

/// A write-only secret: at most 4,096 characters, trimmed; empty is refused.
fn secret(field: &str, value: Option<String>) -> Result<Option<String>, AppError> {
    match value.as_deref().map(str::trim) {
        None => Ok(None),
        Some(k) if !k.is_empty() && k.chars().count() <= MAX_SECRET_CHARS => Ok(Some(k.into())),
        Some(_) => Err(AppError::validation(
            field,
            format!(
                "must be a non-empty string of at most {MAX_SECRET_CHARS} characters, or null to remove it"
            ),
        )),
    }
}
