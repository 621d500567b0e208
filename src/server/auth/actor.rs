//! The acting user: who, in which tenant, through which session, holding which permissions.
//! Every service function takes one and decides authorization itself.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{header, request::Parts},
};
use uuid::Uuid;

use crate::{
    domain::{
        error::AppError,
        id::{TenantId, UserId},
        permission::{Permission, PermissionSet},
    },
    server::{db::scope::Scope, services::auth as auth_service, state::AppState},
};

#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub user_id: Uuid,
    pub session_id: Uuid,
    /// Always the session's tenant: never taken from a request body, header or query.
    pub tenant_id: Uuid,
    pub role: String,
    /// The role's id: a change to that role's permissions drops the cached actors holding it.
    pub role_id: Uuid,
    pub permissions: PermissionSet,
    /// Platform authority: derived once, from the grant (the system SUPER_ADMIN role held in
    /// the CORE tenant), never from a role name alone. A SUPER_ADMIN role granted inside a
    /// business tenant gives every permission there, but no platform powers.
    pub is_super_admin: bool,
}

impl Actor {
    pub fn user(&self) -> UserId {
        UserId(self.user_id)
    }

    /// The tenant the actor is working in.
    pub fn tenant(&self) -> TenantId {
        TenantId(self.tenant_id)
    }

    /// The database scope of this actor's requests: their tenant, and themselves.
    pub fn scope(&self) -> Scope {
        Scope::member(self.user(), self.tenant())
    }

    /// `Forbidden` unless the actor holds a permission covering `required`.
    pub fn require(&self, required: &Permission) -> Result<(), AppError> {
        if self.permissions.covers(required) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Whether the actor holds every one of `permissions`: nobody grants, edits or acts on a
    /// role or member that carries a permission they do not hold.
    pub fn holds_all(&self, permissions: &PermissionSet) -> bool {
        permissions.iter().all(|p| self.permissions.covers(p))
    }

    /// For work across tenants (tenant administration, every account, the whole audit log):
    /// the permission, held with platform authority.
    pub fn require_platform(&self, required: &Permission) -> Result<(), AppError> {
        if self.is_super_admin {
            self.require(required)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// Where a request came from, for the audit log, the session row and brute-force limits.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    /// The client's address is the peer's, unless the peer is a trusted proxy
    /// (`inti.trusted_proxies`): then it is the nearest address in `X-Forwarded-For` that is
    /// not a trusted proxy itself. Behind a proxy that is not configured, every request would
    /// seem to come from the proxy, and one address's brute-force lock would lock everyone.
    pub fn from_parts(parts: &Parts, trusted_proxies: &[IpAddr]) -> Self {
        // Canonical: on a dual-stack listener an IPv4 peer arrives as `::ffff:a.b.c.d`.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_canonical());
        let ip = match peer {
            Some(p) if trusted_proxies.contains(&p) => {
                Some(forwarded_client(&parts.headers, trusted_proxies).unwrap_or(p))
            }
            other => other,
        };
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(512).collect());
        Self {
            ip: ip.map(|ip| ip.to_string()),
            user_agent,
        }
    }
}

/// The rightmost `X-Forwarded-For` address that is not a trusted proxy (addresses further
/// left are whatever the client claimed).
fn forwarded_client(headers: &axum::http::HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map_while(parse_forwarded)
        .find(|ip| !trusted.contains(ip))
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`a.b.c.d:p`, `[v6]:p`).
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    let ip = entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))?;
    Some(ip.to_canonical())
}

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::from_parts(parts, &state.settings.trusted_proxies))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_is_the_nearest_untrusted_forwarded_address() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "6.6.6.6, 203.0.113.7, 10.0.0.1".parse().unwrap(),
        );
        assert_eq!(
            forwarded_client(&headers, &[proxy]),
            Some("203.0.113.7".parse().unwrap())
        );
        headers.insert(
            "x-forwarded-for",
            "garbage, 198.51.100.2:4711".parse().unwrap(),
        );
        assert_eq!(
            forwarded_client(&headers, &[proxy]),
            Some("198.51.100.2".parse().unwrap())
        );
    }
}
