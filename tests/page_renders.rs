//! Many pages rendered at once, on a runtime with several worker threads, all answer: a
//! render's reactive tasks run on one thread (`server::http::render_pool`), so that two of
//! them never wait for each other's locks (a deadlock that stopped whole runtimes).

mod common;

use std::{sync::Arc, time::Duration};

use axum::{body::Body, http::Request};
use common::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_rendered_side_by_side_all_answer() {
    let app = Arc::new(TestApp::new().await);
    let cookie = app.browser_login("admin@taskmanager.com").await;
    // Pages with several `Suspense` boundaries over shared resources (the layout's session,
    // menu and unread count, and each page's own).
    let pages = [
        "/",
        "/tasks/list",
        "/tasks/board",
        "/services",
        "/account",
        "/notifications",
        "/admin/users",
        "/admin/roles",
        "/admin/menus",
    ];
    // Bounded so that the test's four database connections are not what is measured.
    let lanes = Arc::new(tokio::sync::Semaphore::new(6));
    let mut renders = Vec::new();
    for round in 0..30 {
        for page in pages {
            let (app, cookie, lanes) = (Arc::clone(&app), cookie.clone(), Arc::clone(&lanes));
            renders.push(tokio::spawn(async move {
                let _lane = lanes.acquire_owned().await.unwrap();
                let req = Request::get(page)
                    .header("cookie", cookie)
                    .body(Body::empty())
                    .unwrap();
                (round, page, app.request_as_is(req).await.status)
            }));
        }
    }
    let all = tokio::time::timeout(
        Duration::from_secs(240),
        futures_util::future::join_all(renders),
    )
    .await
    .expect("every render answers (none waits for ever)");
    for answer in all {
        let (round, page, status) = answer.unwrap();
        assert_eq!(status, 200, "{page} in round {round}");
    }
}
