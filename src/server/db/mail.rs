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

/// A message claimed for sending. Not `Debug`: its body may hold a one-time link.
pub struct Claimed {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: Option<String>,
    pub attempts: i32,
}

#[derive(QueryableByName)]
struct ClaimedRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Varchar)]
    recipient: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    subject: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    attempts: i32,
}

#[derive(QueryableByName)]
struct BodyRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    body: Option<String>,
}

/// The bodies of `ids`, through the platform-only function (migration 16): the server's
/// role cannot select a body directly.
async fn bodies(
    conn: &mut AsyncPgConnection,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, String>> {
    let rows: Vec<BodyRow> = diesel::sql_query("SELECT id, body FROM inti_mail_bodies($1)")
        .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(ids.to_vec())
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.body.map(|b| (r.id, b)))
        .collect())
}

/// Claims up to `limit` due messages (pending and due, or sending with a lease run out: its
/// worker died) for `claim`, leasing them for `lease_secs`. Rows another worker holds are
/// skipped, so two nodes never claim the same message. Platform work.
pub async fn claim_due(
    conn: &mut AsyncPgConnection,
    claim: Uuid,
    limit: i64,
    lease_secs: i32,
) -> QueryResult<Vec<Claimed>> {
    let rows: Vec<ClaimedRow> = diesel::sql_query(
        "UPDATE mail_outbox SET status = 'SENDING', attempts = attempts + 1, claim = $3, \
           lease_until = now() + make_interval(secs => $2) \
         WHERE id IN (SELECT id FROM mail_outbox \
                      WHERE (status = 'PENDING' AND next_attempt_at <= now()) \
                         OR (status = 'SENDING' AND lease_until < now()) \
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) \
         RETURNING id, recipient, subject, attempts",
    )
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .bind::<diesel::sql_types::Integer, _>(lease_secs)
    .bind::<diesel::sql_types::Uuid, _>(claim)
    .load(conn)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut bodies = bodies(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| Claimed {
            body: bodies.remove(&r.id),
            id: r.id,
            recipient: r.recipient,
            subject: r.subject,
            attempts: r.attempts,
        })
        .collect())
}

/// The message as its claim holds it: a worker whose lease ran out (and whose message
/// another took over) changes nothing.
#[diesel::dsl::auto_type(no_type_alias)]
fn held(id: i64, claim: Uuid) -> _ {
    mail_outbox::table
        .filter(mail_outbox::id.eq(id))
        .filter(mail_outbox::status.eq("SENDING"))
        .filter(mail_outbox::claim.eq(claim))
}

/// Gives back what a worker claimed and did not try (it is stopping, or its lease is about
/// to end): waiting again at once, the claim's attempt not counted.
pub async fn release(conn: &mut AsyncPgConnection, claim: Uuid) -> QueryResult<usize> {
    diesel::update(
        mail_outbox::table
            .filter(mail_outbox::status.eq("SENDING"))
            .filter(mail_outbox::claim.eq(claim)),
    )
    .set((
        mail_outbox::status.eq("PENDING"),
        mail_outbox::attempts.eq(mail_outbox::attempts - 1),
        mail_outbox::claim.eq(None::<Uuid>),
        mail_outbox::lease_until.eq(None::<DateTime<Utc>>),
    ))
    .execute(conn)
    .await
}

/// Marks a claimed message sent. `keep_body`: the dev mailbox shows it; otherwise the body
/// (which may hold a one-time link) is cleared.
pub async fn mark_sent(
    conn: &mut AsyncPgConnection,
    id: i64,
    claim: Uuid,
    keep_body: bool,
) -> QueryResult<()> {
    let sent = (
        mail_outbox::status.eq("SENT"),
        mail_outbox::sent_at.eq(diesel::dsl::now),
        mail_outbox::lease_until.eq(None::<DateTime<Utc>>),
        mail_outbox::last_error.eq(None::<String>),
    );
    if keep_body {
        diesel::update(held(id, claim))
            .set(sent)
            .execute(conn)
            .await?;
    } else {
        diesel::update(held(id, claim))
            .set((sent, mail_outbox::body.eq(None::<String>)))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Gives a failed attempt back: tried again at `retry_at`, or `None`: given up (FAILED, and
/// the body, which may hold a link, is cleared).
pub async fn mark_failed(
    conn: &mut AsyncPgConnection,
    id: i64,
    claim: Uuid,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    let failed = (
        mail_outbox::lease_until.eq(None::<DateTime<Utc>>),
        mail_outbox::last_error.eq(error),
        mail_outbox::next_attempt_at.eq(retry_at.unwrap_or_else(Utc::now)),
    );
    match retry_at {
        Some(_) => {
            diesel::update(held(id, claim))
                .set((mail_outbox::status.eq("PENDING"), failed))
                .execute(conn)
                .await?
        }
        None => {
            diesel::update(held(id, claim))
                .set((
                    mail_outbox::status.eq("FAILED"),
                    mail_outbox::body.eq(None::<String>),
                    failed,
                ))
                .execute(conn)
                .await?
        }
    };
    Ok(())
}

/// A message as the dev mailbox shows it.
pub struct Delivered {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: Option<String>,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// The newest messages, for the dev mailbox (platform work).
pub async fn newest(conn: &mut AsyncPgConnection, limit: i64) -> QueryResult<Vec<Delivered>> {
    let rows: Vec<(i64, String, String, String, DateTime<Utc>)> = mail_outbox::table
        .order(mail_outbox::id.desc())
        .limit(limit)
        .select((
            mail_outbox::id,
            mail_outbox::recipient,
            mail_outbox::subject,
            mail_outbox::status,
            mail_outbox::created_at,
        ))
        .load(conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut bodies = bodies(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|(id, recipient, subject, status, created_at)| Delivered {
            body: bodies.remove(&id),
            id,
            recipient,
            subject,
            status,
            created_at,
        })
        .collect())
}

/// Forgets finished mail (sent or given up) older than `days`, and links that expired or
/// were used more than `days` ago. Platform work; answers (messages, links) deleted.
pub async fn purge(conn: &mut AsyncPgConnection, days: i32) -> QueryResult<(usize, usize)> {
    use super::schema::{account_tokens, invitations};
    let cutoff = Utc::now() - chrono::Duration::days(i64::from(days));
    // A pending invitation keeps its message: the tenant still sees how it went.
    let still_shown = invitations::table
        .filter(invitations::status.eq("PENDING"))
        .filter(invitations::mail_id.eq(mail_outbox::id.nullable()));
    let messages = diesel::delete(
        mail_outbox::table
            .filter(mail_outbox::status.eq_any(["SENT", "FAILED"]))
            .filter(mail_outbox::created_at.lt(cutoff))
            .filter(diesel::dsl::not(diesel::dsl::exists(still_shown))),
    )
    .execute(conn)
    .await?;
    let links = diesel::delete(
        account_tokens::table.filter(
            account_tokens::expires_at
                .lt(cutoff)
                .or(account_tokens::used_at.lt(cutoff)),
        ),
    )
    .execute(conn)
    .await?;
    Ok((messages, links))
}
