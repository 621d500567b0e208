//! The dashboard answers "what needs me?": a member's services, tasks and notifications;
//! the tenant's panels with `dashboard:view`, each with its page's permission; the platform's
//! figures for super admins only; never another tenant's data.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use inti::server::services::demo;
use serde_json::{json, Value};

async fn dashboard(app: &TestApp, token: &str) -> Value {
    let res = app.get("/api/v1/dashboard", Some(token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["data"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_role_sees_the_panels_it_may_and_only_its_tenant() {
    let app = TestApp::new().await;
    demo::seed_tasks(&app.state).await.unwrap();
    // Seeding again adds nothing.
    demo::seed_tasks(&app.state).await.unwrap();
    let admin = app.token("admin@taskmanager.com").await;
    let user = app.token("user@taskmanager.com").await;

    // The member: the Task Manager, healthy or not; their three open tasks, two due this
    // week (one tomorrow); the tenant's seats and services, not its invitations or audit.
    let mine = dashboard(&app, &user).await;
    assert_eq!(mine["services"][0]["name"], "task-manager", "{mine}");
    assert_eq!(mine["tasks"]["assignedOpen"], 3, "{mine}");
    let due: Vec<&str> = mine["tasks"]["due"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(due, ["Fix the invoice export", "Set up the weekly report"]);
    let tenant = &mine["tenant"];
    assert_eq!(tenant["seats"], json!({ "used": 2, "limit": 50 }), "{mine}");
    assert!(tenant["pendingInvitations"].is_null());
    assert!(tenant["accessEnding"].is_null());
    assert!(tenant["audit"].is_null());
    assert_eq!(tenant["services"][0]["name"], "task-manager");
    assert!(mine["platform"].is_null());

    // The tenant admin: an invitation waiting, a member whose access ends in three days,
    // the newest audit entries.
    let res = app
        .post_json(
            "/api/v1/users",
            json!({ "email": "new.hire@example.com", "name": "New Hire", "role": "USER" }),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text());
    let user_id = app.id_of("users", "user@taskmanager.com").await;
    let soon = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/users/{user_id}"),
            Some(json!({ "expiresAt": soon })),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let theirs = dashboard(&app, &admin).await;
    let tenant = &theirs["tenant"];
    assert_eq!(tenant["pendingInvitations"], 1, "{theirs}");
    assert_eq!(tenant["accessEnding"][0]["email"], "user@taskmanager.com");
    let actions: Vec<&str> = tenant["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"user.invite"), "{actions:?}");
    assert!(theirs["platform"].is_null());

    // Another tenant's admin sees none of it: no Task Manager, their own seats.
    let other = dashboard(&app, &app.token("admin@whatsapp.com").await).await;
    assert!(other["tasks"].is_null(), "{other}");
    assert_eq!(other["tenant"]["seats"]["used"], 1);
    assert_eq!(other["tenant"]["pendingInvitations"], 0);
    assert!(
        other.to_string().find("taskmanager.com").is_none(),
        "{other}"
    );

    // The super admin, in the core tenant: the platform's figures.
    let root = dashboard(&app, &app.token("superadmin@core.com").await).await;
    let platform = &root["platform"];
    assert_eq!(
        platform["tenantsByStatus"],
        json!([{ "key": "ACTIVE", "count": 3 }]),
        "{root}"
    );
    assert!(platform["gatewayCallsHour"].is_number());
    assert!(platform["failedMail7d"].is_number());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_dashboard_view_only_ones_own_panels_show() {
    let app = TestApp::new().await;
    let mut conn = app.db.conn().await;
    diesel::sql_query(
        "DELETE FROM role_permissions WHERE permission = 'dashboard:view' \
         AND role_id = (SELECT id FROM roles WHERE name = $1 AND tenant_id IS NULL)",
    )
    .bind::<Text, _>("USER")
    .execute(&mut conn)
    .await
    .unwrap();
    let user = app.token("user@taskmanager.com").await;
    let mine = dashboard(&app, &user).await;
    assert!(mine["tenant"].is_null(), "{mine}");
    assert_eq!(mine["services"][0]["name"], "task-manager");
    // Unknown callers get nothing.
    assert_eq!(app.get("/api/v1/dashboard", None).await.status, 401);
}
