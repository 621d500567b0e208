//! Two nodes on one Redis, or on one Redis Cluster (`scripts/redis-cluster.sh` runs this file
//! with `INTI_TEST_REDIS_CLUSTER_URLS`): what one node keeps in Redis, the other reads.
#![cfg(feature = "ssr")]

mod common;

use std::time::Duration;

use axum::{body::Body, http::Request};
use common::{TestApp, DEMO_PASSWORD};
use serde_json::json;

fn page(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header("accept", "text/html")
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_browser_session_from_one_node_opens_pages_on_the_other_until_it_signs_out_there() {
    let a = TestApp::new().await;
    let b = a.another_node().await;
    let cookie = a.browser_login("admin@taskmanager.com").await;
    let res = b.request(page("/", &cookie)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(res.text().contains("Task Manager Admin"));

    let logout = Request::post("/api/logout")
        .header("accept", "text/html")
        .header("host", "localhost")
        .header("referer", "http://localhost/")
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::empty())
        .unwrap();
    assert_eq!(b.request(logout).await.status, 302);
    let res = a.request(page("/", &cookie)).await;
    assert_eq!(res.status, 302, "signed out on every node");
    assert_eq!(res.header("location").as_deref(), Some("/login"));
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_on_one_node_lock_the_account_on_the_other() {
    let a = TestApp::with_settings(|s| {
        s.auth.lockout.account_failures = 2;
        s.auth.lockout.first_wait = Duration::from_secs(30);
    })
    .await;
    let b = a.another_node().await;
    let bad = json!({"email": "user@taskmanager.com", "password": "wrong-password"});
    for node in [&a, &b, &a] {
        let res = node
            .post_json("/api/v1/auth/login", bad.clone(), None)
            .await;
        assert_eq!(res.status, 401, "{}", res.text());
    }
    let good = json!({"email": "user@taskmanager.com", "password": DEMO_PASSWORD});
    let res = b.post_json("/api/v1/auth/login", good, None).await;
    assert_eq!(res.status, 429, "locked on both: {}", res.text());
    assert_eq!(res.json()["error"]["code"], "RATE_LIMITED");
    // Another account signs in on either node.
    b.login("admin@taskmanager.com").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_retried_on_the_other_node_within_the_grace_answers_the_same_pair() {
    let a = TestApp::with_settings(|s| s.auth.refresh_reuse_grace = Duration::from_secs(30)).await;
    let b = a.another_node().await;
    let first = a.login("user@taskmanager.com").await["tokens"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"refreshToken": first});
    let on_a = a
        .post_json("/api/v1/auth/refresh", body.clone(), None)
        .await;
    assert_eq!(on_a.status, 200, "{}", on_a.text());
    let on_b = b.post_json("/api/v1/auth/refresh", body, None).await;
    assert_eq!(on_b.status, 200, "{}", on_b.text());
    assert_eq!(
        on_a.json()["data"]["tokens"]["accessToken"],
        on_b.json()["data"]["tokens"]["accessToken"],
        "the answer remembered in Redis by one node is given by the other"
    );
}
