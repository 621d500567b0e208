//! Queries on `auth_sessions` (one per login) and `refresh_tokens` (hashes only).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{auth_sessions, refresh_tokens};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = auth_sessions, check_for_backend(diesel::pg::Pg))]
pub struct AuthSession {
    pub id: Uuid,
    pub user_id: Uuid,
    pub tenant_id: Uuid,
    pub kind: String,
    pub expires_at: DateTime<Utc>,
    /// The second factor the sign-in passed, if any (a switch keeps it).
    pub second_factor: Option<String>,
}

#[derive(Insertable)]
// `None` inserts NULL, which is what DEFAULT gives these columns: with DEFAULT-able `Option`
// fields diesel never caches the INSERT's prepared statement.
#[diesel(table_name = auth_sessions, treat_none_as_default_value = false)]
pub struct NewAuthSession<'a> {
    pub user_id: Uuid,
    pub tenant_id: Uuid,
    pub kind: &'a str,
    pub client_ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub expires_at: DateTime<Utc>,
    pub second_factor: Option<&'a str>,
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    new: NewAuthSession<'_>,
) -> QueryResult<AuthSession> {
    diesel::insert_into(auth_sessions::table)
        .values(new)
        .returning(AuthSession::as_returning())
        .get_result(conn)
        .await
}

/// The session if it is neither revoked nor past its absolute lifetime.
pub async fn find_live(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<AuthSession>> {
    auth_sessions::table
        .find(id)
        .filter(auth_sessions::revoked_at.is_null())
        .filter(auth_sessions::expires_at.gt(diesel::dsl::now))
        .select(AuthSession::as_select())
        .first(conn)
        .await
        .optional()
}

/// Revokes a live session; answers whether it was live.
pub async fn revoke(conn: &mut AsyncPgConnection, id: Uuid, reason: &str) -> QueryResult<bool> {
    let n = diesel::update(
        auth_sessions::table
            .find(id)
            .filter(auth_sessions::revoked_at.is_null()),
    )
    .set((
        auth_sessions::revoked_at.eq(diesel::dsl::now),
        auth_sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .await?;
    Ok(n == 1)
}

pub async fn insert_refresh_token(
    conn: &mut AsyncPgConnection,
    session_id: Uuid,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await
}

pub enum Rotation {
    /// The token was current and is now spent; a new one may be issued for this session.
    Rotated { session_id: Uuid },
    /// The token had already been used: a replay (revoke the family) or, shortly after its
    /// rotation, a retry (answer the same successor).
    Reused {
        session_id: Uuid,
        rotated_at: DateTime<Utc>,
    },
    /// Unknown or expired.
    Invalid,
}

/// Marks a refresh token as used. The conditional UPDATE makes this atomic: of two concurrent
/// requests with one token, exactly one sees `Rotated`.
pub async fn rotate_refresh_token(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
) -> QueryResult<Rotation> {
    let rotated: Option<Uuid> = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .filter(refresh_tokens::rotated_at.is_null())
            .filter(refresh_tokens::expires_at.gt(diesel::dsl::now)),
    )
    .set(refresh_tokens::rotated_at.eq(diesel::dsl::now))
    .returning(refresh_tokens::session_id)
    .get_result(conn)
    .await
    .optional()?;
    if let Some(session_id) = rotated {
        return Ok(Rotation::Rotated { session_id });
    }
    let spent: Option<(Uuid, Option<DateTime<Utc>>)> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .filter(refresh_tokens::rotated_at.is_not_null())
        .select((refresh_tokens::session_id, refresh_tokens::rotated_at))
        .first(conn)
        .await
        .optional()?;
    Ok(match spent {
        Some((session_id, Some(rotated_at))) => Rotation::Reused {
            session_id,
            rotated_at,
        },
        _ => Rotation::Invalid,
    })
}

/// Whether the session holds this refresh token, live and not yet rotated.
pub async fn refresh_token_unspent(
    conn: &mut AsyncPgConnection,
    session_id: Uuid,
    token_hash: &[u8],
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        refresh_tokens::table
            .filter(refresh_tokens::session_id.eq(session_id))
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .filter(refresh_tokens::rotated_at.is_null())
            .filter(refresh_tokens::expires_at.gt(diesel::dsl::now)),
    ))
    .get_result(conn)
    .await
}

/// Ends every live session in a tenant (it was suspended); answers how many.
pub async fn revoke_all_in_tenant(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    reason: &str,
) -> QueryResult<usize> {
    diesel::update(
        auth_sessions::table
            .filter(auth_sessions::tenant_id.eq(tenant_id))
            .filter(auth_sessions::revoked_at.is_null()),
    )
    .set((
        auth_sessions::revoked_at.eq(diesel::dsl::now),
        auth_sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .await
}

/// Ends a user's live sessions in one tenant (their access there was suspended or removed).
pub async fn revoke_user_in_tenant(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    tenant_id: Uuid,
    reason: &str,
) -> QueryResult<usize> {
    diesel::update(
        auth_sessions::table
            .filter(auth_sessions::user_id.eq(user_id))
            .filter(auth_sessions::tenant_id.eq(tenant_id))
            .filter(auth_sessions::revoked_at.is_null()),
    )
    .set((
        auth_sessions::revoked_at.eq(diesel::dsl::now),
        auth_sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .await
}

/// Ends every live session of a user, in every tenant (a password set from a link, an
/// account suspended), and with them their refresh families.
pub async fn revoke_all_of_user(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    reason: &str,
) -> QueryResult<usize> {
    diesel::update(
        auth_sessions::table
            .filter(auth_sessions::user_id.eq(user_id))
            .filter(auth_sessions::revoked_at.is_null()),
    )
    .set((
        auth_sessions::revoked_at.eq(diesel::dsl::now),
        auth_sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .await
}

/// Ends every live session of a user except `keep` (their password changed).
pub async fn revoke_others(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    keep: Uuid,
    reason: &str,
) -> QueryResult<usize> {
    diesel::update(
        auth_sessions::table
            .filter(auth_sessions::user_id.eq(user_id))
            .filter(auth_sessions::id.ne(keep))
            .filter(auth_sessions::revoked_at.is_null())
            .filter(auth_sessions::expires_at.gt(diesel::dsl::now)),
    )
    .set((
        auth_sessions::revoked_at.eq(diesel::dsl::now),
        auth_sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .await
}

/// One of a person's live sessions, for their sessions page.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct LiveSession {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub kind: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub client_ip: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub user_agent: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub tenant_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub last_seen_at: DateTime<Utc>,
}

/// `user`'s sessions that are neither revoked nor expired, most recently used first.
pub async fn live_of(conn: &mut AsyncPgConnection, user: Uuid) -> QueryResult<Vec<LiveSession>> {
    diesel::sql_query(
        "SELECT s.id, s.kind, s.client_ip::text AS client_ip, s.user_agent::text AS user_agent, \
                t.name::text AS tenant_name, s.created_at, s.last_seen_at \
         FROM auth_sessions s LEFT JOIN tenants t ON t.id = s.tenant_id \
         WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() \
         ORDER BY s.last_seen_at DESC, s.id LIMIT 100",
    )
    .bind::<diesel::sql_types::Uuid, _>(user)
    .load(conn)
    .await
}

/// Revokes session `id` if it is `user`'s and live; whether it did.
pub async fn revoke_own(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    id: Uuid,
    reason: &str,
) -> QueryResult<bool> {
    diesel::update(
        auth_sessions::table
            .filter(auth_sessions::id.eq(id))
            .filter(auth_sessions::user_id.eq(user))
            .filter(auth_sessions::revoked_at.is_null())
            .filter(auth_sessions::expires_at.gt(diesel::dsl::now)),
    )
    .set((
        auth_sessions::revoked_at.eq(diesel::dsl::now),
        auth_sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .await
    .map(|n| n == 1)
}

/// Notes that session `id` was used now.
pub async fn seen(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::update(auth_sessions::table.filter(auth_sessions::id.eq(id)))
        .set(auth_sessions::last_seen_at.eq(diesel::dsl::now))
        .execute(conn)
        .await
}
