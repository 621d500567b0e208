//! scripts/backup.sh and scripts/restore.sh: a seeded database backed up, restored into a
//! fresh one and served again; a person signs in there and finds their tasks.
#![cfg(feature = "ssr")]

mod common;

use std::process::Command;

use common::{TestApp, TestDb};
use serde_json::json;

fn script(name: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(format!("{root}/scripts/{name}"))
        .args(args)
        .current_dir(root)
        .env_remove("INTI_CONFIG")
        .env("INTI_MODE", "dev")
        .env("INTI_BIN", env!("CARGO_BIN_EXE_inti"))
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{name} failed: {text}");
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_restores_into_a_fresh_database_that_serves_the_same_data() {
    let app = TestApp::new().await;
    let token = app.token("admin@taskmanager.com").await;
    let made = app
        .post_json(
            "/api/v1/tasks",
            json!({ "title": "Kept across a restore", "labels": ["backup"] }),
            Some(&token),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text());

    let dir = std::env::temp_dir().join(format!("inti-backup-{}", app.db.name));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("inti.dump");
    let said = script(
        "backup.sh",
        &[file.to_str().unwrap()],
        &[("INTI_DATABASE_ADMIN_URL", &app.db.url)],
    );
    assert!(said.contains("tables"), "{said}");
    // A role that row-level security holds would dump part of the data: refused, no file.
    let partial = dir.join("partial.dump");
    let refused = Command::new(format!("{}/scripts/backup.sh", env!("CARGO_MANIFEST_DIR")))
        .arg(&partial)
        .env("INTI_DATABASE_ADMIN_URL", common::app_url(&app.db))
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("BYPASSRLS"));
    assert!(!partial.exists());

    // Into a database that does not exist yet; this TestDb drops it at the end.
    let restored = TestDb {
        name: format!("{}_restored", app.db.name),
        url: format!("{}_restored", app.db.url),
    };
    script("restore.sh", &[file.to_str().unwrap(), &restored.url], &[]);
    // A second restore into the same (now existing) database is refused, changing nothing.
    let again = Command::new(format!("{}/scripts/restore.sh", env!("CARGO_MANIFEST_DIR")))
        .args([file.to_str().unwrap(), &restored.url])
        .env("INTI_BIN", env!("CARGO_BIN_EXE_inti"))
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    std::fs::remove_dir_all(&dir).unwrap();

    let node = TestApp::on(restored).await;
    let session = node.login("admin@taskmanager.com").await;
    let token = session["tokens"]["accessToken"].as_str().unwrap();
    let tasks = node.get("/api/v1/tasks?search=restore", Some(token)).await;
    assert_eq!(tasks.status, 200, "{}", tasks.text());
    let titles: Vec<String> = tasks.json()["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["Kept across a restore"]);
}
