//! The second factor: an authenticator app set up from the account, the login's code step
//! (API and browser), recovery codes, throttling, and a tenant requiring it of its admins.

mod common;

use common::{TestApp, DEMO_PASSWORD};
use inti::server::auth::totp;
use serde_json::{json, Value};

/// The authenticator's code `steps` steps from now, from the secret the setup answered.
fn code(secret: &str, steps: i64) -> String {
    let bytes = totp::secret_from_display(secret).expect("a base32 secret");
    let at = totp::now_secs() as i64 + steps * 30;
    totp::code_at(&bytes, at as u64)
}

/// A six-digit code that is not the secret's now, nor a step either side.
fn wrong_code(secret: &str) -> String {
    let taken: Vec<String> = (-1..=1).map(|s| code(secret, s)).collect();
    (0..10)
        .map(|d| format!("{d}{d}{d}{d}{d}{d}"))
        .find(|c| !taken.contains(c))
        .unwrap()
}

async fn password_login(app: &TestApp, email: &str) -> common::Response {
    app.post_json(
        "/api/v1/auth/login",
        json!({"email": email, "password": DEMO_PASSWORD}),
        None,
    )
    .await
}

async fn verify(app: &TestApp, challenge: &str, code: &str) -> common::Response {
    app.post_json(
        "/api/v1/auth/login/verify",
        json!({"challengeToken": challenge, "code": code}),
        None,
    )
    .await
}

/// Turns the second factor on for `email` through the API; answers its secret and the
/// recovery codes.
async fn turn_on(app: &TestApp, email: &str) -> (String, Vec<String>) {
    let token = app.token(email).await;
    let res = app
        .post_json("/api/v1/account/two-factor/setup", json!({}), Some(&token))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let secret = res.json()["data"]["secret"].as_str().unwrap().to_string();
    let res = app
        .post_json(
            "/api/v1/account/two-factor/confirm",
            json!({"code": code(&secret, 0)}),
            Some(&token),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let codes = res.json()["data"]["recoveryCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    (secret, codes)
}

fn challenge_of(res: &common::Response) -> Value {
    assert_eq!(res.status, 200, "{}", res.text());
    let data = res.json()["data"].clone();
    assert!(
        data.get("tokens").is_none(),
        "no tokens before the code: {data}"
    );
    data["challenge"].clone()
}

async fn flag_in_database(app: &TestApp, email: &str) -> bool {
    #[derive(diesel::QueryableByName)]
    struct Flag {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        two_factor_enabled: bool,
    }
    use diesel_async::RunQueryDsl;
    let mut conn = app.db.conn().await;
    diesel::sql_query("SELECT two_factor_enabled FROM users WHERE email = $1")
        .bind::<diesel::sql_types::Text, _>(email)
        .get_result::<Flag>(&mut conn)
        .await
        .unwrap()
        .two_factor_enabled
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_sets_up_an_authenticator_and_then_signs_in_with_its_codes() {
    let app = TestApp::new().await;
    let email = "user@taskmanager.com";
    let token = app.token(email).await;

    let res = app.get("/api/v1/account/two-factor", Some(&token)).await;
    assert_eq!(
        res.json()["data"],
        json!({"enabled": false, "recoveryCodesLeft": 0, "required": false})
    );

    let res = app
        .post_json("/api/v1/account/two-factor/setup", json!({}), Some(&token))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let setup = res.json()["data"].clone();
    let secret = setup["secret"].as_str().unwrap().to_string();
    let uri = setup["otpauthUri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/Inti:user%40taskmanager.com?"),
        "{uri}"
    );
    assert!(
        uri.contains(&format!("secret={}", secret.replace(' ', ""))),
        "{uri}"
    );
    assert!(setup["qrCode"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));

    // Not on until a code confirms it: a login still opens at once.
    assert!(password_login(&app, email).await.json()["data"]["tokens"].is_object());
    assert!(!flag_in_database(&app, email).await);

    let confirm = |code: String| {
        let token = token.clone();
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/account/two-factor/confirm",
                json!({ "code": code }),
                Some(&token),
            )
            .await
        }
    };
    let res = confirm(wrong_code(&secret)).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "code");
    let res = confirm(String::new()).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "code");
    assert!(!flag_in_database(&app, email).await);

    let res = confirm(code(&secret, -1)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let first_codes = res.json()["data"]["recoveryCodes"]
        .as_array()
        .unwrap()
        .clone();
    // New recovery codes need a code from the app, not a recovery code; the old ones stop.
    let renew = |code: String| {
        let token = token.clone();
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/account/two-factor/recovery-codes",
                json!({ "code": code }),
                Some(&token),
            )
            .await
        }
    };
    let res = renew(first_codes[0].as_str().unwrap().to_string()).await;
    assert_eq!(res.status, 422, "{}", res.text());
    let res = renew(code(&secret, 0)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let codes = res.json()["data"]["recoveryCodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(codes.len(), 10);
    assert!(!codes.contains(&first_codes[0]));
    assert_eq!(codes.len(), 10);
    assert!(flag_in_database(&app, email).await);
    // The tenant's admin sees who has it on.
    let admin = app.token("admin@taskmanager.com").await;
    let members = app
        .get("/api/v1/users?perPage=100", Some(&admin))
        .await
        .json();
    let flags: Vec<(String, bool)> = members["data"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{members}"))
        .iter()
        .map(|m| {
            (
                m["email"].as_str().unwrap().to_string(),
                m["twoFactorEnabled"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(flags.contains(&(email.to_string(), true)), "{flags:?}");
    assert!(
        flags.contains(&("admin@taskmanager.com".to_string(), false)),
        "{flags:?}"
    );
    let res = app.get("/api/v1/account/two-factor", Some(&token)).await;
    assert_eq!(
        res.json()["data"],
        json!({"enabled": true, "recoveryCodesLeft": 10, "required": false})
    );
    let res = app
        .post_json("/api/v1/account/two-factor/setup", json!({}), Some(&token))
        .await;
    assert_eq!(res.status, 409, "a second setup while on: {}", res.text());

    // The password alone now answers a challenge, not a session.
    let challenge = challenge_of(&password_login(&app, email).await);
    assert_eq!(challenge["method"], "TOTP");
    assert!(challenge["setup"].is_null());
    let ticket = challenge["challengeToken"].as_str().unwrap().to_string();

    // The code that renewed the recovery codes was used: it is good once.
    let res = verify(&app, &ticket, &code(&secret, 0)).await;
    assert_eq!(res.status, 401, "{}", res.text());
    assert_eq!(res.json()["error"]["code"], "INVALID_CODE");
    let res = verify(&app, "not-a-challenge", &code(&secret, 1)).await;
    assert_eq!(res.json()["error"]["code"], "SIGN_IN_EXPIRED");

    let res = verify(&app, &ticket, &code(&secret, 1)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let data = res.json()["data"].clone();
    let access = data["tokens"]["accessToken"].as_str().unwrap().to_string();
    assert_eq!(data["user"]["email"], email);
    assert!(data.get("recoveryCodes").is_none());
    let me = app.get("/api/v1/auth/me", Some(&access)).await;
    assert_eq!(me.status, 200);
    // The challenge was good once.
    let res = verify(&app, &ticket, &code(&secret, 1)).await;
    assert_eq!(res.json()["error"]["code"], "SIGN_IN_EXPIRED");

    // A recovery code signs in once, however it is typed.
    let recovery = codes[0].as_str().unwrap().to_lowercase().replace('-', " ");
    let ticket = challenge_of(&password_login(&app, email).await)["challengeToken"]
        .as_str()
        .unwrap()
        .to_string();
    let res = verify(&app, &ticket, &recovery).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let ticket = challenge_of(&password_login(&app, email).await)["challengeToken"]
        .as_str()
        .unwrap()
        .to_string();
    let res = verify(&app, &ticket, &recovery).await;
    assert_eq!(res.json()["error"]["code"], "INVALID_CODE", "spent");
    let res = app.get("/api/v1/account/two-factor", Some(&access)).await;
    assert_eq!(res.json()["data"]["recoveryCodesLeft"], 9);

    // The audit shows which factor passed.
    let audit = app
        .get(
            "/api/v1/audit?action=auth.login",
            Some(&app.token("admin@taskmanager.com").await),
        )
        .await;
    let text = audit.text();
    assert!(
        text.contains("RECOVERY_CODE") && text.contains("\"TOTP\""),
        "{text}"
    );

    // Turned off with a recovery code: the password alone signs in again.
    let res = app
        .post_json(
            "/api/v1/account/two-factor/disable",
            json!({"code": codes[1]}),
            Some(&access),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(!flag_in_database(&app, email).await);
    assert!(password_login(&app, email).await.json()["data"]["tokens"].is_object());
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_codes_end_the_challenge_and_lock_the_account_like_wrong_passwords() {
    let app = TestApp::new().await;
    let email = "user@taskmanager.com";
    let (secret, _) = turn_on(&app, email).await;
    let ticket = challenge_of(&password_login(&app, email).await)["challengeToken"]
        .as_str()
        .unwrap()
        .to_string();
    for _ in 0..4 {
        let res = verify(&app, &ticket, &wrong_code(&secret)).await;
        assert_eq!(
            res.json()["error"]["code"],
            "INVALID_CODE",
            "{}",
            res.text()
        );
    }
    // The password passing in between clears nothing.
    let other = challenge_of(&password_login(&app, email).await)["challengeToken"]
        .as_str()
        .unwrap()
        .to_string();
    let res = verify(&app, &ticket, &wrong_code(&secret)).await;
    assert_eq!(
        res.json()["error"]["code"],
        "INVALID_CODE",
        "{}",
        res.text()
    );
    // Five wrong codes: the challenge is gone.
    let res = verify(&app, &ticket, &code(&secret, 0)).await;
    assert_eq!(
        res.json()["error"]["code"],
        "SIGN_IN_EXPIRED",
        "{}",
        res.text()
    );
    // One wrong code more, on the other challenge, and the account is locked: even a right
    // code or password waits.
    let res = verify(&app, &other, &wrong_code(&secret)).await;
    assert_eq!(
        res.json()["error"]["code"],
        "INVALID_CODE",
        "{}",
        res.text()
    );
    let res = verify(&app, &other, &code(&secret, 1)).await;
    assert_eq!(res.status, 429, "{}", res.text());
    let res = password_login(&app, email).await;
    assert_eq!(res.status, 429, "{}", res.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_requires_a_second_factor_of_its_admins_only() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let member = app.token("user@taskmanager.com").await;

    // Only `tenant:update` sets it, whatever the body.
    let res = app
        .send(
            "PATCH",
            "/api/v1/tenant",
            Some(json!({"requireAdminTwoFactor": "yes"})),
            &member,
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.text());
    let res = app
        .send(
            "PATCH",
            "/api/v1/tenant",
            Some(json!({"requireAdminTwoFactor": "yes"})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(
        res.json()["error"]["details"]["field"],
        "requireAdminTwoFactor"
    );
    let res = app
        .send(
            "PATCH",
            "/api/v1/tenant",
            Some(json!({"requireAdminTwoFactor": true})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["requireAdminTwoFactor"], true);
    // Another tenant is untouched.
    let other = app.token("admin@whatsapp.com").await;
    let res = app.get("/api/v1/tenant", Some(&other)).await;
    assert_eq!(res.json()["data"]["requireAdminTwoFactor"], false);

    // A member who administers nothing signs in as before.
    assert!(
        password_login(&app, "user@taskmanager.com").await.json()["data"]["tokens"].is_object()
    );

    // The admin, who has no authenticator yet, sets one up on the way in.
    let challenge = challenge_of(&password_login(&app, "admin@taskmanager.com").await);
    let setup = &challenge["setup"];
    let secret = setup["secret"].as_str().expect("a setup").to_string();
    assert!(setup["qrCode"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml"));
    let ticket = challenge["challengeToken"].as_str().unwrap();
    let res = verify(&app, ticket, &code(&secret, 0)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let data = res.json()["data"].clone();
    assert_eq!(data["recoveryCodes"].as_array().unwrap().len(), 10);
    let access = data["tokens"]["accessToken"].as_str().unwrap().to_string();
    assert!(flag_in_database(&app, "admin@taskmanager.com").await);

    // From then on, a code as usual; and it cannot be turned off while required.
    let challenge = challenge_of(&password_login(&app, "admin@taskmanager.com").await);
    assert!(challenge["setup"].is_null());
    let res = app.get("/api/v1/account/two-factor", Some(&access)).await;
    assert_eq!(res.json()["data"]["required"], true);
    let res = app
        .post_json(
            "/api/v1/account/two-factor/disable",
            json!({"code": code(&secret, 1)}),
            Some(&access),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text());
    assert!(flag_in_database(&app, "admin@taskmanager.com").await);

    // A platform admin's session without a second factor does not switch into that tenant,
    // even once the account has one: the session itself must have passed it.
    let root = app.token("superadmin@core.com").await;
    let tenant = app.id_of("tenants", "taskmanager").await;
    let switch = |token: String| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/auth/switch-tenant",
                json!({ "tenantId": tenant }),
                Some(&token),
            )
            .await
        }
    };
    let res = switch(root.clone()).await;
    assert_eq!(res.status, 403, "{}", res.text());
    assert_eq!(res.json()["error"]["code"], "TWO_FACTOR_REQUIRED");
    let (root_secret, _) = turn_on(&app, "superadmin@core.com").await;
    let res = switch(root.clone()).await;
    assert_eq!(
        res.json()["error"]["code"],
        "TWO_FACTOR_REQUIRED",
        "{}",
        res.text()
    );
    let ticket = challenge_of(&password_login(&app, "superadmin@core.com").await)["challengeToken"]
        .as_str()
        .unwrap()
        .to_string();
    let res = verify(&app, &ticket, &code(&root_secret, 1)).await;
    let with_code = res.json()["data"]["tokens"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", res.text()))
        .to_string();
    let res = switch(with_code).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let switched = res.json()["data"]["tokens"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    // A platform admin administers every tenant: one requiring it keeps it on, from anywhere.
    let res = app
        .post_json(
            "/api/v1/account/two-factor/disable",
            json!({"code": code(&root_secret, -1)}),
            Some(&switched),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_browser_login_asks_for_the_code_on_a_page_of_its_own() {
    let app = TestApp::new().await;
    let email = "user@taskmanager.com";
    let (secret, _) = turn_on(&app, email).await;

    let form = format!(
        "email={}&password={DEMO_PASSWORD}",
        email.replace('@', "%40")
    );
    let res = app.server_fn("login", &form, None).await;
    assert!(res.status == 200 || res.status == 302, "{}", res.text());
    assert_eq!(res.header("location").as_deref(), Some("/login/verify"));
    let cookie = res
        .header("set-cookie")
        .expect("a session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let get = |path: &'static str, cookie: String| {
        let app = &app;
        async move {
            let req = axum::http::Request::get(path)
                .header("cookie", cookie)
                .body(axum::body::Body::empty())
                .unwrap();
            app.request(req).await
        }
    };
    // Not signed in yet.
    let res = app.server_fn("session", "", Some(&cookie)).await;
    assert_eq!(res.json(), serde_json::Value::Null, "{}", res.text());
    // What the hydrated page asks for: a login waiting, without a setup.
    let res = app.server_fn("login_step", "", Some(&cookie)).await;
    assert_eq!(res.json(), json!({"setup": null}), "{}", res.text());
    let res = get("/login/verify", cookie.clone()).await;
    assert_eq!(res.status, 200);
    assert!(
        res.text()
            .contains("Enter the six-digit code from your authenticator app"),
        "{}",
        res.text()
    );

    let res = app
        .server_fn(
            "login_verify",
            &format!("code={}", wrong_code(&secret)),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status, 401, "{}", res.text());
    let res = app
        .server_fn(
            "login_verify",
            &format!("code={}", code(&secret, 1)),
            Some(&cookie),
        )
        .await;
    assert!(res.status == 200 || res.status == 302, "{}", res.text());
    let cookie = res
        .header("set-cookie")
        .map(|c| c.split(';').next().unwrap().to_string())
        .unwrap_or(cookie);
    let res = app.server_fn("session", "", Some(&cookie)).await;
    assert_eq!(
        res.json()["user"]["email"],
        email,
        "signed in: {}",
        res.text()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_tenant_scope_reads_or_changes_a_second_factor() {
    use diesel_async::RunQueryDsl;
    let app = TestApp::new().await;
    let email = "user@taskmanager.com";
    turn_on(&app, email).await;
    let user = app.id_of("users", email).await;
    let admin = app.id_of("users", "admin@taskmanager.com").await;
    let tenant = app.id_of("tenants", "taskmanager").await;

    // As the server's role, in the tenant admin's scope of the member's home tenant.
    let mut conn = diesel_async::AsyncPgConnection::establish(&common::app_url(&app.db))
        .await
        .unwrap();
    use diesel_async::AsyncConnection;
    let scoped = format!(
        "SELECT set_config('inti.tenant_id', '{tenant}', false), \
                set_config('inti.user_id', '{admin}', false), \
                set_config('inti.all_tenants', 'off', false)"
    );
    diesel::sql_query(scoped).execute(&mut conn).await.unwrap();
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    for table in ["user_totp", "user_recovery_codes"] {
        let seen: N = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM {table} WHERE user_id = '{user}'"
        ))
        .get_result(&mut conn)
        .await
        .unwrap();
        assert_eq!(seen.n, 0, "{table} of another person");
        let deleted = diesel::sql_query(format!("DELETE FROM {table} WHERE user_id = '{user}'"))
            .execute(&mut conn)
            .await
            .unwrap();
        assert_eq!(deleted, 0, "{table}");
    }
    let changed = diesel::sql_query(format!(
        "UPDATE user_totp SET confirmed_at = NULL, last_step = 0 WHERE user_id = '{user}'"
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    assert_eq!(changed, 0, "another person's authenticator is not changed");
    let forged = diesel::sql_query(format!(
        "INSERT INTO user_totp (user_id, secret) VALUES ('{user}', 'x'::bytea)"
    ))
    .execute(&mut conn)
    .await;
    assert!(forged.is_err(), "nor one written for them");
    let forged = diesel::sql_query(format!(
        "INSERT INTO user_recovery_codes (user_id, code_hash) VALUES ('{user}', 'x'::bytea)"
    ))
    .execute(&mut conn)
    .await;
    assert!(forged.is_err(), "nor recovery codes added");
    let flag = diesel::sql_query(format!(
        "UPDATE users SET two_factor_enabled = false WHERE id = '{user}'"
    ))
    .execute(&mut conn)
    .await;
    assert!(flag.is_err(), "the flag is not the server role's to write");
    assert!(flag_in_database(&app, email).await);
}
