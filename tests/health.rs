//! Liveness and readiness probes.
#![cfg(feature = "ssr")]

mod common;

use common::{settings_for, TestApp, TestDb};
use inti::server::{db, http, startup, state::AppState};
use tower::ServiceExt;

#[tokio::test(flavor = "multi_thread")]
async fn healthz_and_readyz_answer_when_backends_are_up() {
    let app = TestApp::new().await;
    let res = app.get("/healthz", None).await;
    assert_eq!(res.status, 200);
    let res = app.get("/readyz", None).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["checks"]["postgresql"], "ok");
    assert_eq!(res.json()["checks"]["redis"], "ok");
}

#[tokio::test(flavor = "multi_thread")]
async fn readyz_is_503_when_redis_is_down() {
    let test_db = TestDb::migrated().await;
    let mut settings = settings_for(&test_db);
    common::redis_down(&mut settings);
    settings.database.connect_timeout = std::time::Duration::from_secs(1);
    let pool = db::build_pool(
        &common::app_url(&test_db),
        2,
        settings.database.connect_timeout,
    )
    .unwrap();
    let redis = startup::redis_pool(&settings).unwrap();
    let router = http::router(AppState::new(pool, redis, settings));
    let req = axum::http::Request::get("/readyz")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = router.oneshot(req).await.unwrap();
    assert_eq!(res.status(), 503);
}
