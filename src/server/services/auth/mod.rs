//! Authentication use cases, by concern: `login` (credentials, opening and switching
//! sessions), `tokens` (API token pairs and refresh) and `session` (resolving a session into an
//! `Actor` on every request, the signed-in view, logout).

mod login;
mod session;
mod tokens;

pub use login::{login, switch_tenant, LoggedIn, SessionKind};
pub use session::{accessible_services, logout, resolve_actor, session_view, tenants_for};
pub use tokens::{refresh, TokenPair};
