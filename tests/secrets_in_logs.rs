//! No log line, at any level, carries a service's API key. A test binary of its own:
//! the capturing subscriber is set for this thread only, and tracing caches per call site
//! whether anyone listens, which tests on other threads of the same process would disturb.
#![cfg(feature = "ssr")]

mod common;

use common::{LogCapture, TestApp};
use serde_json::json;

const SECRET_KEY: &str = "sk-live-SECRET-0123456789abcdef";

// One thread: every task of this test logs to the capture (a subscriber set as the default
// holds for its thread).
#[tokio::test(flavor = "current_thread")]
async fn no_log_line_carries_an_api_key() {
    let capture = LogCapture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    let body = json!({
        "name": "logged", "displayName": "Logged", "type": "EXTERNAL",
        "baseUrl": "https://logged.example.com", "authType": "API_KEY", "apiKey": SECRET_KEY,
    });
    let res = app
        .post_json("/api/v1/core/services/register", body, Some(&root))
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["data"]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/core/services/{id}");
    // Refusals that carry a key: a body that is not an object, a key too long, broken JSON.
    for bad in [
        json!({"apiKey": format!("{SECRET_KEY}{}", "x".repeat(5000))}),
        json!({"apiKey": SECRET_KEY, "baseUrl": "http://169.254.169.254/"}),
        json!({"apiKey": SECRET_KEY, "unknown": 1}),
    ] {
        let res = app.send("PATCH", &path, Some(bad), &root).await;
        assert_eq!(res.status, 422, "{}", res.text());
        assert!(!res.text().contains(SECRET_KEY), "{}", res.text());
    }
    let req = axum::http::Request::patch(&path)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {root}"))
        .body(axum::body::Body::from(format!(
            "{{\"apiKey\": \"{SECRET_KEY}\","
        )))
        .unwrap();
    let res = app.request(req).await;
    assert_eq!(res.status, 422);
    assert!(!res.text().contains(SECRET_KEY));
    assert_eq!(app.get(&path, Some(&root)).await.status, 200);

    let logged = capture.text();
    assert!(
        logged.contains("/api/v1/core/services"),
        "the capture sees the requests"
    );
    assert!(!logged.contains("SECRET-0123"), "a key was logged");
}
