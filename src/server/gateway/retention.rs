//! How long the gateway keeps what it logs (calls, health probes): rows older than their
//! retention are deleted in batches, so that one purge never holds a long lock.

use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Timestamptz};
use diesel_async::RunQueryDsl;

use crate::server::{
    db::scope::{scoped, Scope},
    state::AppState,
};

const BATCH: i64 = 10_000;

/// A table the gateway logs to, and the column that dates its rows.
#[derive(Debug, Clone, Copy)]
pub enum Kept {
    Calls,
    HealthChecks,
}

impl Kept {
    /// The table, the columns of its primary key (deleting by the whole key uses its index)
    /// and the column that dates its rows.
    fn table_key_and_column(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Calls => ("gateway_calls", "tenant_id, id", "created_at"),
            Self::HealthChecks => ("service_health_checks", "id", "checked_at"),
        }
    }

    fn job(self) -> &'static str {
        match self {
            Self::Calls => "purge_gateway_calls",
            Self::HealthChecks => "purge_health_checks",
        }
    }
}

/// Deletes `kept` rows from before `days` days ago; failures are logged and retried at the
/// next purge.
pub async fn purge(state: &AppState, kept: Kept, days: u32) {
    let before = Utc::now() - chrono::Duration::days(i64::from(days));
    loop {
        let deleted = scoped(&state.db, Scope::platform(), async |c| {
            Ok(delete_before(c, kept, before).await?)
        })
        .await;
        let job = kept.job();
        match deleted {
            Ok(n) if n as i64 == BATCH => {
                // A stopping node leaves the rest for the next purge (the round is not whole).
                if state.lifecycle.stop_requested() {
                    break;
                }
            }
            Ok(_) => {
                crate::server::metrics::job_round(job, true);
                break;
            }
            Err(e) => {
                crate::server::metrics::job_round(job, false);
                tracing::warn!(error = %e, ?kept, "old rows could not be deleted");
                break;
            }
        }
    }
}

async fn delete_before(
    c: &mut diesel_async::AsyncPgConnection,
    kept: Kept,
    before: DateTime<Utc>,
) -> diesel::QueryResult<usize> {
    let (table, key, column) = kept.table_key_and_column();
    diesel::sql_query(format!(
        "DELETE FROM {table} WHERE ({key}) IN \
         (SELECT {key} FROM {table} WHERE {column} < $1 LIMIT $2)"
    ))
    .bind::<Timestamptz, _>(before)
    .bind::<BigInt, _>(BATCH)
    .execute(c)
    .await
}
