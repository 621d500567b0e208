//! The HTTP surface: probes, the JSON API under `/api/v1`, server functions and pages.

pub mod account;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod consistency;
pub mod dev_mailbox;
pub mod error;
pub mod gateway;
pub mod health;
pub mod input;
pub mod links;
pub mod menus;
pub mod request_span;
pub mod resilience;
pub mod roles;
pub mod security;
pub mod services;
pub mod tasks;
pub mod tenants;
pub mod users;

use std::sync::OnceLock;

use axum::{
    http::{header, HeaderValue},
    middleware,
    routing::{get, post},
    Router,
};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower::util::option_layer;
use tower_http::{
    catch_panic::CatchPanicLayer, compression::CompressionLayer, limit::RequestBodyLimitLayer,
    set_header::SetResponseHeaderLayer, trace::TraceLayer,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tracing::Span;

use crate::{
    app::{shell, App},
    server::{auth::session_store::RedisSessionStore, state::AppState},
};

/// Large enough for any form or service definition, small enough to refuse abuse.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// A browser session ends after this much inactivity (its absolute lifetime is `auth.session_ttl_secs`).
const SESSION_IDLE_HOURS: i64 = 12;

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::me))
        .route("/auth/tenants", get(auth::tenants))
        .route("/auth/switch-tenant", post(auth::switch_tenant))
        .route("/auth/password-reset", post(links::request_reset))
        .route("/auth/password-reset/confirm", post(links::confirm_reset))
        .route("/auth/link", post(links::inspect))
        .route("/auth/email/confirm", post(links::confirm_email))
        .route("/account/email", post(links::request_email_change))
        .route("/account", axum::routing::patch(account::update_profile))
        .route("/account/password", post(account::change_password))
        .route("/account/invitations", get(account::invitations))
        .route(
            "/account/invitations/{id}/accept",
            post(account::accept_invitation),
        )
        .route(
            "/account/invitations/{id}/decline",
            post(account::decline_invitation),
        )
        .route("/audit", get(audit::list))
        .route("/roles", get(roles::list).post(roles::create))
        .route(
            "/roles/{id}",
            axum::routing::patch(roles::update).delete(roles::delete),
        )
        .route("/users", get(users::list).post(users::create))
        .route("/users/invitations", get(users::invitations))
        .route(
            "/users/invitations/{id}",
            axum::routing::delete(users::revoke_invitation),
        )
        .route(
            "/users/{id}",
            get(users::get).patch(users::update).delete(users::remove),
        )
        .route("/core/users", get(users::list_all))
        .route(
            "/core/users/{id}",
            axum::routing::patch(users::set_account_status),
        )
        .route("/core/tenants", get(tenants::list).post(tenants::create))
        .route(
            "/core/tenants/{id}",
            get(tenants::get).patch(tenants::update),
        )
        .route(
            "/core/tenants/{id}/services",
            get(services::tenant_services),
        )
        .route("/core/services", get(services::list))
        .route("/core/services/register", post(services::register))
        .route("/core/services/import", post(services::import))
        .route(
            "/core/services/{id}",
            get(services::get)
                .patch(services::update)
                .delete(services::delete),
        )
        .route(
            "/core/services/{id}/endpoints",
            get(services::endpoints).post(services::create_endpoint),
        )
        .route(
            "/core/services/{id}/endpoints/{endpoint_id}",
            axum::routing::patch(services::update_endpoint).delete(services::delete_endpoint),
        )
        .route("/core/services/{id}/calls", get(services::calls))
        .route("/core/services/{id}/webhooks", get(services::deliveries))
        .route("/core/services/{id}/health", get(services::health))
        .route(
            "/core/services/{id}/tenants",
            get(services::service_tenants),
        )
        .route(
            "/core/services/{id}/tenants/{tenant_id}",
            axum::routing::put(services::assign).delete(services::unassign),
        )
        .route("/services", get(services::accessible))
        .route(
            "/gateway/{service}/{*path}",
            axum::routing::any(gateway::proxy),
        )
        .route("/webhooks/{service}", post(gateway::webhook))
        .route("/tasks", get(tasks::list).post(tasks::create))
        .route(
            "/tasks/{id}",
            get(tasks::get).patch(tasks::update).delete(tasks::delete),
        )
        .route(
            "/tasks/{id}/comments",
            get(tasks::comments).post(tasks::comment),
        )
        .route("/menus/user", get(menus::user))
        .route("/menus/explain", get(menus::explain))
        .route("/menus/layout", get(menus::layout).put(menus::save_layout))
        .route("/menus/layout/versions", get(menus::versions))
        .route("/menus/layout/revert", post(menus::revert))
        .route(
            "/core/menus/layout",
            get(menus::global_layout).put(menus::save_global_layout),
        )
        .route("/core/menus/layout/versions", get(menus::global_versions))
        .route("/core/menus/layout/revert", post(menus::revert_global))
        .fallback(error::not_found)
}

/// The pages' routes, listed once per process. Listing them renders the app with resource
/// loading switched off for the whole process (a global flag in Leptos): a page that started
/// loading a resource at that moment, on a router built earlier in the same process (another
/// test's, another node's), would wait on it forever.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let leptos_options = state.leptos_options().clone();
    let routes = page_routes();
    let secure = state.settings.auth.secure_cookies;
    let production = state.settings.mode == crate::server::config::Mode::Production;
    let metrics = state.settings.observability.metrics_addr.is_some();
    let sessions = SessionManagerLayer::new(RedisSessionStore::new(
        state.redis.clone(),
        &state.settings.redis.key_prefix,
    ))
    // The __Host- prefix pins the cookie to this origin; browsers accept it only when Secure.
    .with_name(if secure {
        "__Host-inti_session"
    } else {
        "inti_session"
    })
    .with_secure(secure)
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_path("/")
    .with_expiry(Expiry::OnInactivity(time::Duration::hours(
        SESSION_IDLE_HOURS,
    )));

    // Dev mode without SMTP keeps mail for this page; nothing else serves it.
    let mailbox = state.settings.mode == crate::server::config::Mode::Dev
        && state.settings.mail.smtp_url.is_none();
    let dev = Router::new().route("/dev/mailbox", get(dev_mailbox::page));
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(if mailbox { dev } else { Router::new() })
        .nest("/api/v1", api_router())
        .leptos_routes_with_context(&state, routes, security::provide_page_context, move || {
            shell(leptos_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(security::provide_page_context, shell))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            consistency::settle_changes,
        ))
        .layer(middleware::from_fn(input::server_fn_status))
        .layer(middleware::from_fn(input::reject_nul))
        // Before the session is loaded: a refused cross-site request touches nothing.
        .layer(middleware::from_fn(security::origin_guard))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(resilience::panic_response))
        .layer(middleware::from_fn(resilience::deadline))
        .layer(middleware::from_fn(security::no_store))
        .layer(middleware::from_fn(assets::cache_static))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(security::page_csp))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(security::DEFAULT_CSP),
        ))
        .layer(option_layer(production.then(|| {
            SetResponseHeaderLayer::if_not_present(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(security::HSTS),
            )
        })))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // Its events belong to the request's span, which `request_span::open` holds open.
        .layer(
            TraceLayer::new_for_http().make_span_with(|_: &axum::http::Request<_>| Span::current()),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            request_span::open,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            health::close_when_draining,
        ))
        // Outermost, so that a request's time includes every layer; only when scraped.
        .layer(option_layer(metrics.then(|| {
            middleware::from_fn(crate::server::metrics::track_requests)
        })))
        .with_state(state)
}
