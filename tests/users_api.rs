//! `/api/v1/users`: members of the caller's current tenant.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use inti::server::db::schema::{tenants, user_tenant_access, users};
use serde_json::{json, Value};

async fn user_id(app: &TestApp, email: &str) -> String {
    let mut conn = app.db.conn().await;
    let id: uuid::Uuid = users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(&mut conn)
        .await
        .unwrap();
    id.to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_admin_manages_their_own_tenant_only() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;

    let res = app.get("/api/v1/users", Some(&admin)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let emails: Vec<_> = res.json()["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].clone())
        .collect();
    assert_eq!(
        emails,
        [
            json!("admin@taskmanager.com"),
            json!("user@taskmanager.com")
        ]
    );

    let new = json!({"email": "New.Person@Example.com", "name": "New Person", "role": "user"});
    let res = app.post_json("/api/v1/users", new, Some(&admin)).await;
    assert_eq!(res.status, 202, "{}", res.text());
    let invited = res.json()["data"].clone();
    assert_eq!(invited["email"], "new.person@example.com");
    assert_eq!(invited["role"], "USER");
    assert_eq!(invited["status"], "PENDING");
    assert!(invited.get("passwordHash").is_none() && !res.text().contains("argon2"));

    // No password exists until the address's owner chooses one from the mailed link.
    let joined = app
        .join_as_new("new.person@example.com", "a long password")
        .await;
    assert_eq!(joined.status, 200, "{}", joined.text());
    let login = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "new.person@example.com", "password": "a long password"}),
            None,
        )
        .await;
    assert_eq!(login.status, 200, "the new user can log in");
    assert_eq!(
        login.json()["data"]["tenants"][0]["domain"],
        "taskmanager",
        "they accepted the invitation while choosing their password"
    );

    // Another tenant's member is not found, for every verb.
    let other = user_id(&app, "admin@whatsapp.com").await;
    let path = format!("/api/v1/users/{other}");
    assert_eq!(app.send("GET", &path, None, &admin).await.status, 404);
    assert_eq!(
        app.send("PATCH", &path, Some(json!({"name": "Hijacked"})), &admin)
            .await
            .status,
        404
    );
    assert_eq!(app.send("DELETE", &path, None, &admin).await.status, 404);
    let wa = app.token("admin@whatsapp.com").await;
    let me = app.get("/api/v1/auth/me", Some(&wa)).await;
    assert_eq!(
        me.json()["data"]["user"]["name"],
        "WhatsApp Admin",
        "nothing changed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_names_the_field_and_changes_nothing() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let cases = [
        (
            json!({"email": "not-an-email", "name": "X", "role": "USER"}),
            "email",
        ),
        (
            json!({"email": "a@b.io", "name": "", "role": "USER"}),
            "name",
        ),
        (
            // No admin chooses another person's password.
            json!({"email": "a@b.io", "name": "X", "password": "long enough pw", "role": "USER"}),
            "password",
        ),
        (
            json!({"email": "a@b.io", "name": "X", "role": "NOPE"}),
            "role",
        ),
        (
            json!({"email": "a@b.io", "name": "X", "role": "SUPER_ADMIN"}),
            "role",
        ),
        (json!({"email": "a@b.io", "name": "X", "role": ""}), "role"),
        (
            json!({"email": "a@b.io", "name": "X", "role": "USER", "expiresAt": "2000-01-01T00:00:00Z"}),
            "expiresAt",
        ),
    ];
    let res = app
        .post_json(
            "/api/v1/users",
            json!({"email": "user@taskmanager.com", "name": "X", "role": "USER"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 409, "already a member: {}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "email");
    for (body, field) in cases {
        let res = app
            .post_json("/api/v1/users", body.clone(), Some(&admin))
            .await;
        assert_eq!(res.status, 422, "{body}: {}", res.text());
        assert_eq!(res.json()["error"]["details"]["field"], field, "{body}");
    }
    let res = app.get("/api/v1/users", Some(&admin)).await;
    assert_eq!(res.json()["data"]["total"], 2);
    let mut conn = app.db.conn().await;
    let n: i64 = users::table
        .filter(users::email.eq("a@b.io"))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_users_cannot_manage_users_and_anonymous_callers_are_401() {
    let app = TestApp::new().await;
    let user = app.token("user@taskmanager.com").await;
    assert_eq!(app.get("/api/v1/users", Some(&user)).await.status, 403);
    let body =
        json!({"email": "x@y.io", "name": "X", "password": "long enough pw", "role": "USER"});
    assert_eq!(
        app.post_json("/api/v1/users", body.clone(), Some(&user))
            .await
            .status,
        403
    );
    let admin_id = user_id(&app, "admin@taskmanager.com").await;
    assert_eq!(
        app.send("DELETE", &format!("/api/v1/users/{admin_id}"), None, &user)
            .await
            .status,
        403
    );
    assert_eq!(app.get("/api/v1/users", None).await.status, 401);
    assert_eq!(app.post_json("/api/v1/users", body, None).await.status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn suspended_expired_and_removed_access_stops_on_the_next_request() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let member = user_id(&app, "user@taskmanager.com").await;
    let path = format!("/api/v1/users/{member}");

    // Suspend, then reactivate.
    let user = app.token("user@taskmanager.com").await;
    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"accessStatus": "SUSPENDED"})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(app.get("/api/v1/auth/me", Some(&user)).await.status, 401);
    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"accessStatus": "ACTIVE", "role": "TENANT_ADMIN"})),
            &admin,
        )
        .await;
    assert_eq!(res.json()["data"]["role"], "TENANT_ADMIN");

    // An expiry in the future keeps access; once it has passed, the same token stops working.
    let user = app.token("user@taskmanager.com").await;
    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"expiresAt": "2999-01-01T00:00:00Z"})),
            &admin,
        )
        .await;
    assert_eq!(res.json()["data"]["expiresAt"], "2999-01-01T00:00:00Z");
    assert_eq!(app.get("/api/v1/auth/me", Some(&user)).await.status, 200);
    let mut conn = app.db.conn().await;
    diesel::update(
        user_tenant_access::table
            .filter(user_tenant_access::user_id.eq(member.parse::<uuid::Uuid>().unwrap())),
    )
    .set(user_tenant_access::expires_at.eq(chrono::Utc::now() - chrono::Duration::seconds(1)))
    .execute(&mut conn)
    .await
    .unwrap();
    assert_eq!(app.get("/api/v1/auth/me", Some(&user)).await.status, 401);
    let res = app
        .send("PATCH", &path, Some(json!({"expiresAt": null})), &admin)
        .await;
    assert_eq!(res.json()["data"]["expiresAt"], Value::Null);
    let user = app.token("user@taskmanager.com").await;

    // Removal.
    let res = app.send("DELETE", &path, None, &admin).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(app.get("/api/v1/auth/me", Some(&user)).await.status, 401);
    assert_eq!(app.send("GET", &path, None, &admin).await.status, 404);
    let self_id = user_id(&app, "admin@taskmanager.com").await;
    let res = app
        .send("DELETE", &format!("/api/v1/users/{self_id}"), None, &admin)
        .await;
    assert_eq!(res.status, 422, "no removing yourself");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tier_limit_is_enforced_with_a_clear_error() {
    let app = TestApp::new().await;
    let mut conn = app.db.conn().await;
    diesel::update(tenants::table.filter(tenants::domain.eq("whatsapp")))
        .set(tenants::max_users.eq(2))
        .execute(&mut conn)
        .await
        .unwrap();
    let admin = app.token("admin@whatsapp.com").await;
    let add = |email: &str| json!({"email": email, "name": "Agent", "role": "USER"});
    assert_eq!(
        app.post_json("/api/v1/users", add("one@wa.io"), Some(&admin))
            .await
            .status,
        202,
        "a pending invitation holds a seat"
    );
    let res = app
        .post_json("/api/v1/users", add("two@wa.io"), Some(&admin))
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.json()["error"]["message"],
        "WhatsApp Gateway has reached its limit of 2 users (STARTER tier)"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn super_admins_list_every_account() {
    let app = TestApp::new().await;
    let admin = app.token("superadmin@core.com").await;
    let res = app.get("/api/v1/core/users", Some(&admin)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let data = res.json()["data"].clone();
    assert_eq!(data["total"], 4);
    let first = &data["items"][0];
    assert_eq!(first["email"], "admin@taskmanager.com");
    assert_eq!(first["homeTenantDomain"], "taskmanager");
    assert!(!res.text().contains("argon2"), "no password hashes");
    let res = app
        .get("/api/v1/core/users?search=whatsapp&perPage=1", Some(&admin))
        .await;
    assert_eq!(res.json()["data"]["total"], 1);
    let tm = app.token("admin@taskmanager.com").await;
    assert_eq!(app.get("/api/v1/core/users", Some(&tm)).await.status, 403);
}

/// The Users page, rendered on the server: later pages of members (with the pager's links)
/// and the tenant's custom roles among those offered to a new member.
#[tokio::test(flavor = "multi_thread")]
async fn the_users_page_pages_through_members_and_offers_custom_roles() {
    use axum::{body::Body, http::Request};
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let res = app
        .post_json(
            "/api/v1/roles",
            json!({"name": "support agent", "description": "", "permissions": ["user:read"]}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let role = res.json()["data"]["name"].as_str().unwrap().to_string();
    // 25 more members, who sort before the demo's two: 27 in all.
    app.add_members("taskmanager", 25).await;
    let cookie = app.browser_login("admin@taskmanager.com").await;
    let page = async |path: &str| {
        let req = Request::get(path)
            .header("accept", "text/html")
            .header("cookie", &cookie)
            .body(Body::empty())
            .unwrap();
        let res = app.request(req).await;
        assert_eq!(res.status, 200, "{}", res.text());
        res.text()
    };
    let first = page("/admin/users").await;
    assert!(first.contains("27 member(s) · page 1 of 2"), "{first}");
    assert!(first.contains("Member 20") && !first.contains("Member 21"));
    assert!(first.contains(r#"href="/admin/users?page=2" rel="next""#));
    assert!(
        first.contains(&format!(r#"<option value="{role}""#)),
        "the custom role {role} is offered"
    );
    let second = page("/admin/users?page=2").await;
    assert!(second.contains("27 member(s) · page 2 of 2"));
    assert!(second.contains("Member 21") && second.contains("Task Manager User"));
    assert!(!second.contains("Member 20"));
    assert!(second.contains(r#"href="/admin/users?page=1" rel="prev""#));
}
