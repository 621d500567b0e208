//! Prometheus metrics: what a scrape shows after real traffic, with bounded labels only, on
//! a listener of their own (the public site has no `/metrics`).
#![cfg(feature = "ssr")]

mod common;

use axum::{body::Body, http::Request};
use common::TestApp;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

async fn scrape(app: &TestApp) -> String {
    let res = inti::server::metrics::router(app.state.clone())
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

/// The value of the sample whose line starts with `series` (name and labels).
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no sample {series} in:\n{text}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scrape_counts_requests_logins_and_pools_with_bounded_labels() {
    inti::server::metrics::install();
    let app = TestApp::new().await;
    let token = app.token("admin@taskmanager.com").await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/auth/me", Some(&token)).await.status, 200);
    }
    let task = app
        .post_json("/api/v1/tasks", json!({ "title": "Counted" }), Some(&token))
        .await;
    assert_eq!(task.status, 201);
    let id = task.json()["data"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(&format!("/api/v1/tasks/{id}"), Some(&token))
            .await
            .status,
        200
    );
    let wrong = app
        .post_json(
            "/api/v1/auth/login",
            json!({ "email": "admin@taskmanager.com", "password": "not-the-password" }),
            None,
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(app.get("/no/such/page/at/all", None).await.status, 404);

    let text = scrape(&app).await;
    assert!(
        sample(
            &text,
            r#"inti_http_requests_total{route="/api/v1/auth/me",method="GET",status="2xx"}"#
        ) >= 3.0
    );
    // The route's pattern, never the id in the path.
    assert!(
        sample(
            &text,
            r#"inti_http_requests_total{route="/api/v1/tasks/{id}",method="GET",status="2xx"}"#
        ) >= 1.0
    );
    assert!(!text.contains(&id), "a raw path reached a label");
    assert!(text.contains(r#"route="unmatched""#));
    assert!(text.contains("inti_http_request_duration_seconds_bucket{"));
    assert!(sample(&text, r#"inti_logins_total{outcome="success"}"#) >= 1.0);
    assert!(sample(&text, r#"inti_logins_total{outcome="invalid"}"#) >= 1.0);
    assert_eq!(
        sample(&text, r#"inti_db_pool_connections{state="max"}"#),
        4.0
    );
    // Nothing was mailed: the queue is empty, and says so.
    assert_eq!(
        sample(&text, r#"inti_mail_outbox_messages{status="PENDING"}"#),
        0.0
    );
    assert_eq!(sample(&text, "inti_access_cache_live"), 1.0);
    assert!(
        sample(
            &text,
            r#"inti_access_cache_lookups_total{kind="actor",result="hit"}"#
        ) >= 1.0
    );
    // Never a person in a label.
    assert!(!text.contains("admin@taskmanager.com") && !text.contains('@'));

    // The public site has no /metrics.
    assert_eq!(app.get("/metrics", None).await.status, 404);
}
