//! `/api/v1/account`: a user's own name and password.
#![cfg(feature = "ssr")]

mod common;

use common::{TestApp, DEMO_PASSWORD};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn a_user_renames_themselves() {
    let app = TestApp::new().await;
    let t = app.login("user@taskmanager.com").await["tokens"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .send(
            "PATCH",
            "/api/v1/account",
            Some(json!({"name": "  Renamed User "})),
            &t,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let me = app.get("/api/v1/auth/me", Some(&t)).await;
    assert_eq!(me.json()["data"]["user"]["name"], "Renamed User");
    let res = app
        .send("PATCH", "/api/v1/account", Some(json!({"name": ""})), &t)
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "name");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_change_needs_the_current_one_and_ends_other_sessions() {
    let app = TestApp::new().await;
    let here = app.login("admin@whatsapp.com").await;
    let elsewhere = app.login("admin@whatsapp.com").await;
    let here_token = here["tokens"]["accessToken"].as_str().unwrap();
    let elsewhere_token = elsewhere["tokens"]["accessToken"].as_str().unwrap();
    let elsewhere_refresh = elsewhere["tokens"]["refreshToken"].as_str().unwrap();

    let change = |current: &str, new: &str| json!({"currentPassword": current, "newPassword": new});
    let res = app
        .post_json(
            "/api/v1/account/password",
            change("wrong", "a brand new password"),
            Some(here_token),
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json()["error"]["details"]["field"], "currentPassword");
    let res = app
        .post_json(
            "/api/v1/account/password",
            change(DEMO_PASSWORD, "short"),
            Some(here_token),
        )
        .await;
    assert_eq!(res.json()["error"]["details"]["field"], "newPassword");
    assert_eq!(
        app.get("/api/v1/auth/me", Some(elsewhere_token))
            .await
            .status,
        200,
        "failed attempts change nothing"
    );

    let res = app
        .post_json(
            "/api/v1/account/password",
            change(DEMO_PASSWORD, "a brand new password"),
            Some(here_token),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["otherSessionsEnded"], 1);

    assert_eq!(
        app.get("/api/v1/auth/me", Some(here_token)).await.status,
        200,
        "this session stays"
    );
    assert_eq!(
        app.get("/api/v1/auth/me", Some(elsewhere_token))
            .await
            .status,
        401
    );
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refreshToken": elsewhere_refresh}),
            None,
        )
        .await;
    assert_eq!(res.status, 401);
    let old = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "admin@whatsapp.com", "password": DEMO_PASSWORD}),
            None,
        )
        .await;
    assert_eq!(old.status, 401);
    let new = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "admin@whatsapp.com", "password": "a brand new password"}),
            None,
        )
        .await;
    assert_eq!(new.status, 200);
}

/// A person chooses their time zone and date format; the session view carries them (every
/// page renders times with them) and bad values change nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_person_sets_their_time_zone_and_date_format() {
    let app = TestApp::new().await;
    let t = app.token("user@taskmanager.com").await;
    // The zone and format chosen (the answer also carries the zone's offsets table).
    let me = async || {
        let d =
            app.get("/api/v1/auth/me", Some(&t)).await.json()["data"]["user"]["display"].clone();
        json!({ "timeZone": d["timeZone"], "dateFormat": d["dateFormat"] })
    };
    assert_eq!(
        me().await,
        json!({ "timeZone": "UTC", "dateFormat": "YYYY-MM-DD" })
    );
    let set = |body: serde_json::Value| app.send("PUT", "/api/v1/account/display", Some(body), &t);
    let res = set(json!({ "timeZone": "Asia/Jakarta", "dateFormat": "DD/MM/YYYY" })).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let shown = json!({ "timeZone": "Asia/Jakarta", "dateFormat": "DD/MM/YYYY" });
    assert_eq!(me().await, shown);
    let offsets = res.json()["data"]["offsets"].clone();
    assert_eq!(
        offsets.as_array().unwrap().last().unwrap()["seconds"],
        7 * 3600
    );
    for (body, field) in [
        (
            json!({ "timeZone": "Mars/Olympus", "dateFormat": "YYYY-MM-DD" }),
            "timeZone",
        ),
        (
            json!({ "timeZone": "UTC", "dateFormat": "DD.MM.YY" }),
            "dateFormat",
        ),
        (json!({ "timeZone": "UTC" }), "dateFormat"),
    ] {
        let res = set(body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text());
        assert_eq!(res.json()["error"]["details"]["field"], field, "{body}");
    }
    assert_eq!(me().await, shown, "refused values changed nothing");
    // Another person's settings are their own.
    let other = app.token("admin@taskmanager.com").await;
    let theirs =
        app.get("/api/v1/auth/me", Some(&other)).await.json()["data"]["user"]["display"].clone();
    assert_eq!(theirs["timeZone"], "UTC");
}

/// A person sees each live session with its client, address and last use, ends one or every
/// other, and never another person's.
#[tokio::test(flavor = "multi_thread")]
async fn a_person_sees_and_ends_their_own_sessions_only() {
    let app = TestApp::new().await;
    let first = app.token("user@taskmanager.com").await;
    let second = app.token("user@taskmanager.com").await;
    let third = app.token("user@taskmanager.com").await;
    let other = app.token("admin@taskmanager.com").await;
    let list = async |token: &str| {
        let res = app.get("/api/v1/account/sessions", Some(token)).await;
        assert_eq!(res.status, 200, "{}", res.text());
        res.json()["data"].as_array().unwrap().clone()
    };
    let mine = list(&first).await;
    assert_eq!(mine.len(), 3, "{mine:?}");
    assert_eq!(mine.iter().filter(|s| s["current"] == true).count(), 1);
    assert!(mine.iter().all(|s| s["kind"] == "API"));
    assert_eq!(mine[0]["tenant"], "Task Manager");
    let second_id = app.state.jwt.verify(&second).unwrap().sid;

    // Another person's session: 404, and it keeps working.
    let theirs = list(&other).await[0]["id"].as_str().unwrap().to_string();
    let res = app
        .send(
            "DELETE",
            &format!("/api/v1/account/sessions/{theirs}"),
            None,
            &first,
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.text());
    assert_eq!(app.get("/api/v1/auth/me", Some(&other)).await.status, 200);

    // One of mine ends: that token stops working at once.
    let res = app
        .send(
            "DELETE",
            &format!("/api/v1/account/sessions/{second_id}"),
            None,
            &first,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["ended"], 1);
    assert_eq!(app.get("/api/v1/auth/me", Some(&second)).await.status, 401);
    let res = app
        .send(
            "DELETE",
            &format!("/api/v1/account/sessions/{second_id}"),
            None,
            &first,
        )
        .await;
    assert_eq!(res.status, 404, "ended once");

    // Every other one ends; the asking one stays.
    let res = app
        .send(
            "POST",
            "/api/v1/account/sessions/revoke-others",
            None,
            &first,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["data"]["ended"], 1);
    assert_eq!(app.get("/api/v1/auth/me", Some(&third)).await.status, 401);
    assert_eq!(app.get("/api/v1/auth/me", Some(&first)).await.status, 200);
    assert_eq!(list(&first).await.len(), 1);
    assert_eq!(app.get("/api/v1/auth/me", Some(&other)).await.status, 200);
    assert_eq!(app.get("/api/v1/account/sessions", None).await.status, 401);
}
