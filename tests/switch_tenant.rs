//! `POST /api/v1/auth/switch-tenant`.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use inti::server::db::schema::{audit_log, users};
use serde_json::json;

fn tenant_id(login: &serde_json::Value, domain: &str) -> String {
    login["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["domain"] == domain)
        .map(|t| t["id"].as_str().unwrap().to_string())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn super_admin_switches_and_gets_a_new_pair_scoped_to_the_tenant() {
    let app = TestApp::new().await;
    let login = app.login("superadmin@core.com").await;
    let old_access = login["tokens"]["accessToken"].as_str().unwrap().to_string();
    let old_refresh = login["tokens"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_string();
    let target = tenant_id(&login, "taskmanager");

    let res = app
        .post_json(
            "/api/v1/auth/switch-tenant",
            json!({"tenantId": target}),
            Some(&old_access),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let data = res.json()["data"].clone();
    let user = &data["user"];
    assert_eq!(user["currentTenantId"], target.as_str());
    assert_eq!(
        user["currentTenant"],
        json!({"id": target, "name": "Task Manager", "domain": "taskmanager"})
    );
    assert_eq!(user["roles"], json!(["SUPER_ADMIN"]));
    assert_eq!(user["permissions"], json!(["*"]));
    // The tenant's services, with every endpoint: a super admin holds `*`.
    let services = user["accessibleServices"].as_array().unwrap();
    assert_eq!(services.len(), 1, "{services:?}");
    assert_eq!(services[0]["name"], "task-manager");
    assert_eq!(services[0]["displayName"], "Task Manager");
    assert_eq!(services[0]["type"], "INTERNAL");
    assert_eq!(
        services[0]["endpoints"],
        json!(["tasks:list", "tasks:create"])
    );
    assert_eq!(user["id"], login["user"]["id"]);

    let new_access = data["tokens"]["accessToken"].as_str().unwrap();
    let me = app.get("/api/v1/auth/me", Some(new_access)).await;
    assert_eq!(me.json()["data"]["currentTenant"]["domain"], "taskmanager");

    // The old pair belonged to the old session, which the switch ended.
    assert_eq!(
        app.get("/api/v1/auth/me", Some(&old_access)).await.status,
        401
    );
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refreshToken": old_refresh}),
            None,
        )
        .await;
    assert_eq!(res.status, 401);

    let mut conn = app.db.conn().await;
    let current: Option<uuid::Uuid> = users::table
        .filter(users::email.eq("superadmin@core.com"))
        .select(users::current_tenant_id)
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(current.unwrap().to_string(), target);
    let switches: i64 = audit_log::table
        .filter(audit_log::action.eq("auth.switch_tenant"))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(switches, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_tenant_is_404_whether_or_not_it_exists() {
    let app = TestApp::new().await;
    let admin = app.login("superadmin@core.com").await;
    let core = tenant_id(&admin, "core");
    let login = app.login("user@taskmanager.com").await;
    let access = login["tokens"]["accessToken"].as_str().unwrap();

    let exists = app
        .post_json(
            "/api/v1/auth/switch-tenant",
            json!({"tenantId": core}),
            Some(access),
        )
        .await;
    let missing = app
        .post_json(
            "/api/v1/auth/switch-tenant",
            json!({"tenantId": uuid::Uuid::new_v4()}),
            Some(access),
        )
        .await;
    assert_eq!(exists.status, 404);
    assert_eq!(exists.text(), missing.text());
    // Nothing changed: the session still works in its own tenant.
    let me = app.get("/api/v1/auth/me", Some(access)).await;
    assert_eq!(me.json()["data"]["currentTenant"]["domain"], "taskmanager");

    let bad = app
        .post_json(
            "/api/v1/auth/switch-tenant",
            json!({"tenantId": "core"}),
            Some(access),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["error"]["details"]["field"], "tenantId");
    let anonymous = app
        .post_json(
            "/api/v1/auth/switch-tenant",
            json!({"tenantId": core}),
            None,
        )
        .await;
    assert_eq!(anonymous.status, 401);
}
