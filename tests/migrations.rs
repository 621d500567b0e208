//! The embedded migrations apply, revert and re-apply cleanly.
#![cfg(feature = "ssr")]

mod common;

use std::time::Duration;

use common::TestDb;
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use inti::server::db;

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn table_count(test_db: &TestDb) -> i64 {
    let mut conn = test_db.conn().await;
    diesel::sql_query(
        "SELECT count(*) AS n FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .get_result::<Count>(&mut conn)
    .await
    .unwrap()
    .n
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_revert_apply() {
    let test_db = TestDb::empty().await;
    let timeout = Duration::from_secs(10);
    db::migrate(&test_db.url, timeout).await.unwrap();
    assert_eq!(table_count(&test_db).await, 29);
    db::revert_all(&test_db.url, timeout).await.unwrap();
    assert_eq!(table_count(&test_db).await, 0);
    db::migrate(&test_db.url, timeout).await.unwrap();
    assert_eq!(table_count(&test_db).await, 29);
    // Applying again is a no-op.
    db::migrate(&test_db.url, timeout).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn ensure_database_creates_a_missing_database() {
    let test_db = TestDb::empty().await;
    let name = format!("{}_created", test_db.name);
    let url = format!("{}/{name}", common::server_url());
    db::ensure_database(&url, Duration::from_secs(10))
        .await
        .unwrap();
    db::migrate(&url, Duration::from_secs(10)).await.unwrap();
    // Clean up what this test made.
    let mut conn = test_db.conn().await;
    diesel::sql_query(format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .execute(&mut conn)
        .await
        .unwrap();
}

/// A node refuses a database migrated by a newer release, and one still missing this
/// release's migrations, each with one line saying what to do; an exact match starts.
#[tokio::test(flavor = "multi_thread")]
async fn a_node_starts_only_on_its_own_schema() {
    let test_db = TestDb::migrated().await;
    let settings = || common::settings_for(&test_db);
    assert!(inti::server::startup::connect(settings()).await.is_ok());

    let mut conn = test_db.conn().await;
    diesel::sql_query("INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000001')")
        .execute(&mut conn)
        .await
        .unwrap();
    let refused = match inti::server::startup::connect(settings()).await {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a node started on a database migrated by a newer release"),
    };
    assert!(
        refused.contains("newer release") && refused.contains("29991231000001"),
        "{refused}"
    );
    assert!(!refused.contains('\n'), "{refused}");

    // This release's newest migration undone (its down.sql), as on a database from the
    // release before.
    let newest = db::release_migrations().pop().unwrap();
    let dir = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy().replace('-', "");
            name.starts_with(&newest)
        })
        .unwrap();
    let down = std::fs::read_to_string(dir.join("down.sql")).unwrap();
    diesel_async::SimpleAsyncConnection::batch_execute(&mut conn, &down)
        .await
        .unwrap();
    diesel::sql_query(format!(
        "DELETE FROM __diesel_schema_migrations WHERE version IN ('29991231000001', '{newest}')"
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    let refused = match inti::server::startup::connect(settings()).await {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a node started on a database missing a migration"),
    };
    assert!(
        refused.contains("lacks 1 migration") && refused.contains("inti migrate"),
        "{refused}"
    );

    // A database from before the server could read its migrations (the migration that lets
    // it, 2026-12-07-000019, not applied yet) says the same.
    for sql in [
        "REVOKE SELECT ON __diesel_schema_migrations FROM inti_app",
        "DELETE FROM __diesel_schema_migrations WHERE version = '20261207000019'",
    ] {
        diesel::sql_query(sql).execute(&mut conn).await.unwrap();
    }
    let refused = match inti::server::startup::connect(settings()).await {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a node started on a database it cannot check"),
    };
    assert!(
        refused.contains("lacks migrations") && refused.contains("inti migrate"),
        "{refused}"
    );
    // And `inti migrate` brings it to this release, the node then starts.
    db::migrate(&test_db.url, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(inti::server::startup::connect(settings()).await.is_ok());
}
