//! Authenticated requests are answered from memory, and a suspension, a
//! revoked session, a suspended tenant or an ended grant still takes effect on the very next
//! request on the node that made the change, and on every other node as soon as the
//! change's notification reaches it (well under a millisecond on an idle machine; these tests
//! allow a loaded CI machine a second). They use `request_as_is`: nothing waits for
//! notifications but the app itself.
#![cfg(feature = "ssr")]

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use common::TestApp;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use inti::server::db::schema::{tenants, user_tenant_access, users};
use serde_json::json;
use uuid::Uuid;

const ME: &str = "/api/v1/auth/me";

async fn get(node: &TestApp, path: &str, token: &str) -> common::Response {
    let req = Request::get(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    node.request_as_is(req).await
}

async fn send(
    node: &TestApp,
    method: &str,
    path: &str,
    body: serde_json::Value,
    token: &str,
) -> common::Response {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body.to_string()))
        .unwrap();
    node.request_as_is(req).await
}

/// The status `node` answers once the change's notification has reached it: what a request
/// sent that long after the commit sees.
async fn status_on_another_node(node: &TestApp, path: &str, token: &str, expected: u16) -> u16 {
    let start = std::time::Instant::now();
    loop {
        let status = get(node, path, token).await.status;
        if status == expected || start.elapsed() > Duration::from_secs(1) {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

fn session_of(node: &TestApp, token: &str) -> Uuid {
    node.state.jwt.verify(token).unwrap().sid
}

/// Makes `node` answer the user's requests from memory (retrying while its listener
/// reconnects, which a loaded machine can cause).
async fn warm(node: &TestApp, token: &str) {
    let sid = session_of(node, token);
    for _ in 0..100 {
        let res = get(node, ME, token).await;
        assert_eq!(res.status, 200, "{}", res.text());
        if node.state.access.actor(sid).is_some() && node.state.access.view(sid).is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    panic!("the actor and the signed-in view are not cached");
}

async fn user_id(app: &TestApp, email: &str) -> Uuid {
    let mut conn = app.db.conn().await;
    users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(&mut conn)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suspension_on_one_node_ends_access_on_the_next_request_on_both() {
    let a = TestApp::new().await;
    let b = a.another_node().await;
    let token = a.token("user@taskmanager.com").await;
    warm(&a, &token).await;
    warm(&b, &token).await;

    let admin = a.token("admin@taskmanager.com").await;
    let user = user_id(&a, "user@taskmanager.com").await;
    let res = send(
        &a,
        "PATCH",
        &format!("/api/v1/users/{user}"),
        json!({"accessStatus": "SUSPENDED"}),
        &admin,
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());

    assert_eq!(
        get(&a, ME, &token).await.status,
        401,
        "the node that made the change"
    );
    assert_eq!(
        status_on_another_node(&b, ME, &token, 401).await,
        401,
        "another node"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_logout_on_one_node_ends_the_token_on_another() {
    let a = TestApp::new().await;
    let b = a.another_node().await;
    let token = a.token("admin@taskmanager.com").await;
    warm(&b, &token).await;

    let res = send(&a, "POST", "/api/v1/auth/logout", json!({}), &token).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(status_on_another_node(&b, ME, &token, 401).await, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suspended_tenant_ends_its_sessions_everywhere_and_an_edit_shows_at_once() {
    let a = TestApp::new().await;
    let b = a.another_node().await;
    let root = a.token("superadmin@core.com").await;
    let user = a.token("user@taskmanager.com").await;
    warm(&b, &user).await;
    warm(&b, &root).await;
    warm(&a, &root).await;
    let mut conn = a.db.conn().await;
    let tenant: Uuid = tenants::table
        .filter(tenants::domain.eq("taskmanager"))
        .select(tenants::id)
        .first(&mut conn)
        .await
        .unwrap();

    // A rename shows in the signed-in view on the next request, on this node and the other.
    let path = format!("/api/v1/core/tenants/{tenant}");
    let res = send(
        &a,
        "PATCH",
        &path,
        json!({"name": "Task Manager Renamed"}),
        &root,
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let me = get(&a, ME, &root).await;
    assert_eq!(me.status, 200);
    let renamed = |me: &common::Response| {
        me.json()["data"]["tenants"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "Task Manager Renamed")
    };
    assert!(renamed(&me), "{}", me.text());
    let start = std::time::Instant::now();
    while !renamed(&get(&b, ME, &user).await) && start.elapsed() < Duration::from_secs(1) {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let me = get(&b, ME, &user).await;
    assert_eq!(
        me.json()["data"]["currentTenant"]["name"],
        "Task Manager Renamed"
    );

    let res = send(&a, "PATCH", &path, json!({"status": "SUSPENDED"}), &root).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(status_on_another_node(&b, ME, &user, 401).await, 401);
    assert_eq!(
        get(&b, ME, &root).await.status,
        200,
        "the platform admin is elsewhere"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_grant_ends_at_its_expiry_without_any_change_being_announced() {
    let app = TestApp::new().await;
    let user = user_id(&app, "user@taskmanager.com").await;
    let mut conn = app.db.conn().await;
    diesel::update(user_tenant_access::table.filter(user_tenant_access::user_id.eq(user)))
        .set(user_tenant_access::expires_at.eq(chrono::Utc::now() + chrono::Duration::seconds(3)))
        .execute(&mut conn)
        .await
        .unwrap();
    let token = app.token("user@taskmanager.com").await;
    warm(&app, &token).await;
    tokio::time::sleep(Duration::from_millis(3200)).await;
    assert_eq!(get(&app, ME, &token).await.status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_cached_survives_a_lost_listener() {
    let app = TestApp::new().await;
    let token = app.token("user@taskmanager.com").await;
    warm(&app, &token).await;

    // Cut the listener's connection, and change the user while nobody listens.
    let mut conn = app.db.conn().await;
    diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = 'inti_access_listener'",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    for _ in 0..400 {
        if app.state.access.ticket().is_none() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(
        app.state.access.ticket().is_none(),
        "the cache noticed the lost listener"
    );
    diesel::update(users::table.filter(users::email.eq("user@taskmanager.com")))
        .set(users::status.eq("SUSPENDED"))
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        get(&app, ME, &token).await.status,
        401,
        "while it reconnects"
    );

    // Back, with an empty cache: the change made during the gap holds.
    for _ in 0..500 {
        if app.state.access.ticket().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        app.state.access.ticket().is_some(),
        "the listener reconnects"
    );
    assert_eq!(get(&app, ME, &token).await.status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_change_reaches_its_holders_and_leaves_other_sessions_cached() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let res = send(
        &app,
        "POST",
        "/api/v1/roles",
        json!({"name": "READER", "description": "", "permissions": ["user:read"]}),
        &admin,
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let role = res.json()["data"]["id"].as_str().unwrap().to_string();
    let user = user_id(&app, "user@taskmanager.com").await;
    let res = send(
        &app,
        "PATCH",
        &format!("/api/v1/users/{user}"),
        json!({"role": "READER"}),
        &admin,
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let reader = app.token("user@taskmanager.com").await;
    let other = app.token("admin@whatsapp.com").await;
    warm(&app, &reader).await;
    warm(&app, &other).await;
    assert_eq!(get(&app, "/api/v1/users", &reader).await.status, 200);

    let res = send(
        &app,
        "PATCH",
        &format!("/api/v1/roles/{role}"),
        json!({"permissions": ["dashboard:view"]}),
        &admin,
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        get(&app, "/api/v1/users", &reader).await.status,
        403,
        "the holder's next request"
    );
    assert!(
        app.state.access.actor(session_of(&app, &other)).is_some(),
        "another tenant's cached session stays"
    );
}
