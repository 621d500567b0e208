//! Connecting to PostgreSQL and Redis at start-up, failing with one clear line.

use crate::server::{
    config::{ConfigError, Settings},
    db::{self, DbSetupError},
    http::health::ping_redis,
    redis_pool::RedisPool,
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Database(#[from] DbSetupError),
    #[error("cannot connect to Redis at {host}: {reason}")]
    Redis { host: String, reason: String },
    #[error("{0}")]
    Other(String),
}

/// The Redis pool (a server or a cluster), built without connecting.
pub fn redis_pool(settings: &Settings) -> Result<RedisPool, StartupError> {
    RedisPool::new(&settings.redis, settings.database.connect_timeout).map_err(|reason| {
        StartupError::Redis {
            host: settings.redis.host_label(),
            reason,
        }
    })
}

/// Builds the pools and proves both backends answer before serving anything.
pub async fn connect(settings: Settings) -> Result<AppState, StartupError> {
    let db_host = settings.database.host_label();
    let db = db::build_pool(
        settings.database.url.expose(),
        settings.database.pool_size,
        settings.database.connect_timeout,
    )?;
    db::ping(&db)
        .await
        .map_err(|reason| DbSetupError::Connect {
            host: db_host.clone(),
            reason: reason.lines().next().unwrap_or_default().to_string(),
        })?;
    db::check_schema(&db, db_host).await?;
    let redis = redis_pool(&settings)?;
    ping_redis(&redis)
        .await
        .map_err(|reason| StartupError::Redis {
            host: settings.redis.host_label(),
            reason,
        })?;
    let url = settings.database.url.expose().to_string();
    let state = AppState::new(db, redis, settings);
    state.access.listen(url.clone());
    state.notifications.listen(url);
    crate::server::gateway::call_log::CallLog::start(&state);
    Ok(state)
}
