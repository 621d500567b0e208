//! Every caller against every endpoint of tenancy and user administration, on its own
//! tenant's objects and on another tenant's, with the exact status each must get.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use inti::server::db::schema::{tenants, users};
use serde_json::{json, Value};

use common::callers::{Caller::*, Callers, CALLERS};

#[tokio::test(flavor = "multi_thread")]
async fn each_caller_gets_exactly_the_expected_status() {
    let app = TestApp::new().await;
    let mut conn = app.db.conn().await;
    let id_of_tenant = |d: &'static str| {
        tenants::table
            .filter(tenants::domain.eq(d))
            .select(tenants::id)
    };
    let tenant_a: uuid::Uuid = id_of_tenant("taskmanager").first(&mut conn).await.unwrap();
    let tenant_b: uuid::Uuid = id_of_tenant("whatsapp").first(&mut conn).await.unwrap();
    let member_a: uuid::Uuid = users::table
        .filter(users::email.eq("user@taskmanager.com"))
        .select(users::id)
        .first(&mut conn)
        .await
        .unwrap();

    let callers = Callers::sign_in(&app).await;
    // A second member of B, to be removed at the end.
    let b_token = callers.token(AdminB).unwrap().to_string();
    let extra = app
        .post_json(
            "/api/v1/users",
            json!({"email": "extra@whatsapp.com", "name": "Extra", "role": "USER"}),
            Some(&b_token),
        )
        .await;
    assert_eq!(extra.status, 202, "{}", extra.text());
    // The new account's owner chooses a password from the mailed link and joins B.
    let set = app
        .join_as_new("extra@whatsapp.com", "long enough pw")
        .await;
    assert_eq!(set.status, 200, "{}", set.text());
    let joined = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "extra@whatsapp.com", "password": "long enough pw"}),
            None,
        )
        .await;
    assert_eq!(joined.status, 200, "{}", joined.text());
    let member_b = joined.json()["data"]["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let call = |caller, method: &'static str, path: String, body: Option<Value>| {
        let (app, callers) = (&app, &callers);
        async move {
            callers
                .status(app, caller, method, &path, body.as_ref())
                .await
        }
    };

    // (method, path, body, expected status for SuperAdmin, AdminA, UserA, AdminB, Anonymous)
    type Row = (&'static str, String, Option<Value>, [u16; 5]);
    let new_user =
        |n: &str| Some(json!({"email": format!("{n}@new.io"), "name": "New", "role": "USER"}));
    let rows: Vec<Row> = vec![
        (
            "GET",
            "/api/v1/core/tenants".into(),
            None,
            [200, 403, 403, 403, 401],
        ),
        (
            "GET",
            format!("/api/v1/core/tenants/{tenant_a}"),
            None,
            [200, 403, 403, 403, 401],
        ),
        (
            "PATCH",
            format!("/api/v1/core/tenants/{tenant_b}"),
            Some(json!({"name": "WhatsApp Gateway"})),
            [200, 403, 403, 403, 401],
        ),
        (
            "GET",
            "/api/v1/users".into(),
            None,
            [200, 200, 403, 200, 401],
        ),
        // A's member: found only in A. The super admin acts in core, where it is not a member.
        (
            "GET",
            format!("/api/v1/users/{member_a}"),
            None,
            [404, 200, 403, 404, 401],
        ),
        (
            "PATCH",
            format!("/api/v1/users/{member_a}"),
            Some(json!({"name": "Task Manager User"})),
            [404, 200, 403, 404, 401],
        ),
        (
            "DELETE",
            format!("/api/v1/users/{member_b}"),
            None,
            [404, 404, 403, 200, 401],
        ),
        (
            "GET",
            "/api/v1/audit".into(),
            None,
            [200, 200, 403, 200, 401],
        ),
    ];
    for (method, path, body, expected) in rows {
        for (caller, want) in CALLERS.iter().zip(expected) {
            let got = call(*caller, method, path.clone(), body.clone()).await;
            assert_eq!(got, want, "{caller:?} {method} {path}");
        }
    }
    // Creations, each with its own data.
    for (caller, want) in CALLERS.iter().zip([202, 202, 403, 202, 401]) {
        let name = format!("{caller:?}").to_lowercase();
        let got = call(*caller, "POST", "/api/v1/users".into(), new_user(&name)).await;
        assert_eq!(got, want, "{caller:?} POST /api/v1/users");
        let tenant = Some(json!({"name": "New Co", "domain": format!("new-{name}")}));
        let want = if *caller == SuperAdmin {
            201
        } else if *caller == Anonymous {
            401
        } else {
            403
        };
        let got = call(*caller, "POST", "/api/v1/core/tenants".into(), tenant).await;
        assert_eq!(got, want, "{caller:?} POST /api/v1/core/tenants");
    }
    // Switching last: it ends the caller's session.
    for (caller, target, want) in [
        (UserA, tenant_b, 404),
        (AdminB, tenant_a, 404),
        (Anonymous, tenant_a, 401),
        (AdminA, tenant_a, 200),
        (SuperAdmin, tenant_b, 200),
    ] {
        let got = call(
            caller,
            "POST",
            "/api/v1/auth/switch-tenant".into(),
            Some(json!({"tenantId": target})),
        )
        .await;
        assert_eq!(got, want, "{caller:?} switch to {target}");
    }

    // No cross-tenant write went through.
    let name: String = users::table
        .find(member_a)
        .select(users::name)
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(name, "Task Manager User");
    let tenant_count: i64 = tenants::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(tenant_count, 4, "only the super admin created a tenant");
}
