//! Traces to an OpenTelemetry collector: with `observability.otlp_endpoint` set, each
//! request's span reaches the collector over OTLP/HTTP with its id, route, tenant and user.
//! A test binary of its own: it installs the process's global subscriber.
#![cfg(feature = "ssr")]

mod common;

use std::sync::{Arc, Mutex};

use axum::{body::Bytes, routing::post, Router};
use common::TestApp;
use inti::server::{config::Mode, telemetry};

#[tokio::test(flavor = "multi_thread")]
async fn a_requests_span_reaches_the_collector_with_its_id_route_tenant_and_user() {
    // A collector that keeps what it is sent (protobuf: its strings are plain bytes).
    let received: Arc<Mutex<Vec<u8>>> = Arc::default();
    let kept = received.clone();
    let collector = Router::new().route(
        "/v1/traces",
        post(move |body: Bytes| {
            let kept = kept.clone();
            async move {
                kept.lock().unwrap().extend_from_slice(&body);
                [("content-type", "application/x-protobuf")]
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, collector).await.unwrap() });

    let app = TestApp::new().await;
    let mut observability = app.state.settings.observability.clone();
    observability.otlp_endpoint = Some(format!("http://{addr}/"));
    let telemetry = telemetry::init(Mode::Dev, &observability);

    let token = app.token("admin@taskmanager.com").await;
    let res = app.get("/api/v1/auth/me", Some(&token)).await;
    assert_eq!(res.status, 200);
    let id = res.header("x-request-id").expect("a request id");
    // Ending the exporter sends what is batched; it blocks, so not on a runtime thread.
    tokio::task::spawn_blocking(move || telemetry.flush())
        .await
        .unwrap();

    let sent = received.lock().unwrap().clone();
    let has = |s: &str| sent.windows(s.len()).any(|w| w == s.as_bytes());
    assert!(!sent.is_empty(), "nothing reached the collector");
    assert!(has(&id), "the request's id is not among the exported spans");
    assert!(has("/api/v1/auth/me"), "the route");
    let tenant = app.id_of("tenants", "taskmanager").await.to_string();
    let user = app
        .id_of("users", "admin@taskmanager.com")
        .await
        .to_string();
    assert!(has(&tenant) && has(&user), "the tenant and the user");
    assert!(has("inti"), "the service's name");
}
