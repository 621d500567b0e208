//! Accounts belong to the person who owns the address: invitations, password resets and
//! address changes work through one-time links sent over real SMTP (the mail catcher that
//! `scripts/setup.sh --e2e` starts), and no admin ever chooses or learns a password.
#![cfg(feature = "ssr")]

mod common;

use std::time::Duration;

use common::{token_in, TestApp, DEMO_PASSWORD};
use diesel_async::RunQueryDsl;
use inti::server::{mail, secret::Secret};
use serde_json::{json, Value};

/// The SMTP server the test scripts start, and the maildir it writes.
fn smtp_url() -> String {
    std::env::var("INTI_TEST_SMTP_URL").unwrap_or_else(|_| "smtp://127.0.0.1:2525".into())
}

fn maildir() -> std::path::PathBuf {
    std::env::var("INTI_TEST_MAILDIR")
        .unwrap_or_else(|_| "/tmp/inti-mail".into())
        .into()
}

/// An app whose mail goes out over SMTP.
async fn app_with_smtp() -> TestApp {
    TestApp::with_settings(|s| s.mail.smtp_url = Some(Secret::new(smtp_url()))).await
}

/// A fresh address nobody else's test uses.
fn fresh(name: &str) -> String {
    format!("{name}-{}@example.com", uuid::Uuid::new_v4().simple())
}

/// Every message the SMTP server received for `to`, as raw text, waiting up to ten seconds
/// for `at_least` of them.
async fn received(to: &str, at_least: usize) -> Vec<String> {
    for _ in 0..100 {
        let mut found = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(maildir().join(sub)) else {
                continue;
            };
            for entry in entries.flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                if text
                    .lines()
                    .any(|l| l.eq_ignore_ascii_case(&format!("to: {to}")))
                {
                    found.push(text);
                }
            }
        }
        if found.len() >= at_least {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "fewer than {at_least} messages for {to} reached {}",
        maildir().display()
    );
}

async fn invite(app: &TestApp, admin: &str, email: &str, role: &str) -> common::Response {
    app.post_json(
        "/api/v1/users",
        json!({"email": email, "name": "New Hire", "role": role}),
        Some(admin),
    )
    .await
}

async fn login(app: &TestApp, email: &str, password: &str) -> common::Response {
    app.post_json(
        "/api/v1/auth/login",
        json!({"email": email, "password": password}),
        None,
    )
    .await
}

/// The takeover that invitations allowed: tenant A's admin chose a new hire's password, so
/// whoever knew it could accept tenant B's later invitation and act as B's admin. Now no
/// admin chooses a password, and only the mailbox's owner can set one.
#[tokio::test(flavor = "multi_thread")]
async fn no_admin_can_take_over_an_invited_address() {
    let app = app_with_smtp().await;
    let a = app.token("admin@taskmanager.com").await;
    let b = app.token("admin@whatsapp.com").await;
    let hire = fresh("newhire");

    // A password in an invitation is refused by name; nothing is created.
    let res = app
        .post_json(
            "/api/v1/users",
            json!({"email": hire, "name": "New Hire", "password": "chosen-by-admin-a", "role": "USER"}),
            Some(&a),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "password");

    assert_eq!(invite(&app, &a, &hire, "USER").await.status, 202);
    assert_eq!(invite(&app, &b, &hire, "TENANT_ADMIN").await.status, 202);
    // Nothing an admin could have typed signs in: the account has no password yet.
    for guess in ["chosen-by-admin-a", DEMO_PASSWORD, "!unset"] {
        assert_eq!(login(&app, &hire, guess).await.status, 401, "{guess:?}");
    }

    // Both invitations reach the address, each with a link of its own.
    assert_eq!(mail::deliver_due(&app.state).await.unwrap(), 2);
    let messages = received(&hire, 2).await;
    let tokens: Vec<String> = messages.iter().map(|m| token_in(m)).collect();
    assert_ne!(tokens[0], tokens[1]);
    assert!(tokens.iter().all(|t| t.len() == 64), "{tokens:?}");
    let pending = app.get("/api/v1/users/invitations", Some(&a)).await.json();
    assert_eq!(pending["data"][0]["delivery"], "SENT", "{pending}");

    // The owner opens one, sees both invitations, accepts only A's.
    let link = app
        .post_json("/api/v1/auth/link", json!({"token": tokens[0]}), None)
        .await;
    assert_eq!(link.status, 200, "{}", link.text());
    let invitations = link.json()["data"]["invitations"].clone();
    assert_eq!(link.json()["data"]["purpose"], "INVITATION");
    assert_eq!(invitations.as_array().unwrap().len(), 2);
    let a_invitation = invitations
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["tenantName"] == "Task Manager")
        .unwrap()["id"]
        .clone();
    let res = app
        .post_json(
            "/api/v1/auth/password-reset/confirm",
            json!({"token": tokens[0], "newPassword": "only-the-owner-knows", "acceptInvitations": [a_invitation]}),
            None,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["invitationsAccepted"], 1);

    // Every other link of the account is spent with it.
    let res = app
        .post_json(
            "/api/v1/auth/password-reset/confirm",
            json!({"token": tokens[1], "newPassword": "someone-elses-password"}),
            None,
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "token");

    // The owner signs in; B's invitation waits for their own decision, not an admin's.
    let res = login(&app, &hire, "only-the-owner-knows").await;
    assert_eq!(res.status, 200, "{}", res.text());
    let domains: Vec<Value> = res.json()["data"]["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["domain"].clone())
        .collect();
    assert_eq!(domains, [json!("taskmanager")]);
    let token = res.json()["data"]["tokens"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let mine = app.get("/api/v1/account/invitations", Some(&token)).await;
    assert_eq!(mine.json()["data"][0]["tenantName"], "WhatsApp Gateway");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_answers_alike_for_any_address_and_ends_every_session() {
    let app = app_with_smtp().await;
    let admin = app.token("admin@taskmanager.com").await;
    let person = fresh("forgetful");
    assert_eq!(invite(&app, &admin, &person, "USER").await.status, 202);
    assert_eq!(
        app.join_as_new(&person, "first-password-1").await.status,
        200
    );
    let before = login(&app, &person, "first-password-1").await.json()["data"].clone();
    let access = before["tokens"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let refresh = before["tokens"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(app.get("/api/v1/auth/me", Some(&access)).await.status, 200);

    // The same answer whether or not an account has the address.
    let known = app
        .post_json(
            "/api/v1/auth/password-reset",
            json!({"email": person}),
            None,
        )
        .await;
    let unknown = app
        .post_json(
            "/api/v1/auth/password-reset",
            json!({"email": fresh("nobody")}),
            None,
        )
        .await;
    assert_eq!((known.status, unknown.status), (202, 202));
    assert_eq!(known.text(), unknown.text());
    // A malformed address is the only thing a request is told.
    let res = app
        .post_json(
            "/api/v1/auth/password-reset",
            json!({"email": "not-an-address"}),
            None,
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "email");

    mail::deliver_due(&app.state).await.unwrap();
    let reset = received(&person, 1)
        .await
        .into_iter()
        .find(|m| m.contains("Reset your Inti password"))
        .expect("the reset mail");
    let token = token_in(&reset);
    // A short password is refused and spends nothing.
    let res = app
        .post_json(
            "/api/v1/auth/password-reset/confirm",
            json!({"token": token, "newPassword": "short"}),
            None,
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "newPassword");
    let res = app
        .post_json(
            "/api/v1/auth/password-reset/confirm",
            json!({"token": token, "newPassword": "second-password-2"}),
            None,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(res.json()["data"]["sessionsEnded"].as_u64().unwrap() >= 1);

    // Every session and refresh family of the account ended, at once.
    assert_eq!(app.get("/api/v1/auth/me", Some(&access)).await.status, 401);
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refreshToken": refresh}),
            None,
        )
        .await;
    assert_eq!(res.status, 401, "{}", res.text());
    assert_eq!(login(&app, &person, "first-password-1").await.status, 401);
    assert_eq!(login(&app, &person, "second-password-2").await.status, 200);
    // A link is used once.
    let res = app
        .post_json(
            "/api/v1/auth/password-reset/confirm",
            json!({"token": token, "newPassword": "third-password-3"}),
            None,
        )
        .await;
    assert_eq!(res.status, 422);
}

/// Resets are throttled per address (silently: the answer stays the same) and per network
/// (429).
#[tokio::test(flavor = "multi_thread")]
async fn reset_requests_are_throttled_per_address_and_per_network() {
    let app = TestApp::new().await;
    let from = |peer: &str, email: &str| {
        let mut req = axum::http::Request::post("/api/v1/auth/password-reset")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(json!({"email": email}).to_string()))
            .unwrap();
        let addr: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(addr));
        req
    };
    for n in 0..5 {
        let peer = format!("192.0.2.{}", 10 + n);
        let res = app.request(from(&peer, "user@taskmanager.com")).await;
        assert_eq!(res.status, 202, "{}", res.text());
    }
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.db.conn().await;
    let queued: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM mail_outbox WHERE recipient = 'user@taskmanager.com'",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    assert_eq!(queued.n, 3, "three links an hour for one address");

    for n in 0..10 {
        let res = app
            .request(from("198.51.100.9", &format!("someone{n}@example.com")))
            .await;
        assert_eq!(res.status, 202);
    }
    let res = app
        .request(from("198.51.100.9", "someone-else@example.com"))
        .await;
    assert_eq!(res.status, 429);
    assert!(res.header("retry-after").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_address_is_used_only_once_its_owner_confirms_it() {
    let app = app_with_smtp().await;
    let user = app.token("user@taskmanager.com").await;
    let new = fresh("moved");
    let ask = |password: &str| {
        app.send(
            "POST",
            "/api/v1/account/email",
            Some(json!({"newEmail": new, "currentPassword": password})),
            &user,
        )
    };
    let res = ask("not-my-password").await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "currentPassword");
    let res = ask(DEMO_PASSWORD).await;
    assert_eq!(res.status, 202, "{}", res.text());
    // Nothing changed yet.
    assert_eq!(login(&app, &new, DEMO_PASSWORD).await.status, 401);
    assert_eq!(
        login(&app, "user@taskmanager.com", DEMO_PASSWORD)
            .await
            .status,
        200
    );

    mail::deliver_due(&app.state).await.unwrap();
    let link = received(&new, 1).await.remove(0);
    assert!(link.contains("verify-email"));
    let token = token_in(&link);
    let res = app
        .post_json("/api/v1/auth/email/confirm", json!({"token": token}), None)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["email"], new);
    assert_eq!(login(&app, &new, DEMO_PASSWORD).await.status, 200);
    assert_eq!(
        login(&app, "user@taskmanager.com", DEMO_PASSWORD)
            .await
            .status,
        401
    );
    // Used once.
    let res = app
        .post_json("/api/v1/auth/email/confirm", json!({"token": token}), None)
        .await;
    assert_eq!(res.status, 422);
}

/// Two nodes delivering at once send each message once; a server that does not answer leaves
/// the message queued with a backoff, and the last attempt marks it failed.
#[tokio::test(flavor = "multi_thread")]
async fn the_outbox_sends_each_message_once_and_retries_with_backoff() {
    let app = app_with_smtp().await;
    let admin = app.token("admin@taskmanager.com").await;
    let people: Vec<String> = (0..6).map(|n| fresh(&format!("batch{n}"))).collect();
    for p in &people {
        assert_eq!(invite(&app, &admin, p, "USER").await.status, 202);
    }
    let other = app.another_node().await;
    let (x, y) = tokio::join!(
        mail::deliver_due(&app.state),
        mail::deliver_due(&other.state)
    );
    assert_eq!(x.unwrap() + y.unwrap(), 6);
    for p in &people {
        assert_eq!(received(p, 1).await.len(), 1, "{p} got one message");
    }

    // The SMTP server is gone: queued again, later, with the reason.
    let down = app
        .node_with(|s| s.mail.smtp_url = Some(Secret::new("smtp://127.0.0.1:1")))
        .await;
    let late = fresh("late");
    assert_eq!(invite(&down, &admin, &late, "USER").await.status, 202);
    assert_eq!(mail::deliver_due(&down.state).await.unwrap(), 0);
    #[derive(diesel::QueryableByName, Debug)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        status: String,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        attempts: i32,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        later: bool,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        has_error: bool,
    }
    let read = || async {
        let mut conn = app.db.conn().await;
        diesel::sql_query(
            "SELECT status, attempts, next_attempt_at > now() AS later, \
             last_error IS NOT NULL AS has_error FROM mail_outbox WHERE recipient = $1",
        )
        .bind::<diesel::sql_types::Text, _>(late.clone())
        .get_result::<Row>(&mut conn)
        .await
        .unwrap()
    };
    let row = read().await;
    assert_eq!(
        (row.status.as_str(), row.attempts, row.later, row.has_error),
        ("PENDING", 1, true, true),
        "{row:?}"
    );
    // A second round before the backoff ends does not try again.
    assert_eq!(mail::deliver_due(&down.state).await.unwrap(), 0);
    assert_eq!(read().await.attempts, 1);
    // The last attempt fails it for good.
    let mut conn = app.db.conn().await;
    diesel::sql_query(
        "UPDATE mail_outbox SET attempts = $2, next_attempt_at = now() WHERE recipient = $1",
    )
    .bind::<diesel::sql_types::Text, _>(late.clone())
    .bind::<diesel::sql_types::Integer, _>(mail::MAX_ATTEMPTS - 1)
    .execute(&mut conn)
    .await
    .unwrap();
    mail::deliver_due(&down.state).await.unwrap();
    assert_eq!(read().await.status, "FAILED");
    let pending = app
        .get("/api/v1/users/invitations", Some(&admin))
        .await
        .json();
    let failed = pending["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["email"] == late)
        .unwrap()
        .clone();
    assert_eq!(failed["delivery"], "FAILED");
}

/// Without SMTP, a dev server keeps mail for its mailbox page; a production server has no
/// such page.
#[tokio::test(flavor = "multi_thread")]
async fn the_dev_mailbox_shows_mail_only_on_a_dev_server() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let res = app
        .post_json(
            "/api/v1/users",
            json!({"email": "dev.mail@example.com", "name": "Dev", "role": "USER"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 202);
    assert_eq!(mail::deliver_due(&app.state).await.unwrap(), 1);
    let page = app.get("/dev/mailbox", None).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("dev.mail@example.com"), "{html}");
    assert!(html.contains("<a href=\"http://"), "links can be followed");
    assert!(html.contains("/set-password?token="));

    let production = app
        .node_with(|s| s.mode = inti::server::config::Mode::Production)
        .await;
    assert_eq!(production.get("/dev/mailbox", None).await.status, 404);
}

/// Finished mail and spent or expired links are forgotten after `KEEP_DAYS`; queued mail and
/// live links stay.
#[tokio::test(flavor = "multi_thread")]
async fn old_mail_and_spent_links_are_forgotten() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let (old, new) = (fresh("old"), fresh("new"));
    let invited = invite(&app, &admin, &old, "USER").await;
    assert_eq!(invited.status, 202);
    let invitation = invited.json()["data"]["id"].as_str().unwrap().to_string();
    mail::deliver_due(&app.state).await.unwrap();
    assert_eq!(invite(&app, &admin, &new, "USER").await.status, 202);
    let mut conn = app.db.conn().await;
    diesel::sql_query(
        "UPDATE mail_outbox SET created_at = now() - interval '40 days' WHERE recipient = $1",
    )
    .bind::<diesel::sql_types::Text, _>(old.clone())
    .execute(&mut conn)
    .await
    .unwrap();
    diesel::sql_query(
        "UPDATE account_tokens SET expires_at = now() - interval '40 days' WHERE email = $1",
    )
    .bind::<diesel::sql_types::Text, _>(old.clone())
    .execute(&mut conn)
    .await
    .unwrap();
    // The expired link goes; the old mail stays while its invitation is pending (the tenant
    // still sees how it went), and goes once the invitation is withdrawn.
    assert_eq!(mail::purge(&app.state).await.unwrap(), (0, 1));
    let path = format!("/api/v1/users/invitations/{invitation}");
    assert_eq!(app.send("DELETE", &path, None, &admin).await.status, 200);
    assert_eq!(mail::purge(&app.state).await.unwrap(), (1, 0));
    // The new invitation's mail (queued) and link (live) are kept.
    assert_eq!(mail::purge(&app.state).await.unwrap(), (0, 0));
    let link = app
        .post_json(
            "/api/v1/auth/link",
            json!({"token": app.link_token(&new).await}),
            None,
        )
        .await;
    assert_eq!(link.status, 200, "{}", link.text());
}
