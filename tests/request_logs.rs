//! Logs one can follow: every request has an id (sent back as `X-Request-Id`), and the log
//! lines inside it carry that id, the matched route and the caller's tenant and user. A test
//! binary of its own: the capturing subscriber holds for this thread only.
#![cfg(feature = "ssr")]

mod common;

use axum::{body::Body, extract::ConnectInfo, http::Request};
use common::{LogCapture, TestApp};
use serde_json::Value;

#[tokio::test(flavor = "current_thread")]
async fn a_requests_log_lines_name_its_id_route_tenant_and_user() {
    let capture = LogCapture::default();
    let writer = capture.clone();
    // As production logs: JSON lines with the current span's fields.
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(true)
        // A line when each span closes, to see the service functions' spans too.
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = TestApp::new().await;
    let token = app.token("admin@taskmanager.com").await;
    let tenant = app.id_of("tenants", "taskmanager").await.to_string();
    let user = app
        .id_of("users", "admin@taskmanager.com")
        .await
        .to_string();

    let res = app.get("/api/v1/tasks", Some(&token)).await;
    assert_eq!(res.status, 200);
    let id = res.header("x-request-id").expect("an X-Request-Id answer");
    assert_eq!(id.len(), 36, "{id}");

    let text = capture.text();
    let lines: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|l: &Value| l["span"]["request_id"] == id.as_str())
        .collect();
    let done = lines
        .iter()
        .find(|l| l["message"] == "finished processing request")
        .unwrap_or_else(|| panic!("no line of request {id} in:\n{text}"));
    assert_eq!(done["span"]["route"], "/api/v1/tasks");
    assert_eq!(done["span"]["method"], "GET");
    assert_eq!(done["span"]["tenant_id"], tenant.as_str());
    assert_eq!(done["span"]["user_id"], user.as_str());

    // The service function's span names the object it works on.
    let made = app
        .post_json(
            "/api/v1/tasks",
            serde_json::json!({ "title": "Traced" }),
            Some(&token),
        )
        .await;
    let task = made.json()["data"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(&format!("/api/v1/tasks/{task}"), Some(&token))
            .await
            .status,
        200
    );
    let text = capture.text();
    let traced = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .any(|l| l["span"]["name"] == "get" && l["span"]["id"] == task.as_str());
    assert!(
        traced,
        "no span of tasks::get naming task {task} in:\n{text}"
    );

    // A page's resources run in tasks of their own; their lines still name the page's
    // request.
    let cookie = app.browser_login("admin@taskmanager.com").await;
    let page = Request::get("/tasks/list")
        .header("accept", "text/html")
        .header("cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    let res = app.request(page).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let page_id = res.header("x-request-id").unwrap();
    let text = capture.text();
    let in_page = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .any(|l| {
            l["span"]["name"] == "list"
                && l["spans"].as_array().is_some_and(|spans| {
                    spans
                        .iter()
                        .any(|s| s["request_id"] == page_id.as_str() && s["route"] == "/tasks/list")
                })
        });
    assert!(
        in_page,
        "no span of tasks::list inside page request {page_id} in:\n{text}"
    );

    // A trusted proxy's plain id carries through; a client's own, or anything forged, is
    // replaced.
    let proxied =
        TestApp::with_settings(|s| s.trusted_proxies = vec!["10.0.0.5".parse().unwrap()]).await;
    let sent = |value: &str, peer: &str| {
        let mut request = Request::get("/healthz")
            .header("x-request-id", value)
            .body(Body::empty())
            .unwrap();
        let peer: std::net::SocketAddr = peer.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    };
    let kept = proxied.request(sent("edge-7f3a.1", "10.0.0.5:40000")).await;
    assert_eq!(kept.header("x-request-id").as_deref(), Some("edge-7f3a.1"));
    for (value, peer) in [
        ("edge-7f3a.1", "203.0.113.9:40000"),
        ("x\" admin=true", "10.0.0.5:40000"),
    ] {
        let replaced = proxied.request(sent(value, peer)).await;
        let new_id = replaced.header("x-request-id").unwrap();
        assert_ne!(new_id, value);
        assert_eq!(new_id.len(), 36);
    }
}
