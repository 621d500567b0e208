//! `/api/v1/auth/*`: login, refresh, logout and the current user, for API clients.

use axum::{
    extract::State,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};

use uuid::Uuid;

use crate::domain::login::{Refresh, SignIn, SwitchTenant};
use crate::{
    domain::{
        account::{AccessibleService, SwitchedUser, TenantAccess, TenantRef, UserView},
        error::AppError,
        login::LoginInput,
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiQuery, ApiResult, Envelope},
        services::auth::{self, SessionKind, TokenPair},
        state::AppState,
    },
};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    user: UserView,
    tenants: Vec<TenantAccess>,
    accessible_services: Vec<AccessibleService>,
    tokens: TokenPair,
}

pub async fn login(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<SignIn>,
) -> ApiResult<LoginResponse> {
    // No permission to check: the credentials are the input.
    let body = body?;
    let input = LoginInput::parse(&body.email, body.password, body.tenant_slug.as_deref())?;
    let logged_in = auth::login(&state, input, SessionKind::Api, &client).await?;
    Ok(Envelope(LoginResponse {
        user: logged_in.view.user,
        tenants: logged_in.view.tenants,
        accessible_services: logged_in.view.accessible_services,
        tokens: logged_in.tokens.ok_or(AppError::Internal)?,
    }))
}

#[derive(Serialize)]
pub struct RefreshResponse {
    tokens: TokenPair,
}

pub async fn refresh(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<Refresh>,
) -> ApiResult<RefreshResponse> {
    // No permission to check: the refresh token is the input.
    let body = body?;
    let tokens = auth::refresh(&state, &body.refresh_token, &client).await?;
    Ok(Envelope(RefreshResponse { tokens }))
}

#[derive(Serialize)]
pub struct LogoutResponse {
    #[serde(rename = "loggedOut")]
    logged_out: bool,
}

pub async fn logout(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
) -> ApiResult<LogoutResponse> {
    auth::logout(&state, &actor, &client).await?;
    Ok(Envelope(LogoutResponse { logged_out: true }))
}

/// `user`, `currentTenant`, `tenants`, `accessibleServices`: the session view as cached,
/// serialized without a copy.
pub async fn me(State(state): State<AppState>, actor: Actor) -> Result<Response, AppError> {
    let view = auth::session_view(&state, &actor).await?;
    Ok(Envelope(&*view).into_response())
}

#[derive(Serialize)]
pub struct SwitchTenantResponse {
    user: SwitchedUser,
    tokens: TokenPair,
}

pub async fn switch_tenant(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
    ApiJson(body): ApiJson<SwitchTenant>,
) -> ApiResult<SwitchTenantResponse> {
    // Any signed-in user may ask; the service answers 404 for a tenant they do not reach.
    let body = body?;
    let tenant_id: Uuid = body
        .tenant_id
        .trim()
        .parse()
        .map_err(|_| AppError::validation("tenantId", "tenantId must be a tenant id (UUID)"))?;
    let switched =
        auth::switch_tenant(&state, &actor, tenant_id, SessionKind::Api, &client).await?;
    let tokens = switched.tokens.ok_or(AppError::Internal)?;
    let view = switched.view;
    let services = view.accessible_services.clone();
    Ok(Envelope(SwitchTenantResponse {
        user: SwitchedUser {
            id: view.user.id,
            current_tenant_id: view.current_tenant.id,
            current_tenant: TenantRef {
                id: view.current_tenant.id,
                name: view.current_tenant.name,
                domain: view.current_tenant.domain,
            },
            roles: view.user.roles,
            permissions: view.user.permissions,
            accessible_services: services,
        },
        tokens,
    }))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct TenantSearch {
    search: Option<String>,
}

/// `GET /api/v1/auth/tenants?search=`: tenants the caller reaches, searched by name or
/// domain (a platform admin reaches every tenant; `me` lists a bounded few).
pub async fn tenants(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<TenantSearch>,
) -> ApiResult<Vec<TenantAccess>> {
    let query = query?;
    Ok(Envelope(
        auth::tenants_for(&state, &actor, query.search).await?,
    ))
}
