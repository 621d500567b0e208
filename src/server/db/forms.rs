//! Queries of the forms: a service's form versions, and the submissions kept for internal
//! services without a handler of their own.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

use super::schema::{form_submissions, form_versions, services};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = form_versions, check_for_backend(diesel::pg::Pg))]
pub struct VersionRow {
    pub version: i32,
    pub schema: Value,
    pub note: Option<String>,
    pub author_name: String,
    pub restored_from: Option<i32>,
    pub created_at: DateTime<Utc>,
}

/// Who saves a version, and why.
pub struct NewVersion<'a> {
    pub schema: &'a Value,
    pub note: Option<&'a str>,
    pub author_id: Option<Uuid>,
    pub author_name: &'a str,
    pub restored_from: Option<i32>,
}

/// Puts `schema` on the service as its next form version, if the service's current version
/// is still `base`; the new version, or `None` when another save came first.
pub async fn save_version(
    conn: &mut AsyncPgConnection,
    service_id: Uuid,
    base: i32,
    new: NewVersion<'_>,
) -> QueryResult<Option<i32>> {
    let bumped: Option<i32> = diesel::update(
        services::table
            .filter(services::id.eq(service_id))
            .filter(services::form_version.eq(base)),
    )
    .set((
        services::form_schema.eq(new.schema),
        services::form_version.eq(services::form_version + 1),
    ))
    .returning(services::form_version)
    .get_result(conn)
    .await
    .optional()?;
    let Some(version) = bumped else {
        return Ok(None);
    };
    diesel::insert_into(form_versions::table)
        .values((
            form_versions::service_id.eq(service_id),
            form_versions::version.eq(version),
            form_versions::schema.eq(new.schema),
            form_versions::note.eq(new.note),
            form_versions::author_id.eq(new.author_id),
            form_versions::author_name.eq(new.author_name),
            form_versions::restored_from.eq(new.restored_from),
        ))
        .execute(conn)
        .await?;
    Ok(Some(version))
}

/// A service's form versions, newest first.
pub async fn versions(
    conn: &mut AsyncPgConnection,
    service_id: Uuid,
    limit: i64,
) -> QueryResult<Vec<VersionRow>> {
    form_versions::table
        .filter(form_versions::service_id.eq(service_id))
        .select(VersionRow::as_select())
        .order(form_versions::version.desc())
        .limit(limit)
        .load(conn)
        .await
}

pub async fn version(
    conn: &mut AsyncPgConnection,
    service_id: Uuid,
    version: i32,
) -> QueryResult<Option<VersionRow>> {
    form_versions::table
        .find((service_id, version))
        .select(VersionRow::as_select())
        .first(conn)
        .await
        .optional()
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = form_submissions, check_for_backend(diesel::pg::Pg))]
pub struct SubmissionRow {
    pub id: Uuid,
    pub form_version: i32,
    pub values: Value,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_submission(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    service_id: Uuid,
    form_version: i32,
    values: &Value,
    submitted_by: Uuid,
) -> QueryResult<Uuid> {
    diesel::insert_into(form_submissions::table)
        .values((
            form_submissions::tenant_id.eq(tenant_id),
            form_submissions::service_id.eq(service_id),
            form_submissions::form_version.eq(form_version),
            form_submissions::values.eq(values),
            form_submissions::submitted_by.eq(submitted_by),
        ))
        .returning(form_submissions::id)
        .get_result(conn)
        .await
}

/// A user's own latest submissions to a service in a tenant.
pub async fn submissions_of(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    service_id: Uuid,
    user_id: Uuid,
    limit: i64,
) -> QueryResult<Vec<SubmissionRow>> {
    form_submissions::table
        .filter(form_submissions::tenant_id.eq(tenant_id))
        .filter(form_submissions::service_id.eq(service_id))
        .filter(form_submissions::submitted_by.eq(user_id))
        .select(SubmissionRow::as_select())
        .order(form_submissions::created_at.desc())
        .limit(limit)
        .load(conn)
        .await
}
