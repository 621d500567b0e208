//! Queries on `account_tokens`: one-time links, stored as SHA-256 only. Platform scope only
//! (row-level security): links are redeemed before anyone is signed in.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{account_tokens, users};

pub async fn insert(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    purpose: &str,
    hash: &[u8],
    email: &str,
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(account_tokens::table)
        .values((
            account_tokens::user_id.eq(user_id),
            account_tokens::purpose.eq(purpose),
            account_tokens::token_hash.eq(hash),
            account_tokens::email.eq(email),
            account_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// A live link: unused, unexpired, of one of `purposes`, and still bound to its account's
/// address (for a password link, the account's address is the one it was sent to).
#[derive(Debug, Clone, Queryable)]
pub struct LiveToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub purpose: String,
    pub email: String,
    pub account_email: String,
    pub account_status: String,
}

/// Finds a live link by its hash; `lock`: held until the transaction ends, so that two
/// redemptions of one link cannot both pass.
pub async fn find_live(
    conn: &mut AsyncPgConnection,
    hash: &[u8],
    purposes: &[&str],
    lock: bool,
) -> QueryResult<Option<LiveToken>> {
    let query = account_tokens::table
        .inner_join(users::table)
        .filter(account_tokens::token_hash.eq(hash))
        .filter(account_tokens::purpose.eq_any(purposes))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::expires_at.gt(diesel::dsl::now))
        .select((
            account_tokens::id,
            account_tokens::user_id,
            account_tokens::purpose,
            account_tokens::email,
            users::email,
            users::status,
        ));
    if lock {
        query.for_update().first(conn).await.optional()
    } else {
        query.first(conn).await.optional()
    }
}

/// Spends every live link of `purposes` the account has (the one just used, and any older
/// ones: one password set ends them all).
pub async fn spend_all(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    purposes: &[&str],
) -> QueryResult<usize> {
    diesel::update(
        account_tokens::table
            .filter(account_tokens::user_id.eq(user_id))
            .filter(account_tokens::purpose.eq_any(purposes))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(diesel::dsl::now))
    .execute(conn)
    .await
}
