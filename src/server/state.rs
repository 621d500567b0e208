//! Shared application state, built once at start-up and cloned cheaply into every request.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::server::{
    auth::{access_cache::AccessCache, jwt::JwtKeys},
    config::Settings,
    db::DbPool,
    gateway::Gateway,
    keyring::Keyring,
    lifecycle::Lifecycle,
    notification_hub::NotificationHub,
    redis_pool::RedisPool,
};

/// Cloned into every request (extractors, middleware): one reference count, not one per
/// field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub db: DbPool,
    pub redis: RedisPool,
    pub settings: Arc<Settings>,
    pub jwt: Arc<JwtKeys>,
    /// Resolved sessions; caches nothing until `AccessCache::listen` runs.
    pub access: Arc<AccessCache>,
    /// Seals and opens secrets at rest.
    pub keyring: Arc<Keyring>,
    /// Outbound calls to external services, and their log.
    pub gateway: Arc<Gateway>,
    /// Draining after SIGTERM, and the background jobs that end before the process does.
    pub lifecycle: Arc<Lifecycle>,
    /// Wakes this node's notification streams; wakes nothing until `listen` runs.
    pub notifications: Arc<NotificationHub>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(db: DbPool, redis: RedisPool, settings: Settings) -> Self {
        let jwt = Arc::new(JwtKeys::new(&settings.auth));
        let keyring = Arc::new(Keyring::new(
            &settings.secrets.keys,
            &settings.secrets.active_key,
        ));
        let gateway = Arc::new(Gateway::new(&settings.gateway));
        Self(Arc::new(Shared {
            db,
            redis,
            settings: Arc::new(settings),
            jwt,
            access: Arc::default(),
            keyring,
            gateway,
            lifecycle: Arc::default(),
            notifications: Arc::default(),
        }))
    }

    /// For tests: the same database with another Redis (one that is down), and an access
    /// cache that never listens, so that this node caches nothing in memory.
    pub fn with_redis(&self, redis: RedisPool) -> Self {
        Self(Arc::new(Shared {
            db: self.db.clone(),
            redis,
            settings: self.settings.clone(),
            jwt: self.jwt.clone(),
            access: Arc::default(),
            keyring: self.keyring.clone(),
            gateway: self.gateway.clone(),
            lifecycle: self.lifecycle.clone(),
            notifications: self.notifications.clone(),
        }))
    }

    pub fn leptos_options(&self) -> &LeptosOptions {
        &self.settings.leptos
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.settings.leptos.clone()
    }
}
