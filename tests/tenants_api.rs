//! `/api/v1/core/tenants`: super admins only.
#![cfg(feature = "ssr")]

mod common;

use common::{TestApp, DEMO_PASSWORD};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn super_admin_lists_searches_and_pages() {
    let app = TestApp::new().await;
    let admin = app.token("superadmin@core.com").await;

    let res = app.get("/api/v1/core/tenants", Some(&admin)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let data = res.json()["data"].clone();
    assert_eq!(data["total"], 3);
    let domains: Vec<_> = data["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["domain"].clone())
        .collect();
    assert_eq!(
        domains,
        [json!("core"), json!("taskmanager"), json!("whatsapp")]
    );
    let taskmanager = &data["items"][1];
    assert_eq!(taskmanager["userCount"], 2);
    assert_eq!(taskmanager["subscriptionTier"], "PROFESSIONAL");
    assert_eq!(taskmanager["type"], "BUSINESS");

    let res = app
        .get("/api/v1/core/tenants?search=TASK", Some(&admin))
        .await;
    assert_eq!(res.json()["data"]["total"], 1);
    let res = app
        .get("/api/v1/core/tenants?search=%25", Some(&admin))
        .await;
    assert_eq!(res.json()["data"]["total"], 0, "% is literal");
    let res = app
        .get("/api/v1/core/tenants?perPage=1&page=2", Some(&admin))
        .await;
    let data = res.json()["data"].clone();
    assert_eq!(
        (
            data["total"].clone(),
            data["items"].as_array().unwrap().len()
        ),
        (json!(3), 1)
    );
    assert_eq!(data["items"][0]["domain"], "taskmanager");
    let res = app
        .get("/api/v1/core/tenants?status=bogus", Some(&admin))
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "status");
}

#[tokio::test(flavor = "multi_thread")]
async fn create_validates_and_changes_nothing_on_bad_input() {
    let app = TestApp::new().await;
    let admin = app.token("superadmin@core.com").await;
    let create = |body| app.post_json("/api/v1/core/tenants", body, Some(&admin));

    let res =
        create(json!({"name": "Acme Corp", "domain": "Acme", "subscriptionTier": "enterprise"}))
            .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let acme = res.json()["data"].clone();
    assert_eq!(acme["domain"], "acme");
    assert_eq!(acme["maxUsers"], 1000);
    assert_eq!(acme["status"], "ACTIVE");
    assert_eq!(acme["type"], "BUSINESS");

    let res = create(json!({"name": "Again", "domain": "acme"})).await;
    assert_eq!(
        res.status,
        409,
        "a taken domain is a conflict: {}",
        res.text()
    );
    assert_eq!(res.json()["error"]["details"]["field"], "domain");
    for (body, field) in [
        (json!({"name": "Bad", "domain": "-bad-"}), "domain"),
        (json!({"name": " ", "domain": "blank"}), "name"),
        (
            json!({"name": "Tier", "domain": "tier", "subscriptionTier": "GOLD"}),
            "subscriptionTier",
        ),
    ] {
        let res = create(body.clone()).await;
        assert_eq!(res.status, 422, "{body}");
        assert_eq!(res.json()["error"]["details"]["field"], field, "{body}");
    }
    let res = app.get("/api/v1/core/tenants", Some(&admin)).await;
    assert_eq!(res.json()["data"]["total"], 4, "only acme was added");

    let id = acme["id"].as_str().unwrap();
    let res = app
        .get(&format!("/api/v1/core/tenants/{id}"), Some(&admin))
        .await;
    assert_eq!(res.json()["data"]["name"], "Acme Corp");
    assert_eq!(
        app.get(
            &format!("/api/v1/core/tenants/{}", uuid::Uuid::new_v4()),
            Some(&admin)
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.get("/api/v1/core/tenants/not-a-uuid", Some(&admin))
            .await
            .status,
        404
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn suspending_a_tenant_blocks_logins_and_ends_its_sessions() {
    let app = TestApp::new().await;
    let admin = app.token("superadmin@core.com").await;
    let member = app.token("user@taskmanager.com").await;
    let list = app
        .get("/api/v1/core/tenants?search=taskmanager", Some(&admin))
        .await;
    let id = list.json()["data"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/core/tenants/{id}");

    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"status": "suspended", "subscriptionTier": "STARTER"})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["status"], "SUSPENDED");
    assert_eq!(res.json()["data"]["maxUsers"], 10);

    assert_eq!(app.get("/api/v1/auth/me", Some(&member)).await.status, 401);
    let login = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "user@taskmanager.com", "password": DEMO_PASSWORD}),
            None,
        )
        .await;
    assert_eq!(login.status, 401);

    let res = app
        .send("PATCH", &path, Some(json!({"status": "ACTIVE"})), &admin)
        .await;
    assert_eq!(res.status, 200);
    app.login("user@taskmanager.com").await;

    let core = app
        .get("/api/v1/core/tenants?search=core", Some(&admin))
        .await;
    let core_id = core.json()["data"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/core/tenants/{core_id}"),
            Some(json!({"status": "SUSPENDED"})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "status");
    let res = app.send("PATCH", &path, Some(json!({})), &admin).await;
    assert_eq!(res.status, 422);
    let res = app
        .send("PATCH", &path, Some(json!({"domain": "renamed"})), &admin)
        .await;
    assert_eq!(res.status, 422, "the slug cannot be changed");
}

#[tokio::test(flavor = "multi_thread")]
async fn only_super_admins_reach_tenant_administration() {
    let app = TestApp::new().await;
    let admin = app.token("superadmin@core.com").await;
    let list = app
        .get("/api/v1/core/tenants?search=whatsapp", Some(&admin))
        .await;
    let id = list.json()["data"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/core/tenants/{id}");

    for email in [
        "admin@taskmanager.com",
        "user@taskmanager.com",
        "admin@whatsapp.com",
    ] {
        let t = app.token(email).await;
        assert_eq!(
            app.get("/api/v1/core/tenants", Some(&t)).await.status,
            403,
            "{email}"
        );
        assert_eq!(app.get(&path, Some(&t)).await.status, 403, "{email}");
        let res = app
            .post_json(
                "/api/v1/core/tenants",
                json!({"name": "X", "domain": "x-co"}),
                Some(&t),
            )
            .await;
        assert_eq!(res.status, 403, "{email}");
        assert_eq!(
            app.send("PATCH", &path, Some(json!({"name": "Hacked"})), &t)
                .await
                .status,
            403,
            "{email}"
        );
    }
    assert_eq!(app.get("/api/v1/core/tenants", None).await.status, 401);
    assert_eq!(app.get(&path, None).await.status, 401);
    let res = app.get(&path, Some(&admin)).await;
    assert_eq!(
        res.json()["data"]["name"],
        "WhatsApp Gateway",
        "nothing was changed"
    );
}

/// A tenant admin renames their own tenant and edits its settings; tier, limit, status and
/// domain stay the platform's; a member without `tenant:update` is refused whatever the body;
/// nobody reaches another tenant this way (the tenant is the session's).
#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_admin_edits_their_own_tenant_and_nothing_else() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let user = app.token("user@taskmanager.com").await;
    let other = app.token("admin@whatsapp.com").await;
    let own =
        async |token: &str| app.get("/api/v1/tenant", Some(token)).await.json()["data"].clone();
    let before = own(&other).await;

    let res = app
        .send(
            "PATCH",
            "/api/v1/tenant",
            Some(json!({ "name": "Tasks Inc", "settings": { "theme": "dark" } })),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let after = own(&admin).await;
    assert_eq!(after["name"], "Tasks Inc");
    assert_eq!(after["settings"], json!({ "theme": "dark" }));
    assert_eq!(after["maxUsers"], 50);

    for (body, field) in [
        (
            json!({ "subscriptionTier": "ENTERPRISE" }),
            "subscriptionTier",
        ),
        (json!({ "maxUsers": 100000 }), "maxUsers"),
        (json!({ "status": "SUSPENDED" }), "status"),
        (json!({ "domain": "stolen" }), "domain"),
        (json!({ "settings": [1, 2] }), "settings"),
        (json!({ "name": "" }), "name"),
        (json!({}), "body"),
    ] {
        let res = app
            .send("PATCH", "/api/v1/tenant", Some(body.clone()), &admin)
            .await;
        assert_eq!(res.status, 422, "{body}: {}", res.text());
        assert_eq!(res.json()["error"]["details"]["field"], field, "{body}");
    }
    assert_eq!(own(&admin).await, after, "refused changes changed nothing");

    // Without tenant:update: 403, whatever the body.
    for body in [json!({ "name": "Mine now" }), json!({ "maxUsers": "x" })] {
        let res = app.send("PATCH", "/api/v1/tenant", Some(body), &user).await;
        assert_eq!(res.status, 403, "{}", res.text());
    }
    // Reading it needs tenant:read, which a member holds.
    assert_eq!(own(&user).await["name"], "Tasks Inc");
    // The other tenant is untouched.
    assert_eq!(own(&other).await, before);
    assert_eq!(app.get("/api/v1/tenant", None).await.status, 401);
}
