//! `/api/v1/roles`: custom roles, made only of permissions their author holds.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_admin_defines_a_custom_role_and_grants_it() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;

    let res = app.get("/api/v1/roles", Some(&admin)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let names: Vec<_> = res.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].clone())
        .collect();
    assert_eq!(
        names,
        [json!("SUPER_ADMIN"), json!("TENANT_ADMIN"), json!("USER")]
    );

    let bad = [
        (
            json!({"name": "support", "description": "", "permissions": ["billing:read"]}),
            "permissions",
        ),
        (
            json!({"name": "support", "description": "", "permissions": ["*"]}),
            "permissions",
        ),
        (
            json!({"name": "support", "description": "", "permissions": []}),
            "permissions",
        ),
        (
            json!({"name": "support", "description": "", "permissions": ["Not Valid"]}),
            "permissions",
        ),
        (
            json!({"name": "9lives", "description": "", "permissions": ["user:read"]}),
            "name",
        ),
    ];
    // A name that is taken is a conflict, like a race between two creates would be.
    let res = app
        .post_json(
            "/api/v1/roles",
            json!({"name": "user", "description": "", "permissions": ["user:read"]}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "name");
    for (body, field) in bad {
        let res = app
            .post_json("/api/v1/roles", body.clone(), Some(&admin))
            .await;
        assert_eq!(res.status, 422, "{body}: {}", res.text());
        assert_eq!(res.json()["error"]["details"]["field"], field, "{body}");
    }

    let body = json!({"name": "support agent", "description": "Reads users", "permissions": ["user:read", "dashboard:view", "user:read"]});
    let res = app.post_json("/api/v1/roles", body, Some(&admin)).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let role = res.json()["data"].clone();
    assert_eq!(role["name"], "SUPPORT_AGENT");
    assert_eq!(role["permissions"], json!(["dashboard:view", "user:read"]));
    assert_eq!(role["system"], false);

    let new = json!({"email": "agent@tm.io", "name": "Agent", "role": "SUPPORT_AGENT"});
    assert_eq!(
        app.post_json("/api/v1/users", new, Some(&admin))
            .await
            .status,
        202
    );
    assert_eq!(
        app.join_as_new("agent@tm.io", "long enough pw")
            .await
            .status,
        200
    );
    let login = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "agent@tm.io", "password": "long enough pw"}),
            None,
        )
        .await;
    let agent = login.json()["data"]["tokens"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let me = app.get("/api/v1/auth/me", Some(&agent)).await;
    assert_eq!(me.json()["data"]["user"]["roles"], json!(["SUPPORT_AGENT"]));
    assert_eq!(
        me.json()["data"]["user"]["permissions"],
        json!(["dashboard:view", "user:read"])
    );
    assert_eq!(
        app.get("/api/v1/users", Some(&agent)).await.status,
        200,
        "user:read works"
    );
    assert_eq!(app.get("/api/v1/audit", Some(&agent)).await.status, 403);

    // Another tenant neither sees nor touches it.
    let other = app.token("admin@whatsapp.com").await;
    let res = app.get("/api/v1/roles", Some(&other)).await;
    assert!(!res.text().contains("SUPPORT_AGENT"));
    let path = format!("/api/v1/roles/{}", role["id"].as_str().unwrap());
    assert_eq!(
        app.send("PATCH", &path, Some(json!({"description": "mine"})), &other)
            .await
            .status,
        404
    );
    assert_eq!(
        app.send("DELETE", &path, Some(json!({})), &other)
            .await
            .status,
        404
    );
    let new = json!({"email": "x@wa.io", "name": "X", "role": "SUPPORT_AGENT"});
    assert_eq!(
        app.post_json("/api/v1/users", new, Some(&other))
            .await
            .status,
        422
    );

    // Editing, and deleting only once unused.
    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"permissions": ["user:read"]})),
            &admin,
        )
        .await;
    assert_eq!(res.json()["data"]["permissions"], json!(["user:read"]));
    assert_eq!(
        app.send("DELETE", &path, Some(json!({})), &admin)
            .await
            .status,
        409
    );

    let user = app.token("user@taskmanager.com").await;
    assert_eq!(app.get("/api/v1/roles", Some(&user)).await.status, 403);
    assert_eq!(app.get("/api/v1/roles", None).await.status, 401);
}
