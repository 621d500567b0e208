//! Every permission of the catalog the role editor offers does what its name says: for each,
//! one request that a member holding only that permission may make and a member holding
//! none is refused (403). A catalog entry without a request here fails the test: a
//! permission no code checks would be a promise the platform does not keep.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use diesel::sql_types::{Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use inti::domain::role::CATALOG;
use serde_json::{json, Value};

/// (permission, tenant, method, path, body): a request that needs the permission.
fn probe(permission: &str) -> Option<(&'static str, &'static str, &'static str, Value)> {
    let layout = |op: Value| json!({ "baseVersion": 0, "operations": [op] });
    Some(match permission {
        "dashboard:view" => (
            "taskmanager",
            "GET",
            "/api/v1/dashboard#tenant",
            Value::Null,
        ),
        "tenant:read" => ("taskmanager", "GET", "/api/v1/tenant", Value::Null),
        "tenant:update" => (
            "taskmanager",
            "PATCH",
            "/api/v1/tenant",
            json!({ "settings": { "theme": "dark" } }),
        ),
        "user:read" => ("taskmanager", "GET", "/api/v1/users", Value::Null),
        "user:manage" => (
            "taskmanager",
            "POST",
            "/api/v1/users",
            json!({ "email": "probe@example.com", "name": "Probe", "role": "USER" }),
        ),
        "role:read" => ("taskmanager", "GET", "/api/v1/roles", Value::Null),
        "role:manage" => (
            "taskmanager",
            "POST",
            "/api/v1/roles",
            json!({ "name": "PROBE_MADE", "description": "", "permissions": ["task:read"] }),
        ),
        "service:read" => ("taskmanager", "GET", "/api/v1/tenant/services", Value::Null),
        "menu:read" => ("taskmanager", "GET", "/api/v1/menus/layout", Value::Null),
        "menu:create" => (
            "taskmanager",
            "PUT",
            "/api/v1/menus/layout",
            layout(
                json!({ "op": "addGroup", "id": "probe-group", "name": "Probe", "position": 1 }),
            ),
        ),
        "menu:update" => (
            "taskmanager",
            "PUT",
            "/api/v1/menus/layout",
            layout(json!({ "op": "hide", "id": "core.dashboard" })),
        ),
        "audit:read" => ("taskmanager", "GET", "/api/v1/audit", Value::Null),
        "task:read" => ("taskmanager", "GET", "/api/v1/tasks", Value::Null),
        "task:create" | "task:*" => (
            "taskmanager",
            "POST",
            "/api/v1/tasks",
            json!({ "title": "Probe" }),
        ),
        "whatsapp:blast" => (
            "whatsapp",
            "POST",
            "/api/v1/gateway/whatsapp-gateway/messages/blast",
            json!({ "message": "Hi", "recipients": ["+6281234567890"] }),
        ),
        "whatsapp:read" => (
            "whatsapp",
            "GET",
            "/api/v1/gateway/whatsapp-gateway/messages",
            Value::Null,
        ),
        "*:read" => ("taskmanager", "GET", "/api/v1/audit", Value::Null),
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

/// What the holder gets: the status, or for the dashboard's tenant panels whether they show.
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
    let body = (!body.is_null()).then(|| body.clone());
    app.send(method, path, body, token).await.status
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
    for (permission, _) in CATALOG {
        let (tenant, method, path, body) = probe(permission).unwrap();
        let with = hold(&app, tenant, &[permission]).await;
        let status = outcome(&app, &with, method, path, &body).await;
        assert_ne!(status, 403, "{permission} does not open {method} {path}");
        assert_ne!(status, 401, "{permission}: {method} {path}");
        let without = hold(&app, tenant, &[]).await;
        assert_eq!(
            outcome(&app, &without, method, path, &body).await,
            403,
            "{method} {path} is open without {permission}"
        );
    }
}
