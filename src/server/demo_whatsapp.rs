//! `inti demo-whatsapp`: a stand-in for a WhatsApp blast API, run as its own process beside
//! Inti (`make run` starts it) and by the tests. Every call needs its API key (`X-API-Key`).
//! - `POST /messages/blast` (`message`, `recipients[]`) answers 202 with a batch id; a moment
//!   later each recipient is delivered (numbers ending in `000` fail, so both outcomes can be
//!   seen) and the results go back to Inti as a signed webhook;
//! - `GET /messages?page=&pageSize=` pages the history of the calling tenant
//!   (`X-Inti-Tenant-Id`, which the gateway sets);
//! - `GET /health`;
//! - `/faults/*` misbehave on purpose, to show the gateway's handling: `slow?ms=`, `error`,
//!   `huge?bytes=`, `redirect`, and `headers` (the names of the headers that arrived, and
//!   whether the key matched; never their values).

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    extract::{Query, Request, State},
    http::{HeaderMap, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Json, Router,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::server::{secret::Secret, services::webhooks};

#[derive(Debug, Clone)]
pub struct DemoConfig {
    pub api_key: Secret,
    /// Where delivery reports go (Inti's `/api/v1/webhooks/{service}`), and their secret.
    pub webhook_url: Option<String>,
    pub webhook_secret: Secret,
    /// How long after a blast its recipients are delivered.
    pub delivery_delay: Duration,
}

#[derive(Debug, Clone)]
struct Batch {
    id: String,
    tenant: Option<String>,
    /// Who sent it (`X-Inti-User-Id`): told when it finishes.
    user: Option<String>,
    message: String,
    recipients: Vec<(String, &'static str)>,
    created_at: DateTime<Utc>,
}

#[derive(Clone)]
struct Demo {
    config: Arc<DemoConfig>,
    batches: Arc<Mutex<Vec<Batch>>>,
    http: reqwest::Client,
}

const MAX_PAGE_SIZE: usize = 100;
const MAX_RECIPIENTS: usize = 1000;

pub fn router(config: DemoConfig) -> Router {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let demo = Demo {
        config: Arc::new(config),
        batches: Arc::default(),
        http: reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("the demo's HTTP client builds"),
    };
    Router::new()
        .route("/messages/blast", post(blast))
        .route("/messages", get(history))
        .route("/health", get(|| async { Json(json!({ "status": "ok" })) }))
        .route("/faults/slow", get(slow))
        .route(
            "/faults/error",
            get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "boom") }),
        )
        .route("/faults/huge", get(huge))
        .route(
            "/faults/redirect",
            get(|| async { Redirect::temporary("http://127.0.0.1:6379/") }),
        )
        .route("/faults/headers", get(headers))
        .route("/faults/echo", post(echo))
        // Answers any path below it, as a lenient upstream would (for the gateway's tests).
        .route(
            "/faults/path/{*rest}",
            get(|uri: axum::http::Uri| async move { Json(json!({ "path": uri.path() })) }),
        )
        .route(
            "/faults/page",
            get(|| async {
                (
                    [(axum::http::header::CONTENT_TYPE, "text/html")],
                    "<form action=/steal><input name=p></form>",
                )
            }),
        )
        .layer(middleware::from_fn_with_state(demo.clone(), require_key))
        .with_state(demo)
}

pub async fn serve(addr: SocketAddr, config: DemoConfig) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "demo WhatsApp gateway listening");
    axum::serve(listener, router(config)).await
}

fn key_matches(demo: &Demo, headers: &HeaderMap) -> bool {
    use sha2::{Digest, Sha256};
    let given = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // Compared as digests: equal length, so the comparison says nothing about the key.
    Sha256::digest(given.as_bytes()) == Sha256::digest(demo.config.api_key.expose().as_bytes())
}

async fn require_key(State(demo): State<Demo>, request: Request, next: Next) -> Response {
    if !key_matches(&demo, request.headers()) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "a valid X-API-Key is required" })),
        )
            .into_response();
    }
    next.run(request).await
}

fn is_phone(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    (10..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
}

async fn blast(State(demo): State<Demo>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let refuse = |field: String, message: &str| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "errors": [{ "field": field, "message": message }] })),
        )
            .into_response()
    };
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return refuse("body".into(), "must be a JSON object");
    };
    let message = body["message"]
        .as_str()
        .unwrap_or_default()
        .trim()
        .to_string();
    if message.is_empty() || message.chars().count() > 1000 {
        return refuse("message".into(), "must be 1 to 1000 characters");
    }
    let Some(list) = body["recipients"].as_array().filter(|l| !l.is_empty()) else {
        return refuse("recipients".into(), "must list at least one phone number");
    };
    if list.len() > MAX_RECIPIENTS {
        return refuse("recipients".into(), "must list at most 1000 phone numbers");
    }
    let mut recipients = Vec::with_capacity(list.len());
    for (i, r) in list.iter().enumerate() {
        match r.as_str() {
            Some(p) if is_phone(p) => recipients.push((p.to_string(), "QUEUED")),
            _ => {
                return refuse(
                    format!("recipients[{i}]"),
                    "must be a phone number of 10 to 15 digits",
                )
            }
        }
    }
    let batch = Batch {
        id: format!("batch_{}", Uuid::new_v4().simple()),
        tenant: header(&headers, "x-inti-tenant-id"),
        user: header(&headers, "x-inti-user-id"),
        message,
        recipients,
        created_at: Utc::now(),
    };
    let answer =
        json!({ "batchId": batch.id, "accepted": batch.recipients.len(), "status": "QUEUED" });
    demo.batches
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(batch.clone());
    tokio::spawn(deliver(demo, batch.id));
    (StatusCode::ACCEPTED, Json(answer)).into_response()
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Delivers a batch after the configured delay, then reports the results to Inti, naming
/// the tenant and member who sent it (Inti tells them).
async fn deliver(demo: Demo, id: String) {
    tokio::time::sleep(demo.config.delivery_delay).await;
    let (results, tenant, user): (Vec<Value>, _, _) = {
        let mut batches = demo.batches.lock().unwrap_or_else(|p| p.into_inner());
        let Some(batch) = batches.iter_mut().find(|b| b.id == id) else {
            return;
        };
        for (number, status) in batch.recipients.iter_mut() {
            *status = if number.ends_with("000") {
                "FAILED"
            } else {
                "DELIVERED"
            };
        }
        let results = batch
            .recipients
            .iter()
            .map(|(n, s)| json!({ "recipient": n, "status": s }))
            .collect();
        (results, batch.tenant.clone(), batch.user.clone())
    };
    let Some(url) = &demo.config.webhook_url else {
        return;
    };
    let failed = results.iter().filter(|r| r["status"] == "FAILED").count();
    let body = json!({
        "event": "delivery.report",
        "batchId": id,
        "tenantId": tenant,
        "userId": user,
        "delivered": results.len() - failed,
        "failed": failed,
        "results": results,
    })
    .to_string();
    let timestamp = Utc::now().timestamp();
    let signature = webhooks::sign(
        demo.config.webhook_secret.expose().as_bytes(),
        timestamp,
        body.as_bytes(),
    );
    let sent = demo
        .http
        .post(url)
        .header("content-type", "application/json")
        .header(
            webhooks::ID_HEADER,
            format!("dlv_{}", Uuid::new_v4().simple()),
        )
        .header(webhooks::TIMESTAMP_HEADER, timestamp.to_string())
        .header(webhooks::SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => {}
        Ok(r) => tracing::warn!(status = %r.status(), "demo: Inti refused the delivery report"),
        Err(e) => tracing::warn!(error = %e, "demo: the delivery report could not be sent"),
    }
}

#[derive(Deserialize)]
struct Paging {
    page: Option<usize>,
    #[serde(rename = "pageSize")]
    page_size: Option<usize>,
}

async fn history(
    State(demo): State<Demo>,
    headers: HeaderMap,
    Query(p): Query<Paging>,
) -> Response {
    let page = p.page.unwrap_or(1).max(1);
    let size = p.page_size.unwrap_or(20).clamp(1, MAX_PAGE_SIZE);
    let tenant = headers
        .get("x-inti-tenant-id")
        .and_then(|v| v.to_str().ok());
    let batches = demo.batches.lock().unwrap_or_else(|p| p.into_inner());
    let mine: Vec<&Batch> = batches
        .iter()
        .rev()
        .filter(|b| b.tenant.as_deref() == tenant)
        .collect();
    let data: Vec<Value> = mine
        .iter()
        .skip((page - 1).saturating_mul(size))
        .take(size)
        .map(|b| {
            let count = |s: &str| b.recipients.iter().filter(|(_, st)| *st == s).count();
            let status = if count("QUEUED") > 0 {
                "QUEUED"
            } else if count("FAILED") > 0 {
                "PARTLY_FAILED"
            } else {
                "DELIVERED"
            };
            json!({
                "batchId": b.id,
                "message": b.message,
                "recipients": b.recipients.len(),
                "delivered": count("DELIVERED"),
                "failed": count("FAILED"),
                "status": status,
                "createdAt": b.created_at,
            })
        })
        .collect();
    Json(json!({ "data": data, "page": page, "pageSize": size, "total": mine.len() }))
        .into_response()
}

#[derive(Deserialize)]
struct Slow {
    ms: Option<u64>,
}

async fn slow(Query(q): Query<Slow>) -> Response {
    tokio::time::sleep(Duration::from_millis(q.ms.unwrap_or(5000).min(60_000))).await;
    Json(json!({ "slept": true })).into_response()
}

#[derive(Deserialize)]
struct Huge {
    bytes: Option<usize>,
}

async fn huge(Query(q): Query<Huge>) -> Response {
    let n = q.bytes.unwrap_or(2 * 1024 * 1024).min(64 * 1024 * 1024);
    ([("content-type", "text/plain")], "x".repeat(n)).into_response()
}

/// What the service received, for the gateway's tests: the body as text, and its type.
async fn echo(headers: HeaderMap, body: axum::body::Bytes) -> Response {
    Json(json!({
        "contentType": headers.get("content-type").and_then(|v| v.to_str().ok()),
        "body": String::from_utf8_lossy(&body),
    }))
    .into_response()
}

async fn headers(State(demo): State<Demo>, headers: HeaderMap) -> Response {
    let mut names: Vec<&str> = headers.keys().map(|k| k.as_str()).collect();
    names.sort_unstable();
    Json(json!({
        "headers": names,
        "keyMatches": key_matches(&demo, &headers),
        "tenant": headers.get("x-inti-tenant-id").and_then(|v| v.to_str().ok()),
        "user": headers.get("x-inti-user-id").and_then(|v| v.to_str().ok()),
        "requestId": headers.get("x-request-id").and_then(|v| v.to_str().ok()),
    }))
    .into_response()
}
