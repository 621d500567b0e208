//! Authentication building blocks: password hashing, access tokens, refresh tokens, the
//! browser session store, and the `Actor` every service call receives.

pub mod access_cache;
pub mod actor;
pub mod jwt;
pub mod password;
pub mod refresh_token;
pub mod session_store;
pub mod throttle;
pub mod totp;
pub mod web_session;
