//! Conversions from infrastructure errors into `AppError`. The cause is logged here, once,
//! and never reaches the client.

use crate::domain::error::AppError;

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        tracing::error!(error = %e, "database query failed");
        AppError::Internal
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for AppError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        tracing::error!(error = %e, "no database connection available");
        AppError::Unavailable
    }
}

impl From<deadpool_redis::PoolError> for AppError {
    fn from(e: deadpool_redis::PoolError) -> Self {
        tracing::error!(error = %e, "no redis connection available");
        AppError::Unavailable
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        tracing::error!(error = %e, "background task failed");
        AppError::Internal
    }
}
