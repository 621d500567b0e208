//! Menus through the API: the seed's shape and its entity tag, versioned layouts
//! and their conflicts, every change that must reach the next menu, Redis down, "why can't
//! I see it", and every caller against every menu endpoint.
#![cfg(feature = "ssr")]

mod common;

use inti::domain::id::TenantId;

use axum::{body::Body, http::Request};
use common::{
    callers::{Callers, CALLERS},
    TestApp,
};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use inti::server::{
    db::schema::{audit_log, services, tenants, users},
    http, startup,
};
use serde_json::{json, Value};
use uuid::Uuid;

async fn id_of(app: &TestApp, table: &str, key: &str) -> Uuid {
    let mut conn = app.db.conn().await;
    match table {
        "tenant" => tenants::table
            .filter(tenants::domain.eq(key))
            .select(tenants::id)
            .first(&mut conn)
            .await
            .unwrap(),
        "user" => users::table
            .filter(users::email.eq(key))
            .select(users::id)
            .first(&mut conn)
            .await
            .unwrap(),
        _ => services::table
            .filter(services::name.eq(key))
            .select(services::id)
            .first(&mut conn)
            .await
            .unwrap(),
    }
}

async fn menu(app: &TestApp, token: &str) -> Value {
    let res = app.get("/api/v1/menus/user", Some(token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["data"].clone()
}

/// Every item id of a menu, depth first.
fn ids(menus: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for item in menus.as_array().unwrap() {
        out.push(item["id"].as_str().unwrap().to_string());
        out.extend(ids(&item["children"]));
    }
    out
}

fn item<'a>(menus: &'a Value, id: &str) -> Option<&'a Value> {
    for m in menus.as_array().unwrap() {
        if m["id"] == id {
            return Some(m);
        }
        if let Some(found) = item(&m["children"], id) {
            return Some(found);
        }
    }
    None
}

async fn save(app: &TestApp, token: &str, path: &str, base: i64, ops: Value) -> common::Response {
    app.send(
        "PUT",
        path,
        Some(json!({"baseVersion": base, "operations": ops})),
        token,
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_users_menu_has_the_seed_shape_and_answers_304_to_its_entity_tag() {
    let app = TestApp::new().await;
    let user = app.token("user@taskmanager.com").await;
    let res = app.get("/api/v1/menus/user", Some(&user)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let body = res.json();
    assert_eq!(body["success"], true);
    let data = &body["data"];
    for m in data["menus"].as_array().unwrap() {
        let mut keys: Vec<&str> = m.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "category",
                "children",
                "icon",
                "id",
                "name",
                "path",
                "sortOrder"
            ],
            "{m}"
        );
    }
    let seen = ids(&data["menus"]);
    assert_eq!(seen[0], "core.dashboard");
    // Their tenant's service, with the items their permissions allow.
    assert!(
        seen.contains(&"task-manager.tasks-list".to_string()),
        "{seen:?}"
    );
    assert!(seen.contains(&"task-manager.tasks-create".to_string()));
    let group = item(&data["menus"], "task-manager").unwrap();
    assert_eq!(group["category"], "SERVICES");
    assert_eq!(group["name"], "Task Manager");
    // Not another tenant's service, not pages their role cannot open.
    assert!(!seen.iter().any(|i| i.starts_with("whatsapp-gateway")));
    assert!(!seen.contains(&"core.users".to_string()));
    assert!(!seen.contains(&"core.tenants".to_string()));
    let me = app.get("/api/v1/auth/me", Some(&user)).await.json();
    let mut expected: Vec<Value> = me["data"]["user"]["permissions"]
        .as_array()
        .unwrap()
        .clone();
    let mut permissions = data["permissions"].as_array().unwrap().clone();
    expected.sort_by_key(|v| v.to_string());
    permissions.sort_by_key(|v| v.to_string());
    assert_eq!(permissions, expected);

    let etag = res.header("etag").expect("an entity tag");
    assert!(res.header("cache-control").unwrap().contains("no-cache"));
    let conditional = |tag: String| {
        Request::get("/api/v1/menus/user")
            .header("authorization", format!("Bearer {user}"))
            .header("if-none-match", tag)
            .body(Body::empty())
            .unwrap()
    };
    let res = app.request(conditional(etag.clone())).await;
    assert_eq!(res.status, 304);
    assert!(res.text().is_empty());
    assert_eq!(res.header("etag").as_deref(), Some(etag.as_str()));
    let res = app.request(conditional("\"something-else\"".into())).await;
    assert_eq!(res.status, 200);

    // The platform's pages are the super admin's, in the CORE tenant.
    let root = app.token("superadmin@core.com").await;
    let theirs = ids(&menu(&app, &root).await["menus"]);
    assert!(theirs.contains(&"core.tenants".to_string()), "{theirs:?}");
    assert!(theirs.contains(&"core.registry".to_string()));
    assert_eq!(app.get("/api/v1/menus/user", None).await.status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn layouts_are_versioned_a_stale_save_is_409_naming_who_saved_and_revert_restores() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let user = app.token("user@taskmanager.com").await;
    let path = "/api/v1/menus/layout";

    let start = app.get(path, Some(&admin)).await;
    assert_eq!(start.status, 200, "{}", start.text());
    assert_eq!(start.json()["data"]["version"], 0);

    let v1 = json!([
        {"op": "rename", "id": "task-manager", "name": "Tasks"},
        {"op": "move", "id": "task-manager.tasks-create", "parent": "task-manager", "position": 1}
    ]);
    let res = save(&app, &admin, path, 0, v1).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["version"], 1);
    let seen = menu(&app, &user).await;
    let group = item(&seen["menus"], "task-manager").unwrap();
    assert_eq!(group["name"], "Tasks");
    assert_eq!(group["children"][0]["id"], "task-manager.tasks-create");

    // Someone who opened version 0 is too late, and is told by whom.
    let res = save(
        &app,
        &admin,
        path,
        0,
        json!([{"op": "hide", "id": "task-manager"}]),
    )
    .await;
    assert_eq!(res.status, 409, "{}", res.text());
    let error = res.json()["error"].clone();
    assert_eq!(error["details"]["field"], "baseVersion");
    let admin_name: String = {
        let mut conn = app.db.conn().await;
        users::table
            .filter(users::email.eq("admin@taskmanager.com"))
            .select(users::name)
            .first(&mut conn)
            .await
            .unwrap()
    };
    assert!(
        error["message"].as_str().unwrap().contains(&admin_name),
        "{error}"
    );
    assert!(
        error["message"].as_str().unwrap().contains("version 1"),
        "{error}"
    );

    let res = save(
        &app,
        &admin,
        path,
        1,
        json!([{"op": "hide", "id": "task-manager"}]),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(item(&menu(&app, &user).await["menus"], "task-manager").is_none());

    let versions = app
        .get("/api/v1/menus/layout/versions", Some(&admin))
        .await
        .json();
    let list = versions["data"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["version"], 2);
    assert_eq!(list[0]["savedBy"], admin_name.as_str());

    let res = app
        .post_json(
            "/api/v1/menus/layout/revert",
            json!({"version": 1, "baseVersion": 2}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["version"], 3);
    let group = item(&menu(&app, &user).await["menus"], "task-manager")
        .cloned()
        .unwrap();
    assert_eq!(group["name"], "Tasks");
    let list = app
        .get("/api/v1/menus/layout/versions", Some(&admin))
        .await
        .json();
    assert_eq!(list["data"][0]["revertedFrom"], 1);

    // Bad input changes nothing and names the field.
    let res = save(&app, &admin, path, 3, json!([{"op": "addLink", "id": "custom.x", "name": "X", "url": "javascript:alert(1)", "position": 1}])).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "operations[0].url");
    let res = app
        .post_json(
            "/api/v1/menus/layout/revert",
            json!({"version": 9, "baseVersion": 3}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "version");
    assert_eq!(
        app.get(path, Some(&admin)).await.json()["data"]["version"],
        3
    );

    // A save must say what it saves; a base from the future is refused too.
    for body in [
        json!({"baseVersion": 3}),
        // `null` is not an empty list: it would reset the menu without saying so.
        json!({"baseVersion": 3, "operations": null}),
    ] {
        let res = app.send("PUT", path, Some(body.clone()), &admin).await;
        assert_eq!(res.status, 422, "{body}");
        assert_eq!(res.json()["error"]["details"]["field"], "operations");
    }
    assert_eq!(
        app.get(path, Some(&admin)).await.json()["data"]["version"],
        3
    );
    let res = save(&app, &admin, path, 7, json!([])).await;
    assert_eq!(res.status, 409);
    assert!(res.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("latest is 3"));

    // Saves and reverts are audited in the tenant.
    let tenant = id_of(&app, "tenant", "taskmanager").await;
    let mut conn = app.db.conn().await;
    let actions: Vec<String> = audit_log::table
        .filter(audit_log::tenant_id.eq(tenant))
        .filter(audit_log::action.like("menu.%"))
        .order(audit_log::id.asc())
        .select(audit_log::action)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        actions,
        ["menu.layout_save", "menu.layout_save", "menu.layout_revert"]
    );

    // Another tenant's admin saves their own layout only.
    let other = app.token("admin@whatsapp.com").await;
    let res = save(
        &app,
        &other,
        path,
        0,
        json!([{"op": "rename", "id": "core.dashboard", "name": "Home"}]),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        item(&menu(&app, &user).await["menus"], "core.dashboard").unwrap()["name"],
        "Dashboard"
    );
    assert_eq!(
        item(&menu(&app, &other).await["menus"], "core.dashboard").unwrap()["name"],
        "Home"
    );
    // Version 2 exists in taskmanager only: whatsapp's admin cannot revert to it, and
    // taskmanager's history is untouched.
    let res = app
        .post_json(
            "/api/v1/menus/layout/revert",
            json!({"version": 2, "baseVersion": 1}),
            Some(&other),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    let theirs = app.get(path, Some(&other)).await.json();
    assert_eq!(theirs["data"]["version"], 1);
    assert_eq!(theirs["data"]["savedBy"], "WhatsApp Admin");
    let ours = app
        .get("/api/v1/menus/layout/versions", Some(&admin))
        .await
        .json();
    assert_eq!(ours["data"].as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_global_layout_applies_under_every_tenants_own() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    let admin = app.token("admin@taskmanager.com").await;
    let other = app.token("admin@whatsapp.com").await;
    let res = save(
        &app,
        &root,
        "/api/v1/core/menus/layout",
        0,
        json!([{"op": "hide", "id": "core.audit"}]),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(!ids(&menu(&app, &admin).await["menus"]).contains(&"core.audit".to_string()));
    assert!(!ids(&menu(&app, &other).await["menus"]).contains(&"core.audit".to_string()));
    // A tenant shows it again for itself.
    let res = save(
        &app,
        &admin,
        "/api/v1/menus/layout",
        0,
        json!([{"op": "show", "id": "core.audit"}]),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(ids(&menu(&app, &admin).await["menus"]).contains(&"core.audit".to_string()));
    assert!(!ids(&menu(&app, &other).await["menus"]).contains(&"core.audit".to_string()));
}

#[tokio::test(flavor = "multi_thread")]
async fn every_change_a_menu_depends_on_reaches_the_next_request() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    let admin = app.token("admin@taskmanager.com").await;
    let user = app.token("user@taskmanager.com").await;
    let service = id_of(&app, "service", "task-manager").await;
    let tenant = id_of(&app, "tenant", "taskmanager").await;
    let member = id_of(&app, "user", "user@taskmanager.com").await;
    let has = |menus: &Value, id: &str| ids(&menus["menus"]).contains(&id.to_string());
    // Warm every cache first.
    let warm = menu(&app, &user).await;
    assert!(has(&warm, "task-manager.tasks-list"));
    assert!(!has(&warm, "task-manager.tasks-reports"));

    // The service: a new item in its menu schema, then MAINTENANCE.
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/core/services/{service}"),
            Some(json!({"menuSchema": {"items": [
                {"name": "All Tasks", "path": "/tasks/list", "icon": "list", "permission": "task:read"},
                {"name": "Reports", "path": "/tasks/reports", "icon": "board", "permission": "task:read"}
            ]}})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let seen = menu(&app, &user).await;
    assert!(has(&seen, "task-manager.tasks-reports"));
    assert!(!has(&seen, "task-manager.tasks-create"));
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/core/services/{service}"),
            Some(json!({"status": "MAINTENANCE"})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        item(
            &menu(&app, &user).await["menus"],
            "task-manager.tasks-reports"
        )
        .unwrap()["maintenance"],
        true
    );

    // An endpoint: the menu is computed again (a new registry version, a new shared key).
    let before = redis_menu_keys(&app).await;
    let res = app
        .post_json(
            &format!("/api/v1/core/services/{service}/endpoints"),
            json!({"name": "tasks:board", "method": "GET", "path": "/tasks/board"}),
            Some(&root),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    menu(&app, &user).await;
    assert!(redis_menu_keys(&app).await > before);

    // The assignment: suspended, the service is gone; active again, it is back.
    let assignment = format!("/api/v1/core/services/{service}/tenants/{tenant}");
    let res = app
        .send(
            "PUT",
            &assignment,
            Some(json!({"status": "SUSPENDED"})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(!has(&menu(&app, &user).await, "task-manager"));
    let res = app
        .send("PUT", &assignment, Some(json!({"status": "ACTIVE"})), &root)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(has(&menu(&app, &user).await, "task-manager"));

    // The grant: a role of their own; then that role's permissions.
    let res = app
        .post_json(
            "/api/v1/roles",
            json!({"name": "reader", "description": "", "permissions": ["task:read"]}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let role = res.json()["data"]["id"].as_str().unwrap().to_string();
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/users/{member}"),
            Some(json!({"role": "reader"})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(!has(&menu(&app, &user).await, "core.services"));
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/roles/{role}"),
            Some(json!({"permissions": ["task:read", "user:read"]})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(has(&menu(&app, &user).await, "core.users"));

    // The layout.
    let res = save(
        &app,
        &admin,
        "/api/v1/menus/layout",
        0,
        json!([{"op": "hide", "id": "core.users"}]),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(!has(&menu(&app, &user).await, "core.users"));

    // Another node that served the menu before the change serves the new one after.
    let node = app.another_node().await;
    assert!(!has(&menu(&node, &user).await, "core.users"));
    let res = save(&app, &admin, "/api/v1/menus/layout", 1, json!([])).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let mut seen = false;
    for _ in 0..100 {
        if has(&menu(&node, &user).await, "core.users") {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(seen, "the other node still serves the old menu after 1 s");
}

async fn redis_menu_keys(app: &TestApp) -> usize {
    let mut conn = app.state.redis.get().await.unwrap();
    let pattern = format!("{}menu:*", app.state.settings.redis.key_prefix);
    let keys: Vec<String> = deadpool_redis::redis::cmd("KEYS")
        .arg(pattern)
        .query_async(&mut conn)
        .await
        .unwrap();
    keys.len()
}

#[tokio::test(flavor = "multi_thread")]
async fn with_redis_down_menus_are_computed() {
    let app = TestApp::new().await;
    let user = app.token("user@taskmanager.com").await;
    let expected = menu(&app, &user).await;
    let mut settings = (*app.state.settings).clone();
    common::redis_down(&mut settings);
    // A node of its own, so that nothing is cached in memory yet.
    let state = app
        .state
        .with_redis(startup::redis_pool(&settings).unwrap());
    let down = TestApp {
        db: app.db.clone(),
        router: http::router(state.clone()),
        state,
    };
    assert_eq!(menu(&down, &user).await, expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn why_cant_they_see_it_names_the_reason() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    let admin = app.token("admin@taskmanager.com").await;
    let member = id_of(&app, "user", "user@taskmanager.com").await;
    let explain = |item: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let res = app
                .get(
                    &format!("/api/v1/menus/explain?userId={member}&itemId={item}"),
                    Some(&admin),
                )
                .await;
            assert_eq!(res.status, 200, "{}", res.text());
            res.json()["data"].clone()
        }
    };
    let x = explain("task-manager.tasks-list").await;
    assert_eq!(
        (x["visible"].clone(), x["code"].clone()),
        (json!(true), json!("VISIBLE"))
    );
    let x = explain("core.users").await;
    assert_eq!(x["code"], "PERMISSION_MISSING");
    assert!(x["reason"].as_str().unwrap().contains("user:read"), "{x}");
    // Another tenant's service is as unknown as an item that does not exist: the answer
    // says nothing of whether it exists.
    let theirs = explain("whatsapp-gateway.whatsapp-blast").await;
    let nothing = explain("nothing.here").await;
    assert_eq!(theirs["code"], "NOT_IN_MENU", "{theirs}");
    assert_eq!(nothing["code"], "NOT_IN_MENU");
    assert!(!theirs.to_string().contains("WhatsApp"), "{theirs}");

    let res = save(
        &app,
        &admin,
        "/api/v1/menus/layout",
        0,
        json!([{"op": "hide", "id": "task-manager.tasks-list"}]),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let x = explain("task-manager.tasks-list").await;
    assert_eq!(x["code"], "HIDDEN");
    assert!(
        x["reason"]
            .as_str()
            .unwrap()
            .contains("tenant layout (version 1)"),
        "{x}"
    );

    let service = id_of(&app, "service", "task-manager").await;
    let tenant = id_of(&app, "tenant", "taskmanager").await;
    let res = app
        .send(
            "PUT",
            &format!("/api/v1/core/services/{service}/tenants/{tenant}"),
            Some(json!({"status": "SUSPENDED"})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        explain("task-manager.tasks-create").await["code"],
        "ASSIGNMENT_SUSPENDED"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_caller_gets_exactly_the_expected_status_on_every_menu_endpoint() {
    let app = TestApp::new().await;
    let callers = Callers::sign_in(&app).await;
    let member = id_of(&app, "user", "user@taskmanager.com").await;
    let bad = json!({"baseVersion": 0, "operations": 5});
    let bad_revert = json!({"version": 99, "baseVersion": 0});
    // (method, path, body, status for SuperAdmin, AdminA, UserA, AdminB, Anonymous). Bodies
    // are invalid on purpose: authorization comes first.
    let rows: Vec<(&str, String, Option<Value>, [u16; 5])> = vec![
        (
            "GET",
            "/api/v1/menus/user".into(),
            None,
            [200, 200, 200, 200, 401],
        ),
        (
            "GET",
            "/api/v1/menus/layout".into(),
            None,
            // The editor's view (`menu:read`, which USER does not hold).
            [200, 200, 403, 200, 401],
        ),
        (
            "PUT",
            "/api/v1/menus/layout".into(),
            Some(bad.clone()),
            [422, 422, 403, 422, 401],
        ),
        (
            "GET",
            "/api/v1/menus/layout/versions".into(),
            None,
            [200, 200, 403, 200, 401],
        ),
        (
            "POST",
            "/api/v1/menus/layout/revert".into(),
            Some(bad_revert.clone()),
            [422, 422, 403, 422, 401],
        ),
        (
            "GET",
            "/api/v1/core/menus/layout".into(),
            None,
            [200, 403, 403, 403, 401],
        ),
        (
            "PUT",
            "/api/v1/core/menus/layout".into(),
            Some(bad),
            [422, 403, 403, 403, 401],
        ),
        (
            "GET",
            "/api/v1/core/menus/layout/versions".into(),
            None,
            [200, 403, 403, 403, 401],
        ),
        (
            "POST",
            "/api/v1/core/menus/layout/revert".into(),
            Some(bad_revert),
            [422, 403, 403, 403, 401],
        ),
        // Another tenant's member is not found; a user without the permission is refused.
        (
            "GET",
            format!("/api/v1/menus/explain?userId={member}&itemId=core.users"),
            None,
            [404, 200, 403, 404, 401],
        ),
    ];
    for (method, path, body, expected) in rows {
        for (caller, want) in CALLERS.into_iter().zip(expected) {
            let got = callers
                .status(&app, caller, method, &path, body.as_ref())
                .await;
            assert_eq!(got, want, "{caller:?} {method} {path}");
        }
    }
    // Nothing was saved by any of it.
    let mut conn = app.db.conn().await;
    let saved: i64 = inti::server::db::schema::menu_layouts::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(saved, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn as_the_runtime_role_a_tenant_sees_and_writes_only_its_own_and_reads_the_global_layout() {
    use diesel_async::{AsyncConnection, AsyncPgConnection};
    use inti::server::db::{
        schema::{inti_versions, menu_layouts},
        scope::{set_scope, Scope},
    };
    let app = TestApp::new().await;
    let a = id_of(&app, "tenant", "taskmanager").await;
    let b = id_of(&app, "tenant", "whatsapp").await;
    let mut owner = app.db.conn().await;
    for tenant in [Some(a), Some(b), None] {
        diesel::insert_into(menu_layouts::table)
            .values((
                menu_layouts::tenant_id.eq(tenant),
                menu_layouts::version.eq(1),
                menu_layouts::operations.eq(json!({"operations": []})),
                menu_layouts::author_name.eq("Owner"),
            ))
            .execute(&mut owner)
            .await
            .unwrap();
    }
    let mut conn = AsyncPgConnection::establish(&common::app_url(&app.db))
        .await
        .unwrap();
    let scope_a = Scope {
        tenant_id: Some(TenantId(a)),
        ..Scope::default()
    };
    let seen: Vec<Option<Uuid>> = conn
        .transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(c, scope_a).await?;
            menu_layouts::table
                .select(menu_layouts::tenant_id)
                .load(c)
                .await
        })
        .await
        .unwrap();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen.iter().all(|t| *t == Some(a) || t.is_none()));
    // Its own layout, yes (the control: the refusals below are about whose row it is);
    // neither another tenant's layout nor the global one, nor the registry's version by hand.
    let own = conn
        .transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(c, scope_a).await?;
            diesel::insert_into(menu_layouts::table)
                .values((
                    menu_layouts::tenant_id.eq(Some(a)),
                    menu_layouts::version.eq(2),
                    menu_layouts::operations.eq(json!({"operations": []})),
                    menu_layouts::author_name.eq("Member of A"),
                ))
                .execute(c)
                .await
        })
        .await;
    assert_eq!(own.unwrap(), 1);
    for tenant in [Some(b), None] {
        let refused = conn
            .transaction::<_, diesel::result::Error, _>(async |c| {
                set_scope(c, scope_a).await?;
                diesel::insert_into(menu_layouts::table)
                    .values((
                        menu_layouts::tenant_id.eq(tenant),
                        menu_layouts::version.eq(2),
                        menu_layouts::operations.eq(json!({"operations": []})),
                        menu_layouts::author_name.eq("Intruder"),
                    ))
                    .execute(c)
                    .await
            })
            .await;
        assert!(refused.is_err(), "{tenant:?}");
    }
    let bumped = conn
        .transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(c, scope_a).await?;
            diesel::update(inti_versions::table)
                .set(inti_versions::version.eq(0))
                .execute(c)
                .await
        })
        .await;
    assert!(bumped.is_err());
    let layouts: i64 = menu_layouts::table
        .count()
        .get_result(&mut owner)
        .await
        .unwrap();
    assert_eq!(layouts, 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn seed_load_generates_tenants_services_members_and_layouts_whose_users_get_menus() {
    use inti::server::{
        secret::Secret,
        services::load::{self, LoadSize},
    };
    let app = TestApp::new().await;
    let size = LoadSize {
        tenants: 3,
        services: 8,
        users: 12,
    };
    let password = Secret::new(common::DEMO_PASSWORD);
    load::seed(&app.state, size, &password).await.unwrap();
    // Idempotent: a second run adds nothing.
    load::seed(&app.state, size, &password).await.unwrap();
    let mut conn = app.db.conn().await;
    let generated: i64 = users::table
        .filter(users::email.like("load-user-%"))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(generated, 12);
    let load_services: i64 = services::table
        .filter(services::name.like("load-svc-%"))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(load_services, 8);
    // User 4 is a member (users 1 to 3 administer the three tenants): their menu holds
    // their tenant's services' items, each with a permission their MEMBER role has.
    let member = app.token("load-user-4@load.example").await;
    let seen = menu(&app, &member).await;
    let items = ids(&seen["menus"]);
    assert!(
        items
            .iter()
            .any(|i| i.starts_with("load-svc-") && i.contains('.')),
        "{items:?}"
    );
    assert!(seen["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p.as_str().unwrap().starts_with("svc")));
}
