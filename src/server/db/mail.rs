//! Queries on `mail_outbox`: mail is written in the transaction of the change that sends it,
//! then claimed, sent and marked by a worker on any node.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::mail_outbox;

pub struct NewMail<'a> {
    pub tenant_id: Option<Uuid>,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Queues a message; answers its id.
pub async fn enqueue(conn: &mut AsyncPgConnection, mail: NewMail<'_>) -> QueryResult<i64> {
    diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::tenant_id.eq(mail.tenant_id),
            mail_outbox::kind.eq(mail.kind),
            mail_outbox::recipient.eq(mail.recipient),
            mail_outbox::subject.eq(mail.subject),
            mail_outbox::body.eq(mail.body),
        ))
        .returning(mail_outbox::id)
        .get_result(conn)
        .await
}

/// A message claimed for sending.
#[derive(Debug, Clone, Queryable)]
pub struct Claimed {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: Option<String>,
    pub attempts: i32,
}

/// Claims up to `limit` due messages (pending and due, or sending with a lease run out: its
/// worker died), leasing them for `lease` seconds. Rows another worker holds are skipped, so
/// two nodes never claim the same message.
pub async fn claim_due(
    conn: &mut AsyncPgConnection,
    limit: i64,
    lease_secs: i32,
) -> QueryResult<Vec<Claimed>> {
    diesel::sql_query(
        "UPDATE mail_outbox SET status = 'SENDING', attempts = attempts + 1, \
           lease_until = now() + make_interval(secs => $2) \
         WHERE id IN (SELECT id FROM mail_outbox \
                      WHERE (status = 'PENDING' AND next_attempt_at <= now()) \
                         OR (status = 'SENDING' AND lease_until < now()) \
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) \
         RETURNING id, recipient, subject, body, attempts",
    )
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .bind::<diesel::sql_types::Integer, _>(lease_secs)
    .load::<ClaimedRow>(conn)
    .await
    .map(|rows| rows.into_iter().map(ClaimedRow::into).collect())
}

#[derive(QueryableByName)]
struct ClaimedRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Varchar)]
    recipient: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    subject: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    body: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    attempts: i32,
}

impl From<ClaimedRow> for Claimed {
    fn from(r: ClaimedRow) -> Self {
        Self {
            id: r.id,
            recipient: r.recipient,
            subject: r.subject,
            body: r.body,
            attempts: r.attempts,
        }
    }
}

/// Marks a claimed message sent. `keep_body`: the dev mailbox shows it; otherwise the body
/// (which may hold a one-time link) is cleared.
pub async fn mark_sent(conn: &mut AsyncPgConnection, id: i64, keep_body: bool) -> QueryResult<()> {
    let target = mail_outbox::table
        .find(id)
        .filter(mail_outbox::status.eq("SENDING"));
    let sent = (
        mail_outbox::status.eq("SENT"),
        mail_outbox::sent_at.eq(diesel::dsl::now),
        mail_outbox::lease_until.eq(None::<DateTime<Utc>>),
        mail_outbox::last_error.eq(None::<String>),
    );
    if keep_body {
        diesel::update(target).set(sent).execute(conn).await?;
    } else {
        diesel::update(target)
            .set((sent, mail_outbox::body.eq(None::<String>)))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Gives a failed attempt back: tried again at `retry_at`, or `None`: given up (FAILED).
pub async fn mark_failed(
    conn: &mut AsyncPgConnection,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    let target = mail_outbox::table
        .find(id)
        .filter(mail_outbox::status.eq("SENDING"));
    let status = if retry_at.is_some() {
        "PENDING"
    } else {
        "FAILED"
    };
    diesel::update(target)
        .set((
            mail_outbox::status.eq(status),
            mail_outbox::lease_until.eq(None::<DateTime<Utc>>),
            mail_outbox::last_error.eq(error),
            mail_outbox::next_attempt_at.eq(retry_at.unwrap_or_else(Utc::now)),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// A delivered message as the dev mailbox shows it.
#[derive(Debug, Clone, Queryable)]
pub struct Delivered {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: Option<String>,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// The newest messages, for the dev mailbox.
pub async fn newest(conn: &mut AsyncPgConnection, limit: i64) -> QueryResult<Vec<Delivered>> {
    mail_outbox::table
        .order(mail_outbox::id.desc())
        .limit(limit)
        .select((
            mail_outbox::id,
            mail_outbox::recipient,
            mail_outbox::subject,
            mail_outbox::body,
            mail_outbox::status,
            mail_outbox::created_at,
        ))
        .load(conn)
        .await
}
