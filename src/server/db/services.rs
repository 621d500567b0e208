//! Queries on the service registry (`services`, `service_endpoints`, assignments). Rows are
//! turned into the domain's types here; a row that does not read back is an internal error.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

use super::schema::{service_endpoints, services, tenant_service_assignments, tenants};
use crate::domain::{
    error::AppError,
    service::{
        endpoint::{EndpointSpec, HttpMethod},
        view::{AssignmentView, EndpointView, ServiceView},
        AssignmentStatus, AuthType, ServiceSpec, ServiceStatus, ServiceType, Visibility,
    },
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = services, check_for_backend(diesel::pg::Pg))]
pub struct ServiceRow {
    pub id: Uuid,
    pub name: String,
    pub display_name: String,
    pub description: Option<String>,
    pub service_type: ServiceType,
    pub category: Option<String>,
    pub status: ServiceStatus,
    pub visibility: Visibility,
    pub base_url: Option<String>,
    pub auth_type: AuthType,
    pub health_check_url: Option<String>,
    pub form_schema: Option<Value>,
    pub menu_schema: Option<Value>,
    pub settings_schema: Option<Value>,
    pub version: String,
    pub documentation_url: Option<String>,
    pub contact_email: Option<String>,
    pub registered_by: Option<Uuid>,
    pub api_key_hint: Option<String>,
    pub api_key_updated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub form_version: i32,
}

fn corrupt(what: &str) -> AppError {
    tracing::error!(what, "a registry row does not read back");
    AppError::Internal
}

fn json<T: serde::de::DeserializeOwned>(
    v: Option<Value>,
    what: &str,
) -> Result<Option<T>, AppError> {
    v.map(|v| serde_json::from_value(v).map_err(|_| corrupt(what)))
        .transpose()
}

impl ServiceRow {
    pub fn spec(&self) -> Result<ServiceSpec, AppError> {
        Ok(ServiceSpec {
            name: self.name.clone(),
            display_name: self.display_name.clone(),
            description: self.description.clone(),
            service_type: self.service_type,
            category: self.category.clone(),
            status: self.status,
            visibility: self.visibility,
            base_url: self.base_url.clone(),
            auth_type: self.auth_type,
            health_check_url: self.health_check_url.clone(),
            form_schema: json(self.form_schema.clone(), "form_schema")?,
            menu_schema: json(self.menu_schema.clone(), "menu_schema")?,
            settings_schema: json(self.settings_schema.clone(), "settings_schema")?,
            version: self.version.clone(),
            documentation_url: self.documentation_url.clone(),
            contact_email: self.contact_email.clone(),
        })
    }

    pub fn view(&self, tenant_count: i64, endpoint_count: i64) -> Result<ServiceView, AppError> {
        Ok(ServiceView {
            id: self.id,
            spec: self.spec()?,
            api_key_set: self.api_key_updated_at.is_some(),
            api_key_last4: self.api_key_hint.clone().filter(|h| !h.is_empty()),
            api_key_updated_at: self.api_key_updated_at,
            tenant_count,
            endpoint_count,
            health: None,
            registered_by: self.registered_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The columns a spec writes (insert and update alike).
#[derive(AsChangeset, Insertable)]
#[diesel(table_name = services, treat_none_as_null = true)]
pub struct SpecColumns {
    pub name: String,
    pub display_name: String,
    pub description: Option<String>,
    pub service_type: ServiceType,
    pub category: Option<String>,
    pub status: ServiceStatus,
    pub visibility: Visibility,
    pub base_url: Option<String>,
    pub api_key_required: bool,
    pub auth_type: AuthType,
    pub health_check_url: Option<String>,
    pub form_schema: Option<Value>,
    pub menu_schema: Option<Value>,
    pub settings_schema: Option<Value>,
    pub version: String,
    pub documentation_url: Option<String>,
    pub contact_email: Option<String>,
}

impl SpecColumns {
    pub fn of(spec: &ServiceSpec) -> Result<Self, AppError> {
        Ok(Self {
            name: spec.name.clone(),
            display_name: spec.display_name.clone(),
            description: spec.description.clone(),
            service_type: spec.service_type,
            category: spec.category.clone(),
            status: spec.status,
            visibility: spec.visibility,
            base_url: spec.base_url.clone(),
            api_key_required: spec.auth_type == AuthType::ApiKey,
            auth_type: spec.auth_type,
            health_check_url: spec.health_check_url.clone(),
            form_schema: spec
                .form_schema
                .as_ref()
                .map(serde_json::to_value)
                .transpose()?,
            menu_schema: spec
                .menu_schema
                .as_ref()
                .map(serde_json::to_value)
                .transpose()?,
            settings_schema: spec
                .settings_schema
                .as_ref()
                .map(serde_json::to_value)
                .transpose()?,
            version: spec.version.clone(),
            documentation_url: spec.documentation_url.clone(),
            contact_email: spec.contact_email.clone(),
        })
    }
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    columns: SpecColumns,
    registered_by: Uuid,
    registered_tenant_id: Uuid,
) -> QueryResult<ServiceRow> {
    diesel::insert_into(services::table)
        .values((
            columns,
            services::registered_by.eq(registered_by),
            services::registered_tenant_id.eq(registered_tenant_id),
        ))
        .returning(ServiceRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    columns: SpecColumns,
) -> QueryResult<ServiceRow> {
    diesel::update(services::table.find(id))
        .set(columns)
        .returning(ServiceRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<ServiceRow>> {
    services::table
        .find(id)
        .select(ServiceRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find_by_name(
    conn: &mut AsyncPgConnection,
    name: &str,
) -> QueryResult<Option<ServiceRow>> {
    services::table
        .filter(services::name.eq(name))
        .select(ServiceRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Locks the service row for the rest of the transaction (updates, key changes, deletes).
pub async fn find_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<ServiceRow>> {
    services::table
        .find(id)
        .for_update()
        .select(ServiceRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    let n = diesel::delete(services::table.find(id))
        .execute(conn)
        .await?;
    Ok(n == 1)
}

pub struct ServiceFilter<'a> {
    pub search: Option<&'a str>,
    pub service_type: Option<&'a str>,
    pub status: Option<&'a str>,
    pub visibility: Option<&'a str>,
    pub category: Option<&'a str>,
}

/// One page of services matching the filter, by display name, and the total.
pub async fn search(
    conn: &mut AsyncPgConnection,
    f: &ServiceFilter<'_>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<ServiceRow>, i64)> {
    let filtered = || {
        let mut q = services::table.into_boxed();
        if let Some(text) = f.search {
            let pattern = super::like_pattern(text);
            q = q.filter(
                services::name
                    .ilike(pattern.clone())
                    .or(services::display_name.ilike(pattern.clone()))
                    .or(services::description.ilike(pattern)),
            );
        }
        if let Some(t) = f.service_type {
            q = q.filter(services::service_type.eq(t));
        }
        if let Some(s) = f.status {
            q = q.filter(services::status.eq(s));
        }
        if let Some(v) = f.visibility {
            q = q.filter(services::visibility.eq(v));
        }
        if let Some(c) = f.category {
            q = q.filter(services::category.eq(c));
        }
        q
    };
    let total = filtered().count().get_result(conn).await?;
    let rows = filtered()
        .order((services::display_name.asc(), services::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(ServiceRow::as_select())
        .load(conn)
        .await?;
    Ok((rows, total))
}

/// (assignments, endpoints) per service id.
pub async fn counts(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, i64, i64)>> {
    let assigned: Vec<(Uuid, i64)> = tenant_service_assignments::table
        .filter(tenant_service_assignments::service_id.eq_any(ids))
        .group_by(tenant_service_assignments::service_id)
        .select((
            tenant_service_assignments::service_id,
            diesel::dsl::count_star(),
        ))
        .load(conn)
        .await?;
    let endpoints: Vec<(Uuid, i64)> = service_endpoints::table
        .filter(service_endpoints::service_id.eq_any(ids))
        .group_by(service_endpoints::service_id)
        .select((service_endpoints::service_id, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    let of =
        |list: &[(Uuid, i64)], id: Uuid| list.iter().find(|(s, _)| *s == id).map_or(0, |(_, n)| *n);
    Ok(ids
        .iter()
        .map(|id| (*id, of(&assigned, *id), of(&endpoints, *id)))
        .collect())
}

/// Stores (or, with `None`, removes) a sealed key and its last four characters.
pub async fn set_api_key(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    sealed: Option<(Vec<u8>, String)>,
) -> QueryResult<()> {
    let (ciphertext, hint) = match sealed {
        Some((c, h)) => (Some(c), Some(h).filter(|h: &String| !h.is_empty())),
        None => (None, None),
    };
    let now = ciphertext.as_ref().map(|_| Utc::now());
    diesel::update(services::table.find(id))
        .set((
            services::api_key_ciphertext.eq(ciphertext),
            services::api_key_hint.eq(hint),
            services::api_key_updated_at.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Sealed secrets of services: (id, API key, webhook secret). Read through a function that
/// only platform work may call (migration 18): no tenant scope reads a ciphertext.
#[derive(QueryableByName)]
struct SealedRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bytea>)]
    api_key: Option<Vec<u8>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bytea>)]
    webhook_secret: Option<Vec<u8>>,
}

async fn sealed_rows(
    conn: &mut AsyncPgConnection,
    ids: Option<&[Uuid]>,
) -> QueryResult<Vec<SealedRow>> {
    diesel::sql_query("SELECT id, api_key, webhook_secret FROM inti_service_secrets($1)")
        .bind::<diesel::sql_types::Nullable<diesel::sql_types::Array<diesel::sql_types::Uuid>>, _>(
            ids.map(<[Uuid]>::to_vec),
        )
        .load(conn)
        .await
}

/// Every sealed key, for rotation (platform work).
pub async fn all_api_keys(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(Uuid, Vec<u8>)>> {
    Ok(sealed_rows(conn, None)
        .await?
        .into_iter()
        .filter_map(|r| r.api_key.map(|k| (r.id, k)))
        .collect())
}

/// A service's sealed API key and webhook secret, for the gateway and the webhook receiver
/// (platform work).
pub async fn sealed_secrets(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<(Option<Vec<u8>>, Option<Vec<u8>>)> {
    let row = sealed_rows(conn, Some(&[id]))
        .await?
        .pop()
        .ok_or(diesel::result::Error::NotFound)?;
    Ok((row.api_key, row.webhook_secret))
}

/// The sealed API keys of `ids` (platform work).
pub async fn sealed_keys(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<std::collections::HashMap<Uuid, Vec<u8>>> {
    Ok(sealed_rows(conn, Some(ids))
        .await?
        .into_iter()
        .filter_map(|r| r.api_key.map(|k| (r.id, k)))
        .collect())
}

pub async fn set_webhook_secret(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    sealed: Option<Vec<u8>>,
) -> QueryResult<()> {
    diesel::update(services::table.find(id))
        .set(services::webhook_secret_ciphertext.eq(sealed))
        .execute(conn)
        .await?;
    Ok(())
}

/// Every sealed webhook secret, for rotation (platform work).
pub async fn all_webhook_secrets(
    conn: &mut AsyncPgConnection,
) -> QueryResult<Vec<(Uuid, Vec<u8>)>> {
    Ok(sealed_rows(conn, None)
        .await?
        .into_iter()
        .filter_map(|r| r.webhook_secret.map(|s| (r.id, s)))
        .collect())
}

/// Re-seals a key without touching its hint or time.
pub async fn replace_api_key_ciphertext(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    ciphertext: Vec<u8>,
) -> QueryResult<()> {
    diesel::update(services::table.find(id))
        .set(services::api_key_ciphertext.eq(ciphertext))
        .execute(conn)
        .await?;
    Ok(())
}

// ---- endpoints ----

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = service_endpoints, check_for_backend(diesel::pg::Pg))]
pub struct EndpointRow {
    pub id: Uuid,
    pub service_id: Uuid,
    pub name: String,
    pub display_name: String,
    pub description: Option<String>,
    pub method: String,
    pub path: String,
    pub request_schema: Option<Value>,
    pub response_schema: Option<Value>,
    pub requires_auth: bool,
    pub required_permissions: Value,
    pub rate_limit: i32,
    pub timeout_ms: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl EndpointRow {
    pub fn spec(&self) -> Result<EndpointSpec, AppError> {
        Ok(EndpointSpec {
            name: self.name.clone(),
            display_name: self.display_name.clone(),
            description: self.description.clone(),
            method: HttpMethod::parse(&self.method).ok_or_else(|| corrupt("method"))?,
            path: self.path.clone(),
            request_schema: json(self.request_schema.clone(), "request_schema")?,
            response_schema: self.response_schema.clone(),
            requires_auth: self.requires_auth,
            required_permissions: json(
                Some(self.required_permissions.clone()),
                "required_permissions",
            )?
            .unwrap_or_default(),
            rate_limit: self.rate_limit,
            timeout_ms: self.timeout_ms,
        })
    }

    pub fn view(&self) -> Result<EndpointView, AppError> {
        Ok(EndpointView {
            id: self.id,
            service_id: self.service_id,
            spec: self.spec()?,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(AsChangeset, Insertable)]
#[diesel(table_name = service_endpoints, treat_none_as_null = true)]
pub struct EndpointColumns {
    pub name: String,
    pub display_name: String,
    pub description: Option<String>,
    pub method: String,
    pub path: String,
    pub request_schema: Option<Value>,
    pub response_schema: Option<Value>,
    pub requires_auth: bool,
    pub required_permissions: Value,
    pub rate_limit: i32,
    pub timeout_ms: i32,
}

impl EndpointColumns {
    pub fn of(spec: &EndpointSpec) -> Result<Self, AppError> {
        Ok(Self {
            name: spec.name.clone(),
            display_name: spec.display_name.clone(),
            description: spec.description.clone(),
            method: spec.method.as_str().into(),
            path: spec.path.clone(),
            request_schema: spec
                .request_schema
                .as_ref()
                .map(serde_json::to_value)
                .transpose()?,
            response_schema: spec.response_schema.clone(),
            requires_auth: spec.requires_auth,
            required_permissions: serde_json::to_value(&spec.required_permissions)?,
            rate_limit: spec.rate_limit,
            timeout_ms: spec.timeout_ms,
        })
    }
}

pub async fn endpoints_of(
    conn: &mut AsyncPgConnection,
    service_ids: &[Uuid],
) -> QueryResult<Vec<EndpointRow>> {
    service_endpoints::table
        .filter(service_endpoints::service_id.eq_any(service_ids))
        .order((
            service_endpoints::path.asc(),
            service_endpoints::method.asc(),
        ))
        .select(EndpointRow::as_select())
        .load(conn)
        .await
}

pub async fn find_endpoint(
    conn: &mut AsyncPgConnection,
    service_id: Uuid,
    id: Uuid,
) -> QueryResult<Option<EndpointRow>> {
    service_endpoints::table
        .filter(service_endpoints::service_id.eq(service_id))
        .filter(service_endpoints::id.eq(id))
        .select(EndpointRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Whether another endpoint of the service has this method and path.
pub async fn route_taken(
    conn: &mut AsyncPgConnection,
    service_id: Uuid,
    method: &str,
    path: &str,
    except: Option<Uuid>,
) -> QueryResult<bool> {
    let mut q = service_endpoints::table
        .filter(service_endpoints::service_id.eq(service_id))
        .filter(service_endpoints::method.eq(method))
        .filter(service_endpoints::path.eq(path))
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(service_endpoints::id.ne(id));
    }
    diesel::select(diesel::dsl::exists(q.select(service_endpoints::id)))
        .get_result(conn)
        .await
}

pub async fn insert_endpoint(
    conn: &mut AsyncPgConnection,
    service_id: Uuid,
    columns: EndpointColumns,
) -> QueryResult<EndpointRow> {
    diesel::insert_into(service_endpoints::table)
        .values((service_endpoints::service_id.eq(service_id), columns))
        .returning(EndpointRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn update_endpoint(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    columns: EndpointColumns,
) -> QueryResult<EndpointRow> {
    diesel::update(service_endpoints::table.find(id))
        .set(columns)
        .returning(EndpointRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn delete_endpoint(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    let n = diesel::delete(service_endpoints::table.find(id))
        .execute(conn)
        .await?;
    Ok(n == 1)
}

// ---- assignments ----

type AssignmentTuple = (
    Uuid,
    String,
    String,
    Uuid,
    String,
    String,
    String,
    Value,
    Option<Value>,
    Option<Uuid>,
    DateTime<Utc>,
    DateTime<Utc>,
);

fn assignment_view(t: AssignmentTuple) -> Result<AssignmentView, AppError> {
    Ok(AssignmentView {
        tenant_id: t.0,
        tenant_name: t.1,
        tenant_domain: t.2,
        service_id: t.3,
        service_name: t.4,
        service_display_name: t.5,
        status: AssignmentStatus::parse(&t.6).ok_or_else(|| corrupt("assignment status"))?,
        custom_settings: t.7,
        custom_menu_config: t.8,
        assigned_by: t.9,
        assigned_at: t.10,
        updated_at: t.11,
    })
}

/// Assignments of one service (every tenant), or of one tenant (every service); the tenant
/// is also filtered in SQL, besides row-level security.
pub async fn assignments(
    conn: &mut AsyncPgConnection,
    service_id: Option<Uuid>,
    tenant_id: Option<Uuid>,
) -> Result<Vec<AssignmentView>, AppError> {
    let mut q = tenant_service_assignments::table
        .inner_join(tenants::table.on(tenants::id.eq(tenant_service_assignments::tenant_id)))
        .inner_join(services::table.on(services::id.eq(tenant_service_assignments::service_id)))
        .into_boxed();
    if let Some(s) = service_id {
        q = q.filter(tenant_service_assignments::service_id.eq(s));
    }
    if let Some(t) = tenant_id {
        q = q.filter(tenant_service_assignments::tenant_id.eq(t));
    }
    let rows: Vec<AssignmentTuple> = q
        .order((tenants::name.asc(), services::display_name.asc()))
        .select((
            tenant_service_assignments::tenant_id,
            tenants::name,
            tenants::domain,
            tenant_service_assignments::service_id,
            services::name,
            services::display_name,
            tenant_service_assignments::status,
            tenant_service_assignments::custom_settings,
            tenant_service_assignments::custom_menu_config,
            tenant_service_assignments::assigned_by,
            tenant_service_assignments::assigned_at,
            tenant_service_assignments::updated_at,
        ))
        .load(conn)
        .await?;
    rows.into_iter().map(assignment_view).collect()
}

pub struct AssignmentColumns {
    pub status: AssignmentStatus,
    pub custom_settings: Value,
    pub custom_menu_config: Option<Value>,
}

/// Creates or updates the tenant's assignment of the service; answers whether it was new.
pub async fn upsert_assignment(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    service_id: Uuid,
    columns: AssignmentColumns,
    by: Uuid,
) -> QueryResult<bool> {
    let updated = diesel::update(
        tenant_service_assignments::table
            .filter(tenant_service_assignments::tenant_id.eq(tenant_id))
            .filter(tenant_service_assignments::service_id.eq(service_id)),
    )
    .set((
        tenant_service_assignments::status.eq(columns.status.as_str()),
        tenant_service_assignments::custom_settings.eq(&columns.custom_settings),
        tenant_service_assignments::custom_menu_config.eq(&columns.custom_menu_config),
    ))
    .execute(conn)
    .await?;
    if updated > 0 {
        return Ok(false);
    }
    diesel::insert_into(tenant_service_assignments::table)
        .values((
            tenant_service_assignments::tenant_id.eq(tenant_id),
            tenant_service_assignments::service_id.eq(service_id),
            tenant_service_assignments::status.eq(columns.status.as_str()),
            tenant_service_assignments::custom_settings.eq(&columns.custom_settings),
            tenant_service_assignments::custom_menu_config.eq(&columns.custom_menu_config),
            tenant_service_assignments::assigned_by.eq(by),
        ))
        .execute(conn)
        .await?;
    Ok(true)
}

pub async fn delete_assignment(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    service_id: Uuid,
) -> QueryResult<bool> {
    let n = diesel::delete(
        tenant_service_assignments::table
            .filter(tenant_service_assignments::tenant_id.eq(tenant_id))
            .filter(tenant_service_assignments::service_id.eq(service_id)),
    )
    .execute(conn)
    .await?;
    Ok(n == 1)
}

/// What the visibility rules need of a service (no schemas: this runs on every sign-in).
#[derive(Debug, Clone, Queryable)]
pub struct Candidate {
    pub id: Uuid,
    pub name: String,
    pub display_name: String,
    pub service_type: String,
    pub status: String,
    pub visibility: String,
    pub category: Option<String>,
    /// The tenant's assignment status, where it has one.
    pub assignment: Option<String>,
}

/// Every service that is not INACTIVE, with the tenant's assignment status where it has
/// one: the input of the visibility rules (`Usage`).
pub async fn candidates_for_tenant(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
) -> QueryResult<Vec<Candidate>> {
    services::table
        .left_join(
            tenant_service_assignments::table.on(tenant_service_assignments::service_id
                .eq(services::id)
                .and(tenant_service_assignments::tenant_id.eq(tenant_id))),
        )
        .filter(services::status.ne(ServiceStatus::Inactive.as_str()))
        .order((services::display_name.asc(), services::id.asc()))
        .select((
            services::id,
            services::name,
            services::display_name,
            services::service_type,
            services::status,
            services::visibility,
            services::category,
            tenant_service_assignments::status.nullable(),
        ))
        .load(conn)
        .await
}
