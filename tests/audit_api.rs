//! `GET /api/v1/audit`: super admins see everything, tenant admins their tenant.
#![cfg(feature = "ssr")]

mod common;

use common::{TestApp, DEMO_PASSWORD};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn the_log_records_logins_and_each_admin_sees_their_share() {
    let app = TestApp::new().await;
    let wrong = json!({"email": "admin@whatsapp.com", "password": "not-it"});
    assert_eq!(
        app.post_json("/api/v1/auth/login", wrong, None)
            .await
            .status,
        401
    );
    let whatsapp = app.login("admin@whatsapp.com").await;
    let tm_admin = app.login("admin@taskmanager.com").await;
    let super_admin = app.login("superadmin@core.com").await;
    let token = |d: &serde_json::Value| d["tokens"]["accessToken"].as_str().unwrap().to_string();

    let res = app
        .get(
            "/api/v1/audit?action=auth.login",
            Some(&token(&super_admin)),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let data = res.json()["data"].clone();
    assert_eq!(data["total"], 4, "three successes and one failure");
    let first = &data["items"][0];
    assert_eq!(first["actorEmail"], "superadmin@core.com", "newest first");
    assert_eq!(first["tenantDomain"], "core");
    assert!(
        !res.text().contains(DEMO_PASSWORD) && !res.text().contains("not-it"),
        "no secrets"
    );

    let res = app
        .get("/api/v1/audit?outcome=failure", Some(&token(&super_admin)))
        .await;
    let failures = res.json()["data"]["items"].clone();
    assert_eq!(failures.as_array().unwrap().len(), 1);
    assert_eq!(failures[0]["details"]["email"], "admin@whatsapp.com");
    assert_eq!(failures[0]["tenantId"], serde_json::Value::Null);

    // The taskmanager admin sees taskmanager's entries only: not WhatsApp's, not the failure.
    let res = app.get("/api/v1/audit", Some(&token(&tm_admin))).await;
    assert_eq!(res.status, 200);
    let items = res.json()["data"]["items"].clone();
    assert!(!items.as_array().unwrap().is_empty());
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["tenantDomain"] == "taskmanager"),
        "{items}"
    );
    let _ = whatsapp;

    let user = app.login("user@taskmanager.com").await;
    assert_eq!(
        app.get("/api/v1/audit", Some(&token(&user))).await.status,
        403
    );
    assert_eq!(app.get("/api/v1/audit", None).await.status, 401);
    let res = app
        .get("/api/v1/audit?outcome=maybe", Some(&token(&super_admin)))
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "outcome");
    let res = app
        .get("/api/v1/audit?since=yesterday", Some(&token(&super_admin)))
        .await;
    assert_eq!(res.status, 422);
}
