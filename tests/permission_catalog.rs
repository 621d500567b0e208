//! Every permission of the catalog the role editor offers does what its name says: for each,
//! one request that a member holding only that permission makes with the expected answer
//! and a member holding none is refused (403). A catalog entry without a request here fails
//! the test: a permission no code checks would be a promise the platform does not keep.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use diesel::sql_types::{Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use inti::domain::role::CATALOG;
use serde_json::{json, Value};

/// (tenant, method, path, body, status with the permission): a request that needs it. A
/// gateway call answers 502 with it (no demo service runs here), 403 without. A layout's
/// `baseVersion` of -1 is replaced with the current one.
type Probe = (&'static str, &'static str, &'static str, Value, u16);

fn probe(permission: &str) -> Option<Probe> {
    let layout = |op: Value| json!({ "baseVersion": -1, "operations": [op] });
    let get = |path| ("taskmanager", "GET", path, Value::Null, 200);
    Some(match permission {
        "dashboard:view" => get("/api/v1/dashboard#tenant"),
        "tenant:read" => get("/api/v1/tenant"),
        "tenant:update" => (
            "taskmanager",
            "PATCH",
            "/api/v1/tenant",
            json!({ "settings": { "theme": "dark" } }),
            200,
        ),
        "user:read" => get("/api/v1/users"),
        "user:manage" => (
            "taskmanager",
            "POST",
            "/api/v1/users",
            // A role the holder may grant: it carries nothing they lack.
            json!({ "email": "probe@example.com", "name": "Probe", "role": "NOTHING" }),
            202,
        ),
        "role:read" => get("/api/v1/roles"),
        "role:manage" => (
            "taskmanager",
            "POST",
            "/api/v1/roles",
            json!({ "name": "PROBE_MADE", "description": "", "permissions": ["role:manage"] }),
            201,
        ),
        "service:read" => get("/api/v1/tenant/services"),
        "menu:read" => get("/api/v1/menus/layout"),
        "menu:create" => (
            "taskmanager",
            "PUT",
            "/api/v1/menus/layout",
            layout(
                json!({ "op": "addGroup", "id": "custom.probe", "name": "Probe", "position": 1 }),
            ),
            200,
        ),
        "menu:update" => (
            "taskmanager",
            "PUT",
            "/api/v1/menus/layout",
            layout(json!({ "op": "hide", "id": "core.dashboard" })),
            200,
        ),
        "audit:read" | "*:read" => get("/api/v1/audit"),
        "task:read" => get("/api/v1/tasks"),
        "task:create" | "task:*" => (
            "taskmanager",
            "POST",
            "/api/v1/tasks",
            json!({ "title": "Probe" }),
            201,
        ),
        "whatsapp:blast" => (
            "whatsapp",
            "POST",
            "/api/v1/gateway/whatsapp-gateway/messages/blast",
            json!({ "message": "Hi", "recipients": ["+6281234567890"] }),
            502,
        ),
        "whatsapp:read" => (
            "whatsapp",
            "GET",
            "/api/v1/gateway/whatsapp-gateway/messages",
            Value::Null,
            502,
        ),
        _ => return None,
    })
}

/// Gives the tenant's demo member a role of the tenant holding exactly `permissions`.
async fn hold(app: &TestApp, tenant: &str, permissions: &[&str]) -> String {
    let email = match tenant {
        "whatsapp" => "admin@whatsapp.com",
        _ => "user@taskmanager.com",
    };
    let tenant_id = app.id_of("tenants", tenant).await;
    let user_id = app.id_of("users", email).await;
    let mut conn = app.db.conn().await;
    let role = uuid::Uuid::new_v4();
    diesel::sql_query(
        "INSERT INTO roles (id, tenant_id, name, description, is_system) \
         VALUES ($1, $2, $3, '', false)",
    )
    .bind::<SqlUuid, _>(role)
    .bind::<SqlUuid, _>(tenant_id)
    .bind::<Text, _>(format!("PROBE_{}", role.simple()).to_uppercase())
    .execute(&mut conn)
    .await
    .unwrap();
    for p in permissions {
        diesel::sql_query("INSERT INTO role_permissions (role_id, permission) VALUES ($1, $2)")
            .bind::<SqlUuid, _>(role)
            .bind::<Text, _>(*p)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    diesel::sql_query(
        "UPDATE user_tenant_access SET role_id = $1 WHERE tenant_id = $2 AND user_id = $3",
    )
    .bind::<SqlUuid, _>(role)
    .bind::<SqlUuid, _>(tenant_id)
    .bind::<SqlUuid, _>(user_id)
    .execute(&mut conn)
    .await
    .unwrap();
    app.token(email).await
}

/// The latest version of the taskmanager tenant's layout, read as the owner.
async fn layout_version(app: &TestApp) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        v: i64,
    }
    let tenant = app.id_of("tenants", "taskmanager").await;
    let mut conn = app.db.conn().await;
    diesel::sql_query(
        "SELECT coalesce(max(version), 0)::bigint AS v FROM menu_layouts WHERE tenant_id = $1",
    )
    .bind::<SqlUuid, _>(tenant)
    .get_result::<Row>(&mut conn)
    .await
    .unwrap()
    .v
}

/// What the holder gets: the status, or for the dashboard's tenant panels 200 when they show
/// and 403 when they do not.
async fn outcome(app: &TestApp, token: &str, method: &str, path: &str, body: &Value) -> u16 {
    if let Some(path) = path.strip_suffix("#tenant") {
        let res = app.get(path, Some(token)).await;
        assert_eq!(res.status, 200, "{}", res.text());
        return if res.json()["data"]["tenant"].is_null() {
            403
        } else {
            200
        };
    }
    let mut body = body.clone();
    if body["baseVersion"] == -1 {
        body["baseVersion"] = json!(layout_version(app).await);
    }
    let body = (!body.is_null()).then_some(body);
    let res = app.send(method, path, body, token).await;
    if res.status >= 400 && res.status != 403 && res.status != 502 {
        panic!("{method} {path}: {} {}", res.status, res.text());
    }
    res.status
}

#[tokio::test(flavor = "multi_thread")]
async fn every_catalog_permission_is_checked_by_the_code() {
    let unchecked: Vec<&str> = CATALOG
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| probe(p).is_none())
        .collect();
    assert!(
        unchecked.is_empty(),
        "no request checks these catalog permissions: {unchecked:?}"
    );

    let app = TestApp::new().await;
    let tenant = app.id_of("tenants", "taskmanager").await;
    let mut conn = app.db.conn().await;
    diesel::sql_query(
        "INSERT INTO roles (tenant_id, name, description, is_system) VALUES ($1, 'NOTHING', '', false)",
    )
    .bind::<SqlUuid, _>(tenant)
    .execute(&mut conn)
    .await
    .unwrap();
    for (permission, _) in CATALOG {
        let (tenant, method, path, body, expected) = probe(permission).unwrap();
        let with = hold(&app, tenant, &[permission]).await;
        assert_eq!(
            outcome(&app, &with, method, path, &body).await,
            expected,
            "{permission} does not open {method} {path}"
        );
        let without = hold(&app, tenant, &[]).await;
        assert_eq!(
            outcome(&app, &without, method, path, &body).await,
            403,
            "{method} {path} is open without {permission}"
        );
    }
}
