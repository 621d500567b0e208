//! Outbound calls to external services: one pooled client that follows no redirects, uses
//! no proxy (an environment proxy would hide the real destination) and resolves names
//! through `CheckingResolver`, which refuses internal addresses at connect time (a DNS
//! answer that changed since registration). IP literals never reach a resolver, so every
//! URL is also checked as written (`outbound::check_literal`) before it is called.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Url;

use crate::{
    domain::error::AppError,
    server::{config::GatewaySettings, outbound},
};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const POOL_IDLE: Duration = Duration::from_secs(60);

/// Refuses a host name whose addresses are internal, unless an operator allowed that name
/// (`gateway.allowed_private_hosts`; its port is checked on the URL).
#[derive(Debug, Clone)]
pub struct CheckingResolver {
    allowed: Arc<outbound::AllowedHosts>,
}

impl Resolve for CheckingResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let allowed = self.allowed.allows(&host, None);
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allowed {
                if let Some(bad) = addrs.iter().find(|a| outbound::is_internal(a.ip())) {
                    tracing::warn!(host = %host, address = %bad.ip(), "gateway: a host name resolved to an internal address; refused");
                    return Err(Box::new(Refused) as Box<dyn std::error::Error + Send + Sync>);
                }
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// The resolver's refusal, recognised in the error chain.
#[derive(Debug)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the host resolves to an internal address")
    }
}

impl std::error::Error for Refused {}

pub fn client(settings: &GatewaySettings) -> reqwest::Client {
    // reqwest is built without a default crypto provider: ring, already built for JWTs.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(CONNECT_TIMEOUT)
        .pool_idle_timeout(POOL_IDLE)
        .user_agent(concat!("inti-gateway/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(CheckingResolver {
            allowed: Arc::new(settings.allowed_private_hosts.clone()),
        })
        .build()
        .expect("the gateway's HTTP client builds")
}

/// One outbound request.
pub struct Outbound<'a> {
    pub method: Method,
    pub url: Url,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub timeout: Duration,
    pub max_bytes: usize,
    pub service: &'a str,
}

/// An upstream answer that the gateway passes on.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Headers of an answer passed on to the client; everything else (cookies, hop-by-hop
/// headers, the upstream's own server details) stays behind.
const ANSWER_HEADERS: &[&str] = &[
    "content-type",
    "content-language",
    "etag",
    "last-modified",
    "link",
];

/// Sends the request: 504 past its timeout, 502 when the service cannot be reached,
/// answers with a redirect or a server error (its status in the details), or sends more
/// than `max_bytes`.
pub async fn send(http: &reqwest::Client, out: Outbound<'_>) -> Result<Answer, AppError> {
    let service = out.service;
    let request = http
        .request(out.method, out.url)
        .headers(out.headers)
        .timeout(out.timeout)
        .body(out.body);
    let mut response = request.send().await.map_err(|e| failure(service, &e))?;
    let status = response.status();
    if status.is_redirection() {
        return Err(AppError::BadGateway {
            message: format!(
                "The service answered with a redirect ({}), which the gateway does not follow",
                status.as_u16()
            ),
            upstream_status: Some(status.as_u16()),
        });
    }
    let too_large = || AppError::BadGateway {
        message: format!(
            "The service's answer is larger than the gateway's limit of {} KB",
            out.max_bytes / 1024
        ),
        upstream_status: Some(status.as_u16()),
    };
    if response
        .content_length()
        .is_some_and(|n| n > out.max_bytes as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| failure(service, &e))? {
        if body.len() + chunk.len() > out.max_bytes {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    if status.is_server_error() {
        return Err(AppError::BadGateway {
            message: format!("The service failed (it answered {})", status.as_u16()),
            upstream_status: Some(status.as_u16()),
        });
    }
    let mut headers = HeaderMap::new();
    for name in ANSWER_HEADERS {
        if let Some(v) = response.headers().get(*name) {
            headers.insert(HeaderName::from_static(name), v.clone());
        }
    }
    Ok(Answer {
        status,
        headers,
        body: Bytes::from(body),
    })
}

fn failure(service: &str, e: &reqwest::Error) -> AppError {
    if e.is_timeout() {
        return AppError::GatewayTimeout;
    }
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        if s.is::<Refused>() {
            return AppError::BadGateway {
                message: "The service's address resolves to an internal address, which the gateway refuses".into(),
                upstream_status: None,
            };
        }
        source = s.source();
    }
    // The cause names hosts and addresses: logged, never answered.
    tracing::warn!(service, error = %e, "gateway: the service could not be reached");
    AppError::BadGateway {
        message: "The service could not be reached".into(),
        upstream_status: None,
    }
}

/// A header value the gateway sets, from text it made (ids, keys).
pub fn header_value(s: &str) -> Result<HeaderValue, AppError> {
    HeaderValue::from_str(s).map_err(|_| AppError::Internal)
}
