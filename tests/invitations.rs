//! Adding a member by email goes through an invitation that the account's owner accepts:
//! no tenant admin can attach, enumerate or inspect another tenant's accounts.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use diesel_async::RunQueryDsl;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn adding_an_address_answers_the_same_whether_or_not_it_has_an_account() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let add = |email: &str| json!({"email": email, "name": "Someone", "role": "USER"});
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
            json!({"email": "admin@whatsapp.com", "name": "x", "role": "USER"}),
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

    // The invitee's bell tells them, in their home tenant, linking to the dashboard.
    let wa = app.token("admin@whatsapp.com").await;
    let bell = app.get("/api/v1/notifications", Some(&wa)).await;
    let told = &bell.json()["data"]["items"][0];
    assert_eq!(told["kind"], "INVITATION", "{}", bell.text());
    assert_eq!(
        told["title"],
        "Task Manager Admin invited you to Task Manager as USER"
    );
    assert_eq!(told["link"], "/");
    // Inviting again while it waits tells nobody again.
    let again = app
        .post_json(
            "/api/v1/users",
            json!({"email": "admin@whatsapp.com", "name": "x", "role": "USER"}),
            Some(&admin),
        )
        .await;
    assert_eq!(again.status, 202, "{}", again.text());
    let bell = app.get("/api/v1/notifications", Some(&wa)).await;
    assert_eq!(bell.json()["data"]["total"], 1, "{}", bell.text());
    // Nobody in the inviting tenant hears of it.
    for t in [&admin, &other] {
        let res = app.get("/api/v1/notifications", Some(t)).await;
        assert_eq!(res.json()["data"]["total"], 0, "{}", res.text());
    }

    // The invitee sees it, with the inviting tenant's name, and accepts.
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

    // A declined invitation grants nothing. (Invitations turned off: no notice, the mail
    // still goes.)
    let root = app.token("superadmin@core.com").await;
    let off = json!({ "preferences": [{ "kind": "INVITATION", "channel": "OFF" }] });
    let res = app
        .send("PUT", "/api/v1/notifications/preferences", Some(off), &root)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app
        .post_json(
            "/api/v1/users",
            json!({"email": "superadmin@core.com", "name": "x", "role": "USER"}),
            Some(&admin),
        )
        .await;
    let id = res.json()["data"]["id"].as_str().unwrap().to_string();
    let bell = app.get("/api/v1/notifications", Some(&root)).await;
    assert_eq!(bell.json()["data"]["total"], 0, "{}", bell.text());
    assert!(app
        .newest_mail("superadmin@core.com", "INVITATION")
        .await
        .contains("Task Manager"));
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
            json!({"email": "admin@whatsapp.com", "name": "x", "role": "USER"}),
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

/// An address that gets an account while it is being invited (another tenant's invitation
/// creating it at the same moment): the invitation waits for that account, then invites it,
/// with the same answer as any invitation, never a conflict that would tell the inviter that
/// an account exists.
#[tokio::test(flavor = "multi_thread")]
async fn an_address_taken_while_it_is_invited_is_invited_not_refused() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let elsewhere = app.id_of("tenants", "whatsapp").await;
    // The other creation, held open: its row exists but is not committed yet.
    let mut other = app.db.conn().await;
    diesel::sql_query("BEGIN")
        .execute(&mut other)
        .await
        .unwrap();
    diesel::sql_query(
        "INSERT INTO users (email, password_hash, name, home_tenant_id) \
         VALUES ('contested@example.com', 'x', 'Elsewhere', $1)",
    )
    .bind::<diesel::sql_types::Uuid, _>(elsewhere)
    .execute(&mut other)
    .await
    .unwrap();
    let add = json!({"email": "contested@example.com", "name": "Someone",
                     "role": "USER"});
    let (res, waited) = tokio::join!(app.post_json("/api/v1/users", add, Some(&admin)), async {
        // The invitation's insert waits on the uncommitted email; then it commits.
        let mut waited = false;
        for _ in 0..400 {
            if app.waiting_on_locks().await > 0 {
                waited = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        diesel::sql_query("COMMIT")
            .execute(&mut other)
            .await
            .unwrap();
        waited
    });
    assert!(waited, "the invitation never met the other creation");
    assert_eq!(res.status, 202, "{}", res.text());
    let pending = app
        .get("/api/v1/users/invitations", Some(&admin))
        .await
        .json();
    assert_eq!(
        pending["data"][0]["email"], "contested@example.com",
        "{pending}"
    );

    // One account (the other's), invited, not created here nor attached.
    #[derive(diesel::QueryableByName)]
    struct Invited {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let mut conn = app.db.conn().await;
    let rows: Vec<Invited> = diesel::sql_query(
        "SELECT u.name FROM users u JOIN invitations i ON i.user_id = u.id \
         WHERE u.email = 'contested@example.com'",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].name, "Elsewhere");
}
