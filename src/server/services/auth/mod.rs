//! Authentication use cases, by concern: `login` (credentials, opening and switching
//! sessions), `tokens` (API token pairs and refresh) and `session` (resolving a session into an
//! `Actor` on every request, the signed-in view, logout), `two_factor` (the account's
//! authenticator app and recovery codes) and `challenge` (a login waiting for its code).

mod challenge;
mod login;
mod session;
mod tokens;
pub mod two_factor;

pub use login::{
    challenge_setup, login, switch_tenant, verify, LoggedIn, SessionKind, SignedIn, Verified,
};
pub use session::{accessible_services, logout, resolve_actor, session_view, tenants_for};
pub use tokens::{refresh, TokenPair};
