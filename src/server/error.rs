//! Conversions from infrastructure errors into `AppError`. The cause is logged here, once,
//! and never reaches the client.

use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error as DieselError};

use crate::domain::error::AppError;

/// Unique constraints, the input field each one protects, and what to tell the client. A race
/// between two creates gets the same answer as a sequential duplicate.
const UNIQUE_FIELDS: &[(&str, &str, &str)] = &[
    (
        "menu_layouts_version_unique",
        "baseVersion",
        "Someone saved this layout at the same moment; reload to see their changes",
    ),
    (
        "tenants_domain_key",
        "domain",
        "This domain is already taken",
    ),
    (
        "users_email_key",
        "email",
        "An account with this email already exists",
    ),
    (
        "roles_tenant_id_name_key",
        "name",
        "A role with this name already exists",
    ),
    (
        "unique_user_tenant",
        "email",
        "This user is already a member of this tenant",
    ),
    (
        "services_name_key",
        "name",
        "A service with this name already exists",
    ),
    (
        "unique_service_endpoint",
        "path",
        "This service already has an endpoint with this method and path",
    ),
    (
        "unique_tenant_service",
        "serviceId",
        "This service is already assigned to this tenant",
    ),
];

impl From<DieselError> for AppError {
    fn from(e: DieselError) -> Self {
        if lost_connection(&e) {
            // PostgreSQL restarting or unreachable: the client may retry (503), nothing broke.
            tracing::error!(error = %e, "database connection lost");
            return AppError::Unavailable;
        }
        match &e {
            DieselError::DatabaseError(kind, info) => match from_constraint(kind, info.as_ref()) {
                Some(mapped) => {
                    tracing::info!(error = %e, "database constraint refused a write");
                    mapped
                }
                None => {
                    tracing::error!(error = %e, "database query failed");
                    AppError::Internal
                }
            },
            _ => {
                tracing::error!(error = %e, "database query failed");
                AppError::Internal
            }
        }
    }
}

/// Whether the query failed because its connection went away (a server restart or
/// shutdown: SQLSTATE class 57, a closed socket) rather than because of the query.
fn lost_connection(e: &DieselError) -> bool {
    match e {
        DieselError::BrokenTransactionManager => true,
        DieselError::DatabaseError(kind, info) => {
            matches!(
                kind,
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand
            ) || {
                let message = info.message();
                message.starts_with("terminating connection")
                    || message.starts_with("the database system is")
                    || message == "connection closed"
            }
        }
        _ => false,
    }
}

/// Unique violations are 409 and foreign-key or check violations 422, naming the field.
fn from_constraint(
    kind: &DatabaseErrorKind,
    info: &(dyn DatabaseErrorInformation + Send + Sync),
) -> Option<AppError> {
    let constraint = info.constraint_name().unwrap_or_default();
    match kind {
        DatabaseErrorKind::UniqueViolation => {
            let (field, message) = UNIQUE_FIELDS
                .iter()
                .find(|(name, ..)| *name == constraint)
                .map_or(
                    ("request", "This conflicts with an existing record"),
                    |(_, f, m)| (*f, *m),
                );
            Some(AppError::conflict(field, message))
        }
        DatabaseErrorKind::ForeignKeyViolation => Some(AppError::validation(
            constraint_field(info, constraint, "_fkey"),
            "This refers to something that does not exist",
        )),
        DatabaseErrorKind::CheckViolation | DatabaseErrorKind::NotNullViolation => {
            Some(AppError::validation(
                constraint_field(info, constraint, "_check"),
                "This value is not allowed",
            ))
        }
        _ => None,
    }
}

/// PostgreSQL names constraints `<table>_<column>_<suffix>`; the column, in the API's
/// camelCase, is the field.
fn constraint_field(
    info: &(dyn DatabaseErrorInformation + Send + Sync),
    constraint: &str,
    suffix: &str,
) -> String {
    let column = info.column_name().map(str::to_string).or_else(|| {
        let table = info.table_name()?;
        constraint
            .strip_prefix(table)?
            .strip_prefix('_')?
            .strip_suffix(suffix)
            .map(str::to_string)
    });
    match column {
        Some(column) => camel_case(&column),
        None => "request".to_string(),
    }
}

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for AppError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        tracing::error!(error = %e, "no database connection available");
        AppError::Unavailable
    }
}

impl From<deadpool_redis::PoolError> for AppError {
    fn from(e: deadpool_redis::PoolError) -> Self {
        crate::server::metrics::redis_error();
        tracing::error!(error = %e, "no redis connection available");
        AppError::Unavailable
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        tracing::error!(error = %e, "JSON conversion failed");
        AppError::Internal
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        tracing::error!(error = %e, "background task failed");
        AppError::Internal
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_become_camel_case_fields() {
        assert_eq!(super::camel_case("home_tenant_id"), "homeTenantId");
        assert_eq!(super::camel_case("domain"), "domain");
    }

    #[test]
    fn a_lost_connection_is_unavailable_not_internal() {
        use super::*;
        let error =
            |kind, message: &str| DieselError::DatabaseError(kind, Box::new(message.to_string()));
        let restart = error(
            DatabaseErrorKind::Unknown,
            "terminating connection due to administrator command",
        );
        assert!(matches!(AppError::from(restart), AppError::Unavailable));
        let closed = error(
            DatabaseErrorKind::ClosedConnection,
            "server closed the connection",
        );
        assert!(matches!(AppError::from(closed), AppError::Unavailable));
        let bad = error(DatabaseErrorKind::Unknown, "division by zero");
        assert!(matches!(AppError::from(bad), AppError::Internal));
    }
}
