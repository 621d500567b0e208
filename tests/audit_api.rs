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

/// A business tenant sees that platform staff acted in it, never who or from where; super
/// admins still see everything.
#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_sees_platform_staff_without_their_address_or_network() {
    let app = TestApp::new().await;
    let tenant = app.id_of("tenants", "taskmanager").await;
    // The super admin signs in from a known address and switches into taskmanager there.
    let from = |path: &str, body: serde_json::Value, bearer: Option<&str>| {
        let mut req = axum::http::Request::post(path).header("content-type", "application/json");
        if let Some(b) = bearer {
            req = req.header("authorization", format!("Bearer {b}"));
        }
        let mut req = req.body(axum::body::Body::from(body.to_string())).unwrap();
        let addr: std::net::SocketAddr = "203.0.113.77:40000".parse().unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(addr));
        req
    };
    let login = app
        .request(from(
            "/api/v1/auth/login",
            json!({"email": "superadmin@core.com", "password": DEMO_PASSWORD}),
            None,
        ))
        .await;
    assert_eq!(login.status, 200, "{}", login.text());
    let root = login.json()["data"]["tokens"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let switched = app
        .request(from(
            "/api/v1/auth/switch-tenant",
            json!({"tenantId": tenant}),
            Some(&root),
        ))
        .await;
    assert_eq!(switched.status, 200, "{}", switched.text());

    let staff_entry = |items: &serde_json::Value| {
        items["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "auth.switch_tenant")
            .cloned()
            .expect("the switch is in the tenant's log")
    };
    let admin = app.token("admin@taskmanager.com").await;
    let seen = app.get("/api/v1/audit", Some(&admin)).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    let entry = staff_entry(&seen.json());
    assert_eq!(entry["actorPlatform"], true);
    assert_eq!(entry["actorEmail"], serde_json::Value::Null);
    assert_eq!(entry["actorUserId"], serde_json::Value::Null);
    assert_eq!(entry["clientIp"], serde_json::Value::Null);
    assert!(!seen.text().contains("superadmin@core.com"));
    assert!(!seen.text().contains("203.0.113.77"));
    // Nor does filtering by a guessed id confirm who it was.
    let staff = app.id_of("users", "superadmin@core.com").await;
    let res = app
        .get(&format!("/api/v1/audit?actorUserId={staff}"), Some(&admin))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["total"], 0);

    // The platform's own view keeps all of it.
    let root = app.token("superadmin@core.com").await;
    let all = app
        .get("/api/v1/audit?action=auth.switch_tenant", Some(&root))
        .await;
    let entry = staff_entry(&all.json());
    assert_eq!(entry["actorEmail"], "superadmin@core.com");
    assert_eq!(entry["clientIp"], "203.0.113.77");
}
