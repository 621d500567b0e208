//! Cross-site requests, security headers, brute-force locks, paging
//! bounds, constraint races, refresh grace, seat limits and member rank. Each test failed on
//! the code before the fix it covers.
#![cfg(feature = "ssr")]

mod common;

use std::time::Duration;

use common::{TestApp, DEMO_PASSWORD};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use inti::server::{
    config::Mode,
    db::schema::{audit_log, refresh_tokens, tenants, user_tenant_access, users},
    secret::Secret,
};
use serde_json::{json, Value};

async fn user_id(app: &TestApp, email: &str) -> uuid::Uuid {
    let mut conn = app.db.conn().await;
    users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(&mut conn)
        .await
        .unwrap()
}

/// `PATCH /api/v1/users/{id}` as `token`.
async fn patch_member(app: &TestApp, token: &str, id: uuid::Uuid, body: Value) -> common::Response {
    app.send("PATCH", &format!("/api/v1/users/{id}"), Some(body), token)
        .await
}

/// Gives the demo USER of taskmanager `role` (as its admin) and answers their new token.
async fn user_with_role(app: &TestApp, admin: &str, role: &str) -> String {
    let user = user_id(app, "user@taskmanager.com").await;
    let res = patch_member(app, admin, user, json!({"role": role})).await;
    assert_eq!(res.status, 200, "{}", res.text());
    app.token("user@taskmanager.com").await
}

async fn audit_actions(app: &TestApp) -> Vec<(String, Value)> {
    let mut conn = app.db.conn().await;
    audit_log::table
        .order(audit_log::id.asc())
        .select((audit_log::action, audit_log::details))
        .load(&mut conn)
        .await
        .unwrap()
}

async fn tenant_count(app: &TestApp) -> i64 {
    let mut conn = app.db.conn().await;
    tenants::table.count().get_result(&mut conn).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn server_functions_refuse_foreign_and_missing_origins() {
    let app = TestApp::new().await;
    let admin = app.browser_login("superadmin@core.com").await;
    let before = tenant_count(&app).await;
    let form = "name=Evil&domain=evil-corp&subscription_tier=STARTER";
    for origin in [Some("https://evil.example"), Some("null"), None] {
        let res = app
            .server_fn_from("tenants_create", form, Some(&admin), origin)
            .await;
        assert_eq!(res.status, 403, "{origin:?}: {}", res.text());
        assert_eq!(res.json()["error"]["code"], "CROSS_SITE_REQUEST");
    }
    // A sibling host's Referer is not this site either.
    let req = axum::http::Request::post("/api/tenants_create")
        .header("host", "localhost")
        .header("referer", "http://localhost.evil.example/page")
        .header("cookie", &admin)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form))
        .unwrap();
    assert_eq!(app.request(req).await.status, 403);
    assert_eq!(tenant_count(&app).await, before, "nothing was created");

    // The same request from the site itself works (Origin, or Referer without Origin).
    let res = app.server_fn("tenants_create", form, Some(&admin)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(tenant_count(&app).await, before + 1);

    // Bearer-authenticated REST routes need no Origin.
    let token = app.token("superadmin@core.com").await;
    let res = app
        .post_json(
            "/api/v1/core/tenants",
            json!({"name": "Other", "domain": "other-corp"}),
            Some(&token),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_carry_a_nonce_csp_and_private_answers_are_not_stored() {
    let app = TestApp::new().await;
    let req = axum::http::Request::get("/login")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = app.request(req).await;
    assert_eq!(res.status, 200);
    let csp = res.header("content-security-policy").expect("a CSP");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce in script-src");
    assert!(nonce.len() >= 16, "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(
        res.text().contains(&format!("nonce=\"{nonce}\"")),
        "the inline scripts carry the header's nonce"
    );
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(
        res.header("strict-transport-security"),
        None,
        "dev mode is plain http"
    );

    // A second page gets another nonce.
    let again = app
        .request(
            axum::http::Request::get("/login")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_ne!(again.header("content-security-policy").unwrap(), csp);

    // Every page, the fallback's too (unknown addresses, also under /api and /pkg), and pages
    // rendered side by side, carries its own nonce in both places.
    let pages = futures_util::future::join_all((0..16).map(|i| {
        let path = match i % 4 {
            0 | 2 => "/login",
            1 => "/no-such-page",
            _ if i % 8 == 3 => "/api/no-such-function",
            _ => "/pkg/no-such-file.wasm",
        };
        app.request(
            axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
    }))
    .await;
    for page in pages {
        let csp = page.header("content-security-policy").expect("a CSP");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .unwrap_or_else(|| panic!("a page policy, got {csp}"));
        assert!(
            page.text().contains(&format!("nonce=\"{nonce}\"")),
            "the inline scripts carry the header's nonce ({})",
            page.status
        );
    }

    let data = app.login("user@taskmanager.com").await;
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "user@taskmanager.com", "password": DEMO_PASSWORD}),
            None,
        )
        .await;
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    let token = data["tokens"]["accessToken"].as_str().unwrap();
    let me = app.get("/api/v1/auth/me", Some(token)).await;
    assert_eq!(me.header("cache-control").as_deref(), Some("no-store"));
    assert!(me
        .header("content-security-policy")
        .unwrap()
        .starts_with("default-src 'none'"));
}

#[tokio::test(flavor = "multi_thread")]
async fn production_sends_hsts_and_host_only_secure_cookies() {
    let app = TestApp::with_settings(|s| {
        s.mode = Mode::Production;
        s.auth.secure_cookies = true;
        s.auth.jwt_secret = Secret::new("a-production-secret-of-at-least-32-chars");
    })
    .await;
    let res = app.get("/healthz", None).await;
    assert!(res
        .header("strict-transport-security")
        .is_some_and(|h| h.starts_with("max-age=")));
    let res = app
        .server_fn(
            "login",
            &format!("email=user%40taskmanager.com&password={DEMO_PASSWORD}"),
            None,
        )
        .await;
    let cookie = res.header("set-cookie").expect("a session cookie");
    assert!(cookie.starts_with("__Host-inti_session="), "{cookie}");
    for part in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_bad_logins_lock_the_account_which_unlocks_by_itself() {
    let app = TestApp::with_settings(|s| {
        s.auth.lockout.account_failures = 3;
        // Long enough to outlast slow requests on a busy machine, short enough to wait out.
        s.auth.lockout.first_wait = Duration::from_secs(4);
    })
    .await;
    let bad = json!({"email": "user@taskmanager.com", "password": "wrong-password"});
    let good = json!({"email": "user@taskmanager.com", "password": DEMO_PASSWORD});
    for _ in 0..4 {
        let res = app.post_json("/api/v1/auth/login", bad.clone(), None).await;
        assert_eq!(res.status, 401, "{}", res.text());
    }
    // Locked: even the right password waits, with Retry-After.
    let res = app
        .post_json("/api/v1/auth/login", good.clone(), None)
        .await;
    assert_eq!(res.status, 429, "{}", res.text());
    assert_eq!(res.json()["error"]["code"], "RATE_LIMITED");
    let retry: u64 = res.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=4).contains(&retry), "{retry}");
    // Other accounts are not affected.
    app.login("admin@taskmanager.com").await;

    tokio::time::sleep(Duration::from_millis(4100)).await;
    let res = app.post_json("/api/v1/auth/login", good, None).await;
    assert_eq!(res.status, 200, "the lock ended by itself: {}", res.text());

    let actions = audit_actions(&app).await;
    let lock = actions
        .iter()
        .find(|(a, _)| a == "auth.lockout")
        .expect("the lock is audited");
    assert_eq!(lock.1["subject"], "user@taskmanager.com");
    assert_eq!(lock.1["failures"], 4);
    assert!(actions
        .iter()
        .any(|(a, d)| a == "auth.lockout_end" && d["subject"] == "user@taskmanager.com"));
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_logins_never_record_what_was_typed_as_a_password() {
    let app = TestApp::new().await;
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "hunter2-my-password", "password": "x", "tenantSlug": "Pa$$w0rd!"}),
            None,
        )
        .await;
    assert_eq!(res.status, 401);
    let actions = audit_actions(&app).await;
    let (_, details) = actions.iter().rfind(|(a, _)| a == "auth.login").unwrap();
    assert_eq!(details["email"], Value::Null, "{details}");
    assert_eq!(details["tenantSlug"], Value::Null, "{details}");
    assert!(!details.to_string().contains("hunter2"));
    assert!(!details.to_string().contains("w0rd"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_current_password_check_is_throttled_and_audited() {
    let app = TestApp::with_settings(|s| s.auth.lockout.account_failures = 2).await;
    let token = app.token("user@taskmanager.com").await;
    let body = json!({"currentPassword": "not-it-at-all", "newPassword": "a-brand-new-password"});
    for _ in 0..3 {
        let res = app
            .send(
                "POST",
                "/api/v1/account/password",
                Some(body.clone()),
                &token,
            )
            .await;
        assert_eq!(res.status, 422, "{}", res.text());
    }
    let res = app
        .send("POST", "/api/v1/account/password", Some(body), &token)
        .await;
    assert_eq!(res.status, 429, "{}", res.text());
    let actions = audit_actions(&app).await;
    let failures = actions
        .iter()
        .filter(|(a, _)| a == "account.password_change")
        .count();
    assert_eq!(failures, 3);
    assert!(actions.iter().any(|(a, _)| a == "auth.lockout"));
}

#[tokio::test(flavor = "multi_thread")]
async fn paging_out_of_range_is_a_named_422() {
    let app = TestApp::new().await;
    let admin = app.token("superadmin@core.com").await;
    for (path, field) in [
        ("/api/v1/core/tenants?page=9223372036854775807", "page"),
        ("/api/v1/core/tenants?page=0", "page"),
        ("/api/v1/users?perPage=1000", "perPage"),
        ("/api/v1/audit?page=-5", "page"),
        (
            "/api/v1/core/users?page=9223372036854775807&perPage=100",
            "page",
        ),
    ] {
        let res = app.get(path, Some(&admin)).await;
        assert_eq!(res.status, 422, "{path}: {}", res.text());
        assert_eq!(res.json()["error"]["details"]["field"], field, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn racing_creates_get_a_named_409_never_a_500() {
    let app = TestApp::new().await;
    let admin = app.token("superadmin@core.com").await;
    let body = json!({"name": "Twin", "domain": "twin-co"});
    let results = futures_join(&app, &admin, body, 6).await;
    let created = results.iter().filter(|(s, _)| *s == 201).count();
    assert_eq!(created, 1, "{results:?}");
    for (status, body) in results.iter().filter(|(s, _)| *s != 201) {
        assert_eq!(*status, 409, "{body}");
        assert_eq!(body["error"]["details"]["field"], "domain");
    }
}

async fn futures_join(app: &TestApp, token: &str, body: Value, n: usize) -> Vec<(u16, Value)> {
    let calls = (0..n).map(|_| app.post_json("/api/v1/core/tenants", body.clone(), Some(token)));
    let mut out = Vec::new();
    let handles: Vec<_> = calls.collect();
    // Drive them concurrently on one task: the router is in-process.
    let results = join_all(handles).await;
    for r in results {
        out.push((r.status, r.json()));
    }
    out
}

async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if outputs[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => outputs[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_token_retried_within_the_grace_period_answers_the_same_pair() {
    let app = TestApp::new().await;
    let data = app.login("user@taskmanager.com").await;
    let first = data["tokens"]["refreshToken"].as_str().unwrap().to_string();
    let body = json!({"refreshToken": first});
    let a = app
        .post_json("/api/v1/auth/refresh", body.clone(), None)
        .await;
    assert_eq!(a.status, 200, "{}", a.text());
    let retry = app.post_json("/api/v1/auth/refresh", body, None).await;
    assert_eq!(retry.status, 200);
    assert_eq!(retry.json()["data"]["tokens"], a.json()["data"]["tokens"]);
    let pair = a.json()["data"]["tokens"].clone();
    let access = pair["accessToken"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/auth/me", Some(access)).await.status, 200);

    // One rotation happened: the family holds the first token and one successor.
    let mut conn = app.db.conn().await;
    let rows: i64 = refresh_tokens::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(rows, 2);
    // The successor still rotates normally.
    let next = app
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refreshToken": pair["refreshToken"]}),
            None,
        )
        .await;
    assert_eq!(next.status, 200, "{}", next.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replay_after_the_grace_period_revokes_the_family() {
    let app = TestApp::with_settings(|s| {
        s.auth.refresh_reuse_grace = Duration::from_millis(200);
    })
    .await;
    let data = app.login("user@taskmanager.com").await;
    let first = data["tokens"]["refreshToken"].as_str().unwrap().to_string();
    let res = app
        .post_json("/api/v1/auth/refresh", json!({"refreshToken": first}), None)
        .await;
    assert_eq!(res.status, 200);
    let pair = res.json()["data"]["tokens"].clone();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let res = app
        .post_json("/api/v1/auth/refresh", json!({"refreshToken": first}), None)
        .await;
    assert_eq!(res.status, 401);
    let access = pair["accessToken"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/auth/me", Some(access)).await.status, 401);
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refreshToken": pair["refreshToken"]}),
            None,
        )
        .await;
    assert_eq!(res.status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_custom_user_manager_cannot_touch_a_member_who_outranks_them() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let res = app
        .send(
            "POST",
            "/api/v1/roles",
            Some(json!({"name": "PEOPLE_OPS", "description": "", "permissions": ["user:manage", "user:read"]})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let ops = user_with_role(&app, &admin, "PEOPLE_OPS").await;
    let boss = user_id(&app, "admin@taskmanager.com").await;
    for (method, body) in [
        ("PATCH", Some(json!({"accessStatus": "SUSPENDED"}))),
        ("PATCH", Some(json!({"role": "USER"}))),
        ("DELETE", None),
    ] {
        let res = app
            .send(method, &format!("/api/v1/users/{boss}"), body.clone(), &ops)
            .await;
        assert_eq!(res.status, 403, "{method} {body:?}: {}", res.text());
    }
    // The admin still works.
    assert_eq!(app.get("/api/v1/users", Some(&admin)).await.status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn seats_count_live_grants_and_reactivation_respects_the_limit() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let mut conn = app.db.conn().await;
    // taskmanager: 2 members. Limit 2, and one member's grant expired: one seat is free.
    diesel::update(tenants::table.filter(tenants::domain.eq("taskmanager")))
        .set(tenants::max_users.eq(2))
        .execute(&mut conn)
        .await
        .unwrap();
    let user = user_id(&app, "user@taskmanager.com").await;
    diesel::update(user_tenant_access::table.filter(user_tenant_access::user_id.eq(user)))
        .set(
            user_tenant_access::expires_at
                .eq(Some(chrono::Utc::now() - chrono::Duration::hours(1))),
        )
        .execute(&mut conn)
        .await
        .unwrap();
    let res = app
        .send(
            "POST",
            "/api/v1/users",
            Some(json!({"email": "new.hire@example.com", "name": "New Hire", "role": "USER"})),
            &admin,
        )
        .await;
    assert_eq!(
        res.status,
        202,
        "an expired grant frees its seat: {}",
        res.text()
    );
    // The invitation holds the seat until its owner accepts it with a first password.
    let res = app
        .join_as_new("new.hire@example.com", "a-long-password-1")
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["invitationsAccepted"], 1);
    // Renewing the expired grant would exceed the limit.
    let res = patch_member(&app, &admin, user, json!({"expiresAt": null})).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "expiresAt");

    // Suspend the new hire, then reactivating them fits again; reactivating beyond does not.
    let hire = user_id(&app, "new.hire@example.com").await;
    let res = patch_member(&app, &admin, hire, json!({"accessStatus": "SUSPENDED"})).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = patch_member(&app, &admin, user, json!({"expiresAt": null})).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = patch_member(&app, &admin, hire, json!({"accessStatus": "ACTIVE"})).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "accessStatus");
}

/// Adds racing for the last seat: one gets it, the others a named 422, never a seat beyond
/// the limit. The tenant row is locked while a seat is counted: with the row held here,
/// every add waits at that lock, then they count one after the other.
#[tokio::test(flavor = "multi_thread")]
async fn racing_adds_never_exceed_the_user_limit() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let tenant = app.id_of("tenants", "taskmanager").await;
    let mut holder = app.db.conn().await;
    // taskmanager has 2 members: one seat is left.
    diesel::update(tenants::table.find(tenant))
        .set(tenants::max_users.eq(3))
        .execute(&mut holder)
        .await
        .unwrap();
    diesel::sql_query("BEGIN")
        .execute(&mut holder)
        .await
        .unwrap();
    diesel::sql_query("SELECT id FROM tenants WHERE id = $1 FOR UPDATE")
        .bind::<diesel::sql_types::Uuid, _>(tenant)
        .execute(&mut holder)
        .await
        .unwrap();
    let adds = (0..4).map(|n| {
        let body = json!({"email": format!("racer{n}@example.com"), "name": format!("Racer {n}"),
                          "role": "USER"});
        app.send("POST", "/api/v1/users", Some(body), &admin)
    });
    let (results, waited) = tokio::join!(join_all(adds.collect()), async {
        let mut waited = 0;
        for _ in 0..400 {
            waited = app.waiting_on_locks().await;
            if waited == 4 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        diesel::sql_query("COMMIT")
            .execute(&mut holder)
            .await
            .unwrap();
        waited
    });
    assert_eq!(waited, 4, "every add waits for the tenant row");
    let added = results.iter().filter(|r| r.status == 202).count();
    assert_eq!(
        added,
        1,
        "{:?}",
        results.iter().map(|r| r.text()).collect::<Vec<_>>()
    );
    for r in results.iter().filter(|r| r.status != 202) {
        assert_eq!(r.status, 422, "{}", r.text());
        assert_eq!(r.json()["error"]["details"]["field"], "email");
    }
}

/// A tier whose limit is below the tenant's members is refused at `subscriptionTier`, and
/// nothing changes.
#[tokio::test(flavor = "multi_thread")]
async fn a_tier_below_the_members_is_refused() {
    let app = TestApp::new().await;
    let admin = app.token("superadmin@core.com").await;
    let tenant = app.id_of("tenants", "taskmanager").await;
    // 2 members, then 9 more: 11, beyond STARTER's 10.
    app.add_members("taskmanager", 9).await;
    let path = format!("/api/v1/core/tenants/{tenant}");
    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"subscriptionTier": "STARTER"})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "subscriptionTier");
    let res = app.send("GET", &path, None, &admin).await;
    assert_eq!(
        res.json()["data"]["subscriptionTier"],
        "PROFESSIONAL",
        "{}",
        res.text()
    );
    assert_eq!(res.json()["data"]["maxUsers"], 50);
    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"subscriptionTier": "ENTERPRISE"})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["maxUsers"], 1000);
}

#[tokio::test(flavor = "multi_thread")]
async fn tier_changes_keep_custom_limits_and_never_drop_below_the_members() {
    let app = TestApp::new().await;
    let admin = app.token("superadmin@core.com").await;
    let mut conn = app.db.conn().await;
    let id: uuid::Uuid = tenants::table
        .filter(tenants::domain.eq("taskmanager"))
        .select(tenants::id)
        .first(&mut conn)
        .await
        .unwrap();
    let path = format!("/api/v1/core/tenants/{id}");
    let res = app
        .send("PATCH", &path, Some(json!({"maxUsers": 37})), &admin)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["maxUsers"], 37);
    // Saving the form again with the same tier keeps the custom limit.
    let tier = res.json()["data"]["subscriptionTier"].clone();
    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"name": "Task Manager", "subscriptionTier": tier})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["maxUsers"], 37);
    // A limit below the current members is refused.
    let res = app
        .send("PATCH", &path, Some(json!({"maxUsers": 1})), &admin)
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "maxUsers");
}

#[tokio::test(flavor = "multi_thread")]
async fn callers_without_the_permission_get_403_whatever_the_body() {
    let app = TestApp::new().await;
    let user = app.token("user@taskmanager.com").await;
    for (method, path, body) in [
        ("POST", "/api/v1/core/tenants", json!({})),
        ("POST", "/api/v1/core/tenants", json!("not an object")),
        (
            "PATCH",
            "/api/v1/core/tenants/not-a-uuid",
            json!({"bogus": 1}),
        ),
        ("POST", "/api/v1/users", json!({"email": 5})),
        ("PATCH", "/api/v1/users/not-a-uuid", json!({})),
        ("POST", "/api/v1/roles", json!({"name": null})),
        ("GET", "/api/v1/core/tenants?page=abc", json!(null)),
        ("GET", "/api/v1/audit?page=0", json!(null)),
    ] {
        let res = app.send(method, path, Some(body.clone()), &user).await;
        assert_eq!(res.status, 403, "{method} {path} {body}: {}", res.text());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sub_admin_with_star_in_a_business_tenant_has_no_platform_powers() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    // The super admin, acting in taskmanager, grants the system SUPER_ADMIN role there.
    let data = app.login("superadmin@core.com").await;
    let tm = data["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["domain"] == "taskmanager")
        .unwrap()["id"]
        .clone();
    let res = app
        .send(
            "POST",
            "/api/v1/auth/switch-tenant",
            Some(json!({"tenantId": tm})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let in_tm = res.json()["data"]["tokens"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let user = user_id(&app, "user@taskmanager.com").await;
    let res = patch_member(&app, &in_tm, user, json!({"role": "SUPER_ADMIN"})).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let local = app.token("user@taskmanager.com").await;
    assert_eq!(
        app.get("/api/v1/core/tenants", Some(&local)).await.status,
        403
    );
    assert_eq!(
        app.get("/api/v1/core/users", Some(&local)).await.status,
        403
    );
    let audit = app.get("/api/v1/audit", Some(&local)).await;
    assert_eq!(audit.status, 200);
    let foreign = audit.json()["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["tenantDomain"] != "taskmanager")
        .count();
    assert_eq!(foreign, 0, "only this tenant's entries");
}

#[tokio::test(flavor = "multi_thread")]
async fn super_admins_get_a_bounded_tenant_list_and_search_the_rest() {
    let app = TestApp::new().await;
    let mut conn = app.db.conn().await;
    diesel::sql_query(
        "INSERT INTO tenants (name, domain) \
         SELECT 'Bulk ' || lpad(n::text, 3, '0'), 'bulk-' || n FROM generate_series(1, 60) n",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let data = app.login("superadmin@core.com").await;
    let listed = data["tenants"].as_array().unwrap();
    assert_eq!(listed.len(), 25, "bounded, not all 63");
    assert_eq!(listed[0]["domain"], "core", "the current tenant first");
    let token = data["tokens"]["accessToken"].as_str().unwrap().to_string();
    let me = app.get("/api/v1/auth/me", Some(&token)).await.json();
    assert_eq!(me["data"]["tenants"].as_array().unwrap().len(), 25);

    // The rest are found by searching, and reachable.
    let found = app
        .get("/api/v1/auth/tenants?search=Bulk%20059", Some(&token))
        .await;
    assert_eq!(found.status, 200, "{}", found.text());
    let found = found.json()["data"].as_array().unwrap().clone();
    assert_eq!(found.len(), 1);
    let res = app
        .send(
            "POST",
            "/api/v1/auth/switch-tenant",
            Some(json!({"tenantId": found[0]["id"]})),
            &token,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    // The switch made it a recent tenant: it now heads the list after the current one.
    let switched = res.json()["data"]["tokens"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let me = app.get("/api/v1/auth/me", Some(&switched)).await.json();
    assert_eq!(me["data"]["tenants"][0]["domain"], "bulk-59");
    assert!(me["data"]["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["domain"] == "core"));

    // A member searches only their own tenants.
    let user = app.token("user@taskmanager.com").await;
    let found = app
        .get("/api/v1/auth/tenants?search=bulk", Some(&user))
        .await
        .json();
    assert_eq!(found["data"].as_array().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_concurrent_guesses_gets_no_more_tries_than_the_free_ones() {
    let app = TestApp::with_settings(|s| s.auth.lockout.account_failures = 3).await;
    let bad = json!({"email": "user@taskmanager.com", "password": "wrong-password"});
    let guesses: Vec<_> = (0..20)
        .map(|_| app.post_json("/api/v1/auth/login", bad.clone(), None))
        .collect();
    let answers = join_all(guesses).await;
    let checked = answers.iter().filter(|r| r.status == 401).count();
    let refused = answers.iter().filter(|r| r.status == 429).count();
    assert_eq!(checked + refused, 20);
    // Three free attempts and the one that starts the lock; every other guess is refused
    // before its password is even checked.
    assert!(checked <= 4, "{checked} guesses were checked");
}

fn from_peer(
    mut req: axum::http::Request<axum::body::Body>,
    peer: &str,
) -> axum::http::Request<axum::body::Body> {
    let addr: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    req
}

fn bad_login(forwarded_for: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .header("x-forwarded-for", forwarded_for)
        .body(axum::body::Body::from(
            json!({"email": format!("nobody-{}@example.com", uuid::Uuid::new_v4()), "password": "x"}).to_string(),
        ))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn behind_a_trusted_proxy_each_client_address_is_limited_on_its_own() {
    let app = TestApp::with_settings(|s| {
        s.auth.lockout.ip_failures = 2;
        s.trusted_proxies = vec!["10.0.0.1".parse().unwrap()];
    })
    .await;
    // The attacker's address, as the proxy forwards it, gets locked...
    for _ in 0..3 {
        let res = app
            .request(from_peer(bad_login("203.0.113.7"), "10.0.0.1"))
            .await;
        assert_eq!(res.status, 401);
    }
    let res = app
        .request(from_peer(bad_login("203.0.113.7"), "10.0.0.1"))
        .await;
    assert_eq!(res.status, 429);
    // ...and nobody else behind the same proxy is, even if the attacker forges the header
    // further left.
    let res = app
        .request(from_peer(bad_login("198.51.100.9"), "10.0.0.1"))
        .await;
    assert_eq!(res.status, 401);
    let res = app
        .request(from_peer(
            bad_login("198.51.100.9, 203.0.113.7"),
            "10.0.0.1",
        ))
        .await;
    assert_eq!(res.status, 429, "the proxy appended the real address last");
    // An untrusted peer's header is ignored: it is limited by its own address.
    for _ in 0..3 {
        app.request(from_peer(bad_login("1.2.3.4"), "192.0.2.50"))
            .await;
    }
    let res = app
        .request(from_peer(bad_login("5.6.7.8"), "192.0.2.50"))
        .await;
    assert_eq!(res.status, 429);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_editor_cannot_strip_a_role_that_outranks_them() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let create =
        |name: &str, perms: Value| json!({"name": name, "description": "", "permissions": perms});
    let res = app
        .post_json(
            "/api/v1/roles",
            create("AUDITOR", json!(["audit:read", "user:read"])),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let auditor = res.json()["data"]["id"].as_str().unwrap().to_string();
    let res = app
        .post_json(
            "/api/v1/roles",
            create(
                "ROLE_EDITOR",
                json!(["role:manage", "role:read", "user:read"]),
            ),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let editor = user_with_role(&app, &admin, "ROLE_EDITOR").await;
    let path = format!("/api/v1/roles/{auditor}");
    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"permissions": ["user:read"]})),
            &editor,
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.text());
    assert_eq!(app.send("DELETE", &path, None, &editor).await.status, 403);
    let roles = app.get("/api/v1/roles", Some(&admin)).await.json();
    let kept = roles["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "AUDITOR")
        .unwrap()["permissions"]
        .clone();
    assert_eq!(kept, json!(["audit:read", "user:read"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_correct_logins_never_lock_the_account() {
    let app = TestApp::new().await;
    let good = json!({"email": "user@taskmanager.com", "password": DEMO_PASSWORD});
    let logins: Vec<_> = (0..12)
        .map(|_| app.post_json("/api/v1/auth/login", good.clone(), None))
        .collect();
    let answers = join_all(logins).await;
    // Checks beyond the free ones wait a moment (429, no lock); none is refused as a failure.
    assert!(answers.iter().all(|r| r.status == 200 || r.status == 429));
    assert!(answers.iter().filter(|r| r.status == 200).count() >= 6);
    let res = app.post_json("/api/v1/auth/login", good, None).await;
    assert_eq!(res.status, 200, "no lock afterwards: {}", res.text());
    let actions = audit_actions(&app).await;
    assert!(!actions.iter().any(|(a, _)| a == "auth.lockout"));
}

/// A lock refuses only the network that earned it: guessing from one network never keeps the
/// owner out from another.
#[tokio::test(flavor = "multi_thread")]
async fn a_lock_refuses_only_the_network_that_earned_it() {
    let app = TestApp::new().await;
    let login = |password: &str, peer: &str| {
        let req = axum::http::Request::post("/api/v1/auth/login")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(
                json!({"email": "superadmin@core.com", "password": password}).to_string(),
            ))
            .unwrap();
        from_peer(req, peer)
    };
    let mut refused = 0;
    for _ in 0..12 {
        let status = app
            .request(login("wrong-password", "198.51.100.7"))
            .await
            .status;
        assert!(status == 401 || status == 429, "{status}");
        refused += usize::from(status == 429);
    }
    assert!(refused > 0, "the guessing network was locked");
    // The owner, elsewhere, with the right password.
    let res = app.request(login(DEMO_PASSWORD, "203.0.113.20")).await;
    assert_eq!(res.status, 200, "{}", res.text());
    // The guessing network stays locked, even with the right password.
    let res = app.request(login(DEMO_PASSWORD, "198.51.100.7")).await;
    assert_eq!(res.status, 429, "{}", res.text());
    assert!(res.header("retry-after").is_some());
    let actions = audit_actions(&app).await;
    assert!(actions
        .iter()
        .any(|(a, d)| a == "auth.lockout" && d["subject"] == "superadmin@core.com"));
}

/// Guesses from many networks slow an account down (checks wait their turn and pause once the
/// failures pile up) but never refuse its owner's right password.
#[tokio::test(flavor = "multi_thread")]
async fn a_flood_from_many_networks_slows_the_account_but_never_locks_it() {
    let app = TestApp::with_settings(|s| s.auth.lockout.account_failures = 2).await;
    let login = |password: &str, peer: String| {
        let req = axum::http::Request::post("/api/v1/auth/login")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(
                json!({"email": "user@taskmanager.com", "password": password}).to_string(),
            ))
            .unwrap();
        from_peer(req, &peer)
    };
    // Two failures from each of eight networks: no network is locked yet, the account has
    // eight times its free failures.
    for n in 0..8 {
        for _ in 0..2 {
            let res = app
                .request(login("wrong-password", format!("198.51.100.{n}")))
                .await;
            assert_eq!(res.status, 401, "{}", res.text());
        }
    }
    let started = std::time::Instant::now();
    let res = app
        .request(login(DEMO_PASSWORD, "203.0.113.20".into()))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(
        started.elapsed() >= inti::server::auth::throttle::FLOOD_DELAY,
        "a flooded account's check waits first"
    );
    // The success cleared the account-wide count: the next sign-in does not wait.
    let mut conn = app.state.redis.get().await.unwrap();
    let key = inti::server::auth::throttle::key_of(
        &app.state.settings.redis.key_prefix,
        "acctall:user@taskmanager.com",
        "count",
    );
    let count: Option<i64> = deadpool_redis::redis::cmd("GET")
        .arg(key)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(count, None);
    let actions = audit_actions(&app).await;
    assert!(!actions.iter().any(|(a, _)| a == "auth.lockout"));
}

/// What the throttle holds for a subject, read straight from Redis.
async fn running_checks(app: &TestApp, subject: &str) -> i64 {
    let mut conn = app.state.redis.get().await.unwrap();
    let key = inti::server::auth::throttle::key_of(
        &app.state.settings.redis.key_prefix,
        subject,
        "running",
    );
    deadpool_redis::redis::cmd("GET")
        .arg(key)
        .query_async::<Option<i64>>(&mut conn)
        .await
        .unwrap()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_check_gives_its_slot_back_whatever_its_outcome() {
    let app = TestApp::with_settings(|s| s.auth.lockout.account_failures = 2).await;
    let login = |password: &str| {
        let req = axum::http::Request::post("/api/v1/auth/login")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(
                json!({"email": "user@taskmanager.com", "password": password}).to_string(),
            ))
            .unwrap();
        from_peer(req, "192.0.2.9")
    };
    assert_eq!(app.request(login(DEMO_PASSWORD)).await.status, 200);
    for _ in 0..3 {
        assert_eq!(app.request(login("wrong-password")).await.status, 401);
    }
    // The account is locked now: the refused attempt must not keep the address's slot.
    assert_eq!(app.request(login(DEMO_PASSWORD)).await.status, 429);
    assert_eq!(
        running_checks(&app, "acct:user@taskmanager.com|192.0.2.9").await,
        0
    );
    assert_eq!(
        running_checks(&app, "acctall:user@taskmanager.com").await,
        0
    );
    assert_eq!(running_checks(&app, "ip:192.0.2.9").await, 0);
    // The audit filter matches what it parsed, not the raw text.
    let root = app.token("superadmin@core.com").await;
    let res = app
        .get("/api/v1/audit?action=%20AUTH.LOGIN%20", Some(&root))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(res.json()["data"]["total"].as_i64().unwrap() > 0);
}

/// PostgreSQL's own foreign-key and check refusals become a 422 naming the field, never a
/// 500 (the same mapping serves every write).
#[tokio::test(flavor = "multi_thread")]
async fn foreign_key_and_check_violations_name_their_field() {
    use inti::domain::error::AppError;
    let app = TestApp::new().await;
    let tenant = app.id_of("tenants", "taskmanager").await;
    // Not a member of taskmanager yet: only the role is wrong.
    let user = user_id(&app, "admin@whatsapp.com").await;
    let mut conn = app.db.conn().await;
    let missing_role = diesel::insert_into(user_tenant_access::table)
        .values((
            user_tenant_access::user_id.eq(user),
            user_tenant_access::tenant_id.eq(tenant),
            user_tenant_access::role_id.eq(uuid::Uuid::new_v4()),
        ))
        .execute(&mut conn)
        .await
        .unwrap_err();
    match AppError::from(missing_role) {
        AppError::Validation { field, .. } => assert_eq!(field, "roleId"),
        other => panic!("a foreign-key violation became {other:?}"),
    }
    let bad_status = diesel::update(tenants::table.find(tenant))
        .set(tenants::status.eq("NOT-A-STATUS"))
        .execute(&mut conn)
        .await
        .unwrap_err();
    match AppError::from(bad_status) {
        AppError::Validation { field, .. } => assert_eq!(field, "status"),
        other => panic!("a check violation became {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn listed_origins_may_call_the_api_with_tokens_and_no_credentials_others_get_nothing() {
    let allowed = "https://app.example.com";
    let app = TestApp::with_settings(|s| s.http.cors_origins = vec![allowed.to_string()]).await;
    let preflight = |origin: &str, path: &str| {
        axum::http::Request::builder()
            .method("OPTIONS")
            .uri(path)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .body(axum::body::Body::empty())
            .unwrap()
    };
    // A browser's preflight names no token, and says it is cross-site: it is answered before
    // the origin guard (the gateway takes the session too), so the gateway is reachable.
    let res = app
        .request(
            axum::http::Request::builder()
                .method("OPTIONS")
                .uri("/api/v1/gateway/whatsapp-gateway/messages")
                .header("origin", allowed)
                .header("sec-fetch-site", "cross-site")
                .header("access-control-request-method", "GET")
                .header("access-control-request-headers", "authorization")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        matches!(res.status, 200 | 204),
        "{} {}",
        res.status,
        res.text()
    );
    assert_eq!(
        res.header("access-control-allow-origin").as_deref(),
        Some(allowed)
    );
    let res = app.request(preflight(allowed, "/api/v1/tasks")).await;
    assert!(matches!(res.status, 200 | 204), "{}", res.status);
    assert_eq!(
        res.header("access-control-allow-origin").as_deref(),
        Some(allowed)
    );
    let methods = res.header("access-control-allow-methods").unwrap();
    assert!(
        methods.contains("POST") && methods.contains("DELETE"),
        "{methods}"
    );
    let headers = res.header("access-control-allow-headers").unwrap();
    assert!(headers.contains("authorization") && headers.contains("content-type"));
    assert_eq!(
        res.header("access-control-max-age").as_deref(),
        Some("3600")
    );
    assert!(res.header("access-control-allow-credentials").is_none());

    // Another origin, or pages and server functions for any origin: no CORS headers.
    for (origin, path) in [
        ("https://evil.example", "/api/v1/tasks"),
        ("https://app.example.com.evil.example", "/api/v1/tasks"),
        (allowed, "/api/login"),
    ] {
        let res = app.request(preflight(origin, path)).await;
        assert!(
            res.header("access-control-allow-origin").is_none(),
            "{origin} {path}"
        );
    }

    // The calls themselves: a write with a Bearer token from the listed origin is answered
    // for that origin to read; the same from another origin is answered without the header,
    // so that origin's page cannot read it.
    let token = app.token("admin@taskmanager.com").await;
    let create = |origin: &str| {
        axum::http::Request::post("/api/v1/tasks")
            .header("origin", origin)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(
                json!({ "title": "From the SPA" }).to_string(),
            ))
            .unwrap()
    };
    let res = app.request(create(allowed)).await;
    assert_eq!(res.status, 201, "{}", res.text());
    assert_eq!(
        res.header("access-control-allow-origin").as_deref(),
        Some(allowed)
    );
    assert!(res
        .header("access-control-expose-headers")
        .is_some_and(|h| h.contains("x-request-id")));
    let res = app.request(create("https://evil.example")).await;
    assert!(res.header("access-control-allow-origin").is_none());
    // An answer that a layer gives before any handler (a body over the limit) is readable too.
    let res = app
        .request(
            axum::http::Request::post("/api/v1/tasks")
                .header("origin", allowed)
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .header("content-length", 2_000_000)
                .body(axum::body::Body::from(vec![b' '; 2_000_000]))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, 413);
    assert_eq!(
        res.header("access-control-allow-origin").as_deref(),
        Some(allowed)
    );

    // Nothing is allowed unless configured.
    let plain = TestApp::new().await;
    let res = plain.request(preflight(allowed, "/api/v1/tasks")).await;
    assert!(res.header("access-control-allow-origin").is_none());
}
