//! Sending the mail outbox. Changes that send mail queue it in their own transaction
//! (`queue`); a worker on every node claims due messages (`FOR UPDATE SKIP LOCKED`, with a
//! lease), sends them over SMTP outside any transaction, and marks them sent, or due again
//! after a backoff, or failed after the last attempt. In dev mode without SMTP, sending means
//! keeping the message for the dev mailbox page (`/dev/mailbox`).

use std::time::Duration;

use chrono::Utc;
use diesel_async::AsyncPgConnection;
use lettre::{
    message::{header::ContentType, Mailbox},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use uuid::Uuid;

use crate::{
    domain::error::AppError,
    server::{
        config::MailSettings,
        db::{
            mail::{self, NewMail},
            scope::{scoped, Scope},
        },
        state::AppState,
    },
};

/// What a message is about (the outbox's `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Invitation,
    PasswordReset,
    EmailChange,
    EmailChangeNotice,
    Notification,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "INVITATION",
            Self::PasswordReset => "PASSWORD_RESET",
            Self::EmailChange => "EMAIL_CHANGE",
            Self::EmailChangeNotice => "EMAIL_CHANGE_NOTICE",
            Self::Notification => "NOTIFICATION",
        }
    }
}

/// A plain-text message to one address.
pub struct Mail<'a> {
    pub kind: Kind,
    pub tenant_id: Option<Uuid>,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Queues a message in the caller's transaction: it is sent only if that commits.
pub async fn queue(conn: &mut AsyncPgConnection, mail: Mail<'_>) -> Result<i64, AppError> {
    Ok(mail::enqueue(
        conn,
        NewMail {
            tenant_id: mail.tenant_id,
            kind: mail.kind.as_str(),
            recipient: mail.to,
            subject: mail.subject,
            body: mail.body,
        },
    )
    .await?)
}

/// Attempts before a message is given up on.
pub const MAX_ATTEMPTS: i32 = 8;
/// Messages one worker claims at once, how long one SMTP exchange may take, and how long a
/// claim is held before another worker may take it over: longer than a whole batch can take,
/// so that no message still being sent is claimed twice.
const BATCH: i64 = 10;
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);
const LEASE_SECS: i32 = 300;
const _: () = assert!((BATCH as u64) * SMTP_TIMEOUT.as_secs() < LEASE_SECS as u64);

/// The wait before attempt `attempts + 1`: 30 s, doubling, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    Duration::from_secs((30u64 << exp).min(3600))
}

enum Transport {
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
    /// Dev mode without SMTP: the message stays in the outbox, shown by `/dev/mailbox`.
    DevMailbox,
}

impl Transport {
    fn new(settings: &MailSettings) -> Result<Self, String> {
        match &settings.smtp_url {
            None => Ok(Self::DevMailbox),
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                .map(|b| Self::Smtp(Box::new(b.timeout(Some(SMTP_TIMEOUT)).build())))
                .map_err(|e| format!("mail.smtp_url: {e}")),
        }
    }
}

/// Sends what is due; answers how many messages were sent. Every node runs this in a loop
/// (`start`); tests call it directly.
pub async fn deliver_due(state: &AppState) -> Result<usize, AppError> {
    let transport = Transport::new(&state.settings.mail).map_err(|e| {
        tracing::error!(error = %e, "mail transport");
        AppError::Internal
    })?;
    let from: Mailbox = state
        .settings
        .mail
        .from
        .parse()
        .map_err(|_| AppError::Internal)?;
    let claim = Uuid::new_v4();
    let claimed = scoped(&state.db, Scope::platform(), async |c| {
        Ok(mail::claim_due(c, claim, BATCH, LEASE_SECS).await?)
    })
    .await?;
    let mut sent = 0;
    // Past this, the lease may be another worker's: what is left waits for it to run out.
    let deadline = tokio::time::Instant::now()
        + Duration::from_secs(u64::try_from(LEASE_SECS).unwrap_or(0))
        - 2 * SMTP_TIMEOUT;
    for message in claimed {
        // A stopping node, or a lease about to end, gives the rest back for the next round.
        if tokio::time::Instant::now() >= deadline || state.lifecycle.stop_requested() {
            scoped(&state.db, Scope::platform(), async |c| {
                Ok(mail::release(c, claim).await?)
            })
            .await?;
            break;
        }
        let outcome = send(&transport, &from, &message).await;
        let recorded = scoped(&state.db, Scope::platform(), async |c| {
            match &outcome {
                Ok(()) => {
                    let keep = matches!(transport, Transport::DevMailbox);
                    mail::mark_sent(c, message.id, claim, keep).await?;
                    Ok("sent")
                }
                Err(e) => {
                    tracing::warn!(mail_id = message.id, attempts = message.attempts, error = %e, "mail not sent");
                    let retry = (message.attempts < MAX_ATTEMPTS).then(|| {
                        Utc::now()
                            + chrono::Duration::from_std(backoff(message.attempts))
                                .unwrap_or_default()
                    });
                    mail::mark_failed(c, message.id, claim, e, retry).await?;
                    Ok(if retry.is_some() { "retry" } else { "failed" })
                }
            }
        })
        .await?;
        // Counted once the outcome is committed.
        crate::server::metrics::mail_delivery(recorded);
        sent += usize::from(outcome.is_ok());
    }
    Ok(sent)
}

async fn send(
    transport: &Transport,
    from: &Mailbox,
    message: &mail::Claimed,
) -> Result<(), String> {
    let Transport::Smtp(smtp) = transport else {
        return Ok(());
    };
    let to: Mailbox = message
        .recipient
        .parse()
        .map_err(|e| format!("recipient: {e}"))?;
    let email = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&message.subject)
        .header(ContentType::TEXT_PLAIN)
        .body(message.body.clone().unwrap_or_default())
        .map_err(|e| format!("message: {e}"))?;
    // lettre's own timeout bounds the connection only: a server that stops answering
    // mid-conversation must not hold the worker (and its lease) forever.
    match tokio::time::timeout(SMTP_TIMEOUT, smtp.send(email)).await {
        // lettre's errors name the server's answer, never the credentials.
        Ok(sent) => sent.map(|_| ()).map_err(|e| format!("smtp: {e}")),
        Err(_) => Err("smtp: the server did not answer in time".into()),
    }
}

/// How long finished mail and spent or expired links are kept (recipients and subjects are
/// personal data; nothing needs them after that).
pub const KEEP_DAYS: i32 = 30;

/// Runs `deliver_due` every `mail.poll_secs` on this node, and `purge` hourly.
pub fn start(state: &AppState) {
    let job = state.clone();
    state.lifecycle.spawn(async move {
        let state = job;
        let mut tick = tokio::time::interval(state.settings.mail.poll_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_purge: Option<tokio::time::Instant> = None;
        while state.lifecycle.tick(&mut tick).await {
            let round = deliver_due(&state).await;
            crate::server::metrics::job_round("mail_outbox", round.is_ok());
            if let Err(e) = round {
                tracing::warn!(error = %e, "mail outbox round failed");
            }
            if last_purge.is_none_or(|t| t.elapsed() >= Duration::from_secs(3600)) {
                last_purge = Some(tokio::time::Instant::now());
                if let Err(e) = purge(&state).await {
                    tracing::warn!(error = %e, "mail outbox purge failed");
                }
            }
        }
    });
}

/// Forgets finished mail and spent or expired links older than `KEEP_DAYS` (every node may
/// run it; deleting twice is harmless).
pub async fn purge(state: &AppState) -> Result<(usize, usize), AppError> {
    scoped(&state.db, Scope::platform(), async |c| {
        Ok(mail::purge(c, KEEP_DAYS).await?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(4), Duration::from_secs(240));
        assert_eq!(backoff(8), Duration::from_secs(3600));
        assert_eq!(backoff(100), Duration::from_secs(3600));
    }
}
