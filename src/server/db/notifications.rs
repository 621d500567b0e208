//! The `notifications` inbox and each person's `notification_preferences`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{notification_preferences, notifications};
use crate::domain::notification::{Channel, NotificationKind};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = notifications)]
pub struct NewNotification<'a> {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub kind: NotificationKind,
    pub title: &'a str,
    pub body: &'a str,
    pub link: Option<&'a str>,
    pub topic: Option<&'a str>,
}

/// Holds one inbox's writes until this transaction ends, so that its rows commit in the order
/// of their ids and a stream that sent id n never meets a smaller one later. Callers notify
/// several people in a fixed order (sorted), so that two transactions cannot deadlock.
pub async fn lock_inbox(
    conn: &mut AsyncPgConnection,
    (tenant, user): (Uuid, Uuid),
) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind::<diesel::sql_types::Text, _>(format!("notifications:{tenant}:{user}"))
        .execute(conn)
        .await
        .map(|_| ())
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    yes: bool,
}

/// Whether `user` is an active member of `tenant` now (an active account with an active,
/// unexpired grant): only members are told what happens there.
pub async fn is_member(
    conn: &mut AsyncPgConnection,
    (tenant, user): (Uuid, Uuid),
) -> QueryResult<bool> {
    let row: Exists = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM user_tenant_access a JOIN users u ON u.id = a.user_id \
         WHERE a.tenant_id = $1 AND a.user_id = $2 AND a.status = 'ACTIVE' \
           AND (a.expires_at IS NULL OR a.expires_at > now()) AND u.status = 'ACTIVE') AS yes",
    )
    .bind::<diesel::sql_types::Uuid, _>(tenant)
    .bind::<diesel::sql_types::Uuid, _>(user)
    .get_result(conn)
    .await?;
    Ok(row.yes)
}

/// Without `RETURNING`: the row is another person's, which the writer may not read.
pub async fn insert(conn: &mut AsyncPgConnection, new: NewNotification<'_>) -> QueryResult<()> {
    diesel::insert_into(notifications::table)
        .values(&new)
        .execute(conn)
        .await
        .map(|_| ())
}

fn inbox(tenant: Uuid, user: Uuid) -> notifications::BoxedQuery<'static, diesel::pg::Pg> {
    notifications::table
        .filter(notifications::tenant_id.eq(tenant))
        .filter(notifications::user_id.eq(user))
        .into_boxed()
}

/// One page, newest first, and how many there are.
pub async fn page(
    conn: &mut AsyncPgConnection,
    (tenant, user): (Uuid, Uuid),
    unread_only: bool,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<NotificationRow>, i64)> {
    let mut rows = inbox(tenant, user);
    let mut count = inbox(tenant, user);
    if unread_only {
        rows = rows.filter(notifications::read_at.is_null());
        count = count.filter(notifications::read_at.is_null());
    }
    let items = rows
        .order(notifications::id.desc())
        .offset(offset)
        .limit(limit)
        .select(NotificationRow::as_select())
        .load(conn)
        .await?;
    let total = count.count().get_result(conn).await?;
    Ok((items, total))
}

/// Those stored after `after`, oldest first: what a stream has not sent yet. (One inbox's
/// rows commit in the order of their ids: `lock_inbox`.)
pub async fn after(
    conn: &mut AsyncPgConnection,
    (tenant, user): (Uuid, Uuid),
    after: i64,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    inbox(tenant, user)
        .filter(notifications::id.gt(after))
        .order(notifications::id.asc())
        .limit(limit)
        .select(NotificationRow::as_select())
        .load(conn)
        .await
}

/// The newest id of the inbox (0 when empty): where a fresh stream starts.
pub async fn newest(
    conn: &mut AsyncPgConnection,
    (tenant, user): (Uuid, Uuid),
) -> QueryResult<i64> {
    inbox(tenant, user)
        .select(diesel::dsl::max(notifications::id))
        .first::<Option<i64>>(conn)
        .await
        .map(Option::unwrap_or_default)
}

pub async fn unread(
    conn: &mut AsyncPgConnection,
    (tenant, user): (Uuid, Uuid),
) -> QueryResult<i64> {
    inbox(tenant, user)
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
        .await
}

/// Marks one read (once: a second time keeps the first time); `None` when it is not the
/// person's.
pub async fn mark_read(
    conn: &mut AsyncPgConnection,
    (tenant, user): (Uuid, Uuid),
    id: i64,
) -> QueryResult<Option<NotificationRow>> {
    diesel::update(
        notifications::table
            .filter(notifications::tenant_id.eq(tenant))
            .filter(notifications::user_id.eq(user))
            .filter(notifications::id.eq(id)),
    )
    .set(notifications::read_at.eq(sql_time("coalesce(read_at, now())")))
    .returning(NotificationRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// A time computed by PostgreSQL (one clock for every node).
fn sql_time(
    expression: &'static str,
) -> diesel::expression::SqlLiteral<diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>> {
    diesel::dsl::sql(expression)
}

pub async fn mark_all_read(
    conn: &mut AsyncPgConnection,
    (tenant, user): (Uuid, Uuid),
) -> QueryResult<usize> {
    diesel::update(
        notifications::table
            .filter(notifications::tenant_id.eq(tenant))
            .filter(notifications::user_id.eq(user))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(sql_time("now()")))
    .execute(conn)
    .await
}

diesel::define_sql_function! {
    /// The channel a person chose for a kind (`APP` when they chose none); reveals nothing else.
    fn inti_notification_channel(person: diesel::sql_types::Uuid, of_kind: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

diesel::define_sql_function! {
    /// Tells the person invited by a pending invitation of the current tenant, in their home
    /// tenant (see the migration for what it checks); whether it did.
    fn inti_notify_invited(invitation: diesel::sql_types::Uuid, note_title: diesel::sql_types::Text, note_body: diesel::sql_types::Text, note_link: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Bool;
}

pub async fn notify_invited(
    conn: &mut AsyncPgConnection,
    invitation: Uuid,
    (title, body, link): (&str, &str, Option<&str>),
) -> QueryResult<bool> {
    diesel::select(inti_notify_invited(invitation, title, body, link))
        .get_result(conn)
        .await
}

pub async fn channel(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    kind: NotificationKind,
) -> QueryResult<Channel> {
    let text: String = diesel::select(inti_notification_channel(user, kind.as_str()))
        .get_result(conn)
        .await?;
    Ok(Channel::parse(&text).unwrap_or(Channel::App))
}

/// The kinds the person changed from `APP`.
pub async fn preferences(
    conn: &mut AsyncPgConnection,
    user: Uuid,
) -> QueryResult<Vec<(NotificationKind, Channel)>> {
    notification_preferences::table
        .filter(notification_preferences::user_id.eq(user))
        .select((
            notification_preferences::kind,
            notification_preferences::channel,
        ))
        .load(conn)
        .await
}

pub async fn set_preference(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    kind: NotificationKind,
    channel: Channel,
) -> QueryResult<()> {
    diesel::insert_into(notification_preferences::table)
        .values((
            notification_preferences::user_id.eq(user),
            notification_preferences::kind.eq(kind),
            notification_preferences::channel.eq(channel),
        ))
        .on_conflict((
            notification_preferences::user_id,
            notification_preferences::kind,
        ))
        .do_update()
        .set(notification_preferences::channel.eq(channel))
        .execute(conn)
        .await
        .map(|_| ())
}

#[derive(QueryableByName)]
struct Admin {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    tenant_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    user_id: Uuid,
}

/// The tenant admins (active access) of every tenant that uses `service` (an active
/// assignment), as (tenant, user): who hears that it went down or came back. Platform work.
pub async fn admins_using(
    conn: &mut AsyncPgConnection,
    service: Uuid,
) -> QueryResult<Vec<(Uuid, Uuid)>> {
    let rows: Vec<Admin> = diesel::sql_query(
        "SELECT a.tenant_id, a.user_id FROM tenant_service_assignments s \
         JOIN user_tenant_access a ON a.tenant_id = s.tenant_id AND a.status = 'ACTIVE' \
              AND (a.expires_at IS NULL OR a.expires_at > now()) \
         JOIN roles r ON r.id = a.role_id AND r.name = 'TENANT_ADMIN' \
         JOIN users u ON u.id = a.user_id AND u.status = 'ACTIVE' \
         WHERE s.service_id = $1 AND s.status = 'ACTIVE' \
         ORDER BY a.tenant_id, a.user_id",
    )
    .bind::<diesel::sql_types::Uuid, _>(service)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.tenant_id, r.user_id)).collect())
}

#[derive(QueryableByName)]
pub struct Ending {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub tenant_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub user_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub tenant_name: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub expires_at: DateTime<Utc>,
    /// This window's notice of this end: `access-ending:<days>:<end, epoch seconds>`.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub topic: String,
}

/// Active grants that end within `days` days (and not within `sooner` days, which the
/// nearer notice covers) whose person has not been told of this end (`topic`) in this
/// window. Platform work.
pub async fn endings(
    conn: &mut AsyncPgConnection,
    days: i32,
    sooner: i32,
) -> QueryResult<Vec<Ending>> {
    diesel::sql_query(
        "SELECT a.tenant_id, a.user_id, t.name AS tenant_name, a.expires_at, \
                'access-ending:' || $1 || ':' || extract(epoch FROM a.expires_at)::bigint AS topic \
         FROM user_tenant_access a JOIN tenants t ON t.id = a.tenant_id \
         WHERE a.status = 'ACTIVE' \
           AND a.expires_at > now() + make_interval(days => $2) \
           AND a.expires_at <= now() + make_interval(days => $1) \
           AND NOT EXISTS (SELECT 1 FROM notifications n \
                 WHERE n.tenant_id = a.tenant_id AND n.user_id = a.user_id \
                   AND n.topic = 'access-ending:' || $1 || ':' \
                                 || extract(epoch FROM a.expires_at)::bigint) \
         ORDER BY a.tenant_id, a.user_id",
    )
    .bind::<diesel::sql_types::Integer, _>(days)
    .bind::<diesel::sql_types::Integer, _>(sooner)
    .load(conn)
    .await
}
