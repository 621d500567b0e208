//! `/api/v1/auth/*`: login, refresh, logout and the current user, for API clients.

use axum::extract::State;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        account::{TenantAccess, UserView},
        error::AppError,
        login::LoginInput,
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiResult, Envelope},
        services::auth::{self, SessionKind, TokenPair},
        state::AppState,
    },
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[derive(Default)]
pub struct LoginRequest {
    email: String,
    password: String,
    tenant_slug: Option<String>,
}

#[derive(Serialize)]
pub struct LoginResponse {
    user: UserView,
    tenants: Vec<TenantAccess>,
    tokens: TokenPair,
}

pub async fn login(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<LoginResponse> {
    let input = LoginInput::parse(&body.email, body.password, body.tenant_slug.as_deref())?;
    let logged_in = auth::login(&state, input, SessionKind::Api, &client).await?;
    let tokens = auth::issue_tokens(&state, &logged_in.session).await?;
    Ok(Envelope(LoginResponse {
        user: logged_in.view.user,
        tenants: logged_in.view.tenants,
        tokens,
    }))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct RefreshRequest {
    refresh_token: String,
}

#[derive(Serialize)]
pub struct RefreshResponse {
    tokens: TokenPair,
}

pub async fn refresh(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> ApiResult<RefreshResponse> {
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeResponse {
    user: UserView,
    current_tenant: TenantAccess,
    tenants: Vec<TenantAccess>,
}

pub async fn me(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Envelope<MeResponse>, AppError> {
    let view = auth::session_view(&state, &actor).await?;
    Ok(Envelope(MeResponse {
        user: view.user,
        current_tenant: view.current_tenant,
        tenants: view.tenants,
    }))
}
