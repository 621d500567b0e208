//! Text from people or services stays text wherever the renderer writes it unescaped:
//! `<textarea>` content and the head's `<title>`. Each page that shows such a value is
//! rendered on the server with a hostile one, and its markup must stay text (escaped once,
//! never twice).
#![cfg(feature = "ssr")]

mod common;

use axum::{body::Body, http::Request};
use common::TestApp;
use serde_json::json;

const TEXTAREA: &str = "</textarea><b id=x>";
const TITLE: &str = "</title><b id=t>";
const SCRIPT: &str = "</script><b id=s>";

async fn page(app: &TestApp, path: &str, cookie: &str) -> String {
    let req = Request::get(path)
        .header("accept", "text/html")
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap();
    let res = app.request(req).await;
    assert_eq!(res.status, 200, "{path}: {}", res.text());
    res.text()
}

/// No hostile markup became an element; the hostile text is there, escaped exactly once.
fn assert_stays_text(html: &str, path: &str) {
    for element in ["<b id=x>", "<b id=t>", "<b id=s>"] {
        assert!(
            !html.contains(element),
            "{path} rendered {element} as markup"
        );
    }
    assert!(!html.contains("&amp;lt;"), "{path} escaped twice");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_task_page_keeps_a_hostile_title_and_description_as_text() {
    let app = TestApp::new().await;
    let user = app.token("user@taskmanager.com").await;
    let res = app
        .post_json(
            "/api/v1/tasks",
            json!({"title": TITLE, "description": format!("{TEXTAREA} {SCRIPT}")}),
            Some(&user),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["data"]["id"].as_str().unwrap().to_string();
    let admin = app.browser_login("admin@taskmanager.com").await;
    let path = format!("/tasks/{id}");
    let html = page(&app, &path, &admin).await;
    assert_stays_text(&html, &path);
    assert!(
        html.contains("<title>&lt;/title&gt;&lt;b id=t&gt; · Inti</title>"),
        "the title, escaped once"
    );
    assert!(
        html.contains("&lt;/textarea&gt;&lt;b id=x&gt;"),
        "the description, escaped once"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn service_pages_forms_and_the_builder_keep_hostile_text_as_text() {
    let app = TestApp::new().await;
    let root = app.token("superadmin@core.com").await;
    let field = |name: &str, default: &str| json!({"name": name, "type": "textarea", "label": "Note", "default": default});
    let res = app
        .post_json(
            "/api/v1/core/services/register",
            json!({
                "name": "hostile-notes",
                "displayName": format!("Notes {TITLE}"),
                "description": format!("{TEXTAREA} {SCRIPT}"),
                "type": "INTERNAL",
                "formSchema": {"fields": [field("note", TEXTAREA), field("other", SCRIPT)]},
                "menuSchema": {"items": [{"name": format!("Write {TEXTAREA}"), "path": "/forms/hostile-notes", "icon": "add"}]}
            }),
            Some(&root),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["data"]["id"].as_str().unwrap().to_string();
    let core = app.id_of("tenants", "core").await;
    let res = app
        .send(
            "PUT",
            &format!("/api/v1/core/services/{id}/tenants/{core}"),
            Some(json!({})),
            &root,
        )
        .await;
    assert!(res.status < 300, "{}", res.text());

    let cookie = app.browser_login("superadmin@core.com").await;
    for path in [
        format!("/admin/services/{id}"),
        format!("/admin/services/{id}?tab=schemas"),
        "/forms/hostile-notes".to_string(),
        "/admin/forms/hostile-notes".to_string(),
    ] {
        let html = page(&app, &path, &cookie).await;
        assert_stays_text(&html, &path);
        assert!(html.contains("&lt;/"), "{path} shows the text");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tenant_settings_page_keeps_hostile_settings_as_text() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let res = app
        .send(
            "PATCH",
            "/api/v1/tenant",
            Some(json!({ "settings": { "note": format!("{TEXTAREA} {SCRIPT}") } })),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let cookie = app.browser_login("admin@taskmanager.com").await;
    let html = page(&app, "/admin/tenant", &cookie).await;
    assert_stays_text(&html, "/admin/tenant");
    assert!(
        html.contains("&lt;/textarea&gt;&lt;b id=x&gt;"),
        "the settings, escaped once"
    );
}
