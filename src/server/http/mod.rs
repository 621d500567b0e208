//! The HTTP surface: probes, the JSON API under `/api/v1`, server functions and pages.

pub mod account;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod caller;
pub mod consistency;
pub mod cors;
pub mod dashboard;
pub mod dev_mailbox;
pub mod error;
pub mod gateway;
pub mod health;
pub mod input;
pub mod item_paths;
pub mod links;
pub mod menus;
pub mod notifications;
pub mod openapi;
pub mod request_span;
pub mod resilience;
pub mod roles;
pub mod security;
pub mod services;
pub mod tasks;
pub mod tenants;
pub mod two_factor;
pub mod users;

use std::sync::OnceLock;

use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderValue, Request, Uri},
    middleware,
    response::Response,
    routing::get,
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
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::{
    app::{shell, App},
    server::{auth::session_store::RedisSessionStore, state::AppState},
};

/// A browser session ends after this much inactivity (its absolute lifetime is `auth.session_ttl_secs`).
const SESSION_IDLE_HOURS: i64 = 12;

/// `/api/v1`: every route with its description, from the handlers' `#[utoipa::path]`. Each
/// module lists its own routes (one function each keeps the generated code's stack frames
/// small in debug builds).
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(auth::routes())
        .merge(links::routes())
        .merge(account::routes())
        .merge(two_factor::routes())
        .merge(audit::routes())
        .merge(dashboard::routes())
        .merge(roles::routes())
        .merge(users::routes())
        .merge(tenants::routes())
        .merge(services::routes())
        .merge(gateway::routes())
        .merge(tasks::routes())
        .merge(menus::routes())
        .merge(notifications::routes())
        .fallback(error::not_found)
}

/// The pages' routes, listed once per process. Listing them renders the app with resource
/// loading switched off for the whole process (a global flag in Leptos): a page that started
/// loading a resource at that moment, on a router built earlier in the same process (another
/// test's, another node's), would wait on it forever.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    // Listing the routes starts Leptos, which installs its executor unless one is there.
    crate::server::spawner::init();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The API's routes under `/api/v1` and their description, made from the same handlers.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, document) = OpenApiRouter::with_openapi(openapi::base())
        .nest("/api/v1", api_router())
        .split_for_parts();
    (router, openapi::finish(document))
}

/// `/api/docs`: Swagger UI, its files served from the binary, reading `/api/v1/openapi.json`.
fn docs() -> Router<AppState> {
    let ui = SwaggerUi::new("/api/docs").config(
        SwaggerConfig::from("/api/v1/openapi.json")
            .validator_url("none")
            // The token stays in the page; it is never written to the browser's storage.
            .persist_authorization(false)
            .display_operation_id(true),
    );
    Router::from(ui).layer(SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(security::DOCS_CSP),
    ))
}

/// Files and the 404 page, after a menu item's own path (`item_paths`).
async fn page_fallback(
    State(state): State<AppState>,
    uri: Uri,
    request: Request<Body>,
) -> Response {
    if let Some((session, path)) = item_paths::asked(&request) {
        if let Some(to) = item_paths::find(&state, session, &path).await {
            return to;
        }
    }
    let files = leptos_axum::file_and_error_handler_with_context::<AppState, _>(
        security::provide_page_context,
        shell,
    );
    files(uri, State(state), request).await
}

pub fn router(state: AppState) -> Router {
    let leptos_options = state.leptos_options().clone();
    let routes = page_routes();
    let secure = state.settings.auth.secure_cookies;
    let production = state.settings.mode == crate::server::config::Mode::Production;
    let metrics = state.settings.observability.metrics_addr.is_some();
    let (api, document) = api();
    let description = openapi::Description::new(&document);
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
        .merge(api)
        .route(
            "/api/v1/openapi.json",
            get(move || async move { description.response() }),
        )
        .merge(docs())
        .leptos_routes_with_context(&state, routes, security::provide_page_context, move || {
            shell(leptos_options.clone())
        })
        .fallback(page_fallback)
        .layer(sessions)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            consistency::settle_changes,
        ))
        .layer(middleware::from_fn(input::server_fn_status))
        .layer(middleware::from_fn(input::reject_nul))
        // Before the session is loaded: a refused cross-site request touches nothing.
        .layer(middleware::from_fn(security::origin_guard))
        .layer(RequestBodyLimitLayer::new(error::MAX_BODY_BYTES))
        .layer(middleware::from_fn(error::envelope_too_large))
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
        // Outside every layer that may answer by itself (origin guard, body limit, deadline):
        // a listed origin reads those answers too, and its preflights reach none of them.
        .layer(option_layer(cors::layer(&state.settings.http.cors_origins)))
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

#[cfg(test)]
mod tests {
    use crate::domain::service::menu::is_inti_path;

    /// An external service's menu item may not take a path of Inti's own: every page the app
    /// routes, and the server's own routes, must be among those paths.
    #[test]
    fn every_page_and_route_is_one_of_intis_paths() {
        for route in super::page_routes() {
            assert!(
                is_inti_path(route.path()),
                "{} is not reserved",
                route.path()
            );
        }
        for path in [
            "/api/v1/auth/me",
            "/api/docs",
            "/healthz",
            "/readyz",
            "/dev/mailbox",
            "/pkg/inti.js",
            "/favicon.svg",
        ] {
            assert!(is_inti_path(path), "{path} is not reserved");
        }
        assert!(!is_inti_path("/whatsapp/blast"));
    }
}
