//! `/api/v1/auth/*` as an API client sees it.
#![cfg(feature = "ssr")]

mod common;

use common::{TestApp, DEMO_PASSWORD};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use inti::server::db::schema::{tenants, users};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn login_answers_the_seed_document_shape() {
    let app = TestApp::new().await;
    let data = app.login("superadmin@core.com").await;

    let user = &data["user"];
    assert_eq!(user["email"], "superadmin@core.com");
    assert_eq!(user["name"], "Super Admin");
    assert_eq!(user["roles"], json!(["SUPER_ADMIN"]));
    assert_eq!(user["permissions"], json!(["*"]));
    assert_eq!(user["homeTenantId"], user["currentTenantId"]);
    for key in [
        "id",
        "email",
        "name",
        "homeTenantId",
        "currentTenantId",
        "roles",
        "permissions",
        // Beyond the seed document's shape: how the person wants times shown.
        "display",
    ] {
        assert!(user.get(key).is_some(), "user.{key} missing");
    }
    assert_eq!(
        user.as_object().unwrap().len(),
        8,
        "no extra user fields: {user}"
    );

    let tenants = data["tenants"].as_array().unwrap();
    let domains: Vec<_> = tenants
        .iter()
        .map(|t| t["domain"].as_str().unwrap())
        .collect();
    assert_eq!(domains, ["core", "taskmanager", "whatsapp"]);
    assert_eq!(tenants[0]["type"], "CORE");
    assert_eq!(tenants[0]["name"], "Core Platform");
    assert_eq!(tenants[1]["type"], "BUSINESS");
    assert!(tenants.iter().all(|t| t["userRole"] == "SUPER_ADMIN"));
    assert_eq!(tenants[0]["id"], user["currentTenantId"]);

    let tokens = &data["tokens"];
    assert_eq!(
        tokens["accessToken"].as_str().unwrap().split('.').count(),
        3
    );
    assert_eq!(tokens["refreshToken"].as_str().unwrap().len(), 64);
    assert_eq!(tokens["expiresIn"], 900);
}

#[tokio::test(flavor = "multi_thread")]
async fn tenant_slug_picks_a_reachable_starting_tenant_and_login_is_recorded() {
    let app = TestApp::new().await;
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "SuperAdmin@Core.com", "password": DEMO_PASSWORD, "tenantSlug": "taskmanager"}),
            None,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let data = res.json()["data"].clone();
    let current = data["user"]["currentTenantId"]
        .as_str()
        .unwrap()
        .to_string();
    let taskmanager = data["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["domain"] == "taskmanager")
        .unwrap();
    assert_eq!(taskmanager["id"], current.as_str());
    assert_ne!(data["user"]["homeTenantId"], current.as_str());

    let mut conn = app.db.conn().await;
    let (last_login, current_tenant): (Option<chrono::DateTime<chrono::Utc>>, Option<uuid::Uuid>) =
        users::table
            .filter(users::email.eq("superadmin@core.com"))
            .select((users::last_login_at, users::current_tenant_id))
            .first(&mut conn)
            .await
            .unwrap();
    assert!(last_login.is_some());
    assert_eq!(current_tenant.unwrap().to_string(), current);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_login_failure_gets_the_same_401_body() {
    let app = TestApp::new().await;
    let mut conn = app.db.conn().await;
    diesel::update(users::table.filter(users::email.eq("admin@whatsapp.com")))
        .set(users::status.eq("SUSPENDED"))
        .execute(&mut conn)
        .await
        .unwrap();

    let attempts = [
        json!({"email": "superadmin@core.com", "password": "wrong-password"}),
        json!({"email": "nobody@core.com", "password": DEMO_PASSWORD}),
        json!({"email": "admin@whatsapp.com", "password": DEMO_PASSWORD}),
        json!({"email": "user@taskmanager.com", "password": DEMO_PASSWORD, "tenantSlug": "core"}),
        json!({"email": "user@taskmanager.com", "password": DEMO_PASSWORD, "tenantSlug": "no-such-tenant"}),
    ];
    let mut bodies = Vec::new();
    for attempt in attempts {
        let res = app
            .post_json("/api/v1/auth/login", attempt.clone(), None)
            .await;
        assert_eq!(res.status, 401, "{attempt}: {}", res.text());
        bodies.push(res.text());
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:?}");
    let body: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(body["success"], false);
    assert_eq!(body["error"]["code"], "INVALID_CREDENTIALS");
    assert_eq!(body["error"]["message"], "Invalid email or password");

    // A suspended tenant cannot be entered either.
    diesel::update(tenants::table.filter(tenants::domain.eq("taskmanager")))
        .set(tenants::status.eq("SUSPENDED"))
        .execute(&mut conn)
        .await
        .unwrap();
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "user@taskmanager.com", "password": DEMO_PASSWORD}),
            None,
        )
        .await;
    assert_eq!(res.text(), bodies[0]);
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_login_requests_name_the_field() {
    let app = TestApp::new().await;
    let res = app
        .post_json("/api/v1/auth/login", json!({"password": "x"}), None)
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["code"], "VALIDATION_ERROR");
    assert_eq!(res.json()["error"]["details"]["field"], "email");

    let res = app
        .post_json("/api/v1/auth/login", json!({"email": 5}), None)
        .await;
    assert_eq!(res.status, 422);
    // The body's error names its JSON path, not just "body".
    assert_eq!(res.json()["error"]["details"]["field"], "email");
    assert_eq!(res.json()["error"]["message"], "must be a string");

    let req = axum::http::Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .unwrap();
    let res = app.request(req).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["message"], "The body is not valid JSON");
}

#[tokio::test(flavor = "multi_thread")]
async fn me_answers_the_current_user_and_tenant_for_a_bearer_token_only() {
    let app = TestApp::new().await;
    let data = app.login("admin@taskmanager.com").await;
    let token = data["tokens"]["accessToken"].as_str().unwrap();

    let res = app.get("/api/v1/auth/me", Some(token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let me = res.json()["data"].clone();
    assert_eq!(me["user"]["email"], "admin@taskmanager.com");
    assert_eq!(me["user"]["roles"], json!(["TENANT_ADMIN"]));
    assert_eq!(me["currentTenant"]["domain"], "taskmanager");
    assert_eq!(me["currentTenant"]["userRole"], "TENANT_ADMIN");
    assert_eq!(me["tenants"].as_array().unwrap().len(), 1);

    for bad in [None, Some("garbage"), Some(&format!("{token}x")[..])] {
        let res = app.get("/api/v1/auth/me", bad).await;
        assert_eq!(res.status, 401, "{bad:?}");
        assert_eq!(res.json()["error"]["code"], "UNAUTHENTICATED");
        assert_eq!(res.header("www-authenticate").as_deref(), Some("Bearer"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_rotates_and_a_replayed_token_revokes_the_family() {
    // Past the grace period a replay is an attack (within it, see `hardening.rs`).
    let app = TestApp::with_settings(|s| {
        s.auth.refresh_reuse_grace = std::time::Duration::from_millis(50)
    })
    .await;
    let data = app.login("user@taskmanager.com").await;
    let first = data["tokens"]["refreshToken"].as_str().unwrap().to_string();

    let res = app
        .post_json("/api/v1/auth/refresh", json!({"refreshToken": first}), None)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let tokens = res.json()["data"]["tokens"].clone();
    let second = tokens["refreshToken"].as_str().unwrap().to_string();
    let access = tokens["accessToken"].as_str().unwrap().to_string();
    assert_ne!(first, second);
    assert_eq!(app.get("/api/v1/auth/me", Some(&access)).await.status, 200);

    // Replaying the spent token: refused, and the whole family (the new token too) dies.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let res = app
        .post_json("/api/v1/auth/refresh", json!({"refreshToken": first}), None)
        .await;
    assert_eq!(res.status, 401);
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refreshToken": second}),
            None,
        )
        .await;
    assert_eq!(res.status, 401);
    assert_eq!(app.get("/api/v1/auth/me", Some(&access)).await.status, 401);

    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refreshToken": "unknown"}),
            None,
        )
        .await;
    assert_eq!(res.status, 401);
    let res = app.post_json("/api/v1/auth/refresh", json!({}), None).await;
    assert_eq!(res.status, 422);
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_refreshes_with_one_token_rotate_once_and_share_the_answer() {
    let app = TestApp::new().await;
    let data = app.login("user@taskmanager.com").await;
    let token = data["tokens"]["refreshToken"].as_str().unwrap().to_string();
    let body = json!({"refreshToken": token});
    let (a, b) = tokio::join!(
        app.post_json("/api/v1/auth/refresh", body.clone(), None),
        app.post_json("/api/v1/auth/refresh", body.clone(), None)
    );
    // Two tabs refreshing at once: exactly one rotation, and both get its pair (the grace
    // period); without the grace period the loser would revoke the winner's family.
    assert_eq!(
        (a.status, b.status),
        (200, 200),
        "{} / {}",
        a.text(),
        b.text()
    );
    let (pa, pb) = (
        a.json()["data"]["tokens"].clone(),
        b.json()["data"]["tokens"].clone(),
    );
    assert_eq!(pa, pb);
    let access = pa["accessToken"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/auth/me", Some(access)).await.status, 200);
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refreshToken": pa["refreshToken"]}),
            None,
        )
        .await;
    assert_eq!(
        res.status,
        200,
        "the shared pair rotates on: {}",
        res.text()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_revokes_the_access_and_refresh_tokens() {
    let app = TestApp::new().await;
    let data = app.login("admin@whatsapp.com").await;
    let access = data["tokens"]["accessToken"].as_str().unwrap();
    let refresh = data["tokens"]["refreshToken"].as_str().unwrap();

    let res = app
        .post_json("/api/v1/auth/logout", json!({}), Some(access))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.json(),
        json!({"success": true, "data": {"loggedOut": true}})
    );

    assert_eq!(app.get("/api/v1/auth/me", Some(access)).await.status, 401);
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refreshToken": refresh}),
            None,
        )
        .await;
    assert_eq!(res.status, 401);
    assert_eq!(
        app.post_json("/api/v1/auth/logout", json!({}), None)
            .await
            .status,
        401
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suspended_user_loses_access_on_the_next_request() {
    let app = TestApp::new().await;
    let data = app.login("user@taskmanager.com").await;
    let access = data["tokens"]["accessToken"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/auth/me", Some(access)).await.status, 200);

    let mut conn = app.db.conn().await;
    diesel::update(users::table.filter(users::email.eq("user@taskmanager.com")))
        .set(users::status.eq("SUSPENDED"))
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(app.get("/api/v1/auth/me", Some(access)).await.status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_api_paths_answer_a_json_404() {
    let app = TestApp::new().await;
    let res = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(res.status, 404);
    assert_eq!(res.json()["error"]["code"], "NOT_FOUND");
}
