//! Queries on the service registry (`services`, `service_endpoints`, assignments).

use crate::domain::tenant::Status;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{service_endpoints, services, tenant_service_assignments};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = services, check_for_backend(diesel::pg::Pg))]
pub struct ServiceSummary {
    pub id: Uuid,
    pub name: String,
    pub display_name: String,
    pub service_type: String,
}

/// Active services a tenant may use: PUBLIC ones, and those actively assigned to it.
pub async fn accessible_for_tenant(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
) -> QueryResult<Vec<(ServiceSummary, Vec<String>)>> {
    let assigned = tenant_service_assignments::table
        .filter(tenant_service_assignments::tenant_id.eq(tenant_id))
        .filter(tenant_service_assignments::status.eq(Status::Active.as_str()))
        .select(tenant_service_assignments::service_id);
    let found: Vec<ServiceSummary> = services::table
        .filter(services::status.eq(Status::Active.as_str()))
        .filter(
            services::visibility
                .eq("PUBLIC")
                .or(services::id.eq_any(assigned)),
        )
        .order(services::display_name.asc())
        .select(ServiceSummary::as_select())
        .load(conn)
        .await?;
    let ids: Vec<Uuid> = found.iter().map(|s| s.id).collect();
    let endpoints: Vec<(Uuid, String)> = service_endpoints::table
        .filter(service_endpoints::service_id.eq_any(&ids))
        .order(service_endpoints::name.asc())
        .select((service_endpoints::service_id, service_endpoints::name))
        .load(conn)
        .await?;
    Ok(found
        .into_iter()
        .map(|s| {
            let names = endpoints
                .iter()
                .filter(|(id, _)| *id == s.id)
                .map(|(_, name)| name.clone())
                .collect();
            (s, names)
        })
        .collect())
}
