//! Queries on `users`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::users;
use crate::domain::tenant::Status;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub home_tenant_id: Uuid,
    pub current_tenant_id: Option<Uuid>,
    pub status: String,
    pub last_login_at: Option<DateTime<Utc>>,
    /// The person's display settings and other choices of their own.
    pub preferences: serde_json::Value,
    /// A confirmed authenticator app: sign-ins ask for its code.
    pub two_factor_enabled: bool,
}

/// What login needs. Deliberately not `Debug`: it carries the password hash.
pub struct Credentials {
    pub id: Uuid,
    pub password_hash: String,
    pub status: String,
}

/// Only an active account signs in.
fn is_active(status: &str) -> bool {
    status == Status::Active.as_str()
}

impl User {
    pub fn is_active(&self) -> bool {
        is_active(&self.status)
    }
}

impl Credentials {
    pub fn is_active(&self) -> bool {
        is_active(&self.status)
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub name: &'a str,
    pub home_tenant_id: Uuid,
}

/// An account's credentials by email, before anyone is known (row-level security hides
/// every account from an unscoped query; a narrow database function answers this one).
pub async fn credentials_by_email(
    conn: &mut AsyncPgConnection,
    email: &str,
) -> QueryResult<Option<Credentials>> {
    // `SELECT inti_login_credentials($1)`, a row as one record: see `db::scope` for why.
    let found: Option<(Uuid, String, String)> = diesel::select(inti_login_credentials(email))
        .get_result(conn)
        .await
        .optional()?;
    Ok(found.map(|(id, password_hash, status)| Credentials {
        id,
        password_hash,
        status,
    }))
}

diesel::define_sql_function! {
    /// Migrations 3 and 15: the id, password hash and status of the account with this email.
    fn inti_login_credentials(email: diesel::sql_types::Text) -> diesel::sql_types::Record<(diesel::sql_types::Uuid, diesel::sql_types::Text, diesel::sql_types::Text)>;
}

/// Whether an account with this email exists, and its id, whatever the scope (adding a
/// member by email); nothing else about the account is revealed.
pub async fn account_id(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Option<Uuid>> {
    diesel::select(inti_account_id(email))
        .get_result(conn)
        .await
}

diesel::define_sql_function! {
    /// Migrations 3 and 15: the id of the account with this email, if any.
    fn inti_account_id(email: diesel::sql_types::Text) -> diesel::sql_types::Nullable<diesel::sql_types::Uuid>;
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find_by_email(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn insert(conn: &mut AsyncPgConnection, new: NewUser<'_>) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

/// Creates the account unless its email is taken meanwhile (a racing insert, perhaps by
/// another tenant's invitation): `None` then, never a unique violation that would tell the
/// caller an account exists.
pub async fn insert_unless_taken(
    conn: &mut AsyncPgConnection,
    new: NewUser<'_>,
) -> QueryResult<Option<Uuid>> {
    diesel::insert_into(users::table)
        .values(new)
        .on_conflict(users::email)
        .do_nothing()
        .returning(users::id)
        .get_result(conn)
        .await
        .optional()
}

diesel::define_sql_function! {
    /// Migration 16: sets the password hash of the account itself or (platform work) any
    /// account; a tenant scope cannot write `password_hash` otherwise.
    fn inti_set_password(account: diesel::sql_types::Uuid, hash: diesel::sql_types::Text) -> diesel::sql_types::Bool;
}

diesel::define_sql_function! {
    /// Migration 16: platform work only: the account's address, verified.
    fn inti_set_email(account: diesel::sql_types::Uuid, new_email: diesel::sql_types::Text) -> diesel::sql_types::Bool;
}

diesel::define_sql_function! {
    /// Migration 16: platform work only: the account's status everywhere.
    fn inti_set_account_status(account: diesel::sql_types::Uuid, new_status: diesel::sql_types::Text) -> diesel::sql_types::Bool;
}

pub async fn set_password_hash(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    hash: &str,
) -> QueryResult<bool> {
    diesel::select(inti_set_password(id, hash))
        .get_result(conn)
        .await
}

/// Sets (or confirms) the account's address as verified: its owner opened a link sent there.
pub async fn set_verified_email(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    email: &str,
) -> QueryResult<bool> {
    diesel::select(inti_set_email(id, email))
        .get_result(conn)
        .await
}

pub async fn set_status(conn: &mut AsyncPgConnection, id: Uuid, status: &str) -> QueryResult<bool> {
    diesel::select(inti_set_account_status(id, status))
        .get_result(conn)
        .await
}

diesel::define_sql_function! {
    /// Migration 15: sets the user's last login and current tenant. Returns `void`: only
    /// ever executed, never read.
    fn inti_record_login(account: diesel::sql_types::Uuid, tenant: diesel::sql_types::Uuid) -> diesel::sql_types::Text;
}

pub async fn record_login(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    tenant_id: Uuid,
) -> QueryResult<()> {
    diesel::select(inti_record_login(id, tenant_id))
        .execute(conn)
        .await
        .map(|_| ())
}

/// One account with its home tenant's domain.
pub async fn find_with_home(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<(User, String)>> {
    use super::schema::tenants;
    users::table
        .inner_join(tenants::table.on(tenants::id.eq(users::home_tenant_id)))
        .filter(users::id.eq(id))
        .select((User::as_select(), tenants::domain))
        .first(conn)
        .await
        .optional()
}

/// Every account, with its home tenant's domain; searched by email or name, paged.
pub async fn search_all(
    conn: &mut AsyncPgConnection,
    text: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<(User, String)>, i64)> {
    use super::schema::tenants;
    let filtered = || {
        let mut q = users::table
            .inner_join(tenants::table.on(tenants::id.eq(users::home_tenant_id)))
            .into_boxed();
        if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
            let pattern = super::like_pattern(text);
            q = q.filter(
                users::email
                    .ilike(pattern.clone())
                    .or(users::name.ilike(pattern)),
            );
        }
        q
    };
    let total = filtered().count().get_result(conn).await?;
    let rows = filtered()
        .order((users::email.asc(), users::id.asc()))
        .offset(offset)
        .limit(limit)
        .select((User::as_select(), tenants::domain))
        .load(conn)
        .await?;
    Ok((rows, total))
}

/// Replaces the person's display settings in their preferences (other keys stay).
pub async fn set_display(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    display: serde_json::Value,
) -> QueryResult<bool> {
    diesel::sql_query("UPDATE users SET preferences = preferences || $2 WHERE id = $1")
        .bind::<diesel::sql_types::Uuid, _>(id)
        .bind::<diesel::sql_types::Jsonb, _>(display)
        .execute(conn)
        .await
        .map(|n| n == 1)
}
