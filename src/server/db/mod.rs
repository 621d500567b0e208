//! PostgreSQL access: the connection pool, embedded migrations, and the queries of each area.

pub mod account_tokens;
pub mod audit;
pub mod dashboard;
pub mod forms;
pub mod gateway;
pub mod health;
pub mod invitations;
pub mod mail;
pub mod members;
pub mod menus;
pub mod notifications;
pub mod roles;
pub mod schema;
pub mod scope;
pub mod services;
pub mod sessions;
pub mod tasks;
pub mod tenants;
pub mod two_factor;
pub mod users;

use std::time::Duration;

use diesel_async::{
    pooled_connection::{
        deadpool::Pool, AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
    },
    AsyncConnection, AsyncMigrationHarness, AsyncPgConnection, RunQueryDsl,
};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::server::config::host_label;

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("cannot connect to PostgreSQL at {host}: {reason}")]
    Connect { host: String, reason: String },
    #[error("migrating the database at {host} failed: {reason}")]
    Migrate { host: String, reason: String },
    #[error("the database at {host} {reason}")]
    Schema { host: String, reason: String },
}

pub fn build_pool(url: &str, size: usize, timeout: Duration) -> Result<DbPool, DbSetupError> {
    // Fast: no test query on every checkout (a round trip per request); a connection the
    // server closed is seen as closed and replaced, a failing one errors on first use.
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
    Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(timeout))
        .create_timeout(Some(timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| DbSetupError::Connect {
            host: host_label(url),
            reason: e.to_string(),
        })
}

/// One round trip; used at start-up and by `/readyz`.
pub async fn ping(pool: &DbPool) -> Result<(), String> {
    let mut conn = pool.get().await.map_err(|e| e.to_string())?;
    diesel::sql_query("SELECT 1")
        .execute(&mut conn)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

async fn connect(url: &str, timeout: Duration) -> Result<AsyncPgConnection, DbSetupError> {
    let err = |reason: String| DbSetupError::Connect {
        host: host_label(url),
        reason,
    };
    tokio::time::timeout(timeout, AsyncPgConnection::establish(url))
        .await
        .map_err(|_| err("timed out".into()))?
        .map_err(|e| err(first_line(&e.to_string())))
}

/// Creates the database named in `url` when it does not exist yet (connecting to the
/// server's `postgres` database to do so).
pub async fn ensure_database(url: &str, timeout: Duration) -> Result<(), DbSetupError> {
    let Some((server, name)) = split_database(url) else {
        return Ok(());
    };
    let mut admin = connect(&format!("{server}/postgres"), timeout).await?;
    #[derive(diesel::QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let found: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<diesel::sql_types::Text, _>(&name)
            .get_result(&mut admin)
            .await
            .map_err(|e| DbSetupError::Connect {
                host: host_label(url),
                reason: e.to_string(),
            })?;
    if !found.exists {
        // The name comes from our own configuration, and is quoted as an identifier.
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        match diesel::sql_query(format!("CREATE DATABASE {quoted}"))
            .execute(&mut admin)
            .await
        {
            Ok(_) => tracing::info!(database = %name, "created database"),
            // Another node's first `inti migrate` created it a moment ago.
            Err(diesel::result::Error::DatabaseError(_, info))
                if info.message().contains("already exists") => {}
            Err(e) => {
                return Err(DbSetupError::Migrate {
                    host: host_label(url),
                    reason: e.to_string(),
                })
            }
        }
    }
    Ok(())
}

/// Serialises `inti migrate` across nodes (every node's unit runs it before starting).
const MIGRATION_LOCK: i64 = 0x696e_7469_6d69;

/// Applies every pending embedded migration, one node at a time: a concurrent run waits for
/// the lock, then finds nothing left to do.
pub async fn migrate(url: &str, timeout: Duration) -> Result<(), DbSetupError> {
    let mut conn = connect(url, timeout).await?;
    let host = host_label(url);
    // Session-level: released when this connection closes, after the migrations.
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<diesel::sql_types::BigInt, _>(MIGRATION_LOCK)
        .execute(&mut conn)
        .await
        .map_err(|e| DbSetupError::Migrate {
            host: host.clone(),
            reason: e.to_string(),
        })?;
    tokio::task::spawn_blocking(move || {
        let mut harness = AsyncMigrationHarness::new(conn);
        harness
            .run_pending_migrations(MIGRATIONS)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r)
    .map_err(|reason| DbSetupError::Migrate { host, reason })
}

/// The versions of this release's migrations, oldest first (`20261129000001`, ...).
pub fn release_migrations() -> Vec<String> {
    use diesel::migration::MigrationSource;
    use diesel::pg::Pg;
    let mut versions: Vec<String> = MigrationSource::<Pg>::migrations(&MIGRATIONS)
        .expect("the embedded migrations are readable")
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    versions.sort();
    versions
}

/// Refuses a database whose migrations are not exactly this release's: one migrated by a
/// newer release (this binary would write rows that release does not expect) or one still
/// missing some (every query on a new column would fail).
pub async fn check_schema(pool: &DbPool, host: String) -> Result<(), DbSetupError> {
    #[derive(diesel::QueryableByName)]
    struct Applied {
        #[diesel(sql_type = diesel::sql_types::Text)]
        version: String,
    }
    let err = |reason: String| DbSetupError::Schema {
        host: host.clone(),
        reason,
    };
    let mut conn = pool
        .get()
        .await
        .map_err(|e| err(format!("cannot be read: {e}")))?;
    let applied: Vec<String> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations ORDER BY version")
            .load::<Applied>(&mut conn)
            .await
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(_, info)
                    if info.message().contains("does not exist") =>
                {
                    err("has no Inti schema yet: run `inti migrate`".into())
                }
                // Releases before the one that let the server read its migrations.
                diesel::result::Error::DatabaseError(_, info)
                    if info.message().starts_with("permission denied") =>
                {
                    err("lacks migrations of this release: run `inti migrate`".into())
                }
                other => err(format!(
                    "cannot be read: {}",
                    first_line(&other.to_string())
                )),
            })?
            .into_iter()
            .map(|a| a.version)
            .collect();
    let known = release_migrations();
    let newest_known = known.last().cloned().unwrap_or_default();
    if let Some(newer) = applied.iter().rev().find(|v| !known.contains(v)) {
        return Err(err(format!(
            "was migrated by a newer release (migration {newer}; this release knows up to \
             {newest_known}): run that release, or restore a backup taken with this one"
        )));
    }
    let pending = known.iter().filter(|v| !applied.contains(v)).count();
    if pending > 0 {
        return Err(err(format!(
            "lacks {pending} migration(s) of this release (up to {newest_known}): run `inti migrate`"
        )));
    }
    Ok(())
}

/// Reverts every applied migration (used by the migration round-trip test).
pub async fn revert_all(url: &str, timeout: Duration) -> Result<(), DbSetupError> {
    let conn = connect(url, timeout).await?;
    let host = host_label(url);
    tokio::task::spawn_blocking(move || {
        let mut harness = AsyncMigrationHarness::new(conn);
        harness
            .revert_all_migrations(MIGRATIONS)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r)
    .map_err(|reason| DbSetupError::Migrate { host, reason })
}

/// `postgres://host:port/name?opts` -> (`postgres://host:port`, `name`).
pub fn split_database(url: &str) -> Option<(String, String)> {
    let (base, _query) = url.split_once('?').unwrap_or((url, ""));
    let scheme_end = base.find("://")? + 3;
    let slash = base[scheme_end..].find('/')? + scheme_end;
    let name = &base[slash + 1..];
    (!name.is_empty()).then(|| (base[..slash].to_string(), name.to_string()))
}

/// An ILIKE pattern matching `search` anywhere; `%`, `_` and `\` in user input match
/// themselves, not any character.
pub fn like_pattern(search: &str) -> String {
    let escaped = search
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).trim().to_string()
}

/// A connection of its own that LISTENs on `channel`, named `application_name` so that
/// operators (and tests) can tell it in `pg_stat_activity`. Not pooled: it lives as long as
/// its listener.
pub async fn listening_connection(
    url: &str,
    application_name: &str,
    channel: &str,
    timeout: std::time::Duration,
) -> Result<diesel_async::AsyncPgConnection, String> {
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let mut conn = tokio::time::timeout(timeout, diesel_async::AsyncPgConnection::establish(url))
        .await
        .map_err(|_| "connecting timed out".to_string())?
        .map_err(|e| e.to_string())?;
    for statement in [
        format!("SET application_name = '{application_name}'"),
        format!("LISTEN {channel}"),
    ] {
        diesel::sql_query(statement)
            .execute(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::split_database;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(super::like_pattern("a%b_c\\"), "%a\\%b\\_c\\\\%");
    }

    #[test]
    fn splits_server_and_database() {
        assert_eq!(
            split_database("postgres://u:p@h:5432/inti?sslmode=disable"),
            Some(("postgres://u:p@h:5432".into(), "inti".into()))
        );
        assert_eq!(split_database("postgres://h:5432"), None);
    }
}
