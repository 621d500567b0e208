//! Notifications: stored with the change that causes them, visible to their person only, in
//! the tenant they happened in; marked read; kinds turned off or sent by mail; and delivered
//! live over server-sent events, across nodes, with replay after `Last-Event-ID`.
#![cfg(feature = "ssr")]

mod common;

use std::time::Duration;

use axum::{
    body::Body,
    http::{Request, Response},
};
use common::TestApp;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn assign(app: &TestApp, by: &str, title: &str, to: uuid::Uuid) -> String {
    let res = app
        .post_json(
            "/api/v1/tasks",
            json!({ "title": title, "assigneeId": to, "priority": "HIGH" }),
            Some(by),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    res.json()["data"]["id"].as_str().unwrap().to_string()
}

async fn inbox(app: &TestApp, token: &str) -> Vec<Value> {
    let res = app.get("/api/v1/notifications", Some(token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["data"]["items"].as_array().unwrap().clone()
}

async fn unread(app: &TestApp, token: &str) -> i64 {
    let res = app.get("/api/v1/notifications/unread", Some(token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["data"]["unread"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_assignment_notifies_the_assignee_alone_who_marks_it_read() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let user = app.token("user@taskmanager.com").await;
    let other_tenant = app.token("admin@whatsapp.com").await;
    let user_id = app.id_of("users", "user@taskmanager.com").await;
    let admin_id = app.id_of("users", "admin@taskmanager.com").await;

    let task = assign(&app, &admin, "Call the supplier", user_id).await;
    // Assigning oneself tells nobody.
    assign(&app, &admin, "My own errand", admin_id).await;

    let items = inbox(&app, &user).await;
    assert_eq!(items.len(), 1, "{items:?}");
    let n = &items[0];
    assert_eq!(n["kind"], "TASK_ASSIGNED");
    assert_eq!(n["title"], "Assigned to you: Call the supplier");
    assert_eq!(n["link"], format!("/tasks/{task}"));
    assert_eq!(n["read"], false);
    assert_eq!(unread(&app, &user).await, 1);
    assert!(inbox(&app, &admin).await.is_empty());
    assert!(inbox(&app, &other_tenant).await.is_empty());

    // Only its person marks it read; to anyone else it does not exist.
    let id = n["id"].as_i64().unwrap();
    let path = format!("/api/v1/notifications/{id}/read");
    for token in [&admin, &other_tenant] {
        let res = app.send("POST", &path, None, token).await;
        assert_eq!(res.status, 404, "{}", res.text());
    }
    assert_eq!(unread(&app, &user).await, 1);
    let res = app.send("POST", &path, None, &user).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["read"], true);
    assert_eq!(unread(&app, &user).await, 0);
    let res = app
        .send(
            "POST",
            "/api/v1/notifications/not-a-number/read",
            None,
            &user,
        )
        .await;
    assert_eq!(res.status, 404);

    // Reassigning tells the new assignee; read-all clears the count.
    assign(&app, &admin, "Second", user_id).await;
    assign(&app, &admin, "Third", user_id).await;
    assert_eq!(unread(&app, &user).await, 2);
    let res = app
        .get("/api/v1/notifications?unread=true&perPage=1", Some(&user))
        .await;
    assert_eq!(res.json()["data"]["total"], 2);
    assert_eq!(
        res.json()["data"]["items"][0]["title"],
        "Assigned to you: Third"
    );
    let res = app
        .send("POST", "/api/v1/notifications/read-all", None, &user)
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["unread"], 0);
    assert_eq!(inbox(&app, &user).await.len(), 3);

    // Without a token: 401.
    assert_eq!(app.get("/api/v1/notifications", None).await.status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn comments_and_role_changes_notify_the_people_concerned() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let user = app.token("user@taskmanager.com").await;
    let user_id = app.id_of("users", "user@taskmanager.com").await;
    let task = assign(&app, &admin, "Quarterly report", user_id).await;

    // The assignee comments: the creator hears of it, the writer does not.
    let res = app
        .send(
            "POST",
            &format!("/api/v1/tasks/{task}/comments"),
            Some(json!({ "body": "Draft is ready" })),
            &user,
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let items = inbox(&app, &admin).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["kind"], "TASK_COMMENT");
    assert_eq!(items[0]["body"], "Draft is ready");
    assert_eq!(inbox(&app, &user).await.len(), 1, "only the assignment");

    // A role change tells the member; the same role again tells nobody.
    for role in ["TENANT_ADMIN", "tenant_admin"] {
        let res = app
            .send(
                "PATCH",
                &format!("/api/v1/users/{user_id}"),
                Some(json!({ "role": role })),
                &admin,
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text());
    }
    let user = app.token("user@taskmanager.com").await;
    let items = inbox(&app, &user).await;
    let roles: Vec<&Value> = items
        .iter()
        .filter(|n| n["kind"] == "ROLE_CHANGED")
        .collect();
    assert_eq!(roles.len(), 1, "{items:?}");
    assert_eq!(roles[0]["title"], "Your role is now TENANT_ADMIN");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_turns_a_kind_off_or_to_mail_and_bad_choices_change_nothing() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let user = app.token("user@taskmanager.com").await;
    let user_id = app.id_of("users", "user@taskmanager.com").await;

    let res = app
        .get("/api/v1/notifications/preferences", Some(&user))
        .await;
    assert_eq!(res.status, 200);
    let all = res.json()["data"].as_array().unwrap().clone();
    assert_eq!(all.len(), 7);
    assert!(all.iter().all(|p| p["channel"] == "APP"));

    let set = |body: Value| {
        app.send(
            "PUT",
            "/api/v1/notifications/preferences",
            Some(body),
            &user,
        )
    };
    for (body, field) in [
        (
            json!({ "preferences": [{ "kind": "NOPE", "channel": "OFF" }] }),
            "preferences[0].kind",
        ),
        (
            json!({ "preferences": [{ "kind": "TASK_ASSIGNED", "channel": "SMS" }] }),
            "preferences[0].channel",
        ),
        (json!({ "channels": {} }), "channels"),
        // The invitation comes by mail anyway; the choice is the bell or nothing.
        (
            json!({ "preferences": [{ "kind": "TASK_ASSIGNED", "channel": "OFF" },
                                    { "kind": "INVITATION", "channel": "EMAIL" }] }),
            "preferences[1].channel",
        ),
    ] {
        let res = set(body).await;
        assert_eq!(res.status, 422, "{}", res.text());
        assert_eq!(
            res.json()["error"]["details"]["field"],
            field,
            "{}",
            res.text()
        );
    }

    let res = set(json!({ "preferences": [{ "kind": "TASK_ASSIGNED", "channel": "OFF" }] })).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assign(&app, &admin, "Unheard", user_id).await;
    assert!(inbox(&app, &user).await.is_empty());

    let res =
        set(json!({ "preferences": [{ "kind": "TASK_ASSIGNED", "channel": "EMAIL" }] })).await;
    assert_eq!(res.status, 200);
    let task = assign(&app, &admin, "Mailed", user_id).await;
    assert_eq!(inbox(&app, &user).await.len(), 1, "in the app as well");
    let mail = app
        .newest_mail("user@taskmanager.com", "NOTIFICATION")
        .await;
    assert!(mail.contains("Priority high"), "{mail}");
    assert!(mail.contains(&format!("/tasks/{task}")), "{mail}");

    // Another person's choices are their own.
    let res = app
        .get("/api/v1/notifications/preferences", Some(&admin))
        .await;
    assert!(res.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["channel"] == "APP"));
}

/// Opens a stream with the router itself (the body arrives as it is written).
async fn open(app: &TestApp, token: &str, last_event_id: Option<i64>) -> Response<Body> {
    let mut req = Request::get("/api/v1/notifications/stream")
        .header("authorization", format!("Bearer {token}"));
    if let Some(id) = last_event_id {
        req = req.header("last-event-id", id.to_string());
    }
    app.router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

/// The next event of a stream (skipping heartbeats): (name, id, data).
async fn next_event(body: &mut Body, buffer: &mut String) -> (String, Option<String>, Value) {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let (mut name, mut id, mut data) = (String::new(), None, Value::Null);
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event: ") {
                    name = v.to_string();
                } else if let Some(v) = line.strip_prefix("id: ") {
                    id = Some(v.to_string());
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = serde_json::from_str(v).unwrap();
                }
            }
            if !name.is_empty() {
                return (name, id, data);
            }
            continue;
        }
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("an event within 5 s")
            .expect("the stream is open")
            .unwrap();
        if let Ok(bytes) = frame.into_data() {
            buffer.push_str(std::str::from_utf8(&bytes).unwrap());
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_stream_delivers_live_across_nodes_replays_after_last_event_id_and_is_bounded() {
    let a = TestApp::new().await;
    let b = a.another_node().await;
    let admin = a.token("admin@taskmanager.com").await;
    let user = a.token("user@taskmanager.com").await;
    let user_id = a.id_of("users", "user@taskmanager.com").await;

    let res = open(&a, &user, None).await;
    assert_eq!(res.status(), 200);
    assert!(res
        .headers()
        .get("content-type")
        .is_some_and(|t| t.to_str().unwrap().starts_with("text/event-stream")));
    let mut body = res.into_body();
    let mut buffer = String::new();
    let (name, _, data) = next_event(&mut body, &mut buffer).await;
    assert_eq!((name.as_str(), &data), ("unread", &json!({ "unread": 0 })));

    // Stored on the other node: this node's stream hears of it at once.
    let task = assign(&b, &admin, "Live one", user_id).await;
    let (name, id, data) = next_event(&mut body, &mut buffer).await;
    assert_eq!(name, "notification");
    assert_eq!(data["link"], format!("/tasks/{task}"));
    let first_id = id.unwrap().parse::<i64>().unwrap();
    assert_eq!(data["id"], first_id);
    let (name, _, data) = next_event(&mut body, &mut buffer).await;
    assert_eq!((name.as_str(), &data), ("unread", &json!({ "unread": 1 })));

    assign(&a, &admin, "Second live", user_id).await;
    let (name, _, data) = next_event(&mut body, &mut buffer).await;
    assert_eq!(name, "notification");
    assert_eq!(data["title"], "Assigned to you: Second live");
    let (name, _, data) = next_event(&mut body, &mut buffer).await;
    assert_eq!((name.as_str(), &data), ("unread", &json!({ "unread": 2 })));

    // Reconnecting after the first: the second is sent again first, then the count.
    let res = open(&b, &user, Some(first_id)).await;
    let mut replay = res.into_body();
    let mut replay_buffer = String::new();
    let (name, _, data) = next_event(&mut replay, &mut replay_buffer).await;
    assert_eq!(name, "notification");
    assert_eq!(data["title"], "Assigned to you: Second live");
    let (name, _, data) = next_event(&mut replay, &mut replay_buffer).await;
    assert_eq!((name.as_str(), &data), ("unread", &json!({ "unread": 2 })));

    // Reading on one node changes the count on every stream.
    let res = a
        .send("POST", "/api/v1/notifications/read-all", None, &user)
        .await;
    assert_eq!(res.status, 200);
    let (name, _, data) = next_event(&mut body, &mut buffer).await;
    assert_eq!((name.as_str(), &data), ("unread", &json!({ "unread": 0 })));

    // A bounded number per person and node: 1 open here, 7 more fit, the next is refused.
    let mut held = Vec::new();
    for _ in 0..7 {
        let res = open(&a, &user, None).await;
        assert_eq!(res.status(), 200);
        held.push(res);
    }
    let res = open(&a, &user, None).await;
    assert_eq!(res.status(), 429);
    drop(held);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(open(&a, &user, None).await.status(), 200);

    // The browser's pages use their session; another site cannot make the browser read it.
    let cookie = a.browser_login("user@taskmanager.com").await;
    let by_cookie = |site: &str| {
        Request::get("/api/v1/notifications/stream")
            .header("cookie", &cookie)
            .header("sec-fetch-site", site)
            .body(Body::empty())
            .unwrap()
    };
    let res = a
        .router
        .clone()
        .oneshot(by_cookie("same-origin"))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    drop(res);
    let res = a
        .router
        .clone()
        .oneshot(by_cookie("cross-site"))
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // Elsewhere under /api/v1 the session is no credential.
    let res = a
        .router
        .clone()
        .oneshot(
            Request::get("/api/v1/notifications")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), 401);

    // No stream without a token or session.
    let res = a
        .router
        .clone()
        .oneshot(
            Request::get("/api/v1/notifications/stream")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn access_ending_within_a_week_and_within_a_day_is_told_once_each() {
    use inti::server::services::notifications::tell_access_ending;
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let user_id = app.id_of("users", "user@taskmanager.com").await;
    let path = format!("/api/v1/users/{user_id}");
    let expire_in = |hours: i64| {
        let at = chrono::Utc::now() + chrono::Duration::hours(hours);
        app.send("PATCH", &path, Some(json!({ "expiresAt": at })), &admin)
    };
    assert_eq!(tell_access_ending(&app.state).await.unwrap(), 0);
    let res = expire_in(3 * 24).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(tell_access_ending(&app.state).await.unwrap(), 1);
    assert_eq!(
        tell_access_ending(&app.state).await.unwrap(),
        0,
        "once per window"
    );
    let user = app.token("user@taskmanager.com").await;
    let items = inbox(&app, &user).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["kind"], "ACCESS_ENDING");
    assert_eq!(
        items[0]["title"],
        "Your access to Task Manager ends in 3 days"
    );

    // Within a day: told again, once.
    let res = expire_in(12).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(tell_access_ending(&app.state).await.unwrap(), 1);
    assert_eq!(tell_access_ending(&app.state).await.unwrap(), 0);
    let items = inbox(&app, &user).await;
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0]["title"],
        "Your access to Task Manager ends in 12 hours"
    );
    // Nobody else was told.
    assert!(inbox(&app, &admin).await.is_empty());
}

/// A stream ends with its session: signed out, the next wake finds the session gone and
/// closes, telling nothing more (and a notification's text is sent as data, never markup to
/// interpret: the stream carries JSON, the title as written).
#[tokio::test(flavor = "multi_thread")]
async fn the_stream_ends_when_the_session_does_and_carries_text_as_written() {
    let app = TestApp::new().await;
    let admin = app.token("admin@taskmanager.com").await;
    let user = app.token("user@taskmanager.com").await;
    let user_id = app.id_of("users", "user@taskmanager.com").await;
    let mut body = open(&app, &user, None).await.into_body();
    let mut buffer = String::new();
    let (name, _, _) = next_event(&mut body, &mut buffer).await;
    assert_eq!(name, "unread");

    let hostile = "<img src=x onerror=alert(1)> &amp;";
    assign(&app, &admin, hostile, user_id).await;
    let (name, _, data) = loop {
        let e = next_event(&mut body, &mut buffer).await;
        if e.0 == "notification" {
            break e;
        }
    };
    assert_eq!(name, "notification");
    assert_eq!(data["title"], format!("Assigned to you: {hostile}"));

    let res = app.send("POST", "/api/v1/auth/logout", None, &user).await;
    assert_eq!(res.status, 200, "{}", res.text());
    // Another notification wakes the stream: it finds the session gone and ends.
    assign(&app, &admin, "After sign-out", user_id).await;
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match body.frame().await {
                None => return None,
                Some(Err(_)) => return None,
                Some(Ok(frame)) => {
                    if let Ok(bytes) = frame.into_data() {
                        let text = std::str::from_utf8(&bytes).unwrap().to_string();
                        if text.contains("After sign-out") {
                            return Some(text);
                        }
                    }
                }
            }
        }
    })
    .await
    .expect("the stream ends within 10 s");
    assert_eq!(ended, None, "nothing is told after the session ended");
}
