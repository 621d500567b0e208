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
    assert_eq!(table_count(&test_db).await, 25);
    db::revert_all(&test_db.url, timeout).await.unwrap();
    assert_eq!(table_count(&test_db).await, 0);
    db::migrate(&test_db.url, timeout).await.unwrap();
    assert_eq!(table_count(&test_db).await, 25);
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

/// The hand-written Diesel schema must match the migrated database, column for column.
#[tokio::test(flavor = "multi_thread")]
async fn schema_matches_migrations() {
    use diesel::sql_types::Text;
    #[derive(diesel::QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct Column {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        column_name: String,
    }
    let test_db = TestDb::migrated().await;
    let mut conn = test_db.conn().await;
    let mut actual: Vec<Column> = diesel::sql_query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .await
    .unwrap();
    actual.sort();

    let source = include_str!("../src/server/db/schema.rs");
    let mut expected = Vec::new();
    let mut table = String::new();
    let mut sql_name: Option<String> = None;
    for line in source.lines().map(str::trim) {
        if let Some(rest) = line.strip_suffix(" {").filter(|r| r.contains(" (")) {
            table = rest.split(' ').next().unwrap().to_string();
        } else if let Some(name) = line.strip_prefix("#[sql_name = \"") {
            sql_name = Some(name.trim_end_matches("\"]").to_string());
        } else if let Some((column, _)) = line
            .split_once(" -> ")
            .filter(|_| !line.starts_with("diesel::"))
        {
            let column = sql_name.take().unwrap_or_else(|| column.to_string());
            expected.push(Column {
                table_name: table.clone(),
                column_name: column,
            });
        }
    }
    expected.sort();
    assert_eq!(expected, actual);
}
