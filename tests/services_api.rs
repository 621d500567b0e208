//! The service registry through its API: who may do what, what bad input gets,
//! what each tenant's users can use, and where an API key may (never) appear.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use inti::server::{
    db::schema::{audit_log, service_endpoints, services, tenant_service_assignments, tenants},
    keyring::{api_key_aad, Keyring},
};
use serde_json::{json, Value};
use uuid::Uuid;

const SECRET_KEY: &str = "sk-live-SECRET-0123456789abcdef";

/// The seed document's registration body, with a name of our choosing.
fn whatsapp_like(name: &str) -> Value {
    json!({
      "name": name,
      "displayName": "WhatsApp Gateway",
      "description": "WhatsApp blast message service",
      "type": "EXTERNAL",
      "baseUrl": "https://api.whatsapp-gateway.com",
      "authType": "API_KEY",
      "formSchema": {"fields": [
        {"name": "message", "type": "textarea", "label": "Message", "required": true, "validation": {"maxLength": 1000}},
        {"name": "recipients", "type": "array", "label": "Phone Numbers", "required": true, "itemType": "string",
         "validation": {"pattern": "^\\+?[0-9]{10,15}$"}}
      ]},
      "menuSchema": {"items": [
        {"name": "Blast Message", "path": "/whatsapp/blast", "icon": "send", "permission": "whatsapp:blast"},
        {"name": "Message History", "path": "/whatsapp/history", "icon": "history", "permission": "whatsapp:read"}
      ]}
    })
}

async fn tenant_id(app: &TestApp, domain: &str) -> Uuid {
    let mut conn = app.db.conn().await;
    tenants::table
        .filter(tenants::domain.eq(domain))
        .select(tenants::id)
        .first(&mut conn)
        .await
        .unwrap()
}

/// (services, endpoints, assignments) rows, read as the owner.
async fn counts(app: &TestApp) -> (i64, i64, i64) {
    let mut conn = app.db.conn().await;
    (
        services::table.count().get_result(&mut conn).await.unwrap(),
        service_endpoints::table
            .count()
            .get_result(&mut conn)
            .await
            .unwrap(),
        tenant_service_assignments::table
            .count()
            .get_result(&mut conn)
            .await
            .unwrap(),
    )
}

async fn register(app: &TestApp, token: &str, body: Value) -> common::Response {
    app.post_json("/api/v1/core/services/register", body, Some(token))
        .await
}

use common::callers::{Caller::*, Callers, CALLERS};

#[tokio::test(flavor = "multi_thread")]
async fn every_caller_gets_exactly_the_expected_status_on_every_registry_endpoint() {
    let app = TestApp::new().await;
    let callers = Callers::sign_in(&app).await;
    let root = callers.token(SuperAdmin).unwrap().to_string();
    let res = register(&app, &root, whatsapp_like("crm")).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let service = res.json()["data"]["id"].as_str().unwrap().to_string();
    let res = app
        .post_json(
            &format!("/api/v1/core/services/{service}/endpoints"),
            json!({"name": "contacts", "method": "GET", "path": "/contacts"}),
            Some(&root),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let endpoint = res.json()["data"]["id"].as_str().unwrap().to_string();
    let tenant_a = tenant_id(&app, "taskmanager").await;

    let s = format!("/api/v1/core/services/{service}");
    // (method, path, body, status for SuperAdmin, AdminA, UserA, AdminB, Anonymous). The
    // others' bodies are invalid on purpose: authorization comes first.
    let rows: Vec<(&str, String, Option<Value>, [u16; 5])> = vec![
        (
            "POST",
            "/api/v1/core/services/register".into(),
            Some(whatsapp_like("crm-two")),
            [201, 403, 403, 403, 401],
        ),
        (
            "POST",
            "/api/v1/core/services/register".into(),
            Some(json!({"name": 5})),
            [422, 403, 403, 403, 401],
        ),
        (
            "GET",
            "/api/v1/core/services".into(),
            None,
            [200, 403, 403, 403, 401],
        ),
        (
            "POST",
            "/api/v1/core/services/import".into(),
            Some(json!({"document": 5})),
            [422, 403, 403, 403, 401],
        ),
        (
            "GET",
            format!("{s}/health"),
            None,
            [200, 403, 403, 403, 401],
        ),
        ("GET", s.clone(), None, [200, 403, 403, 403, 401]),
        (
            "PATCH",
            s.clone(),
            Some(json!({"displayName": "CRM"})),
            [200, 403, 403, 403, 401],
        ),
        (
            "GET",
            format!("{s}/endpoints"),
            None,
            [200, 403, 403, 403, 401],
        ),
        (
            "POST",
            format!("{s}/endpoints"),
            Some(json!({"name": "deals", "method": "GET", "path": "/deals"})),
            [201, 403, 403, 403, 401],
        ),
        (
            "PATCH",
            format!("{s}/endpoints/{endpoint}"),
            Some(json!({"timeoutMs": 5000})),
            [200, 403, 403, 403, 401],
        ),
        (
            "PUT",
            format!("{s}/tenants/{tenant_a}"),
            Some(json!({"status": "ACTIVE"})),
            [200, 403, 403, 403, 401],
        ),
        (
            "GET",
            format!("{s}/tenants"),
            None,
            [200, 403, 403, 403, 401],
        ),
        (
            "GET",
            format!("/api/v1/core/tenants/{tenant_a}/services"),
            None,
            [200, 403, 403, 403, 401],
        ),
        (
            "GET",
            "/api/v1/services".into(),
            None,
            [200, 200, 200, 200, 401],
        ),
        ("DELETE", s.clone(), None, [409, 403, 403, 403, 401]),
        (
            "DELETE",
            format!("{s}/endpoints/{endpoint}"),
            None,
            [200, 403, 403, 403, 401],
        ),
        (
            "DELETE",
            format!("{s}/tenants/{tenant_a}"),
            None,
            [200, 403, 403, 403, 401],
        ),
        ("DELETE", s.clone(), None, [200, 403, 403, 403, 401]),
        ("GET", s.clone(), None, [404, 403, 403, 403, 401]),
        (
            "GET",
            "/api/v1/core/services/not-a-uuid".into(),
            None,
            [404, 403, 403, 403, 401],
        ),
    ];
    for (method, path, body, expected) in rows {
        for (caller, want) in CALLERS.into_iter().zip(expected) {
            // Non-admins send the body too (or a broken one): it must not matter.
            let body = match caller {
                SuperAdmin => body.clone(),
                _ => body.clone().map(|_| json!({"broken": true})),
            };
            let got = callers
                .status(&app, caller, method, &path, body.as_ref())
                .await;
            assert_eq!(got, want, "{caller:?} {method} {path}");
        }
    }
    // Only the super admin's calls changed anything: crm-two and the demo's two services.
    let (services_n, _, assignments_n) = counts(&app).await;
    assert_eq!(services_n, 3);
    assert_eq!(assignments_n, 2, "the demo's assignments only");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_registration_answers_the_service_and_bad_input_changes_nothing() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    let mut body = whatsapp_like("blaster");
    body["apiKey"] = json!(SECRET_KEY);
    body["endpoints"] = json!([
        {"name": "messages:blast", "method": "POST", "path": "/messages/blast", "requiredPermissions": ["whatsapp:blast"]},
        {"name": "messages:list", "method": "GET", "path": "/messages/{batchId}"}
    ]);
    let res = register(&app, &root, body).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let data = &res.json()["data"];
    assert_eq!(data["name"], "blaster");
    assert_eq!(data["type"], "EXTERNAL");
    assert_eq!(data["visibility"], "PRIVATE");
    assert_eq!(data["status"], "ACTIVE");
    assert_eq!(data["apiKeySet"], true);
    assert_eq!(data["apiKeyLast4"], "cdef");
    assert_eq!(data["endpoints"].as_array().unwrap().len(), 2);
    assert_eq!(
        data["formSchema"],
        whatsapp_like("x")["formSchema"],
        "stored as written"
    );
    assert!(data.get("apiKey").is_none());
    let id = data["id"].as_str().unwrap().to_string();

    let before = counts(&app).await;
    let cases = [
        (
            json!({"formSchema": {"fields": [{"name": "a", "type": "text", "label": "A", "validation": {"pattern": "([0-9]"}}]}}),
            422,
            "formSchema.fields[0].validation.pattern",
        ),
        (
            json!({"menuSchema": {"items": [{"name": "x", "path": "/x", "permission": "Not Valid"}]}}),
            422,
            "menuSchema.items[0].permission",
        ),
        (json!({"name": "blaster"}), 409, "name"),
        (
            json!({"endpoints": [{"name": "a", "method": "GET", "path": "/a"}, {"name": "b", "method": "GET", "path": "/a"}]}),
            409,
            "endpoints[1].path",
        ),
        (
            json!({"endpoints": [{"name": "a", "method": "FETCH", "path": "/a"}]}),
            422,
            "endpoints[0].method",
        ),
        (
            json!({"baseUrl": "http://169.254.169.254/latest"}),
            422,
            "baseUrl",
        ),
        (json!({"apiKey": 42}), 422, "apiKey"),
        (json!({"contactEmail": "not an email"}), 422, "contactEmail"),
    ];
    for (change, status, field) in cases {
        let mut body = whatsapp_like("another");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = register(&app, &root, body).await;
        assert_eq!(res.status, status, "{change}: {}", res.text());
        assert_eq!(res.json()["error"]["details"]["field"], field, "{change}");
    }
    assert_eq!(counts(&app).await, before, "nothing was written");

    // An endpoint with the same method and path is 409 naming the path.
    let res = app
        .post_json(
            &format!("/api/v1/core/services/{id}/endpoints"),
            json!({"name": "again", "method": "post", "path": "/messages/blast"}),
            Some(&root),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "path");
}

#[tokio::test(flavor = "multi_thread")]
async fn internal_addresses_are_refused_as_service_urls() {
    // Production's default: no private host allowed.
    let app =
        TestApp::with_settings(|s| s.gateway.allowed_private_hosts = Default::default()).await;
    let root = app.token("superadmin@core.com").await;
    for url in [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.0.0.5/",
        "http://169.254.169.254/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://user:pw@example.com/",
        "ftp://example.com/",
    ] {
        let mut body = whatsapp_like("probe");
        body["baseUrl"] = json!(url);
        let res = register(&app, &root, body).await;
        assert_eq!(res.status, 422, "{url}: {}", res.text());
        assert_eq!(res.json()["error"]["details"]["field"], "baseUrl", "{url}");
        let mut body = whatsapp_like("probe");
        body["healthCheckUrl"] = json!(url);
        let res = register(&app, &root, body).await;
        assert_eq!(
            res.json()["error"]["details"]["field"],
            "healthCheckUrl",
            "{url}"
        );
    }
    assert_eq!(counts(&app).await.0, 2, "only the demo's services");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_key_never_leaves_sealed_and_rotates() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    let mut body = whatsapp_like("keyed");
    body["apiKey"] = json!(SECRET_KEY);
    let res = register(&app, &root, body).await;
    assert_eq!(res.status, 201);
    let id: Uuid = res.json()["data"]["id"].as_str().unwrap().parse().unwrap();
    let replaced = "sk-live-REPLACED-9876543210zyxw";
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/core/services/{id}"),
            Some(json!({"apiKey": replaced})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["apiKeyLast4"], "zyxw");

    // No answer, audit entry or column in clear carries either key.
    let mut seen = Vec::new();
    for path in [
        format!("/api/v1/core/services/{id}"),
        "/api/v1/core/services".to_string(),
        "/api/v1/audit?perPage=100".to_string(),
    ] {
        seen.push(app.get(&path, Some(&root)).await.text());
    }
    let mut conn = app.db.conn().await;
    let details: Vec<Value> = audit_log::table
        .select(audit_log::details)
        .load(&mut conn)
        .await
        .unwrap();
    seen.push(serde_json::to_string(&details).unwrap());
    let sealed: Vec<u8> = services::table
        .find(id)
        .select(services::api_key_ciphertext)
        .first::<Option<Vec<u8>>>(&mut conn)
        .await
        .unwrap()
        .unwrap();
    seen.push(String::from_utf8_lossy(&sealed).to_string());
    for text in &seen {
        for key in [SECRET_KEY, "SECRET-0123", replaced, "REPLACED-98"] {
            assert!(
                !text.contains(key),
                "{key} leaked: {}",
                &text[..text.len().min(300)]
            );
        }
    }
    let actions: Vec<String> = audit_log::table
        .select(audit_log::action)
        .load(&mut conn)
        .await
        .unwrap();
    assert!(
        actions.iter().any(|a| a == "service.key_set"),
        "{actions:?}"
    );

    // Bound to its row: the same ciphertext does not open for another service.
    let ring = &app.state.keyring;
    assert_eq!(
        ring.open(&sealed, &api_key_aad(id)).unwrap(),
        replaced.as_bytes()
    );
    assert!(ring.open(&sealed, &api_key_aad(Uuid::new_v4())).is_err());

    // Rotation: a node whose active key is new re-seals; then the old key can go.
    let old = app.state.settings.secrets.keys[0].clone();
    let new = ("k2026".to_string(), [7u8; 32]);
    let rotated = app
        .node_with(|s| {
            s.secrets.keys = vec![old.clone(), new.clone()];
            s.secrets.active_key = "k2026".into();
        })
        .await;
    let n = inti::server::services::registry::rotate_secrets(&rotated.state)
        .await
        .unwrap();
    assert_eq!(n, 3, "the demo's key and webhook secret, and this one");
    let resealed: Vec<u8> = services::table
        .find(id)
        .select(services::api_key_ciphertext)
        .first::<Option<Vec<u8>>>(&mut conn)
        .await
        .unwrap()
        .unwrap();
    let only_new = Keyring::new(&[new], "k2026");
    assert_eq!(
        only_new.open(&resealed, &api_key_aad(id)).unwrap(),
        replaced.as_bytes()
    );
    assert!(only_new.open(&sealed, &api_key_aad(id)).is_err());
}

fn service_names(res: &common::Response, at: &str) -> Vec<(String, String)> {
    res.json()["data"][at]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_tenant_sees_what_visibility_and_assignments_allow() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    let user_a = app.token("user@taskmanager.com").await;
    let admin_b = app.token("admin@whatsapp.com").await;
    let names = |res: common::Response| -> Vec<String> {
        res.json()["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };

    // The demo: each tenant has its own service, with the endpoints its users may call.
    let res = app.get("/api/v1/services", Some(&user_a)).await;
    assert_eq!(names(res.clone()), ["task-manager"]);
    let endpoints = res.json()["data"][0]["endpoints"].clone();
    assert_eq!(
        endpoints,
        json!(["tasks:list", "tasks:create"]),
        "by path, then method"
    );
    assert_eq!(
        names(app.get("/api/v1/services", Some(&admin_b)).await),
        ["whatsapp-gateway"]
    );
    assert_eq!(
        names(app.get("/api/v1/services", Some(&root)).await),
        Vec::<String>::new(),
        "CORE uses none"
    );
    let me = app.get("/api/v1/auth/me", Some(&user_a)).await;
    assert_eq!(
        service_names(&me, "accessibleServices"),
        [("task-manager".to_string(), "ACTIVE".to_string())]
    );
    let login = app.login("admin@whatsapp.com").await;
    assert_eq!(login["accessibleServices"][0]["name"], "whatsapp-gateway");

    // From here on, user A's signed-in view is cached: each change must reach it too, with
    // nothing but the app's own waiting (`request_as_is`).
    let me_a = || async {
        let req = axum::http::Request::get("/api/v1/auth/me")
            .header("authorization", format!("Bearer {user_a}"))
            .body(axum::body::Body::empty())
            .unwrap();
        app.request_as_is(req).await
    };
    let cached = |me: common::Response| service_names(&me, "accessibleServices");
    assert_eq!(cached(me_a().await).len(), 1);
    let sid = app.state.jwt.verify(&user_a).unwrap().sid;
    assert!(
        app.state.access.view(sid).is_some(),
        "user A's view is cached"
    );

    let task_manager: String = {
        let res = app
            .get("/api/v1/core/services?search=task", Some(&root))
            .await;
        res.json()["data"]["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let path = format!("/api/v1/core/services/{task_manager}");
    // RESTRICTED: the assignment alone is not enough.
    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"visibility": "RESTRICTED"})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(names(app.get("/api/v1/services", Some(&user_a)).await).is_empty());
    assert!(cached(me_a().await).is_empty());
    // PUBLIC and in MAINTENANCE: every business tenant sees it, with its status.
    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"visibility": "PUBLIC", "status": "MAINTENANCE"})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let me_b = app.get("/api/v1/auth/me", Some(&admin_b)).await;
    assert!(service_names(&me_b, "accessibleServices")
        .contains(&("task-manager".into(), "MAINTENANCE".into())));
    assert_eq!(
        cached(me_a().await),
        [("task-manager".to_string(), "MAINTENANCE".to_string())]
    );
    // A SUSPENDED assignment opts a tenant out of a PUBLIC service.
    let tenant_a = tenant_id(&app, "taskmanager").await;
    let res = app
        .send(
            "PUT",
            &format!("{path}/tenants/{tenant_a}"),
            Some(json!({"status": "SUSPENDED"})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(names(app.get("/api/v1/services", Some(&user_a)).await).is_empty());
    assert!(cached(me_a().await).is_empty());
    // INACTIVE: nobody outside the registry.
    let res = app
        .send("PATCH", &path, Some(json!({"status": "INACTIVE"})), &root)
        .await;
    assert_eq!(res.status, 200);
    assert!(!names(app.get("/api/v1/services", Some(&admin_b)).await)
        .contains(&"task-manager".to_string()));
}

#[tokio::test(flavor = "multi_thread")]
async fn custom_settings_follow_the_settings_schema() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    let mut body = whatsapp_like("with-settings");
    body["settingsSchema"] = json!({"fields": [
        {"name": "sender", "type": "text", "label": "Sender", "required": true, "validation": {"maxLength": 11}}
    ]});
    let res = register(&app, &root, body).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["data"]["id"].as_str().unwrap().to_string();
    let tenant_b = tenant_id(&app, "whatsapp").await;
    let path = format!("/api/v1/core/services/{id}/tenants/{tenant_b}");
    for (settings, field) in [
        (json!({}), "customSettings.sender"),
        (
            json!({"sender": "a much too long sender"}),
            "customSettings.sender",
        ),
        (
            json!({"sender": "Acme", "extra": 1}),
            "customSettings.extra",
        ),
        (json!("text"), "customSettings"),
        (
            json!({"sender": "Acme", "blob": "x".repeat(17_000)}),
            "customSettings",
        ),
    ] {
        let res = app
            .send(
                "PUT",
                &path,
                Some(json!({"customSettings": settings})),
                &root,
            )
            .await;
        assert_eq!(res.status, 422, "{settings}: {}", res.text());
        assert_eq!(res.json()["error"]["details"]["field"], field);
    }
    assert_eq!(counts(&app).await.2, 2, "not assigned by a refused request");
    let res = app
        .send("PUT", &path, Some(json!({"customSettings": {"sender": "Acme"}, "customMenuConfig": {"operations": []}})), &root)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let data = &res.json()["data"];
    assert_eq!(data["status"], "ACTIVE");
    assert_eq!(data["customSettings"]["sender"], "Acme");
    assert_eq!(data["tenantDomain"], "whatsapp");
    let res = app
        .get(
            &format!("/api/v1/core/tenants/{tenant_b}/services"),
            Some(&root),
        )
        .await;
    let listed: Vec<String> = res.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["serviceName"].as_str().unwrap().to_string())
        .collect();
    assert!(listed.contains(&"with-settings".to_string()), "{listed:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_admin_sees_the_tenants_services_with_their_settings() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    let tenant_b = tenant_id(&app, "whatsapp").await;
    let res = app
        .get("/api/v1/core/services?search=whatsapp", Some(&root))
        .await;
    let whatsapp = res.json()["data"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let schema = json!({"fields": [
        {"name": "sender", "type": "text", "label": "Sender"},
        {"name": "token", "type": "password", "label": "Token"}
    ]});
    let path = format!("/api/v1/core/services/{whatsapp}");
    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"settingsSchema": schema})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app
        .send(
            "PUT",
            &format!("{path}/tenants/{tenant_b}"),
            Some(json!({"customSettings": {"sender": "WA Co", "token": "tenant-secret-42"}})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());

    let cookie = app.browser_login("admin@whatsapp.com").await;
    let res = app.server_fn("services_mine", "", Some(&cookie)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let list = res.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["name"], "whatsapp-gateway");
    // Password fields are masked even for the tenant's admin.
    assert_eq!(
        list[0]["settings"],
        json!({"sender": "WA Co", "token": "••••••"})
    );
    assert!(!res.text().contains("tenant-secret-42"));
    assert_eq!(
        list[0]["endpoints"],
        json!(["messages:list", "messages:blast"])
    );
    // A plain member sees the services, not the settings.
    let invited = inti_user_in_whatsapp(&app).await;
    let member = app.browser_login(&invited).await;
    let res = app.server_fn("services_mine", "", Some(&member)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()[0]["name"], "whatsapp-gateway");
    assert!(res.json()[0]["settings"].is_null(), "{}", res.text());
    // Another tenant sees its own, never this one's settings.
    let other = app.browser_login("admin@taskmanager.com").await;
    let res = app.server_fn("services_mine", "", Some(&other)).await;
    assert!(!res.text().contains("WA Co"), "{}", res.text());
    assert!(res.text().contains("task-manager"));
    // Signed out: 401.
    assert_eq!(app.server_fn("services_mine", "", None).await.status, 401);
}

/// A plain USER of the whatsapp tenant (invited by its admin; chose the demo password from
/// the mailed link and accepted).
async fn inti_user_in_whatsapp(app: &TestApp) -> String {
    let admin = app.token("admin@whatsapp.com").await;
    let email = "member@whatsapp.example.com";
    let res = app
        .post_json(
            "/api/v1/users",
            json!({"email": email, "name": "Member", "role": "USER"}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text());
    let joined = app.join_as_new(email, common::DEMO_PASSWORD).await;
    assert_eq!(joined.status, 200, "{}", joined.text());
    email.to_string()
}

const PETSTORE_YAML: &str = r#"
openapi: 3.1.0
info:
  title: Pet Store
  version: 1.2.0
servers:
  - url: http://10.0.0.5/v1
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-API-Key }
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
    post:
      operationId: createPet
      summary: Add a pet
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: { type: string, maxLength: 50 }
                kind: { type: string, enum: [dog, cat] }
  /pets/{petId}:
    get:
      operationId: showPet
"#;

#[tokio::test(flavor = "multi_thread")]
async fn an_openapi_document_is_drafted_checked_and_registered_after_editing() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    let before = counts(&app).await;
    let res = app
        .post_json(
            "/api/v1/core/services/import",
            json!({ "document": PETSTORE_YAML }),
            Some(&root),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let preview = res.json()["data"].clone();
    let mut draft = preview["service"].clone();
    assert_eq!(draft["name"], "pet-store");
    assert_eq!(draft["authType"], "API_KEY");
    let names: Vec<&str> = draft["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["listPets", "createPet", "showPet"]);
    assert_eq!(
        draft["endpoints"][1]["requestSchema"]["fields"][0]["name"],
        "kind"
    );
    // The draft is checked as a registration: its server is an internal address.
    assert_eq!(preview["problem"]["field"], "baseUrl", "{preview}");
    assert_eq!(counts(&app).await, before, "a preview stores nothing");

    // Bad documents say what is wrong.
    for (doc, says) in [
        ("openapi: [unclosed", "YAML"),
        ("{\"swagger\": \"2.0\"}", "OpenAPI 3.0 or 3.1"),
        ("", "required"),
    ] {
        let res = app
            .post_json(
                "/api/v1/core/services/import",
                json!({ "document": doc }),
                Some(&root),
            )
            .await;
        assert_eq!(res.status, 422, "{doc}");
        assert_eq!(
            res.json()["error"]["details"]["field"],
            "document",
            "{}",
            res.text()
        );
        assert!(res.text().contains(says), "{doc}: {}", res.text());
    }

    // Edited (a public address), it registers with its endpoints and menu.
    draft["baseUrl"] = json!("https://pets.example.com/v1");
    let res = register(&app, &root, draft).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let created = res.json()["data"].clone();
    assert_eq!(created["endpoints"].as_array().unwrap().len(), 3);
    assert_eq!(created["menuSchema"]["items"].as_array().unwrap().len(), 2);
}

/// The seed document's register example, verbatim: its items name no endpoint, yet each
/// opens a page. "Blast Message" opens the service's form; "Message History" says what the
/// registrant must add; each item's own path leads to its page.
#[tokio::test(flavor = "multi_thread")]
async fn the_seed_register_example_gives_menu_items_that_open_pages() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    // The demo registers a service of the same name: make room for the example.
    let demo = app.id_of("services", "whatsapp-gateway").await;
    let whatsapp = tenant_id(&app, "whatsapp").await;
    let path = format!("/api/v1/core/services/{demo}");
    let res = app
        .send("DELETE", &format!("{path}/tenants/{whatsapp}"), None, &root)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app.send("DELETE", &path, None, &root).await;
    assert_eq!(res.status, 200, "{}", res.text());

    let seed: Value = serde_json::from_str(
        r#"{
  "name": "whatsapp-gateway",
  "displayName": "WhatsApp Gateway",
  "description": "WhatsApp blast message service",
  "type": "EXTERNAL",
  "baseUrl": "https://api.whatsapp-gateway.com",
  "authType": "API_KEY",
  "formSchema": {
    "fields": [
      {
        "name": "message",
        "type": "textarea",
        "label": "Message",
        "required": true,
        "validation": {
          "maxLength": 1000
        }
      },
      {
        "name": "recipients",
        "type": "array",
        "label": "Phone Numbers",
        "required": true,
        "itemType": "string",
        "validation": {
          "pattern": "^\\+?[0-9]{10,15}$"
        }
      }
    ]
  },
  "menuSchema": {
    "items": [
      {
        "name": "Blast Message",
        "path": "/whatsapp/blast",
        "icon": "send",
        "permission": "whatsapp:blast"
      },
      {
        "name": "Message History",
        "path": "/whatsapp/history",
        "icon": "history",
        "permission": "whatsapp:read"
      }
    ]
  }
}"#,
    )
    .unwrap();
    let res = app
        .post_json("/api/v1/core/services/register", seed, Some(&root))
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["data"]["id"].as_str().unwrap().to_string();
    let tenant = tenant_id(&app, "whatsapp").await;
    let res = app
        .send(
            "PUT",
            &format!("/api/v1/core/services/{id}/tenants/{tenant}"),
            Some(json!({})),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());

    // The sidebar links each item to its page.
    let admin = app.token("admin@whatsapp.com").await;
    let menu = app.get("/api/v1/menus/user", Some(&admin)).await;
    let text = menu.text();
    for page in [
        "/apps/whatsapp-gateway/whatsapp-blast",
        "/apps/whatsapp-gateway/whatsapp-history",
    ] {
        assert!(text.contains(page), "{page} in {text}");
    }

    let cookie = app.browser_login("admin@whatsapp.com").await;
    let page = async |item: &str| {
        let body = format!("service=whatsapp-gateway&item={item}");
        app.server_fn("service_page", &body, Some(&cookie)).await
    };
    let blast = page("whatsapp-blast").await;
    assert_eq!(blast.status, 200, "{}", blast.text());
    let form = &blast.json()["form"];
    assert_eq!(form["service"], "whatsapp-gateway", "{}", blast.text());
    let fields: Vec<_> = form["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].clone())
        .collect();
    assert_eq!(fields, [json!("message"), json!("recipients")]);
    // An item open to everyone (no permission) is never taken for the form: it would let
    // anyone submit it.
    let mut menu = serde_json::from_value::<Value>(json!({ "menuSchema": { "items": [
        { "name": "Blast Message", "path": "/whatsapp/blast", "icon": "send", "permission": "whatsapp:blast" },
        { "name": "Message History", "path": "/whatsapp/history", "icon": "history", "permission": "whatsapp:read" },
        { "name": "Help", "path": "/whatsapp/help" }
    ] } }))
    .unwrap();
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/core/services/{id}"),
            Some(menu.take()),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let help = page("whatsapp-help").await;
    assert_eq!(help.status, 200, "{}", help.text());
    assert!(help.json()["form"].is_null(), "{}", help.text());
    assert!(help.json()["unresolved"].is_string());
    let history = page("whatsapp-history").await;
    assert_eq!(history.status, 200, "{}", history.text());
    assert!(history.json()["form"].is_null());
    let why = history.json()["unresolved"].as_str().unwrap().to_string();
    assert!(why.contains("\"endpoint\""), "{why}");

    // Each item's own path leads there; other paths, and people without a session, get 404.
    let open = async |path: &str, cookie: Option<&str>| {
        let mut req = axum::http::Request::get(path).header("accept", "text/html");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        app.request(req.body(axum::body::Body::empty()).unwrap())
            .await
    };
    let res = open("/whatsapp/blast", Some(&cookie)).await;
    assert_eq!(res.status, 303, "{}", res.text());
    assert_eq!(
        res.header("location").as_deref(),
        Some("/apps/whatsapp-gateway/whatsapp-blast")
    );
    let res = open("/whatsapp/history/", Some(&cookie)).await;
    assert_eq!(
        res.header("location").as_deref(),
        Some("/apps/whatsapp-gateway/whatsapp-history")
    );
    assert_eq!(open("/whatsapp/elsewhere", Some(&cookie)).await.status, 404);
    assert_eq!(open("/whatsapp/blast", None).await.status, 404);
    // A tenant that does not use the service does not find it at its path either.
    let other = app.browser_login("admin@taskmanager.com").await;
    assert_eq!(open("/whatsapp/blast", Some(&other)).await.status, 404);
}

/// The demo's own items name endpoints; their registered paths lead to their pages too.
#[tokio::test(flavor = "multi_thread")]
async fn an_items_own_path_leads_to_its_page_whatever_it_opens() {
    let app = TestApp::new().await;
    let cookie = app.browser_login("admin@whatsapp.com").await;
    let req = axum::http::Request::get("/whatsapp/history")
        .header("accept", "text/html")
        .header("cookie", &cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    let res = app.request(req).await;
    assert_eq!(res.status, 303, "{}", res.text());
    assert_eq!(
        res.header("location").as_deref(),
        Some("/apps/whatsapp-gateway/whatsapp-history")
    );
}

/// An external service's item may not take one of Inti's own pages.
#[tokio::test(flavor = "multi_thread")]
async fn an_item_path_that_is_one_of_intis_pages_is_refused_where_it_stands() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    for (items, field) in [
        (
            json!([{ "name": "Users", "path": "/admin/users" }]),
            "menuSchema.items[0].path",
        ),
        (
            json!([{ "name": "Mine", "path": "/mine/one" },
                   { "name": "Parent", "path": "/mine/two",
                     "children": [{ "name": "Tasks", "path": "/tasks/board" }] }]),
            "menuSchema.items[1].children[0].path",
        ),
        (
            json!([{ "name": "Home", "path": "/" }]),
            "menuSchema.items[0].path",
        ),
    ] {
        let mut body = whatsapp_like("colliding");
        body["menuSchema"]["items"] = items;
        let before = counts(&app).await;
        let res = app
            .post_json("/api/v1/core/services/register", body, Some(&root))
            .await;
        assert_eq!(res.status, 422, "{}", res.text());
        assert_eq!(
            res.json()["error"]["details"]["field"],
            field,
            "{}",
            res.text()
        );
        assert_eq!(counts(&app).await, before, "nothing registered");
    }
    // Its own form's page is a page it may name.
    let mut body = whatsapp_like("own-form");
    body["menuSchema"]["items"] = json!([{ "name": "Send", "path": "/forms/own-form" }]);
    let res = app
        .post_json("/api/v1/core/services/register", body, Some(&root))
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
}
