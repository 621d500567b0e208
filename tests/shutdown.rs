//! SIGTERM under load, on the real binary: readiness turns 503 while the node still serves,
//! then it stops accepting, finishes what is in flight and exits cleanly; every write it
//! acknowledged is stored whole (the task with its audit entry), none half-written.
#![cfg(feature = "ssr")]

mod common;

use std::{
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use common::TestDb;
use diesel::sql_types::BigInt;
use serde_json::{json, Value};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(db: &TestDb, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_inti"))
        .arg("serve")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("INTI_CONFIG")
        .env("INTI_MODE", "dev")
        .env("INTI_DATABASE_URL", common::app_url(db))
        .env("INTI_DATABASE_ADMIN_URL", &db.url)
        .env("INTI_REDIS_URL", common::redis_url())
        .env("INTI_REDIS_KEY_PREFIX", format!("{}:", db.name))
        .env("DEMO_PASSWORD", common::DEMO_PASSWORD)
        .env("INTI_OBSERVABILITY_METRICS_ADDR", "127.0.0.1:0")
        .env("INTI_SHUTDOWN_DRAIN_SECS", "3")
        .env("INTI_SHUTDOWN_GRACE_SECS", "10")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    use diesel_async::RunQueryDsl;
    let mut conn = db.conn().await;
    diesel::sql_query(sql)
        .get_result::<Count>(&mut conn)
        .await
        .unwrap()
        .n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_under_load_drains_finishes_and_loses_nothing() {
    let db = TestDb::migrated().await;
    let port = free_port();
    let mut node = start(&db, port);
    let base = format!("http://127.0.0.1:{port}");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();

    // Dev mode seeds the demo data into the empty database, then serves.
    let started = Instant::now();
    loop {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await {
            if r.status() == 200 {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the node never became ready"
        );
        assert!(
            node.try_wait().unwrap().is_none(),
            "the node exited at start-up"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let login = http
        .post(format!("{base}/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(
            json!({ "email": "admin@taskmanager.com", "password": common::DEMO_PASSWORD })
                .to_string(),
        )
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let login: Value = serde_json::from_slice(&login).unwrap();
    let token = login["data"]["tokens"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();

    // Writers create tasks until the node refuses connections.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let after_signal = Arc::new(AtomicUsize::new(0));
    let signalled = Arc::new(AtomicBool::new(false));
    let unexpected = Arc::new(Mutex::new(Vec::<String>::new()));
    // A request sent on a kept-alive connection just as the node closes it: its outcome is
    // unknown to the writer (hyper retries only what it had not sent yet).
    let unknown = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for w in 0..6 {
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        let (acknowledged, after_signal, signalled, unexpected, unknown) = (
            acknowledged.clone(),
            after_signal.clone(),
            signalled.clone(),
            unexpected.clone(),
            unknown.clone(),
        );
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let title = format!("soak-{w}-{i}");
                let sent = http
                    .post(format!("{base}/api/v1/tasks"))
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(json!({ "title": title, "labels": ["soak"] }).to_string())
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == 201 => {
                        acknowledged.lock().unwrap().push(title);
                        if signalled.load(Ordering::SeqCst) {
                            after_signal.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    Ok(r) => unexpected
                        .lock()
                        .unwrap()
                        .push(format!("{title}: status {}", r.status())),
                    // The node stopped accepting: the end of this writer's run.
                    Err(e) if e.is_connect() => return,
                    Err(e) if e.is_timeout() => {
                        unexpected.lock().unwrap().push(format!("{title}: {e}"))
                    }
                    Err(_) => {
                        unknown.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before_signal = acknowledged.lock().unwrap().len();
    assert!(before_signal > 0, "no write went through before the signal");

    signalled.store(true, Ordering::SeqCst);
    let terminated = Instant::now();
    unsafe { libc::kill(node.id() as i32, libc::SIGTERM) };
    // Readiness turns 503 at once (the drain lasts 3 s), while the node still answers.
    let mut draining = false;
    while terminated.elapsed() < Duration::from_millis(2500) {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await {
            if r.status() == 503 {
                draining = true;
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(draining, "readiness did not turn 503 during the drain");

    for writer in writers {
        tokio::time::timeout(Duration::from_secs(30), writer)
            .await
            .expect("a writer kept going after the node stopped")
            .unwrap();
    }
    let status = loop {
        if let Some(status) = node.try_wait().unwrap() {
            break status;
        }
        assert!(
            terminated.elapsed() < Duration::from_secs(30),
            "the node did not exit within its bounds"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(status.success(), "the node exited with {status}");
    assert!(
        after_signal.load(Ordering::SeqCst) > 0,
        "the node stopped serving before its drain ended"
    );
    let unexpected = unexpected.lock().unwrap().clone();
    assert!(unexpected.is_empty(), "requests failed: {unexpected:?}");

    // Every acknowledged task is stored, with its audit entry; at most the requests whose
    // answer was lost in a closing connection added more.
    let acknowledged = acknowledged.lock().unwrap().len() as i64;
    let unknown = unknown.load(Ordering::SeqCst) as i64;
    assert!(unknown <= 6, "{unknown} requests lost their connection");
    let stored = count(
        &db,
        "SELECT count(*) AS n FROM tasks WHERE title LIKE 'soak-%'",
    )
    .await;
    assert!(
        (acknowledged..=acknowledged + unknown).contains(&stored),
        "{acknowledged} acknowledged, {unknown} unknown, {stored} stored"
    );
    let audited = count(
        &db,
        "SELECT count(*) AS n FROM audit_log a JOIN tasks t ON a.target_id = t.id::text \
         WHERE a.action = 'task.create' AND t.title LIKE 'soak-%'",
    )
    .await;
    assert_eq!(audited, stored, "a task without its audit entry");
}
