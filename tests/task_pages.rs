//! The Task Manager as its pages use it. Its form (registered with the service,
//! editable in the form builder) creates tasks and edits them through `forms_submit`, a
//! field added in the builder lands in `customFields`; the page, board, move, comment and
//! delete server functions answer each caller as the REST API does.
#![cfg(feature = "ssr")]

mod common;

use common::TestApp;
use serde_json::{json, Value};

fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// A post of the task form: `values` by field path; `record`: (id, version) to edit.
async fn submit(
    app: &TestApp,
    cookie: &str,
    version: i32,
    record: Option<(&str, i32)>,
    values: &[(&str, &str)],
) -> common::Response {
    let version = version.to_string();
    let mut pairs: Vec<(String, String)> = vec![
        ("service".into(), "task-manager".into()),
        ("version".into(), version),
    ];
    if let Some((id, v)) = record {
        pairs.push(("record".into(), id.into()));
        pairs.push(("record_version".into(), v.to_string()));
    }
    for (k, v) in values {
        pairs.push((format!("values[{k}]"), (*v).into()));
    }
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    app.server_fn("forms_submit", &body, Some(cookie)).await
}

async fn task(app: &TestApp, token: &str, id: &str) -> Value {
    let res = app.get(&format!("/api/v1/tasks/{id}"), Some(token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["data"].clone()
}

async fn count(app: &TestApp, token: &str) -> i64 {
    let res = app.get("/api/v1/tasks", Some(token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["data"]["total"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_task_form_creates_tasks_keeps_added_fields_and_edits_them() {
    let app = TestApp::new().await;
    let user = app.browser_login("user@taskmanager.com").await;
    let token = app.token("user@taskmanager.com").await;

    // The registered task form, version 1.
    let res = app
        .server_fn("forms_load", "service=task-manager", Some(&user))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let view = res.json();
    assert_eq!(view["version"], 1);
    let names: Vec<&str> = view["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "title",
            "description",
            "status",
            "priority",
            "dueDate",
            "labels"
        ]
    );
    assert_eq!(view["blocked"], Value::Null);

    // A post without a title is refused at its field, and creates nothing.
    let res = submit(&app, &user, 1, None, &[("priority", "HIGH")]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["errors"][0]["path"], "title", "{}", res.text());
    assert_eq!(count(&app, &token).await, 0);

    let res = submit(
        &app,
        &user,
        1,
        None,
        &[
            ("title", "Water the plants"),
            ("priority", "HIGH"),
            ("dueDate", "2027-03-01"),
            ("labels.0", "garden"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let answer = res.json();
    assert_eq!(answer["errors"], json!([]), "{answer}");
    assert_eq!(answer["message"], "Task \"Water the plants\" created.");
    let id = answer["reference"].as_str().unwrap().to_string();
    let created = task(&app, &token, &id).await;
    assert_eq!(created["priority"], "HIGH");
    assert_eq!(created["status"], "TODO");
    assert_eq!(created["dueDate"], "2027-03-01");
    assert_eq!(created["labels"], json!(["garden"]));
    assert_eq!(created["createdByName"], "Task Manager User");

    // A super admin adds a field in the form builder: it shows on the task form, and what
    // is entered there is kept in the task's customFields.
    let admin = app.browser_login("superadmin@core.com").await;
    let mut schema = view["schema"].clone();
    schema["fields"].as_array_mut().unwrap().push(
        json!({"name": "budget", "type": "integer", "label": "Budget", "validation": {"min": 0}}),
    );
    let body = form(&[
        ("service", "task-manager"),
        ("base_version", "1"),
        ("schema", &schema.to_string()),
        ("note", "Budget"),
    ]);
    let res = app.server_fn("forms_save", &body, Some(&admin)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    // A form the handler could not read is refused at its path, and not saved.
    let mut untitled = schema.clone();
    untitled["fields"].as_array_mut().unwrap().remove(0);
    let body = form(&[
        ("service", "task-manager"),
        ("base_version", "2"),
        ("schema", &untitled.to_string()),
    ]);
    let res = app.server_fn("forms_save", &body, Some(&admin)).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(
        res.json()["Validation"]["field"],
        "schema.fields",
        "{}",
        res.text()
    );
    let res = submit(
        &app,
        &user,
        2,
        None,
        &[("title", "Buy pots"), ("budget", "-1")],
    )
    .await;
    assert_eq!(res.json()["errors"][0]["path"], "budget", "{}", res.text());
    let res = submit(
        &app,
        &user,
        2,
        None,
        &[("title", "Buy pots"), ("budget", "12")],
    )
    .await;
    let pots = res.json()["reference"].as_str().unwrap().to_string();
    assert_eq!(
        task(&app, &token, &pots).await["customFields"],
        json!({"budget": 12})
    );

    // The task's page: its edit form starts from the task.
    let res = app
        .server_fn("tasks_page", &format!("id={id}"), Some(&user))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let page = res.json();
    assert_eq!(page["task"]["title"], "Water the plants");
    assert_eq!(page["form"]["initial"]["title"], "Water the plants");
    assert_eq!(page["form"]["initial"]["priority"], "HIGH");
    assert_eq!(page["form"]["blocked"], Value::Null);
    assert_eq!(page["mayDelete"], false);
    // The creator may hand the task on: the tenant's active members are offered.
    let offered: Vec<&str> = page["assignees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(offered.contains(&"Task Manager Admin"), "{offered:?}");
    assert!(offered.contains(&"Task Manager User"), "{offered:?}");
    let admin_id = app.id_of("users", "admin@taskmanager.com").await;
    let res = app
        .server_fn(
            "tasks_assign",
            &format!("id={id}&version=1&assignee={admin_id}"),
            Some(&user),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["assigneeName"], "Task Manager Admin");
    // The version moved on: the edit below reads version 2, the stale one version 1.

    // Editing: what the form leaves empty is cleared, the rest changes; version 2.
    let res = submit(
        &app,
        &user,
        2,
        Some((&id, 2)),
        &[
            ("title", "Water the plants daily"),
            ("status", "DONE"),
            ("budget", "3"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["message"], "Task saved (version 3).");
    let edited = task(&app, &token, &id).await;
    assert_eq!(edited["title"], "Water the plants daily");
    assert_eq!(edited["status"], "DONE");
    assert_eq!(edited["dueDate"], Value::Null);
    assert_eq!(edited["labels"], json!([]));
    assert_eq!(edited["customFields"], json!({"budget": 3}));
    assert_eq!(edited["version"], 3);
    // The edit form has no assignee field: the assignment stays.
    assert_eq!(edited["assigneeName"], "Task Manager Admin");

    // The same edit from the version read before: 409, nothing changes.
    let res = submit(&app, &user, 2, Some((&id, 2)), &[("title", "Stale")]).await;
    assert_eq!(res.status, 409, "{}", res.text());
    assert_eq!(
        task(&app, &token, &id).await["title"],
        "Water the plants daily"
    );

    // Another tenant's admin: no such service, no such task.
    let other = app.browser_login("admin@whatsapp.com").await;
    let res = submit(&app, &other, 2, Some((&id, 3)), &[("title", "Taken")]).await;
    assert_eq!(res.status, 404, "{}", res.text());
    // The user's `task:update:own` does not reach the admin's task, whatever the body.
    let admin_a = app.token("admin@taskmanager.com").await;
    let res = app
        .post_json("/api/v1/tasks", json!({"title": "Admin's"}), Some(&admin_a))
        .await;
    let theirs = res.json()["data"]["id"].as_str().unwrap().to_string();
    let res = submit(&app, &user, 2, Some((&theirs, 1)), &[("title", "Mine now")]).await;
    assert_eq!(res.status, 403, "{}", res.text());
    let res = submit(&app, &user, 2, Some(("not-an-id", 1)), &[]).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(task(&app, &admin_a, &theirs).await["version"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pages_server_functions_answer_each_caller_like_the_api() {
    let app = TestApp::new().await;
    // The other tenant has the Task Manager too (its admin holds task:*): what keeps the
    // first tenant's tasks from it is the tenant, not a missing service.
    let root = app.token("superadmin@core.com").await;
    let (service, whatsapp) = (
        app.id_of("services", "task-manager").await,
        app.id_of("tenants", "whatsapp").await,
    );
    let path = format!("/api/v1/core/services/{service}/tenants/{whatsapp}");
    let res = app
        .send("PUT", &path, Some(json!({"status": "ACTIVE"})), &root)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let user = app.browser_login("user@taskmanager.com").await;
    let admin = app.browser_login("admin@taskmanager.com").await;
    let other = app.browser_login("admin@whatsapp.com").await;
    let admin_token = app.token("admin@taskmanager.com").await;
    let user_token = app.token("user@taskmanager.com").await;
    let theirs = app
        .post_json(
            "/api/v1/tasks",
            json!({"title": "Admin's", "priority": "URGENT"}),
            Some(&admin_token),
        )
        .await
        .json()["data"]
        .clone();
    let own = app
        .post_json("/api/v1/tasks", json!({"title": "Mine"}), Some(&user_token))
        .await
        .json()["data"]
        .clone();
    // Given to the user by the admin: the user works on it, but does not hand it on.
    let user_id = app.id_of("users", "user@taskmanager.com").await;
    let given = app
        .post_json(
            "/api/v1/tasks",
            json!({"title": "Given", "priority": "LOW", "assigneeId": user_id}),
            Some(&admin_token),
        )
        .await
        .json()["data"]
        .clone();
    let given_id = given["id"].as_str().unwrap();
    let (theirs_id, own_id) = (theirs["id"].as_str().unwrap(), own["id"].as_str().unwrap());

    // (server function, body, cookie, status)
    let cases: Vec<(&str, String, Option<&str>, u16)> = vec![
        ("tasks_page", format!("id={own_id}"), Some(&user), 200),
        ("tasks_page", format!("id={theirs_id}"), Some(&other), 404),
        ("tasks_page", "id=nonsense".into(), Some(&user), 404),
        ("tasks_page", format!("id={own_id}"), None, 401),
        ("tasks_board", String::new(), None, 401),
        // Moves: the user's own task only, at the version read; a bad status names its field.
        (
            "tasks_move",
            format!("id={theirs_id}&version=1&status=DONE"),
            Some(&user),
            403,
        ),
        (
            "tasks_move",
            format!("id={theirs_id}&version=1&status=DONE"),
            Some(&other),
            404,
        ),
        (
            "tasks_move",
            format!("id={own_id}&version=1&status=LATER"),
            Some(&user),
            422,
        ),
        (
            "tasks_move",
            format!("id={own_id}&version=1&status=IN_PROGRESS"),
            Some(&user),
            200,
        ),
        (
            "tasks_move",
            format!("id={own_id}&version=1&status=DONE"),
            Some(&user),
            409,
        ),
        // Comments: anyone who may read the task; nobody of another tenant.
        // Assigning: the creator (the user's own task), not the user on the admin's task.
        (
            "tasks_assign",
            format!("id={theirs_id}&version=1&assignee={user_id}"),
            Some(&user),
            403,
        ),
        (
            "tasks_assign",
            format!("id={given_id}&version=1&assignee="),
            Some(&user),
            403,
        ),
        (
            "tasks_assign",
            format!("id={given_id}&version=x&assignee="),
            Some(&other),
            404,
        ),
        (
            "tasks_move",
            format!("id={given_id}&version=1&status=IN_PROGRESS"),
            Some(&user),
            200,
        ),
        (
            "tasks_assign",
            format!("id={theirs_id}&version=1&assignee="),
            Some(&other),
            404,
        ),
        (
            "tasks_assign",
            format!("id={own_id}&version=2&assignee=nobody"),
            Some(&user),
            422,
        ),
        (
            "tasks_comment",
            format!("id={theirs_id}&body=Looks+good"),
            Some(&user),
            200,
        ),
        (
            "tasks_comment",
            format!("id={theirs_id}&body=Mine"),
            Some(&other),
            404,
        ),
        (
            "tasks_comment",
            format!("id={theirs_id}&body=+"),
            Some(&user),
            422,
        ),
        // Deletes: task:delete (the admin's task:*); the user holds none.
        ("tasks_delete", format!("id={own_id}"), Some(&user), 403),
        ("tasks_delete", format!("id={own_id}"), Some(&other), 404),
        ("tasks_delete", format!("id={own_id}"), Some(&admin), 200),
        ("tasks_page", format!("id={own_id}"), Some(&admin), 404),
    ];
    for (name, body, cookie, status) in cases {
        let res = app.server_fn(name, &body, cookie).await;
        assert_eq!(res.status, status, "{name} {body}: {}", res.text());
    }
    // The assignee's page offers no one to hand it to; the other tenant sees none of A's.
    let page = app
        .server_fn("tasks_page", &format!("id={given_id}"), Some(&user))
        .await
        .json();
    assert_eq!(page["assignees"], Value::Null, "{page}");
    assert_eq!(page["form"]["blocked"], Value::Null);
    let theirs_page = app
        .server_fn("tasks_page", &format!("id={theirs_id}"), Some(&user))
        .await
        .json();
    assert_eq!(
        theirs_page["form"]["blocked"],
        "You may not change this task."
    );
    for name in ["tasks_board", "tasks_list"] {
        let res = app.server_fn(name, "", Some(&other)).await;
        assert_eq!(res.status, 200, "{name}: {}", res.text());
        assert!(!res.text().contains("Admin's"), "{name}: {}", res.text());
    }

    // The board: a column per status, the user's move in its new column, highest priority
    // first; the admin's urgent task is on top of To do.
    let res = app.server_fn("tasks_board", "", Some(&admin)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let columns = res.json();
    let statuses: Vec<&str> = columns
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["TODO", "IN_PROGRESS", "DONE", "CANCELLED"]);
    let titles = |c: &Value| -> Vec<String> {
        c["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(titles(&columns[0]), ["Admin's"]);
    // The deleted task is gone; the moved one is in progress.
    assert_eq!(titles(&columns[1]), ["Given"]);
    assert_eq!(columns[1]["total"], 1);
    for (title, priority) in [("Later", "LOW"), ("Now", "HIGH")] {
        let res = app
            .post_json(
                "/api/v1/tasks",
                json!({"title": title, "priority": priority}),
                Some(&admin_token),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text());
    }
    let columns = app.server_fn("tasks_board", "", Some(&admin)).await.json();
    assert_eq!(
        titles(&columns[0]),
        ["Admin's", "Now", "Later"],
        "highest priority first"
    );

    // The comment shows on the task's page, with its author.
    let res = app
        .server_fn("tasks_page", &format!("id={theirs_id}"), Some(&admin))
        .await;
    let page = res.json();
    assert_eq!(page["comments"][0]["body"], "Looks good");
    assert_eq!(page["comments"][0]["authorName"], "Task Manager User");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_super_admin_registers_the_task_manager_unassigned_once() {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use inti::server::{
        db::schema::{role_permissions, roles, services, tenant_service_assignments},
        secret::Secret,
        services::users,
        startup,
    };
    // A production install: migrated, nothing seeded.
    let db = common::TestDb::migrated().await;
    let state = startup::connect(common::settings_for(&db)).await.unwrap();
    for _ in 0..2 {
        users::create_superadmin(
            &state,
            "root@example.com",
            "Root",
            &Secret::new("a-long-root-password"),
        )
        .await
        .unwrap();
    }
    let mut conn = db.conn().await;
    let registered: Vec<(String, String, i32)> = services::table
        .select((
            services::name,
            services::service_type,
            services::form_version,
        ))
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        registered,
        [("task-manager".to_string(), "INTERNAL".to_string(), 1)]
    );
    let assigned: i64 = tenant_service_assignments::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(assigned, 0, "a super admin assigns it to tenants");
    let granted: Vec<(String, String)> = role_permissions::table
        .inner_join(roles::table)
        .filter(role_permissions::permission.like("task:%"))
        .select((roles::name, role_permissions::permission))
        .order((roles::name, role_permissions::permission))
        .load(&mut conn)
        .await
        .unwrap();
    let granted: Vec<(&str, &str)> = granted
        .iter()
        .map(|(r, p)| (r.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        granted,
        [
            ("TENANT_ADMIN", "task:*"),
            ("USER", "task:create"),
            ("USER", "task:read"),
            ("USER", "task:update:own"),
        ]
    );
}
