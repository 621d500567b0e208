//! The Task Manager's API: every caller against every endpoint (a tenant admin,
//! a user with `:own` scopes on their own and on others' tasks, another tenant, nobody),
//! validation by field after authorization, filters, sorting and paging, optimistic
//! concurrency, comments, and row-level security as the runtime role.
#![cfg(feature = "ssr")]

mod common;

use inti::domain::id::{TenantId, UserId};

use common::{
    callers::{Caller, Callers},
    TestApp,
};
use serde_json::{json, Value};

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let res = app.post_json("/api/v1/tasks", body, Some(token)).await;
    assert_eq!(res.status, 201, "{}", res.text());
    res.json()["data"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_caller_against_every_task_endpoint() {
    let app = TestApp::new().await;
    let callers = Callers::sign_in(&app).await;
    let admin_a = callers.token(Caller::AdminA).unwrap().to_string();
    let user_a = callers.token(Caller::UserA).unwrap().to_string();
    // The admin's task (not the user's own) and the user's own task.
    let theirs = create(&app, &admin_a, json!({"title": "Admin's task"})).await;
    let own = create(&app, &user_a, json!({"title": "User's task"})).await;
    assert_eq!(own["createdByName"], "Task Manager User");
    let (theirs_id, own_id) = (theirs["id"].as_str().unwrap(), own["id"].as_str().unwrap());

    use Caller::*;
    let get = |id: &str| format!("/api/v1/tasks/{id}");
    // (caller, method, path, body, status)
    let cases: Vec<(Caller, &str, String, Option<Value>, u16)> = vec![
        // Reading: everyone of A with task:read; another tenant and the core tenant see nothing.
        (AdminA, "GET", get(theirs_id), None, 200),
        (UserA, "GET", get(theirs_id), None, 200),
        (AdminB, "GET", get(theirs_id), None, 404),
        (SuperAdmin, "GET", get(theirs_id), None, 404),
        (Anonymous, "GET", get(theirs_id), None, 401),
        (
            AdminB,
            "GET",
            format!("{}/comments", get(theirs_id)),
            None,
            404,
        ),
        // Updating: task:update:own reaches only one's own task, whatever the body.
        (
            UserA,
            "PATCH",
            get(theirs_id),
            Some(json!({"version": 1, "title": "Mine now"})),
            403,
        ),
        (
            UserA,
            "PATCH",
            get(theirs_id),
            Some(json!({"garbage": true})),
            403,
        ),
        (
            AdminB,
            "PATCH",
            get(theirs_id),
            Some(json!({"version": 1, "title": "B was here"})),
            404,
        ),
        (
            Anonymous,
            "PATCH",
            get(theirs_id),
            Some(json!({"version": 1})),
            401,
        ),
        (
            UserA,
            "PATCH",
            get(own_id),
            Some(json!({"version": 1, "status": "IN_PROGRESS"})),
            200,
        ),
        // Deleting: the user holds no task:delete at all; B cannot reach A's task.
        (UserA, "DELETE", get(own_id), None, 403),
        (AdminB, "DELETE", get(theirs_id), None, 404),
        (Anonymous, "DELETE", get(theirs_id), None, 401),
        // Comments: anyone who may read the task.
        (
            UserA,
            "POST",
            format!("{}/comments", get(theirs_id)),
            Some(json!({"body": "On it"})),
            201,
        ),
        (
            AdminB,
            "POST",
            format!("{}/comments", get(theirs_id)),
            Some(json!({"body": "x"})),
            404,
        ),
        (
            Anonymous,
            "POST",
            format!("{}/comments", get(theirs_id)),
            Some(json!({"body": "x"})),
            401,
        ),
        // Creating: only where the tenant has the Task Manager (B and the core tenant do
        // not, whatever their permissions).
        (
            AdminB,
            "POST",
            "/api/v1/tasks".into(),
            Some(json!({"title": "B's task"})),
            404,
        ),
        (
            SuperAdmin,
            "POST",
            "/api/v1/tasks".into(),
            Some(json!({"title": "Core task"})),
            404,
        ),
        (AdminB, "GET", "/api/v1/tasks".into(), None, 404),
        (
            Anonymous,
            "POST",
            "/api/v1/tasks".into(),
            Some(json!({"title": "x"})),
            401,
        ),
        (AdminA, "DELETE", get(theirs_id), None, 200),
        (AdminA, "GET", get(theirs_id), None, 404),
    ];
    for (caller, method, path, body, status) in cases {
        let got = callers
            .status(&app, caller, method, &path, body.as_ref())
            .await;
        assert_eq!(got, status, "{caller:?} {method} {path} {body:?}");
    }
    // A's list holds A's tasks only; B's holds B's.
    let res = app.get("/api/v1/tasks", Some(&admin_a)).await;
    let titles: Vec<String> = res.json()["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["User's task"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_updates_of_one_version_one_wins_the_other_gets_the_current_task() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let task = create(&app, &admin, json!({"title": "Contended"})).await;
    let path = format!("/api/v1/tasks/{}", task["id"].as_str().unwrap());
    let (a, b) = tokio::join!(
        app.send(
            "PATCH",
            &path,
            Some(json!({"version": 1, "priority": "HIGH"})),
            &admin
        ),
        app.send(
            "PATCH",
            &path,
            Some(json!({"version": 1, "priority": "LOW"})),
            &admin
        ),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} / {}", a.text(), b.text());
    let (won, lost) = if a.status == 200 { (a, b) } else { (b, a) };
    let current = &lost.json()["error"]["details"]["current"];
    assert_eq!(current["version"], 2);
    assert_eq!(current["priority"], won.json()["data"]["priority"]);
    // The status change is audited beside the update.
    let res = app
        .send(
            "PATCH",
            &path,
            Some(json!({"version": 2, "status": "DONE"})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["version"], 3);
    let audit = app
        .get("/api/v1/audit?action=task.status_change", Some(&admin))
        .await;
    assert_eq!(audit.status, 200, "{}", audit.text());
    let items = audit.json()["data"]["items"].clone();
    assert_eq!(items[0]["details"]["to"], "DONE", "{items}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_names_its_field_and_changes_nothing() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let b_admin = app.login("admin@whatsapp.com").await["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for (body, field) in [
        (json!({}), "title"),
        (json!({"title": "   "}), "title"),
        (json!({"title": "x".repeat(201)}), "title"),
        (json!({"title": "T", "status": "SOMEDAY"}), "status"),
        (json!({"title": "T", "priority": 3}), "priority"),
        (json!({"title": "T", "dueDate": "tomorrow"}), "dueDate"),
        (json!({"title": "T", "labels": ["ok", ""]}), "labels[1]"),
        (json!({"title": "T", "assigneeId": "nobody"}), "assigneeId"),
        // A member of another tenant is not a member of this one.
        (json!({"title": "T", "assigneeId": b_admin}), "assigneeId"),
        (json!({"title": "T", "customFields": [1]}), "customFields"),
        (json!({"title": "T", "colour": "red"}), "colour"),
        // A struct read by position from an array is not what a client means.
        (json!(["T"]), "body"),
    ] {
        let res = app
            .post_json("/api/v1/tasks", body.clone(), Some(&admin))
            .await;
        assert_eq!(res.status, 422, "{body}: {}", res.text());
        assert_eq!(res.json()["error"]["details"]["field"], field, "{body}");
    }
    let res = app.get("/api/v1/tasks", Some(&admin)).await;
    assert_eq!(res.json()["data"]["total"], 0);
    let task = create(&app, &admin, json!({"title": "T"})).await;
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/tasks/{}", task["id"].as_str().unwrap()),
            Some(json!({"title": "U"})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "version");
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_filter_sort_and_page_on_the_server() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let me = app.login("user@taskmanager.com").await["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for (i, (status, priority, due)) in [
        ("TODO", "LOW", "2026-12-01"),
        ("TODO", "URGENT", "2026-12-05"),
        ("DONE", "HIGH", "2026-12-10"),
        ("IN_PROGRESS", "MEDIUM", "2026-12-15"),
        ("TODO", "HIGH", "2026-12-20"),
    ]
    .iter()
    .enumerate()
    {
        let mut body = json!({"title": format!("Task {i}"), "status": status, "priority": priority,
                              "dueDate": due, "labels": if i % 2 == 0 { json!(["garden"]) } else { json!([]) }});
        if i == 4 {
            body["assigneeId"] = json!(me);
            body["description"] = json!("Buy seeds for the garden");
        }
        create(&app, &admin, body).await;
    }
    let titles = async |query: &str| -> (Vec<String>, i64) {
        let res = app
            .get(&format!("/api/v1/tasks?{query}"), Some(&admin))
            .await;
        assert_eq!(res.status, 200, "{query}: {}", res.text());
        let data = res.json()["data"].clone();
        let t = data["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_string())
            .collect();
        (t, data["total"].as_i64().unwrap())
    };
    assert_eq!(
        titles("status=TODO&sort=title").await.0,
        ["Task 0", "Task 1", "Task 4"]
    );
    let by_priority = titles("sort=-priority").await.0;
    assert_eq!(by_priority[0], "Task 1", "URGENT first, not the alphabet");
    let mut high = by_priority[1..3].to_vec();
    high.sort();
    assert_eq!(high, ["Task 2", "Task 4"]);
    assert_eq!(by_priority[4], "Task 0", "LOW last");
    assert_eq!(
        titles("label=garden&sort=due").await.0,
        ["Task 0", "Task 2", "Task 4"]
    );
    assert_eq!(
        titles("dueBefore=2026-12-10&dueAfter=2026-12-01").await.0,
        ["Task 1"]
    );
    assert_eq!(titles(&format!("assignee={me}")).await.0, ["Task 4"]);
    assert_eq!(titles("search=SEEDS").await.0, ["Task 4"]);
    assert_eq!(titles("search=%25").await.1, 0, "% is text, not a wildcard");
    let (page, total) = titles("sort=title&perPage=2&page=2").await;
    assert_eq!(
        (page, total),
        (vec!["Task 2".to_string(), "Task 3".to_string()], 5)
    );
    // The user's "My Tasks": created by or assigned to them.
    let user = app.token("user@taskmanager.com").await;
    let res = app.get("/api/v1/tasks?mine=true", Some(&user)).await;
    assert_eq!(res.json()["data"]["items"][0]["title"], "Task 4");
    assert_eq!(res.json()["data"]["total"], 1);
    for (query, field) in [
        ("status=LATER", "status"),
        ("sort=colour", "sort"),
        ("dueBefore=soon", "dueBefore"),
        ("perPage=1000", "perPage"),
    ] {
        let res = app
            .get(&format!("/api/v1/tasks?{query}"), Some(&admin))
            .await;
        assert_eq!(res.status, 422, "{query}");
        assert_eq!(res.json()["error"]["details"]["field"], field, "{query}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn as_the_runtime_role_no_other_tenants_task_is_readable_or_writable() {
    use diesel::prelude::*;
    use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
    use inti::server::db::{
        schema::{task_comments, tasks},
        scope::{set_scope, Scope},
    };
    let app = TestApp::new().await;
    let mut owner = app.db.conn().await;
    let (a, b) = (
        app.id_of("tenants", "taskmanager").await,
        app.id_of("tenants", "whatsapp").await,
    );
    let mut ids = Vec::new();
    for t in [a, b] {
        let id: uuid::Uuid = diesel::insert_into(tasks::table)
            .values((tasks::tenant_id.eq(t), tasks::title.eq("Owned")))
            .returning(tasks::id)
            .get_result(&mut owner)
            .await
            .unwrap();
        ids.push(id);
    }
    let b_task = ids[1];
    let mut conn = AsyncPgConnection::establish(&common::app_url(&app.db))
        .await
        .unwrap();
    let admin_a = app.id_of("users", "admin@taskmanager.com").await;
    let scope_a = Scope::member(UserId(admin_a), TenantId(a));
    let run = async |c: &mut AsyncPgConnection, sql: String| {
        c.transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(c, scope_a).await?;
            diesel::sql_query(sql).execute(c).await
        })
        .await
    };
    let seen: Vec<uuid::Uuid> = conn
        .transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(c, scope_a).await?;
            tasks::table.select(tasks::tenant_id).load(c).await
        })
        .await
        .unwrap();
    assert_eq!(seen, vec![a]);
    // Its own, yes (the control); B's, never.
    assert_eq!(
        run(
            &mut conn,
            format!("UPDATE tasks SET title = 'x' WHERE tenant_id = '{a}'")
        )
        .await
        .unwrap(),
        1
    );
    assert_eq!(
        run(
            &mut conn,
            format!("UPDATE tasks SET title = 'x' WHERE id = '{b_task}'")
        )
        .await
        .unwrap(),
        0
    );
    assert_eq!(
        run(
            &mut conn,
            format!("DELETE FROM tasks WHERE id = '{b_task}'")
        )
        .await
        .unwrap(),
        0
    );
    assert!(run(
        &mut conn,
        format!("INSERT INTO tasks (tenant_id, title) VALUES ('{b}', 'x')")
    )
    .await
    .is_err());
    assert!(run(
        &mut conn,
        format!("UPDATE tasks SET tenant_id = '{b}' WHERE tenant_id = '{a}'")
    )
    .await
    .is_err());
    // Comments: on its own task as itself, yes (the control); on B's task, or as nobody, no.
    let a_task = ids[0];
    let comment = |tenant: uuid::Uuid, task: uuid::Uuid, author: &str| {
        format!(
            "INSERT INTO task_comments (tenant_id, task_id, author_id, body) \
             VALUES ('{tenant}', '{task}', {author}, 'x')"
        )
    };
    let me = format!("'{admin_a}'");
    assert_eq!(run(&mut conn, comment(a, a_task, &me)).await.unwrap(), 1);
    assert!(run(&mut conn, comment(b, b_task, &me)).await.is_err());
    assert!(run(&mut conn, comment(a, a_task, "NULL")).await.is_err());
    let b_rows: i64 = tasks::table
        .filter(tasks::tenant_id.eq(b))
        .filter(tasks::title.eq("Owned"))
        .count()
        .get_result(&mut owner)
        .await
        .unwrap();
    assert_eq!(b_rows, 1);
    let comments: i64 = task_comments::table
        .count()
        .get_result(&mut owner)
        .await
        .unwrap();
    assert_eq!(comments, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_with_own_scopes_reaches_only_their_own_tasks() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let id_of = async |email: &str| {
        app.login(email).await["user"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (user_id, admin_id) = (
        id_of("user@taskmanager.com").await,
        id_of("admin@taskmanager.com").await,
    );
    let theirs = create(&app, &admin, json!({"title": "Admin's own"})).await;
    let assigned = create(
        &app,
        &admin,
        json!({"title": "Assigned to the user", "assigneeId": user_id}),
    )
    .await;
    // The user keeps only `:own` scopes.
    let role = json!({"name": "OWN_ONLY", "description": "", "permissions":
        ["task:read:own", "task:create", "task:update:own", "task:delete:own"]});
    let res = app.post_json("/api/v1/roles", role, Some(&admin)).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/users/{user_id}"),
            Some(json!({"role": "OWN_ONLY"})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let user = app.token("user@taskmanager.com").await;
    let mine = create(&app, &user, json!({"title": "Created by the user"})).await;

    // The list: created by or assigned to them, nothing else.
    let res = app.get("/api/v1/tasks?sort=title", Some(&user)).await;
    let data = res.json()["data"].clone();
    let titles: Vec<&str> = data["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Assigned to the user", "Created by the user"]);
    assert_eq!(data["total"], 2);

    let path = |t: &Value| format!("/api/v1/tasks/{}", t["id"].as_str().unwrap());
    // Another's task does not exist for them, whatever they try.
    let patch = |version: i32, body: Value| {
        let mut body = body;
        body["version"] = json!(version);
        Some(body)
    };
    assert_eq!(app.get(&path(&theirs), Some(&user)).await.status, 404);
    let comments = format!("{}/comments", path(&theirs));
    assert_eq!(app.get(&comments, Some(&user)).await.status, 404);
    let res = app
        .send(
            "PATCH",
            &path(&theirs),
            patch(1, json!({"title": "x"})),
            &user,
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(
        app.send("DELETE", &path(&theirs), None, &user).await.status,
        404
    );
    // An assignee works on the task but does not hand it on; its creator does.
    let res = app
        .send(
            "PATCH",
            &path(&assigned),
            patch(1, json!({"status": "IN_PROGRESS"})),
            &user,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = app
        .send(
            "PATCH",
            &path(&assigned),
            patch(2, json!({"assigneeId": admin_id})),
            &user,
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.text());
    let res = app
        .send(
            "PATCH",
            &path(&mine),
            patch(1, json!({"assigneeId": admin_id})),
            &user,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    // Still theirs (they created it): readable, deletable.
    assert_eq!(app.get(&path(&mine), Some(&user)).await.status, 200);
    assert_eq!(
        app.send("DELETE", &path(&mine), None, &user).await.status,
        200
    );
    assert_eq!(app.get(&path(&mine), Some(&admin)).await.status, 404);

    // Null clears: unassign and drop the due date; an empty title is refused.
    let res = app
        .send(
            "PATCH",
            &path(&assigned),
            patch(2, json!({"dueDate": "2026-12-24"})),
            &admin,
        )
        .await;
    assert_eq!(
        res.json()["data"]["dueDate"],
        "2026-12-24",
        "{}",
        res.text()
    );
    let res = app
        .send(
            "PATCH",
            &path(&assigned),
            patch(3, json!({"assigneeId": null, "dueDate": null})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["assigneeId"], Value::Null);
    assert_eq!(res.json()["data"]["dueDate"], Value::Null);
    let res = app
        .send(
            "PATCH",
            &path(&assigned),
            patch(4, json!({"title": "  "})),
            &admin,
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "title");
}
