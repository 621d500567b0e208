//! Browser-facing defences applied to every response: refusing cross-site state changes
//! (Origin check), the Content-Security-Policy, HSTS and `Cache-Control: no-store`.

use axum::{
    extract::Request,
    http::{header, HeaderMap, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::sync::{Arc, OnceLock};

use crate::domain::error::AppError;

/// Pages get a per-response nonce for Leptos' inline hydration scripts (see `page_policy`);
/// everything else (JSON, redirects, errors) may run nothing at all.
pub const DEFAULT_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
/// The API documentation page (Swagger UI, served from Inti's own files): its scripts and
/// styles are files of this origin, but it sets style attributes and draws data: images.
pub const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' \
     'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/// Two years, the preload list's expectation; only sent in production (HTTPS).
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The policy of an HTML page whose inline scripts carry `nonce`. `strict-dynamic` lets the
/// nonced module load the WASM bundle; `wasm-unsafe-eval` lets it compile.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The nonce of the page this request renders, if it renders one: made when leptos starts
/// the page (`provide_page_context`), read by `page_csp` for the header, so that the page's
/// scripts and its `Content-Security-Policy` cannot disagree. Requests that render no page
/// (the JSON API, the bundle) never make one.
#[derive(Clone, Default)]
pub struct PageNonce(Arc<OnceLock<leptos::nonce::Nonce>>);

/// Gives every HTML page the page policy with its own nonce. Set here, on the response
/// itself, rather than from inside the render (through leptos' `ResponseOptions`): a page
/// was once seen answered with `DEFAULT_CSP` that way, which blocks its styles, scripts and
/// WASM. Any other answer keeps `DEFAULT_CSP`.
pub async fn page_csp(mut request: Request, next: Next) -> Response {
    let chosen = PageNonce::default();
    request.extensions_mut().insert(chosen.clone());
    let mut response = next.run(request).await;
    let html = content_type(&response).is_some_and(|ct| ct.starts_with("text/html"));
    if let (true, Some(nonce)) = (html, chosen.0.get()) {
        if let Ok(value) = HeaderValue::from_str(&page_policy(nonce)) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

fn content_type(response: &Response) -> Option<&str> {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// Leptos context for every rendered page (the routes and the not-found fallback): the
/// page's nonce, made now, replaces the one leptos made, so the scripts carry the header's.
/// Also the page's store of session values read once (`context::take_once`).
pub fn provide_page_context() {
    crate::api::context::provide_taken_once();
    use leptos::prelude::{provide_context, use_context};
    let chosen = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageNonce>().cloned());
    if let Some(PageNonce(cell)) = chosen {
        provide_context(cell.get_or_init(leptos::nonce::Nonce::new).clone());
    }
}

/// Whether the browser says the request comes from another site (`Sec-Fetch-Site` other than
/// `same-origin` or `none`, which a typed address or a bookmark sends). Without the header
/// (older browsers, API clients) nothing is known, and the request is not refused for it.
pub fn from_another_site(headers: &axum::http::HeaderMap) -> bool {
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    matches!(site, Some(s) if s != "same-origin" && s != "none")
}

/// Refuses a state-changing request that a browser sent on behalf of another site. Server
/// functions and pages authenticate with the session cookie, which a browser attaches to
/// cross-site form posts too; `/api/v1` authenticates with Bearer tokens only and ignores
/// cookies, so it needs no Origin. A browser always sends `Origin` (or at least `Referer`)
/// with a POST, including a plain HTML form post, so same-site forms keep working without
/// JavaScript; a request with neither is refused too.
pub async fn origin_guard(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    );
    // The JSON API takes Bearer tokens, not cookies; the gateway and the notification stream
    // also take the browser session, and without a token they are checked like a server
    // function.
    let path = request.uri().path();
    let cookie_gateway = super::caller::takes_session(path)
        && !request.headers().contains_key(header::AUTHORIZATION);
    if cookie_gateway && safe {
        // A cross-site page could still have the browser GET a service's data with the
        // (Lax) cookie: browsers say where a request comes from (`Sec-Fetch-Site`).
        if from_another_site(request.headers()) {
            return cross_site_refusal(
                request_origin(request.headers()).map(|(s, a)| format!("{s}://{a}")),
            );
        }
        return next.run(request).await;
    }
    if safe || (path.starts_with("/api/v1/") && !cookie_gateway) {
        return next.run(request).await;
    }
    let own = own_authority(&request);
    match request_origin(request.headers()) {
        Some((scheme, authority))
            if matches!(scheme.as_str(), "http" | "https") && Some(&authority) == own.as_ref() =>
        {
            next.run(request).await
        }
        origin => cross_site_refusal(origin.map(|(s, a)| format!("{s}://{a}"))),
    }
}

fn cross_site_refusal(origin: Option<String>) -> Response {
    tracing::warn!(
        origin = origin.as_deref().unwrap_or("none"),
        "refused a cross-site request"
    );
    AppError::CrossSiteRequest { origin }.into_response()
}

/// The host (and port) this request was addressed to.
fn own_authority(request: &Request) -> Option<String> {
    request
        .uri()
        .authority()
        .map(|a| a.as_str().to_ascii_lowercase())
        .or_else(|| {
            request
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(str::to_ascii_lowercase)
        })
}

/// (scheme, authority) of `Origin`, or else of `Referer`. `Origin: null` counts as none.
fn request_origin(headers: &HeaderMap) -> Option<(String, String)> {
    let parse = |value: &str| -> Option<(String, String)> {
        let (scheme, rest) = value.split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next()?;
        // A Referer may carry credentials (`user@host`); they are not part of the origin.
        let authority = authority.rsplit('@').next()?;
        (!authority.is_empty())
            .then(|| (scheme.to_ascii_lowercase(), authority.to_ascii_lowercase()))
    };
    let header_str = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    match header_str(header::ORIGIN) {
        Some(origin) => parse(origin),
        None => header_str(header::REFERER).and_then(parse),
    }
}

/// Answers that may carry tokens or personal data (the API, server functions, pages) are
/// never stored by browsers or proxies; static assets (`/pkg`, files) stay cacheable.
pub async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let private = content_type(&response)
        .is_none_or(|ct| ct.starts_with("text/html") || ct.starts_with("application/json"));
    let headers = response.headers_mut();
    if private && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_come_from_origin_then_referer() {
        let mut h = HeaderMap::new();
        h.insert(
            header::REFERER,
            HeaderValue::from_static("https://u:p@Inti.example:8443/a?b"),
        );
        assert_eq!(
            request_origin(&h),
            Some(("https".into(), "inti.example:8443".into()))
        );
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert_eq!(request_origin(&h), None);
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert_eq!(
            request_origin(&h),
            Some(("http".into(), "evil.example".into()))
        );
    }
}
