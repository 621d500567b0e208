//! Platform → Accounts: super admins suspend, reactivate and deactivate an account across
//! the platform; suspension ends its sessions on every node at once.
#![cfg(feature = "ssr")]

mod common;

use common::{TestApp, DEMO_PASSWORD};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn a_suspended_account_is_signed_out_everywhere_and_signs_in_nowhere() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    let user = app.id_of("users", "user@taskmanager.com").await;
    let path = format!("/api/v1/core/users/{user}");
    // A session of the account, used through another node (which caches it).
    let other = app.another_node().await;
    let session = app.token("user@taskmanager.com").await;
    assert_eq!(
        other.get("/api/v1/auth/me", Some(&session)).await.status,
        200
    );

    // Only platform staff, whatever the body; then the input.
    let admin = app.token("admin@taskmanager.com").await;
    for body in [json!({"status": "SUSPENDED"}), json!({"status": 5, "x": 1})] {
        let res = app.send("PATCH", &path, Some(body), &admin).await;
        assert_eq!(res.status, 403, "{}", res.text());
    }
    let res = app
        .send("PATCH", &path, Some(json!({"status": "FROZEN"})), &root)
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "status");
    let nobody = format!("/api/v1/core/users/{}", uuid::Uuid::new_v4());
    let res = app
        .send(
            "PATCH",
            &nobody,
            Some(json!({"status": "SUSPENDED"})),
            &root,
        )
        .await;
    assert_eq!(res.status, 404);
    let me = app.id_of("users", "superadmin@core.com").await;
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/core/users/{me}"),
            Some(json!({"status": "SUSPENDED"})),
            &root,
        )
        .await;
    assert_eq!(res.status, 422, "nobody suspends themselves");

    let res = app
        .send("PATCH", &path, Some(json!({"status": "SUSPENDED"})), &root)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["status"], "SUSPENDED");
    assert_eq!(res.json()["data"]["homeTenantDomain"], "taskmanager");
    // At once, on the other node too.
    assert_eq!(
        other.get("/api/v1/auth/me", Some(&session)).await.status,
        401
    );
    let login = json!({"email": "user@taskmanager.com", "password": DEMO_PASSWORD});
    let res = app
        .post_json("/api/v1/auth/login", login.clone(), None)
        .await;
    assert_eq!(res.status, 401);
    assert_eq!(res.json()["error"]["code"], "INVALID_CREDENTIALS");
    let listed = app
        .get("/api/v1/core/users?search=user%40taskmanager", Some(&root))
        .await
        .json();
    assert_eq!(listed["data"]["items"][0]["status"], "SUSPENDED");

    let res = app
        .send("PATCH", &path, Some(json!({"status": "ACTIVE"})), &root)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        app.post_json("/api/v1/auth/login", login, None)
            .await
            .status,
        200
    );
    let audit = app
        .get("/api/v1/audit?action=user.status_change", Some(&root))
        .await
        .json();
    assert_eq!(audit["data"]["total"], 2);
}
