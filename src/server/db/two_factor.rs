//! Queries on `user_totp` and `user_recovery_codes`: a person's authenticator secret (sealed)
//! and recovery codes (hashed). Row-level security shows each person only their own.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{tenants, user_recovery_codes, user_totp};

/// Deliberately not `Debug`: it carries the (sealed) secret.
#[derive(Clone, Queryable)]
pub struct Authenticator {
    /// Sealed with the keyring.
    pub sealed_secret: Vec<u8>,
    pub confirmed: bool,
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> QueryResult<Option<Authenticator>> {
    user_totp::table
        .filter(user_totp::user_id.eq(user_id))
        .select((user_totp::secret, user_totp::confirmed_at.is_not_null()))
        .first(conn)
        .await
        .optional()
}

/// Starts (or starts again) setting up an authenticator: replaces one that is not confirmed
/// yet; a confirmed one is kept (false).
pub async fn begin(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    sealed_secret: &[u8],
) -> QueryResult<bool> {
    diesel::delete(
        user_totp::table
            .filter(user_totp::user_id.eq(user_id))
            .filter(user_totp::confirmed_at.is_null()),
    )
    .execute(conn)
    .await?;
    let written = diesel::insert_into(user_totp::table)
        .values((
            user_totp::user_id.eq(user_id),
            user_totp::secret.eq(sealed_secret),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(written == 1)
}

/// Accepts a code of time step `step`: only when it is later than the last one accepted (a
/// code is good once, even for two requests at the same moment); confirms the authenticator
/// if it was being set up. False when the step was already used.
pub async fn accept_step(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    step: i64,
) -> QueryResult<bool> {
    let written = diesel::update(user_totp::table)
        .filter(user_totp::user_id.eq(user_id))
        .filter(user_totp::last_step.lt(step))
        .set((
            user_totp::last_step.eq(step),
            user_totp::confirmed_at.eq(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
            >("coalesce(user_totp.confirmed_at, now())")),
        ))
        .execute(conn)
        .await?;
    Ok(written == 1)
}

/// Removes the authenticator and the recovery codes.
pub async fn remove(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<bool> {
    diesel::delete(user_recovery_codes::table.filter(user_recovery_codes::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    let removed = diesel::delete(user_totp::table.filter(user_totp::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    Ok(removed == 1)
}

/// Replaces every recovery code of the person with these (hashed).
pub async fn replace_recovery_codes(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    hashes: &[[u8; 32]],
) -> QueryResult<()> {
    diesel::delete(user_recovery_codes::table.filter(user_recovery_codes::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = hashes
        .iter()
        .map(|h| {
            (
                user_recovery_codes::user_id.eq(user_id),
                user_recovery_codes::code_hash.eq(h.to_vec()),
            )
        })
        .collect();
    diesel::insert_into(user_recovery_codes::table)
        .values(rows)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Spends an unused recovery code; false when there is none with that hash.
pub async fn spend_recovery_code(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    hash: &[u8; 32],
) -> QueryResult<bool> {
    let spent = diesel::update(user_recovery_codes::table)
        .filter(user_recovery_codes::user_id.eq(user_id))
        .filter(user_recovery_codes::code_hash.eq(hash.as_slice()))
        .filter(user_recovery_codes::used_at.is_null())
        .set(user_recovery_codes::used_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
    Ok(spent == 1)
}

pub async fn recovery_codes_left(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<i64> {
    user_recovery_codes::table
        .filter(user_recovery_codes::user_id.eq(user_id))
        .filter(user_recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
        .await
}

/// Every authenticator secret, sealed (`inti rotate-secrets`, platform work).
pub async fn all_secrets(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(Uuid, Vec<u8>)>> {
    user_totp::table
        .select((user_totp::user_id, user_totp::secret))
        .load(conn)
        .await
}

pub async fn replace_secret(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    sealed: &[u8],
) -> QueryResult<()> {
    diesel::update(user_totp::table.filter(user_totp::user_id.eq(user_id)))
        .set(user_totp::secret.eq(sealed))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Whether the tenant requires its administrators to use a second factor.
pub async fn tenant_requires(conn: &mut AsyncPgConnection, tenant_id: Uuid) -> QueryResult<bool> {
    tenants::table
        .filter(tenants::id.eq(tenant_id))
        .select(tenants::require_admin_two_factor)
        .first(conn)
        .await
        .optional()
        .map(|r| r.unwrap_or(false))
}

/// Whether any of these tenants (`None`: any tenant at all) requires its administrators to use
/// a second factor.
pub async fn any_tenant_requires(
    conn: &mut AsyncPgConnection,
    among: Option<&[Uuid]>,
) -> QueryResult<bool> {
    let mut query = tenants::table
        .filter(tenants::require_admin_two_factor)
        .into_boxed();
    if let Some(ids) = among {
        query = query.filter(tenants::id.eq_any(ids.to_vec()));
    }
    diesel::select(diesel::dsl::exists(query.select(tenants::id)))
        .get_result(conn)
        .await
}
