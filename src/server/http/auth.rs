//! `/api/v1/auth/*`: login, refresh, logout and the current user, for API clients.

use crate::server::http::openapi::Success;
use axum::{
    extract::State,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};

use uuid::Uuid;

use crate::domain::login::{Refresh, SignIn, SwitchTenant};
use crate::domain::two_factor::{LoginChallenge, VerifyLogin};
use crate::{
    domain::{
        account::{
            AccessibleService, SessionView, SwitchedUser, TenantAccess, TenantRef, UserView,
        },
        error::AppError,
        login::LoginInput,
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        http::error::{ApiJson, ApiQuery, ApiResult, Envelope},
        services::auth::{self, SessionKind, SignedIn, TokenPair},
        state::AppState,
    },
};

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    user: UserView,
    tenants: Vec<TenantAccess>,
    accessible_services: Vec<AccessibleService>,
    tokens: TokenPair,
    /// Only after a sign-in that set up the second factor: its recovery codes, shown once.
    #[serde(skip_serializing_if = "Option::is_none")]
    recovery_codes: Option<Vec<String>>,
}

impl LoginResponse {
    fn of(
        logged_in: auth::LoggedIn,
        recovery_codes: Option<Vec<String>>,
    ) -> Result<Self, AppError> {
        Ok(Self {
            user: logged_in.view.user,
            tenants: logged_in.view.tenants,
            accessible_services: logged_in.view.accessible_services,
            tokens: logged_in.tokens.ok_or(AppError::Internal)?,
            recovery_codes,
        })
    }
}

/// A sign-in's answer: the session, or (when a second factor is required) the challenge to
/// answer with a code at `POST /auth/login/verify`.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum LoginAnswer {
    Session(Box<LoginResponse>),
    SecondFactor(ChallengeAnswer),
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ChallengeAnswer {
    challenge: LoginChallenge,
}

/// Signs in with an e-mail address and password, into the home tenant or the one `tenantSlug`
/// names, and answers the user, their tenants and services, and a token pair; or, for an
/// account with a second factor (or an administrator of a tenant that requires one), a
/// `challenge` to answer with a code at `POST /auth/login/verify`.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    operation_id = "login", request_body = SignIn,
    security(()),
    responses((status = 200, description = "Success", body = Success<LoginAnswer>), (status = 401, description = "Wrong e-mail address or password"), (status = 429, description = "Throttled"))
)]
pub async fn login(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<SignIn>,
) -> ApiResult<LoginAnswer> {
    // No permission to check: the credentials are the input.
    let body = body?;
    let input = LoginInput::parse(&body.email, body.password, body.tenant_slug.as_deref())?;
    Ok(Envelope(
        match auth::login(&state, input, SessionKind::Api, &client).await? {
            SignedIn::Opened(logged_in) => {
                LoginAnswer::Session(Box::new(LoginResponse::of(*logged_in, None)?))
            }
            SignedIn::SecondFactor(challenge) => {
                LoginAnswer::SecondFactor(ChallengeAnswer { challenge })
            }
        },
    ))
}

/// A sign-in's second step: the code from the authenticator app (or a recovery code) for the
/// challenge the password answered. Answers the session as `login` does; a sign-in that set
/// up the second factor also answers its recovery codes.
#[utoipa::path(
    post,
    path = "/auth/login/verify",
    tag = "auth",
    operation_id = "verifyLogin", request_body = VerifyLogin,
    security(()),
    responses((status = 200, description = "Success", body = Success<LoginResponse>), (status = 401, description = "Wrong code, or the sign-in expired"), (status = 429, description = "Throttled"))
)]
pub async fn verify(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<VerifyLogin>,
) -> ApiResult<LoginResponse> {
    // No permission to check: the challenge and the code are the input.
    let verified = auth::verify(&state, body, &client).await?;
    let codes = verified.recovery_codes.map(|c| c.recovery_codes);
    Ok(Envelope(LoginResponse::of(verified.logged_in, codes)?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RefreshResponse {
    tokens: TokenPair,
}

/// Exchanges a refresh token for a new token pair; the refresh token is spent.
#[utoipa::path(
    post,
    path = "/auth/refresh",
    tag = "auth",
    operation_id = "refreshTokens", request_body = Refresh,
    security(()),
    responses((status = 200, description = "Success", body = Success<RefreshResponse>), (status = 401, description = "Not signed in"), (status = 429, description = "Throttled"))
)]
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

#[derive(Serialize, utoipa::ToSchema)]
pub struct LogoutResponse {
    #[serde(rename = "loggedOut")]
    logged_out: bool,
}

/// Ends the session the access token belongs to, with its refresh token.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    operation_id = "logout",
    responses((status = 200, description = "Success", body = Success<LogoutResponse>))
)]
pub async fn logout(
    State(state): State<AppState>,
    actor: Actor,
    client: ClientInfo,
) -> ApiResult<LogoutResponse> {
    auth::logout(&state, &actor, &client).await?;
    Ok(Envelope(LogoutResponse { logged_out: true }))
}

/// The signed-in user, their current tenant, the tenants they reach and the services they may
/// use.
#[utoipa::path(
    get,
    path = "/auth/me",
    tag = "auth",
    operation_id = "currentSession",
    responses((status = 200, description = "Success", body = Success<SessionView>))
)]
pub async fn me(State(state): State<AppState>, actor: Actor) -> Result<Response, AppError> {
    let view = auth::session_view(&state, &actor).await?;
    Ok(Envelope(&*view).into_response())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SwitchTenantResponse {
    user: SwitchedUser,
    tokens: TokenPair,
}

/// Continues the session in another tenant the account has access to, with new tokens.
#[utoipa::path(
    post,
    path = "/auth/switch-tenant",
    tag = "auth",
    operation_id = "switchTenant", request_body = SwitchTenant,
    responses((status = 200, description = "Success", body = Success<SwitchTenantResponse>), (status = 404, description = "The account has no access to that tenant"))
)]
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

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", default)]
pub struct TenantSearch {
    /// Part of a tenant's name or domain.
    search: Option<String>,
}

/// Tenants the caller reaches, searched by name or domain (a platform admin reaches every
/// tenant).
#[utoipa::path(
    get,
    path = "/auth/tenants",
    tag = "auth",
    operation_id = "searchTenants",
    params(TenantSearch),
    responses((status = 200, description = "Success", body = Success<Vec<TenantAccess>>))
)]
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

/// `/auth/*`: signing in and out, tokens, the current session.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(verify))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(tenants))
        .routes(routes!(switch_tenant))
}
