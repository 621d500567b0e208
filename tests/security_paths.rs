//! Security-relevant paths that no test walked before.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use inti::server::{
    auth::jwt::Claims,
    db::schema::{refresh_tokens, role_permissions, roles, tenants, user_tenant_access, users},
};
use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::json;

/// Rows in a table, read as the owner (no row-level security).
macro_rules! count {
    ($app:expr, $table:path) => {{
        let mut conn = $app.db.conn().await;
        let n: i64 = $table.count().get_result(&mut conn).await.unwrap();
        n
    }};
}

#[tokio::test(flavor = "multi_thread")]
async fn server_functions_refuse_admin_actions_from_a_plain_user() {
    let app = TestApp::new().await;
    let user = app.browser_login("user@taskmanager.com").await;
    let (tenants_before, users_before, roles_before) = (
        count!(app, tenants::table),
        count!(app, users::table),
        count!(app, roles::table),
    );
    for (name, form) in [
        ("users_add", "email=x%40y.io&name=X&role=USER&expires_at="),
        (
            "tenants_create",
            "name=Evil&domain=evil-co&subscription_tier=STARTER",
        ),
        ("roles_create", "name=SNEAKY&description=&extra=user%3Aread"),
    ] {
        let res = app.server_fn(name, form, Some(&user)).await;
        assert_eq!(res.status, 403, "{name}: {}", res.text());
    }
    assert_eq!(count!(app, tenants::table), tenants_before);
    assert_eq!(count!(app, users::table), users_before);
    assert_eq!(count!(app, roles::table), roles_before);
}

fn forge(app: &TestApp, claims: &Claims) -> String {
    let key = app
        .state
        .settings
        .auth
        .jwt_secret
        .expose()
        .as_bytes()
        .to_vec();
    encode(&Header::default(), claims, &EncodingKey::from_secret(&key)).unwrap()
}

fn claims_of(app: &TestApp, token: &str) -> Claims {
    app.state.jwt.verify(token).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn validly_signed_tokens_with_wrong_claims_are_refused() {
    let app = TestApp::new().await;
    let token = app.token("user@taskmanager.com").await;
    let good = claims_of(&app, &token);
    assert_eq!(
        app.get("/api/v1/auth/me", Some(&forge(&app, &good)))
            .await
            .status,
        200
    );
    let admin = claims_of(&app, &app.token("admin@whatsapp.com").await);
    let cases = [
        Claims {
            iss: "someone-else".into(),
            ..good.clone()
        },
        Claims {
            aud: "another-api".into(),
            ..good.clone()
        },
        // The session is the user's, but the token names another user or tenant.
        Claims {
            sub: admin.sub,
            ..good.clone()
        },
        Claims {
            tid: admin.tid,
            ..good.clone()
        },
        Claims {
            exp: good.iat - 60,
            ..good.clone()
        },
    ];
    for claims in cases {
        let res = app
            .get("/api/v1/auth/me", Some(&forge(&app, &claims)))
            .await;
        assert_eq!(res.status, 401, "{claims:?}: {}", res.text());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_stops_for_suspended_users_and_tenants_and_expired_tokens() {
    let app = TestApp::new().await;
    let mut conn = app.db.conn().await;
    let refresh_of = |data: serde_json::Value| data["tokens"]["refreshToken"].clone();

    // A suspended user.
    let token = refresh_of(app.login("user@taskmanager.com").await);
    diesel::update(users::table.filter(users::email.eq("user@taskmanager.com")))
        .set(users::status.eq("SUSPENDED"))
        .execute(&mut conn)
        .await
        .unwrap();
    let before = count!(app, refresh_tokens::table);
    let res = app
        .post_json("/api/v1/auth/refresh", json!({"refreshToken": token}), None)
        .await;
    assert_eq!(res.status, 401, "{}", res.text());
    assert_eq!(count!(app, refresh_tokens::table), before, "nothing issued");

    // A suspended tenant.
    let token = refresh_of(app.login("admin@whatsapp.com").await);
    diesel::update(tenants::table.filter(tenants::domain.eq("whatsapp")))
        .set(tenants::status.eq("SUSPENDED"))
        .execute(&mut conn)
        .await
        .unwrap();
    let before = count!(app, refresh_tokens::table);
    let res = app
        .post_json("/api/v1/auth/refresh", json!({"refreshToken": token}), None)
        .await;
    assert_eq!(res.status, 401, "{}", res.text());
    assert_eq!(count!(app, refresh_tokens::table), before);

    // An expired refresh token.
    let token = refresh_of(app.login("admin@taskmanager.com").await);
    let hash = inti::server::auth::refresh_token::digest(token.as_str().unwrap());
    diesel::update(refresh_tokens::table.filter(refresh_tokens::token_hash.eq(hash.to_vec())))
        .set(refresh_tokens::expires_at.eq(chrono::Utc::now() - chrono::Duration::seconds(1)))
        .execute(&mut conn)
        .await
        .unwrap();
    let before = count!(app, refresh_tokens::table);
    let res = app
        .post_json("/api/v1/auth/refresh", json!({"refreshToken": token}), None)
        .await;
    assert_eq!(res.status, 401, "{}", res.text());
    assert_eq!(count!(app, refresh_tokens::table), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_cannot_be_patched_with_a_permission_its_editor_lacks() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let res = app
        .post_json(
            "/api/v1/roles",
            json!({"name": "SUPPORT", "description": "", "permissions": ["user:read"]}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["data"]["id"].as_str().unwrap().to_string();
    for extra in ["tenant:create", "*", "service:register"] {
        let res = app
            .send(
                "PATCH",
                &format!("/api/v1/roles/{id}"),
                Some(json!({"permissions": ["user:read", extra]})),
                &admin,
            )
            .await;
        assert_eq!(res.status, 422, "{extra}: {}", res.text());
        assert_eq!(res.json()["error"]["details"]["field"], "permissions");
    }
    let mut conn = app.db.conn().await;
    let held: Vec<String> = role_permissions::table
        .filter(role_permissions::role_id.eq(id.parse::<uuid::Uuid>().unwrap()))
        .select(role_permissions::permission)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(held, ["user:read"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_server_function_answers_bad_arguments_with_a_4xx() {
    let app = TestApp::new().await;
    let admin = app.browser_login("superadmin@core.com").await;
    let grants_before = count!(app, user_tenant_access::table);
    let names = [
        "account_rename",
        "account_password",
        "audit_list",
        "login",
        "switch_tenant",
        "roles_list",
        "roles_create",
        "roles_delete",
        "tenants_list",
        "tenants_get",
        "tenants_create",
        "tenants_update",
        "users_list",
        "users_add",
        "users_set_access",
        "users_remove",
    ];
    for name in names {
        for form in [
            "",
            "page=abc&id=%ZZ",
            "unknown=1&subscription_tier",
            "page=99999999999999999999",
        ] {
            let res = app.server_fn(name, form, Some(&admin)).await;
            // Functions whose arguments are all optional may succeed; none may fail with 5xx,
            // and every refusal is an `AppError` the page can show under its field.
            assert!(
                res.status < 500,
                "{name} with {form:?}: {} {}",
                res.status,
                res.text()
            );
            if res.status >= 400 {
                serde_json::from_slice::<inti::domain::error::AppError>(&res.body)
                    .unwrap_or_else(|_| panic!("{name}: not an AppError: {}", res.text()));
            }
        }
    }
    assert_eq!(count!(app, user_tenant_access::table), grants_before);
}

#[tokio::test(flavor = "multi_thread")]
async fn text_with_nul_is_refused_with_the_field_named() {
    let app = TestApp::new().await;
    let token = app.token("admin@taskmanager.com").await;
    let res = app
        .send(
            "PATCH",
            "/api/v1/account",
            Some(json!({"name": "Ann\u{0}Lee"})),
            &token,
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "name");
    let res = app.get("/api/v1/audit?action=%00", Some(&token)).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "action");
    let cookie = app.browser_login("admin@taskmanager.com").await;
    let res = app
        .server_fn("account_rename", "name=A%00B", Some(&cookie))
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
}
