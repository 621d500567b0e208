//! Generated hostile input against every `/api/v1` endpoint and every server function, as an
//! authorized caller: whatever arrives, no answer is a 5xx. New endpoints join the tables.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use serde_json::{json, Value};

/// Values that have broken parsers, databases and arithmetic before.
fn hostile_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(i64::MAX),
        json!(-9_223_372_036_854_775_808_i64),
        json!(1e308),
        json!([]),
        json!({}),
        json!(""),
        json!(" "),
        json!("\u{0}"),
        json!("a\u{0}b"),
        json!("😀🚀 ünïcödé"),
        json!("x".repeat(70_000)),
        json!("not-a-uuid"),
        json!("00000000-0000-0000-0000-000000000000"),
        json!("UNKNOWN_VALUE"),
        json!("'; DROP TABLE users; --"),
        json!("%_\\"),
        json!("2026-13-45T99:99:99Z"),
        json!(["*", "tenant:create"]),
    ]
}

/// Hostile values for query strings and form fields.
fn hostile_texts() -> Vec<String> {
    vec![
        String::new(),
        "%00".into(),
        "a%00b".into(),
        "-1".into(),
        "0".into(),
        "9223372036854775807".into(),
        "99999999999999999999999".into(),
        "1e308".into(),
        "not-a-uuid".into(),
        "%F0%9F%98%80".into(),
        "%ZZ".into(),
        "x".repeat(10_000),
        "UNKNOWN_VALUE".into(),
        "2026-13-45T99:99:99Z".into(),
    ]
}

struct Endpoint {
    method: &'static str,
    path: &'static str,
    body: Option<Value>,
    query: &'static [&'static str],
}

fn endpoints() -> Vec<Endpoint> {
    let e = |method, path, body: Option<Value>, query| Endpoint {
        method,
        path,
        body,
        query,
    };
    vec![
        e(
            "POST",
            "/api/v1/auth/login",
            Some(json!({"email": "a@b.io", "password": "pw", "tenantSlug": "core"})),
            &[],
        ),
        e(
            "POST",
            "/api/v1/auth/refresh",
            Some(json!({"refreshToken": "x"})),
            &[],
        ),
        e(
            "POST",
            "/api/v1/auth/switch-tenant",
            Some(json!({"tenantId": "x"})),
            &[],
        ),
        e("GET", "/api/v1/auth/me", None, &[]),
        e(
            "PATCH",
            "/api/v1/account",
            Some(json!({"name": "Root"})),
            &[],
        ),
        e(
            "POST",
            "/api/v1/account/password",
            Some(json!({"currentPassword": "x", "newPassword": "y"})),
            &[],
        ),
        e("GET", "/api/v1/account/invitations", None, &[]),
        e(
            "PATCH",
            "/api/v1/core/users/{id}",
            Some(json!({"status": "SUSPENDED"})),
            &[],
        ),
        e(
            "POST",
            "/api/v1/account/email",
            Some(json!({"newEmail": "a@b.io", "currentPassword": "x"})),
            &[],
        ),
        e(
            "POST",
            "/api/v1/auth/password-reset",
            Some(json!({"email": "a@b.io"})),
            &[],
        ),
        e(
            "POST",
            "/api/v1/auth/password-reset/confirm",
            Some(json!({"token": "t", "newPassword": "y", "acceptInvitations": []})),
            &[],
        ),
        e(
            "POST",
            "/api/v1/auth/link",
            Some(json!({"token": "t"})),
            &[],
        ),
        e(
            "POST",
            "/api/v1/auth/email/confirm",
            Some(json!({"token": "t"})),
            &[],
        ),
        e("POST", "/api/v1/account/invitations/{id}/accept", None, &[]),
        e(
            "GET",
            "/api/v1/audit",
            None,
            &[
                "action",
                "outcome",
                "actorUserId",
                "since",
                "until",
                "page",
                "perPage",
            ],
        ),
        e("GET", "/api/v1/roles", None, &[]),
        e(
            "POST",
            "/api/v1/roles",
            Some(json!({"name": "R", "description": "", "permissions": ["user:read"]})),
            &[],
        ),
        e(
            "PATCH",
            "/api/v1/roles/{id}",
            Some(json!({"description": "", "permissions": ["user:read"]})),
            &[],
        ),
        e("DELETE", "/api/v1/roles/{id}", None, &[]),
        e("GET", "/api/v1/users", None, &["search", "page", "perPage"]),
        e(
            "POST",
            "/api/v1/users",
            Some(json!({"email": "a@b.io", "name": "N", "role": "USER", "expiresAt": null})),
            &[],
        ),
        e("GET", "/api/v1/users/invitations", None, &[]),
        e("DELETE", "/api/v1/users/invitations/{id}", None, &[]),
        e("GET", "/api/v1/users/{id}", None, &[]),
        e(
            "PATCH",
            "/api/v1/users/{id}",
            Some(json!({"name": "N", "role": "USER", "expiresAt": null, "accessStatus": "ACTIVE"})),
            &[],
        ),
        e("DELETE", "/api/v1/users/{id}", None, &[]),
        e(
            "GET",
            "/api/v1/core/users",
            None,
            &["search", "page", "perPage"],
        ),
        e(
            "GET",
            "/api/v1/core/tenants",
            None,
            &["search", "status", "page", "perPage"],
        ),
        e(
            "POST",
            "/api/v1/core/tenants",
            Some(json!({"name": "T", "domain": "t-co", "subscriptionTier": "STARTER"})),
            &[],
        ),
        e("GET", "/api/v1/core/tenants/{id}", None, &[]),
        e("GET", "/api/v1/core/tenants/{id}/services", None, &[]),
        e(
            "POST",
            "/api/v1/core/services/register",
            Some(json!({
                "name": "hostile", "displayName": "H", "type": "EXTERNAL",
                "baseUrl": "https://example.com", "authType": "API_KEY", "apiKey": "k",
                "visibility": "PUBLIC", "status": "ACTIVE", "category": "c",
                "formSchema": {"fields": [{"name": "a", "type": "text", "label": "A",
                    "validation": {"pattern": "^a+$", "maxLength": 3}}]},
                "menuSchema": {"items": [{"name": "A", "path": "/a", "permission": "a:read"}]},
                "endpoints": [{"name": "a", "method": "GET", "path": "/a/{x}", "rateLimit": 5}]
            })),
            &[],
        ),
        e(
            "GET",
            "/api/v1/core/services",
            None,
            &[
                "search",
                "type",
                "status",
                "visibility",
                "category",
                "page",
                "perPage",
            ],
        ),
        e("GET", "/api/v1/core/services/{id}", None, &[]),
        e(
            "PATCH",
            "/api/v1/core/services/{id}",
            Some(
                json!({"displayName": "X", "visibility": "PRIVATE", "apiKey": null, "settingsSchema": null}),
            ),
            &[],
        ),
        e("DELETE", "/api/v1/core/services/{id}", None, &[]),
        e("GET", "/api/v1/core/services/{id}/endpoints", None, &[]),
        e(
            "POST",
            "/api/v1/core/services/{id}/endpoints",
            Some(
                json!({"name": "e", "method": "POST", "path": "/e", "requiredPermissions": ["e:write"], "timeoutMs": 1000}),
            ),
            &[],
        ),
        e(
            "PATCH",
            "/api/v1/core/services/{id}/endpoints/{id}",
            Some(json!({"path": "/e/{y}", "requiresAuth": true})),
            &[],
        ),
        e(
            "DELETE",
            "/api/v1/core/services/{id}/endpoints/{id}",
            None,
            &[],
        ),
        e("GET", "/api/v1/core/services/{id}/tenants", None, &[]),
        e(
            "PUT",
            "/api/v1/core/services/{id}/tenants/{id}",
            Some(json!({"status": "ACTIVE", "customSettings": {"a": 1}, "customMenuConfig": {}})),
            &[],
        ),
        e(
            "DELETE",
            "/api/v1/core/services/{id}/tenants/{id}",
            None,
            &[],
        ),
        e("GET", "/api/v1/services", None, &[]),
        e("GET", "/api/v1/menus/user", None, &[]),
        e("GET", "/api/v1/menus/layout", None, &[]),
        e(
            "PUT",
            "/api/v1/menus/layout",
            Some(
                json!({"baseVersion": 0, "operations": [{"op": "move", "id": "core.users", "parent": null, "position": 1}]}),
            ),
            &[],
        ),
        e("GET", "/api/v1/menus/layout/versions", None, &[]),
        e(
            "POST",
            "/api/v1/menus/layout/revert",
            Some(json!({"version": 1, "baseVersion": 0})),
            &[],
        ),
        e("GET", "/api/v1/menus/explain", None, &["userId", "itemId"]),
        e("GET", "/api/v1/core/menus/layout", None, &[]),
        e(
            "PUT",
            "/api/v1/core/menus/layout",
            Some(
                json!({"baseVersion": 0, "operations": [{"op": "addLink", "id": "custom.x", "name": "X", "url": "https://x.example", "position": 1}]}),
            ),
            &[],
        ),
        e(
            "POST",
            "/api/v1/core/menus/layout/revert",
            Some(json!({"version": 1, "baseVersion": 0})),
            &[],
        ),
        e(
            "GET",
            "/api/v1/tasks",
            None,
            &[
                "status",
                "priority",
                "assignee",
                "dueBefore",
                "dueAfter",
                "label",
                "search",
                "sort",
                "page",
                "perPage",
            ],
        ),
        e(
            "POST",
            "/api/v1/tasks",
            Some(
                json!({"title": "T", "status": "TODO", "priority": "LOW", "labels": ["a"], "dueDate": "2026-12-01", "customFields": {}}),
            ),
            &[],
        ),
        e("GET", "/api/v1/tasks/{id}", None, &[]),
        e(
            "PATCH",
            "/api/v1/tasks/{id}",
            Some(json!({"version": 1, "title": "T", "assigneeId": null})),
            &[],
        ),
        e("DELETE", "/api/v1/tasks/{id}", None, &[]),
        e("GET", "/api/v1/tasks/{id}/comments", None, &[]),
        e(
            "POST",
            "/api/v1/tasks/{id}/comments",
            Some(json!({"body": "x"})),
            &[],
        ),
        e(
            "PATCH",
            "/api/v1/core/tenants/{id}",
            Some(
                json!({"name": "T", "subscriptionTier": "STARTER", "maxUsers": 5, "status": "ACTIVE", "settings": {}}),
            ),
            &[],
        ),
    ]
}

const SERVER_FNS: &[(&str, &[&str])] = &[
    ("login", &["email", "password"]),
    ("switch_tenant", &["tenant_id"]),
    ("account_rename", &["name"]),
    ("account_password", &["current_password", "new_password"]),
    ("account_invitations", &[]),
    ("account_respond_invitation", &["id", "accept"]),
    ("audit_list", &["action", "outcome", "page"]),
    ("roles_list", &[]),
    (
        "roles_create",
        &["name", "description", "extra", "permissions[]"],
    ),
    ("roles_delete", &["id"]),
    ("tenants_list", &["search", "page"]),
    ("tenants_get", &["id"]),
    ("tenants_create", &["name", "domain", "subscription_tier"]),
    (
        "tenants_update",
        &["id", "name", "subscription_tier", "status"],
    ),
    ("users_list", &["search", "page"]),
    ("users_add", &["email", "name", "role", "expires_at"]),
    ("password_reset_request", &["email"]),
    ("accounts_list", &["search", "page"]),
    ("accounts_set_status", &["id", "status"]),
    ("link_inspect", &["token"]),
    ("link_set_password", &["token", "new_password", "accept[0]"]),
    ("link_confirm_email", &["token"]),
    ("account_email", &["new_email", "current_password"]),
    ("users_set_access", &["id", "access_status"]),
    ("users_remove", &["id"]),
    ("users_invitations", &[]),
    ("users_revoke_invitation", &["id"]),
    ("session", &[]),
    (
        "services_list",
        &["search", "service_type", "status", "page"],
    ),
    ("services_get", &["id"]),
    (
        "services_register",
        &[
            "name",
            "display_name",
            "service_type",
            "base_url",
            "auth_type",
            "visibility",
            "category",
            "description",
            "api_key",
            "form_schema",
            "menu_schema",
        ],
    ),
    (
        "services_update",
        &[
            "id",
            "display_name",
            "description",
            "category",
            "status",
            "visibility",
            "auth_type",
            "base_url",
            "health_check_url",
        ],
    ),
    (
        "services_schemas",
        &["id", "form_schema", "menu_schema", "settings_schema"],
    ),
    ("services_key", &["id", "api_key", "remove"]),
    (
        "services_endpoint_save",
        &[
            "service_id",
            "endpoint_id",
            "name",
            "display_name",
            "method",
            "path",
            "required_permissions",
            "rate_limit",
            "timeout_ms",
        ],
    ),
    ("services_endpoint_delete", &["service_id", "endpoint_id"]),
    ("services_tenants", &["id"]),
    (
        "services_assign",
        &["service_id", "tenant", "status", "custom_settings"],
    ),
    ("services_unassign", &["service_id", "tenant_id"]),
    ("services_mine", &[]),
    ("menus_mine", &[]),
    ("menus_layout", &["scope"]),
    (
        "menus_layout_save",
        &["scope", "base_version", "operations"],
    ),
    ("menus_layout_versions", &["scope"]),
    ("menus_layout_revert", &["scope", "version", "base_version"]),
    ("menus_explain", &["user_id", "item_id"]),
    ("forms_load", &["service"]),
    (
        "forms_submit",
        &[
            "service",
            "version",
            "values[title]",
            "record",
            "record_version",
        ],
    ),
    ("forms_builder", &["service"]),
    ("forms_save", &["service", "base_version", "schema", "note"]),
    ("forms_version", &["service", "version"]),
    ("forms_restore", &["service", "version", "base_version"]),
    (
        "tasks_list",
        &["query[search]", "query[page]", "query[sort]"],
    ),
    ("tasks_page", &["id"]),
    ("tasks_board", &["mine"]),
    ("tasks_move", &["id", "version", "status"]),
    ("tasks_assign", &["id", "version", "assignee"]),
    ("tasks_comment", &["id", "body"]),
    ("tasks_delete", &["id"]),
];

#[tokio::test(flavor = "multi_thread")]
async fn no_hostile_input_gets_a_5xx_from_the_rest_api() {
    let app = TestApp::new().await;
    let token = app.token("superadmin@core.com").await;
    let ids = [
        "not-a-uuid",
        "00000000-0000-0000-0000-000000000000",
        "%00",
        "..%2F..%2Fetc",
    ];
    let mut failures = Vec::new();
    let mut seen = std::collections::BTreeMap::<u16, usize>::new();
    for ep in endpoints() {
        let paths: Vec<String> = if ep.path.contains("{id}") {
            ids.iter().map(|id| ep.path.replace("{id}", id)).collect()
        } else {
            vec![ep.path.to_string()]
        };
        for path in &paths {
            // The body as given, then each field replaced by each hostile value, then
            // each hostile value as the whole body.
            let mut bodies: Vec<Option<Value>> = vec![ep.body.clone()];
            if let Some(Value::Object(fields)) = &ep.body {
                for key in fields.keys() {
                    for v in hostile_values() {
                        let mut b = fields.clone();
                        b.insert(key.clone(), v);
                        bodies.push(Some(Value::Object(b)));
                    }
                }
                bodies.extend(hostile_values().into_iter().map(Some));
            }
            for body in bodies {
                let res = app.send(ep.method, path, body.clone(), &token).await;
                *seen.entry(res.status).or_default() += 1;
                if res.status >= 500 {
                    failures.push(format!(
                        "{} {path} {body:?}: {} {}",
                        ep.method,
                        res.status,
                        res.text()
                    ));
                }
            }
            for param in ep.query {
                for v in hostile_texts() {
                    let res = app
                        .send(ep.method, &format!("{path}?{param}={v}"), None, &token)
                        .await;
                    if res.status >= 500 {
                        failures.push(format!(
                            "{} {path}?{param}={v}: {} {}",
                            ep.method,
                            res.status,
                            res.text()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} answers were 5xx:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_hostile_input_gets_a_5xx_from_a_server_function() {
    let app = TestApp::new().await;
    let cookie = app.browser_login("superadmin@core.com").await;
    // The Task Manager's functions also as a member of a tenant that has it.
    let member = app.browser_login("admin@taskmanager.com").await;
    let mut failures = Vec::new();
    for (name, fields) in SERVER_FNS {
        let cookies: &[&str] = if name.starts_with("tasks_") || name.starts_with("forms_submit") {
            &[&cookie, &member]
        } else {
            &[&cookie]
        };
        for v in hostile_texts() {
            // Every field set to the hostile value, and each field alone.
            let all: Vec<String> = fields.iter().map(|f| format!("{f}={v}")).collect();
            let mut forms = vec![all.join("&")];
            forms.extend(fields.iter().map(|f| format!("{f}={v}")));
            for (form, cookie) in forms
                .iter()
                .flat_map(|f| cookies.iter().map(move |c| (f, *c)))
            {
                let res = app.server_fn(name, form, Some(cookie)).await;
                if res.status >= 500 {
                    failures.push(format!(
                        "{name} {form:.80}: {} {:.200}",
                        res.status,
                        res.text()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} answers were 5xx:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_over_the_limit_is_413_in_the_envelope_whether_announced_or_streamed() {
    use axum::{body::Body, http::Request};
    let app = TestApp::new().await;
    let token = app.token("admin@taskmanager.com").await;
    let big = json!({ "title": "x".repeat(1_100_000) }).to_string();
    for announced in [true, false] {
        let mut req = Request::post("/api/v1/tasks")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {token}"));
        if announced {
            req = req.header("content-length", big.len());
        }
        let res = app
            .request(req.body(Body::from(big.clone())).unwrap())
            .await;
        assert_eq!(res.status, 413, "announced {announced}: {}", res.text());
        let body = res.json();
        assert_eq!(body["error"]["code"], "PAYLOAD_TOO_LARGE");
        assert_eq!(body["error"]["details"]["field"], "body");
        assert_eq!(body["error"]["details"]["limitBytes"], 1024 * 1024);
    }
    // Nothing was stored.
    let res = app.get("/api/v1/tasks", Some(&token)).await;
    assert_eq!(res.json()["data"]["total"], 0, "{}", res.text());
}
