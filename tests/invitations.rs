//! Adding a member by email goes through an invitation that the account's owner accepts:
//! no tenant admin can attach, enumerate or inspect another tenant's accounts.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn adding_an_address_answers_the_same_whether_or_not_it_has_an_account() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let add = |email: &str| json!({"email": email, "name": "Someone", "password": "a long password", "role": "USER"});
    let existing = app
        .post_json("/api/v1/users", add("admin@whatsapp.com"), Some(&admin))
        .await;
    let fresh = app
        .post_json("/api/v1/users", add("nobody.yet@example.com"), Some(&admin))
        .await;
    assert_eq!((existing.status, fresh.status), (202, 202));
    let (mut a, mut b) = (
        existing.json()["data"].clone(),
        fresh.json()["data"].clone(),
    );
    for v in [&mut a, &mut b] {
        let o = v.as_object_mut().unwrap();
        for volatile in ["id", "email", "createdAt"] {
            o.remove(volatile);
        }
    }
    assert_eq!(a, b, "the two answers differ only in id, email and time");
    let text = existing.text();
    for leak in ["WhatsApp Admin", "whatsapp\"", "lastLogin", "homeTenant"] {
        assert!(!text.contains(leak), "{leak} leaked: {text}");
    }

    // Neither is a member yet; both wait in the tenant's pending list.
    let members = app.get("/api/v1/users", Some(&admin)).await.json();
    assert_eq!(members["data"]["total"], 2);
    let pending = app.get("/api/v1/users/invitations", Some(&admin)).await;
    assert_eq!(pending.status, 200, "{}", pending.text());
    assert_eq!(pending.json()["data"].as_array().unwrap().len(), 2);

    // The existing account was not attached: it still reaches only its own tenant.
    let wa = app.login("admin@whatsapp.com").await;
    let domains: Vec<_> = wa["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["domain"].clone())
        .collect();
    assert_eq!(domains, [json!("whatsapp")]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_invitee_accepts_or_declines_and_only_their_own() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let res = app
        .post_json(
            "/api/v1/users",
            json!({"email": "admin@whatsapp.com", "name": "x", "password": "a long password", "role": "USER"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 202);
    let id = res.json()["data"]["id"].as_str().unwrap().to_string();

    // Someone else cannot answer it.
    let other = app.token("user@taskmanager.com").await;
    let path = format!("/api/v1/account/invitations/{id}/accept");
    assert_eq!(app.send("POST", &path, None, &other).await.status, 404);
    assert!(app
        .get("/api/v1/account/invitations", Some(&other))
        .await
        .json()["data"]
        .as_array()
        .unwrap()
        .is_empty());

    // The invitee sees it, with the inviting tenant's name, and accepts.
    let wa = app.token("admin@whatsapp.com").await;
    let mine = app.get("/api/v1/account/invitations", Some(&wa)).await;
    assert_eq!(mine.status, 200, "{}", mine.text());
    assert_eq!(mine.json()["data"][0]["tenantName"], "Task Manager");
    assert_eq!(mine.json()["data"][0]["role"], "USER");
    let res = app.send("POST", &path, None, &wa).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        app.send("POST", &path, None, &wa).await.status,
        404,
        "answered once"
    );
    let data = app.login("admin@whatsapp.com").await;
    let domains: Vec<_> = data["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["domain"].clone())
        .collect();
    assert!(domains.contains(&json!("taskmanager")), "{domains:?}");
    let members = app.get("/api/v1/users", Some(&admin)).await.json();
    assert_eq!(members["data"]["total"], 3);

    // A declined invitation grants nothing.
    let res = app
        .post_json(
            "/api/v1/users",
            json!({"email": "superadmin@core.com", "name": "x", "password": "a long password", "role": "USER"}),
            Some(&admin),
        )
        .await;
    let id = res.json()["data"]["id"].as_str().unwrap().to_string();
    let root = app.token("superadmin@core.com").await;
    let res = app
        .send(
            "POST",
            &format!("/api/v1/account/invitations/{id}/decline"),
            None,
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let members = app.get("/api/v1/users", Some(&admin)).await.json();
    assert_eq!(members["data"]["total"], 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_invitation_cannot_be_accepted_and_other_tenants_cannot_revoke() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let res = app
        .post_json(
            "/api/v1/users",
            json!({"email": "admin@whatsapp.com", "name": "x", "password": "a long password", "role": "USER"}),
            Some(&admin),
        )
        .await;
    let id = res.json()["data"]["id"].as_str().unwrap().to_string();
    let wa = app.token("admin@whatsapp.com").await;
    let path = format!("/api/v1/users/invitations/{id}");
    assert_eq!(
        app.send("DELETE", &path, None, &wa).await.status,
        404,
        "another tenant's"
    );
    let user = app.token("user@taskmanager.com").await;
    assert_eq!(
        app.send("DELETE", &path, None, &user).await.status,
        403,
        "without user:manage"
    );
    assert_eq!(app.send("DELETE", &path, None, &admin).await.status, 200);
    let accept = format!("/api/v1/account/invitations/{id}/accept");
    assert_eq!(app.send("POST", &accept, None, &wa).await.status, 404);
}

/// Two tenants inviting the same new address at the same time: both get the same answer
/// as any invitation (one creates the account, the other invites it), never a conflict
/// that would tell the slower one that an account exists.
#[tokio::test(flavor = "multi_thread")]
async fn racing_invitations_of_one_new_address_both_answer_202() {
    let app = TestApp::new().await;
    let a = app.token("admin@taskmanager.com").await;
    let b = app.token("admin@whatsapp.com").await;
    for round in 0..4 {
        let add = json!({"email": format!("contested{round}@example.com"), "name": "Someone",
                         "password": "a long password", "role": "USER"});
        let (first, second) = tokio::join!(
            app.post_json("/api/v1/users", add.clone(), Some(&a)),
            app.post_json("/api/v1/users", add.clone(), Some(&b)),
        );
        for res in [first, second] {
            assert_eq!(res.status, 202, "round {round}: {}", res.text());
        }
    }
}
