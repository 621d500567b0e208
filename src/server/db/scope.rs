//! Declaring, per transaction, whose rows PostgreSQL row-level security lets a query touch.
//! See `migrations/*_row_level_security/up.sql` for the policies.
//!
//! Every read or write of a tenant-scoped table happens inside a transaction that calls
//! `set_scope` first. The settings are transaction-local, so a pooled connection never carries
//! one request's tenant into the next; without them, tenant-scoped tables show nothing.
//!
//! The database functions here are selected as one record each (`diesel::select(f(x))`),
//! not through `sql_query`: diesel prepares a built query once per connection and raw SQL
//! again on every call, and these run on every login, refresh and uncached request.

use diesel::sql_types::{Bytea, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::id::{TenantId, UserId};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    pub tenant_id: Option<TenantId>,
    pub user_id: Option<UserId>,
    /// Platform work across tenants; only the service layer decides to use it.
    pub all_tenants: bool,
}

impl Scope {
    /// A user acting in a tenant.
    pub fn member(user_id: UserId, tenant_id: TenantId) -> Self {
        Self {
            tenant_id: Some(tenant_id),
            user_id: Some(user_id),
            all_tenants: false,
        }
    }

    /// A user before a tenant is chosen: sees only their own grants and sessions.
    pub fn user(user_id: UserId) -> Self {
        Self {
            user_id: Some(user_id),
            ..Self::default()
        }
    }

    /// Seeding, the CLI, and super admins' cross-tenant views.
    pub fn platform() -> Self {
        Self {
            all_tenants: true,
            ..Self::default()
        }
    }
}

diesel::define_sql_function! {
    /// PostgreSQL's `set_config(name, value, is_local)`.
    fn set_config(name: Text, value: Text, is_local: diesel::sql_types::Bool) -> Text;
}

pub async fn set_scope(conn: &mut AsyncPgConnection, scope: Scope) -> diesel::QueryResult<()> {
    let text = |id: Option<Uuid>| id.map(|u| u.to_string()).unwrap_or_default();
    let (tenant_id, user_id) = (
        scope.tenant_id.map(Uuid::from),
        scope.user_id.map(Uuid::from),
    );
    // Built with the query builder, not `sql_query`: a statically known query is prepared
    // once per connection, and every scoped transaction starts with it.
    diesel::select((
        set_config("inti.tenant_id", text(tenant_id), true),
        set_config("inti.user_id", text(user_id), true),
        set_config(
            "inti.all_tenants",
            if scope.all_tenants { "on" } else { "off" },
            true,
        ),
    ))
    .execute(conn)
    .await
    .map(|_| ())
}

diesel::define_sql_function! {
    /// Migrations 3 and 15: the live session's (user, tenant).
    fn inti_session_principal(session: SqlUuid) -> diesel::sql_types::Record<(SqlUuid, SqlUuid)>;
}

diesel::define_sql_function! {
    /// Migrations 3 and 15: the (session, user, tenant) a refresh token belongs to.
    fn inti_refresh_token_principal(hash: Bytea) -> diesel::sql_types::Record<(SqlUuid, SqlUuid, SqlUuid)>;
}

/// Who owns a live session: (user, tenant). Authentication needs this before any scope exists.
pub async fn session_principal(
    conn: &mut AsyncPgConnection,
    session_id: Uuid,
) -> diesel::QueryResult<Option<(Uuid, Uuid)>> {
    diesel::select(inti_session_principal(session_id))
        .get_result(conn)
        .await
        .optional()
}

/// Who owns the session a refresh token (spent or not) belongs to: (session, user, tenant).
pub async fn refresh_token_principal(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
) -> diesel::QueryResult<Option<(Uuid, Uuid, Uuid)>> {
    diesel::select(inti_refresh_token_principal(token_hash))
        .get_result(conn)
        .await
        .optional()
}

/// Who acts through a live session: everything a request's `Actor` needs, in one query.
pub struct ResolvedSession {
    pub user_id: Uuid,
    pub tenant_id: Uuid,
    pub role_id: Uuid,
    pub role_name: String,
    pub platform: bool,
    pub permissions: Vec<String>,
    /// Until when this holds unless something changes: the session's end, or the first end
    /// of one of the user's grants.
    pub valid_until: chrono::DateTime<chrono::Utc>,
}

diesel::define_sql_function! {
    /// Migration 7: the session's user, tenant, role, permissions and how long that holds.
    fn inti_resolve_session(session: SqlUuid) -> diesel::sql_types::Record<(
        SqlUuid,
        SqlUuid,
        SqlUuid,
        Text,
        diesel::sql_types::Bool,
        diesel::sql_types::Array<Text>,
        diesel::sql_types::Timestamptz,
    )>;
}

type ResolvedRow = (
    Uuid,
    Uuid,
    Uuid,
    String,
    bool,
    Vec<String>,
    chrono::DateTime<chrono::Utc>,
);

/// The session's actor, if the session is live and its user still reaches its tenant
/// (see `inti_resolve_session` in the migrations); one round trip, no scope needed.
pub async fn resolve_session(
    conn: &mut AsyncPgConnection,
    session_id: Uuid,
) -> diesel::QueryResult<Option<ResolvedSession>> {
    let found: Option<ResolvedRow> = diesel::select(inti_resolve_session(session_id))
        .get_result(conn)
        .await
        .optional()?;
    Ok(found.map(
        |(user_id, tenant_id, role_id, role_name, platform, permissions, valid_until)| {
            ResolvedSession {
                user_id,
                tenant_id,
                role_id,
                role_name,
                platform,
                permissions,
                valid_until,
            }
        },
    ))
}

use diesel::OptionalExtension;

/// Work to run on a scoped connection: a closure taking the connection and answering a
/// `Send` future (the shape diesel-async's transactions take).
pub trait ScopedWork<'r, R>:
    AsyncFnOnce(&'r mut AsyncPgConnection) -> Result<R, crate::domain::error::AppError>
    + FnOnce(&'r mut AsyncPgConnection) -> <Self as ScopedWork<'r, R>>::Fut
{
    type Fut: std::future::Future<Output = Result<R, crate::domain::error::AppError>> + Send;
}

impl<'r, F, Fut, R> ScopedWork<'r, R> for F
where
    F: AsyncFnOnce(&'r mut AsyncPgConnection) -> Result<R, crate::domain::error::AppError>
        + FnOnce(&'r mut AsyncPgConnection) -> Fut,
    Fut: std::future::Future<Output = Result<R, crate::domain::error::AppError>> + Send,
{
    type Fut = Fut;
}

/// The one way to tenant data: a pooled connection, a transaction, and the scope set first,
/// so that no query runs without one. Row-level security then holds every query inside it.
pub async fn scoped<R, F>(
    pool: &super::DbPool,
    scope: Scope,
    work: F,
) -> Result<R, crate::domain::error::AppError>
where
    for<'r> F: ScopedWork<'r, R> + Send,
    R: Send,
{
    use diesel_async::AsyncConnection;
    let mut conn = pool.get().await?;
    conn.transaction::<_, crate::domain::error::AppError, _>(async move |c| {
        set_scope(c, scope).await?;
        work(c).await
    })
    .await
}
