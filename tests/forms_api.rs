//! Generated forms through their server functions: the builder's versions (save,
//! conflict, schema errors at their path, restore), loading and submitting as a user
//! (validation, hidden fields ignored, passwords never kept or audited), a schema version
//! change between render and submit, the no-JavaScript round trip, labels as text, and the
//! callers who may not.
#![cfg(feature = "ssr")]

mod common;

use inti::domain::id::{TenantId, UserId};

use axum::{body::Body, http::Request};
use common::TestApp;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use inti::server::db::schema::{audit_log, form_submissions, service_endpoints, services};
use serde_json::{json, Value};

/// The tenant `taskmanager`, with `intake`: an internal service without a form yet and
/// without a handler of its own (Inti keeps its submissions). The Task Manager's own form
/// (a task per submission) is tested in `tasks_api.rs`.
async fn app_with_intake() -> TestApp {
    let app = TestApp::new().await;
    app.internal_service("intake", "taskmanager").await;
    app
}

/// `key=value&...`, form-encoded.
fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The task form the tests build: a required title, a priority, a reason shown (and
/// required) only for high priority, a password that is never kept.
fn task_form(label: &str) -> Value {
    json!({
        "fields": [
            { "name": "title", "type": "text", "label": label, "required": true,
              "validation": { "minLength": 3 } },
            { "name": "priority", "type": "select", "label": "Priority", "options": ["low", "high"] },
            { "name": "reason", "type": "textarea", "label": "Why urgent", "required": true,
              "showIf": { "field": "priority", "equals": "high" } },
            { "name": "pin", "type": "password", "label": "PIN" }
        ]
    })
}

async fn save(
    app: &TestApp,
    cookie: &str,
    base: i32,
    schema: &Value,
    note: &str,
) -> common::Response {
    let body = form(&[
        ("service", "intake"),
        ("base_version", &base.to_string()),
        ("schema", &schema.to_string()),
        ("note", note),
    ]);
    app.server_fn("forms_save", &body, Some(cookie)).await
}

async fn submit(
    app: &TestApp,
    cookie: &str,
    version: i32,
    values: &[(&str, &str)],
) -> common::Response {
    let mut pairs = vec![
        ("service".to_string(), "intake".to_string()),
        ("version".to_string(), version.to_string()),
    ];
    for (k, v) in values {
        pairs.push((format!("values[{k}]"), v.to_string()));
    }
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    app.server_fn("forms_submit", &body, Some(cookie)).await
}

async fn load(app: &TestApp, cookie: &str) -> common::Response {
    app.server_fn("forms_load", "service=intake", Some(cookie))
        .await
}

async fn kept(app: &TestApp) -> Vec<Value> {
    let mut conn = app.db.conn().await;
    form_submissions::table
        .select(form_submissions::values)
        .load(&mut conn)
        .await
        .unwrap()
}

async fn audited(app: &TestApp, action: &str) -> Vec<Value> {
    let mut conn = app.db.conn().await;
    audit_log::table
        .filter(audit_log::action.eq(action))
        .order(audit_log::id.asc())
        .select(audit_log::details)
        .load(&mut conn)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_built_form_is_versioned_loaded_validated_and_submitted() {
    let app = app_with_intake().await;
    let admin = app.browser_login("superadmin@core.com").await;
    let user = app.browser_login("user@taskmanager.com").await;

    // The builder: the intake has no form yet (version 0); saving makes version 1.
    let res = app
        .server_fn("forms_builder", "service=intake", Some(&admin))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["version"], 0);
    let res = save(&app, &admin, 0, &task_form("Title"), "First form").await;
    assert_eq!(res.status, 200, "{}", res.text());
    let view = res.json();
    assert_eq!(view["version"], 1);
    assert_eq!(view["versions"][0]["note"], "First form");
    assert_eq!(view["versions"][0]["author"], "Super Admin");

    // A stale base is a conflict; an invalid schema names its path; neither saves.
    let res = save(&app, &admin, 0, &task_form("Again"), "").await;
    assert_eq!(res.status, 409, "{}", res.text());
    let mut broken = task_form("Title");
    broken["fields"][2]["showIf"]["field"] = json!("nothing");
    let res = save(&app, &admin, 1, &broken, "").await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(
        res.json()["Validation"]["field"],
        "schema.fields[2].showIf.field"
    );

    // The user loads it: version 1, allowed to submit.
    let res = load(&app, &user).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let page = res.json();
    assert_eq!(page["version"], 1);
    assert_eq!(page["blocked"], Value::Null);
    assert_eq!(page["schema"]["fields"][0]["label"], "Title");

    // Invalid: errors by field, nothing kept, nothing audited.
    let res = submit(&app, &user, 1, &[("title", "ab"), ("priority", "high")]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let answer = res.json();
    let paths: Vec<&str> = answer["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["title", "reason"]);
    assert!(kept(&app).await.is_empty());
    assert!(audited(&app, "form.submit").await.is_empty());

    // Valid, with the hidden `reason` filled in anyway: ignored. The PIN is never kept.
    let res = submit(
        &app,
        &user,
        1,
        &[
            ("title", "Water the plants"),
            ("priority", "low"),
            ("reason", "sneaky"),
            ("pin", "4321"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let answer = res.json();
    assert_eq!(answer["errors"], json!([]));
    assert!(answer["reference"].as_str().is_some());
    assert_eq!(
        kept(&app).await,
        vec![json!({"title": "Water the plants", "priority": "low"})]
    );
    let audit = audited(&app, "form.submit").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["version"], 1);
    assert_eq!(audit[0]["fields"], json!(["title", "priority", "pin"]));
    let text = audit[0].to_string();
    assert!(
        !text.contains("4321") && !text.contains("Water the plants"),
        "{text}"
    );

    // The page lists the user's own submissions.
    let page = load(&app, &user).await.json();
    assert_eq!(page["recent"][0]["values"]["title"], "Water the plants");

    // Restore: version 1's schema again, as version 3 after a second save.
    let res = save(&app, &admin, 1, &task_form("Task title"), "Renamed").await;
    assert_eq!(res.json()["version"], 2);
    let body = form(&[
        ("service", "intake"),
        ("version", "1"),
        ("base_version", "2"),
    ]);
    let res = app.server_fn("forms_restore", &body, Some(&admin)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let view = res.json();
    assert_eq!(view["version"], 3);
    assert_eq!(view["versions"][0]["restored_from"], 1);
    assert_eq!(view["schema"]["fields"][0]["label"], "Title");
    let actions: Vec<String> = {
        let mut conn = app.db.conn().await;
        audit_log::table
            .filter(audit_log::action.like("form.%"))
            .order(audit_log::id.asc())
            .select(audit_log::action)
            .load(&mut conn)
            .await
            .unwrap()
    };
    assert_eq!(
        actions,
        ["form.save", "form.submit", "form.save", "form.restore"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_newer_schema_wins_and_the_answer_says_so() {
    let app = app_with_intake().await;
    let admin = app.browser_login("superadmin@core.com").await;
    let user = app.browser_login("user@taskmanager.com").await;
    assert_eq!(
        save(&app, &admin, 0, &task_form("Title"), "").await.status,
        200
    );
    // Rendered at version 1; version 2 makes the priority required before the submit.
    let mut v2 = task_form("Title");
    v2["fields"][1]["required"] = json!(true);
    assert_eq!(save(&app, &admin, 1, &v2, "").await.status, 200);

    let res = submit(&app, &user, 1, &[("title", "Fine title")]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let answer = res.json();
    assert_eq!(answer["version"], 2);
    assert_eq!(answer["schema"]["fields"][1]["required"], true);
    assert_eq!(answer["errors"][0]["path"], "priority");
    assert!(kept(&app).await.is_empty());

    // Submitted at the current version: no schema in the answer.
    let res = submit(
        &app,
        &user,
        2,
        &[("title", "Fine title"), ("priority", "low")],
    )
    .await;
    assert_eq!(res.json()["schema"], Value::Null);
    assert_eq!(res.json()["errors"], json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_javascript_the_page_gets_its_errors_and_values_back_once() {
    let app = app_with_intake().await;
    let admin = app.browser_login("superadmin@core.com").await;
    let user = app.browser_login("user@taskmanager.com").await;
    assert_eq!(
        save(&app, &admin, 0, &task_form("Title"), "").await.status,
        200
    );

    let body = form(&[
        ("service", "intake"),
        ("version", "1"),
        ("values[title]", "ab"),
        ("values[pin]", "9999"),
    ]);
    let req = Request::post("/api/forms_submit")
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header("referer", "http://localhost/forms/intake")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("cookie", &user)
        .body(Body::from(body))
        .unwrap();
    let res = app.request(req).await;
    assert!(
        matches!(res.status, 302 | 303),
        "{} {}",
        res.status,
        res.text()
    );
    // Back to the page the form was on (leptos adds an empty query).
    let location = res.header("location").unwrap_or_default();
    assert!(
        location.trim_end_matches('?') == "http://localhost/forms/intake",
        "{location}"
    );

    // The page, rendered on the server, shows the error and the entered title; never the PIN.
    let req = Request::get("/forms/intake")
        .header("accept", "text/html")
        .header("cookie", &user)
        .body(Body::empty())
        .unwrap();
    let res = app.request(req).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let html = res.text();
    assert!(
        html.contains("must be at least 3 characters"),
        "the error shows"
    );
    assert!(html.contains(r#"value="ab""#), "the entered title is back");
    assert!(!html.contains("9999"), "passwords are never echoed");

    // Once: the next load has no outcome.
    let page = load(&app, &user).await.json();
    assert_eq!(page["outcome"], Value::Null);
    assert_eq!(page["initial"], json!({}));

    // A success starts the form over (its defaults, not what was entered); a refusal of
    // the whole form comes back too, at the empty path.
    let post = |values: &[(&str, &str)]| {
        let mut pairs = vec![("service", "intake"), ("version", "1")];
        pairs.extend_from_slice(values);
        Request::post("/api/forms_submit")
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("referer", "http://localhost/forms/intake")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("cookie", &user)
            .body(Body::from(form(&pairs)))
            .unwrap()
    };
    let res = app
        .request(post(&[("values[title]", "Water the plants")]))
        .await;
    assert!(matches!(res.status, 302 | 303), "{}", res.status);
    let page = load(&app, &user).await.json();
    assert_eq!(page["outcome"]["errors"], json!([]));
    assert!(page["outcome"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Submitted"));
    assert_eq!(page["initial"], json!({}), "the form starts over");
    {
        let mut conn = app.db.conn().await;
        diesel::update(services::table.filter(services::name.eq("intake")))
            .set(services::status.eq("MAINTENANCE"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let res = app
        .request(post(&[("values[title]", "Water the plants")]))
        .await;
    assert!(matches!(res.status, 302 | 303), "{}", res.status);
    let page = load(&app, &user).await.json();
    assert_eq!(page["outcome"]["errors"][0]["path"], "");
    assert_eq!(
        page["outcome"]["errors"][0]["message"],
        "A required backend is unavailable"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hidden_field_keeps_the_forms_value_whatever_is_posted() {
    let app = app_with_intake().await;
    let admin = app.browser_login("superadmin@core.com").await;
    let user = app.browser_login("user@taskmanager.com").await;
    let schema = json!({"fields": [
        { "name": "title", "type": "text", "label": "Title", "required": true },
        { "name": "source", "type": "hidden", "label": "Source", "default": 42 }
    ]});
    assert_eq!(save(&app, &admin, 0, &schema, "").await.status, 200);
    let res = submit(
        &app,
        &user,
        1,
        &[("title", "Fine title"), ("source", "forged")],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.json()["errors"],
        json!([]),
        "a numeric default is text, not an error"
    );
    assert_eq!(
        kept(&app).await,
        vec![json!({"title": "Fine title", "source": "42"})]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn labels_are_text_never_html() {
    let app = app_with_intake().await;
    let admin = app.browser_login("superadmin@core.com").await;
    let user = app.browser_login("user@taskmanager.com").await;
    let label = "<img src=x onerror=alert(1)>";
    assert_eq!(
        save(&app, &admin, 0, &task_form(label), "").await.status,
        200
    );
    let req = Request::get("/forms/intake")
        .header("accept", "text/html")
        .header("cookie", &user)
        .body(Body::empty())
        .unwrap();
    let html = app.request(req).await.text();
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "escaped"
    );
    assert!(!html.contains(label), "never markup");
}

#[tokio::test(flavor = "multi_thread")]
async fn who_may_build_load_and_submit() {
    let app = app_with_intake().await;
    let admin = app.browser_login("superadmin@core.com").await;
    let admin_a = app.browser_login("admin@taskmanager.com").await;
    let user_a = app.browser_login("user@taskmanager.com").await;
    let admin_b = app.browser_login("admin@whatsapp.com").await;
    assert_eq!(
        save(&app, &admin, 0, &task_form("Title"), "").await.status,
        200
    );

    // The builder is platform work: tenant admins and users get 403, nobody 401.
    for (cookie, status) in [
        (Some(&admin_a), 403),
        (Some(&user_a), 403),
        (Some(&admin_b), 403),
        (None, 401),
    ] {
        let res = app
            .server_fn(
                "forms_builder",
                "service=intake",
                cookie.map(String::as_str),
            )
            .await;
        assert_eq!(res.status, status, "builder: {}", res.text());
        let body = form(&[
            ("service", "intake"),
            ("base_version", "1"),
            ("schema", "not json"),
        ]);
        let res = app
            .server_fn("forms_save", &body, cookie.map(String::as_str))
            .await;
        assert_eq!(
            res.status,
            status,
            "save, whatever the body: {}",
            res.text()
        );
        let body = form(&[
            ("service", "intake"),
            ("version", "1"),
            ("base_version", "1"),
        ]);
        let res = app
            .server_fn("forms_restore", &body, cookie.map(String::as_str))
            .await;
        assert_eq!(res.status, status, "restore: {}", res.text());
        let res = app
            .server_fn(
                "forms_version",
                "service=intake&version=1",
                cookie.map(String::as_str),
            )
            .await;
        assert_eq!(res.status, status, "version: {}", res.text());
    }
    let res = app
        .server_fn(
            "forms_submit",
            "service=intake&version=1&values[title]=Hello",
            None,
        )
        .await;
    assert_eq!(res.status, 401, "{}", res.text());

    // Another tenant's service is not there at all; nobody must sign in.
    assert_eq!(load(&app, &admin_b).await.status, 404);
    assert_eq!(
        submit(&app, &admin_b, 1, &[("title", "Fine title")])
            .await
            .status,
        404
    );
    let res = app.server_fn("forms_load", "service=intake", None).await;
    assert_eq!(res.status, 401);

    // The endpoint's permission decides, before validation: require one the user lacks.
    {
        let service = app.id_of("services", "intake").await;
        let mut conn = app.db.conn().await;
        diesel::update(
            service_endpoints::table
                .filter(service_endpoints::service_id.eq(service))
                .filter(service_endpoints::name.eq("requests:create")),
        )
        .set(service_endpoints::required_permissions.eq(json!(["task:approve"])))
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let res = submit(&app, &user_a, 1, &[("title", "x")]).await;
    assert_eq!(res.status, 403, "{}", res.text());
    let page = load(&app, &user_a).await.json();
    assert_eq!(
        page["blocked"],
        "Submitting this form needs the permission task:approve."
    );
    // The tenant admin holds task:* and may.
    let res = submit(&app, &admin_a, 1, &[("title", "Fine title")]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["errors"], json!([]));
    assert_eq!(kept(&app).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_registry_records_form_versions_too() {
    let app = app_with_intake().await;
    let token = app.token("superadmin@core.com").await;
    let admin = app.browser_login("superadmin@core.com").await;
    // The demo's WhatsApp form came with the registration: version 1.
    let res = app
        .server_fn("forms_builder", "service=whatsapp-gateway", Some(&admin))
        .await;
    assert_eq!(res.json()["version"], 1);
    let id = app
        .get("/api/v1/core/services?search=whatsapp", Some(&token))
        .await
        .json()["data"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/core/services/{id}"),
            Some(json!({"formSchema": {"fields": [{"name": "message", "type": "textarea", "label": "Message"}]}})),
            &token,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let view = app
        .server_fn("forms_builder", "service=whatsapp-gateway", Some(&admin))
        .await
        .json();
    assert_eq!(view["version"], 2);
    assert_eq!(
        view["versions"][0]["note"],
        "Updated in the service registry"
    );
    // The WhatsApp form goes through the gateway; no demo service listens in this test, so
    // a valid submission is 502: never a pretend success.
    let user = app.browser_login("admin@whatsapp.com").await;
    let body = form(&[
        ("service", "whatsapp-gateway"),
        ("version", "2"),
        ("values[message]", "Hi"),
        ("values[recipients.0]", "+6281234567890"),
    ]);
    let res = app.server_fn("forms_submit", &body, Some(&user)).await;
    assert_eq!(res.status, 502, "{}", res.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn as_the_runtime_role_a_tenant_reads_and_writes_only_its_own_submissions() {
    use diesel_async::{AsyncConnection, AsyncPgConnection};
    use inti::server::db::{
        schema::form_versions,
        scope::{set_scope, Scope},
    };
    let app = app_with_intake().await;
    let mut owner = app.db.conn().await;
    let (a, b) = (
        app.id_of("tenants", "taskmanager").await,
        app.id_of("tenants", "whatsapp").await,
    );
    let service = app.id_of("services", "intake").await;
    for t in [a, b] {
        diesel::insert_into(form_submissions::table)
            .values((
                form_submissions::tenant_id.eq(t),
                form_submissions::service_id.eq(service),
                form_submissions::form_version.eq(1),
                form_submissions::values.eq(json!({"of": t.to_string()})),
            ))
            .execute(&mut owner)
            .await
            .unwrap();
    }
    let mut conn = AsyncPgConnection::establish(&common::app_url(&app.db))
        .await
        .unwrap();
    let admin_a = app.id_of("users", "admin@taskmanager.com").await;
    let scope_a = Scope::member(UserId(admin_a), TenantId(a));
    let seen: Vec<uuid::Uuid> = conn
        .transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(c, scope_a).await?;
            form_submissions::table
                .select(form_submissions::tenant_id)
                .load(c)
                .await
        })
        .await
        .unwrap();
    assert_eq!(seen, vec![a]);
    let insert = async |c: &mut AsyncPgConnection, t: uuid::Uuid, by: Option<uuid::Uuid>| {
        c.transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(c, scope_a).await?;
            diesel::insert_into(form_submissions::table)
                .values((
                    form_submissions::tenant_id.eq(t),
                    form_submissions::service_id.eq(service),
                    form_submissions::form_version.eq(1),
                    form_submissions::values.eq(json!({})),
                    form_submissions::submitted_by.eq(by),
                ))
                .execute(c)
                .await
        })
        .await
    };
    // Its own, as itself, yes (the control); another tenant's, or as nobody, no.
    assert_eq!(insert(&mut conn, a, Some(admin_a)).await.unwrap(), 1);
    assert!(insert(&mut conn, b, Some(admin_a)).await.is_err());
    assert!(insert(&mut conn, a, None).await.is_err());
    // Form versions: platform work may write one (the control); a tenant scope may not.
    let version = async |c: &mut AsyncPgConnection, scope: Scope, n: i32| {
        c.transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(c, scope).await?;
            diesel::insert_into(form_versions::table)
                .values((
                    form_versions::service_id.eq(service),
                    form_versions::version.eq(n),
                    form_versions::schema.eq(json!({})),
                    form_versions::author_name.eq("Someone"),
                ))
                .execute(c)
                .await
        })
        .await
    };
    assert_eq!(version(&mut conn, Scope::platform(), 98).await.unwrap(), 1);
    assert!(version(&mut conn, scope_a, 99).await.is_err());
    let deleted = conn
        .transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(c, scope_a).await?;
            diesel::delete(form_submissions::table).execute(c).await
        })
        .await;
    assert!(deleted.is_err(), "no DELETE grant");
    let total: i64 = form_submissions::table
        .count()
        .get_result(&mut owner)
        .await
        .unwrap();
    assert_eq!(total, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_fails_closed_follows_the_service_and_takes_the_tenant_defaults() {
    let app = app_with_intake().await;
    let admin = app.browser_login("superadmin@core.com").await;
    let user = app.browser_login("user@taskmanager.com").await;
    assert_eq!(
        save(&app, &admin, 0, &task_form("Title"), "").await.status,
        200
    );
    let service = app.id_of("services", "intake").await;

    // A second POST endpoint, needing nothing: the form names none, so nobody may submit
    // (rather than the first endpoint's permission silently no longer applying).
    {
        let mut conn = app.db.conn().await;
        diesel::insert_into(service_endpoints::table)
            .values((
                service_endpoints::service_id.eq(service),
                service_endpoints::name.eq("requests:import"),
                service_endpoints::display_name.eq("Import"),
                service_endpoints::method.eq("POST"),
                service_endpoints::path.eq("/requests/import"),
            ))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let fine = [("title", "Fine title")];
    assert_eq!(submit(&app, &user, 1, &fine).await.status, 403);
    let page = load(&app, &user).await.json();
    assert!(
        page["blocked"]
            .as_str()
            .unwrap()
            .contains("several POST endpoints"),
        "{page}"
    );
    // Naming one settles it; naming one that does not exist is refused at its path.
    let mut named = task_form("Title");
    named["endpoint"] = json!("nope");
    let res = save(&app, &admin, 1, &named, "").await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["Validation"]["field"], "schema.endpoint");
    named["endpoint"] = json!("requests:create");
    assert_eq!(save(&app, &admin, 1, &named, "").await.status, 200);
    let res = submit(&app, &user, 2, &fine).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["errors"], json!([]));

    // Maintenance: shown, and a submission is 503.
    let set_status = async |status: &str| {
        let mut conn = app.db.conn().await;
        diesel::update(services::table.find(service))
            .set(services::status.eq(status))
            .execute(&mut conn)
            .await
            .unwrap();
    };
    set_status("MAINTENANCE").await;
    assert_eq!(submit(&app, &user, 2, &fine).await.status, 503);
    let page = load(&app, &user).await.json();
    assert!(
        page["blocked"].as_str().unwrap().contains("maintenance"),
        "{page}"
    );
    set_status("ACTIVE").await;

    // The tenant's defaults, set by the super admin on the assignment.
    let token = app.token("superadmin@core.com").await;
    let tenant = app.id_of("tenants", "taskmanager").await;
    let defaults =
        json!({"customSettings": {"formDefaults": {"title": "From the tenant", "pin": "1234"}}});
    let res = app
        .send(
            "PUT",
            &format!("/api/v1/core/services/{service}/tenants/{tenant}"),
            Some(defaults),
            &token,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let page = load(&app, &user).await.json();
    assert_eq!(page["initial"]["title"], "From the tenant");
    assert_eq!(
        page["initial"].get("pin"),
        None,
        "never a password, not even a default"
    );
}

/// A menu item that opens the form decides too: its permission is checked on every submit
/// (before validation), with or without an endpoint of the service behind the form.
#[tokio::test(flavor = "multi_thread")]
async fn the_menu_item_that_opens_a_form_decides_who_may_submit() {
    let app = app_with_intake().await;
    let admin = app.browser_login("superadmin@core.com").await;
    let admin_a = app.browser_login("admin@taskmanager.com").await;
    let user_a = app.browser_login("user@taskmanager.com").await;
    assert_eq!(
        save(&app, &admin, 0, &task_form("Title"), "").await.status,
        200
    );
    let service = app.id_of("services", "intake").await;
    let root = app.token("superadmin@core.com").await;
    let set_menu = async |menu: Value| {
        let path = format!("/api/v1/core/services/{service}");
        let res = app
            .send("PATCH", &path, Some(json!({ "menuSchema": menu })), &root)
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
    };
    let fine = [("title", "Fine title")];

    // The user holds the endpoint's task:create, not the item's task:approve.
    set_menu(json!({"items": [
        { "name": "Requests", "path": "/intake", "children": [
            { "name": "New request", "path": "/forms/intake", "permission": "task:approve" }
        ]}
    ]}))
    .await;
    let res = submit(&app, &user_a, 1, &[("title", "x")]).await;
    assert_eq!(res.status, 403, "before validation: {}", res.text());
    assert_eq!(
        load(&app, &user_a).await.json()["blocked"],
        "Submitting this form needs the permission task:approve."
    );
    let res = submit(&app, &admin_a, 1, &fine).await;
    assert_eq!(res.status, 200, "task:* covers it: {}", res.text());
    assert_eq!(kept(&app).await.len(), 1);

    // The form's page with a query or a trailing slash is still the form's page.
    set_menu(json!({"items": [
        { "name": "New request", "path": "/forms/intake/?from=menu", "permission": "task:approve" }
    ]}))
    .await;
    assert_eq!(submit(&app, &user_a, 1, &fine).await.status, 403);

    // A second item open to the user opens the form for them.
    set_menu(json!({"items": [
        { "id": "new", "name": "New request", "path": "/forms/intake", "permission": "task:approve" },
        { "id": "ask", "name": "Ask", "path": "/forms/intake", "permission": "task:create" }
    ]}))
    .await;
    let res = submit(&app, &user_a, 1, &fine).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(kept(&app).await.len(), 2);

    // Without any POST endpoint, the item alone decides.
    {
        let mut conn = app.db.conn().await;
        diesel::delete(service_endpoints::table.filter(service_endpoints::service_id.eq(service)))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    set_menu(json!({"items": [
        { "name": "New request", "path": "/forms/intake", "permission": "task:approve" }
    ]}))
    .await;
    assert_eq!(submit(&app, &user_a, 1, &fine).await.status, 403);
    assert_eq!(submit(&app, &admin_a, 1, &fine).await.status, 200);
    assert_eq!(kept(&app).await.len(), 3);
}
