//! The acting user: who, in which tenant, through which session, holding which permissions.
//! Every service function takes one and decides authorization itself.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{header, request::Parts},
};
use uuid::Uuid;

use crate::{
    domain::{error::AppError, permission::PermissionSet},
    server::{db::scope::Scope, services::auth as auth_service, state::AppState},
};

#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub session_id: Uuid,
    /// Always the session's tenant: never taken from a request body, header or query.
    pub tenant_id: Uuid,
    pub role: String,
    pub permissions: PermissionSet,
    /// Platform authority: derived once, from the grant (the system SUPER_ADMIN role held in
    /// the CORE tenant), never from a role name alone. A SUPER_ADMIN role granted inside a
    /// business tenant gives every permission there, but no platform powers.
    pub is_super_admin: bool,
}

impl Actor {
    /// The database scope of this actor's requests: their tenant, and themselves.
    pub fn scope(&self) -> Scope {
        Scope::member(self.user_id, self.tenant_id)
    }

    /// `Forbidden` unless the actor holds a permission covering `required`.
    pub fn require(&self, required: &str) -> Result<(), AppError> {
        if self.permissions.allows(required) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// For work across tenants (tenant administration, every account, the whole audit log):
    /// the permission, held with platform authority.
    pub fn require_platform(&self, required: &str) -> Result<(), AppError> {
        if self.is_super_admin {
            self.require(required)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// Where a request came from, for the audit log and the session row.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    pub fn from_parts(parts: &Parts) -> Self {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string());
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(512).collect());
        Self { ip, user_agent }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::from_parts(parts))
    }
}

/// REST clients authenticate with `Authorization: Bearer <access token>` only; cookies are
/// ignored on the JSON API so that it is not exposed to cross-site request forgery.
impl FromRequestParts<AppState> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer_token(parts).ok_or(AppError::Unauthenticated)?;
        let claims = state.jwt.verify(token)?;
        let actor = auth_service::resolve_actor(state, claims.sid).await?;
        if actor.user_id != claims.sub || actor.tenant_id != claims.tid {
            return Err(AppError::Unauthenticated);
        }
        Ok(actor)
    }
}

fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}
