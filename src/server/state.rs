//! Shared application state, built once at start-up and cloned cheaply into every request.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::server::{
    auth::{access_cache::AccessCache, jwt::JwtKeys},
    config::Settings,
    db::DbPool,
    keyring::Keyring,
};

#[derive(Clone)]
pub struct AppState {
    pub db: DbPool,
    pub redis: deadpool_redis::Pool,
    pub settings: Arc<Settings>,
    pub jwt: Arc<JwtKeys>,
    /// Resolved sessions; caches nothing until `AccessCache::listen` runs.
    pub access: Arc<AccessCache>,
    /// Seals and opens secrets at rest.
    pub keyring: Arc<Keyring>,
}

impl AppState {
    pub fn new(db: DbPool, redis: deadpool_redis::Pool, settings: Settings) -> Self {
        let jwt = Arc::new(JwtKeys::new(&settings.auth));
        let keyring = Arc::new(Keyring::new(
            &settings.secrets.keys,
            &settings.secrets.active_key,
        ));
        Self {
            db,
            redis,
            settings: Arc::new(settings),
            jwt,
            access: Arc::default(),
            keyring,
        }
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
