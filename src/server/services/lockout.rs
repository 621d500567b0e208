//! Brute-force protection around every credential check, with its audit trail: a lock and
//! the end of a lock are recorded (`auth.lockout`, `auth.lockout_end`).

use serde_json::json;

use crate::{
    domain::audit::AuditAction,
    domain::{error::AppError, identity::parse_email},
    server::{
        auth::{
            actor::ClientInfo,
            throttle::{self, Subject},
        },
        db::audit::Outcome,
        services::audit::{self, Event},
        state::AppState,
    },
};

/// The subjects an attempt counts against: the account (when one is named) and the client IP.
pub fn subjects<'a>(account: Option<&'a str>, client: &'a ClientInfo) -> Vec<Subject<'a>> {
    account
        .map(Subject::Account)
        .into_iter()
        .chain(client.ip.as_deref().map(Subject::Ip))
        .collect()
}

/// What the audit log may show of a subject: an IP, or an account only when it has an
/// email's shape (a password typed into the email field is never recorded).
fn auditable(kind: &str, value: &str) -> Option<String> {
    match kind {
        "account" => parse_email("email", value)
            .ok()
            .or_else(|| uuid::Uuid::parse_str(value).ok().map(|u| u.to_string())),
        _ => Some(value.to_string()),
    }
}

/// Counts an attempt before a credential check: refuses (429 with `Retry-After`) while a
/// subject is locked, and audits the locks this attempt starts and those that have ended.
pub async fn before_attempt(
    state: &AppState,
    subjects: &[Subject<'_>],
    client: &ClientInfo,
) -> Result<(), AppError> {
    for r in throttle::reserve(state, subjects).await? {
        let subject = auditable(r.subject_kind, &r.subject);
        if r.lock_ended {
            let details = json!({ "subjectType": r.subject_kind, "subject": subject });
            audit::record_unscoped(
                state,
                client,
                lock_event(AuditAction::AuthLockoutEnd, details),
            )
            .await;
        }
        if let Some((attempts, wait)) = r.locked {
            tracing::warn!(
                subject_type = r.subject_kind,
                attempts,
                wait_secs = wait.as_secs(),
                "brute-force lock"
            );
            let details = json!({
                "subjectType": r.subject_kind,
                "subject": subject,
                "failures": attempts,
                "lockedForSecs": wait.as_secs().max(1),
            });
            audit::record_unscoped(state, client, lock_event(AuditAction::AuthLockout, details))
                .await;
        }
    }
    Ok(())
}

fn lock_event(action: AuditAction, details: serde_json::Value) -> Event<'static> {
    Event {
        action,
        outcome: if action == AuditAction::AuthLockout {
            Outcome::Failure
        } else {
            Outcome::Success
        },
        tenant_id: None,
        actor_user_id: None,
        target: None,
        details,
    }
}

/// A correct credential gives its attempt back (and clears the account's count).
pub async fn after_success(state: &AppState, subjects: &[Subject<'_>]) -> Result<(), AppError> {
    throttle::refund(state, subjects).await
}
