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

/// Refuses (429 with `Retry-After`) while a subject is locked; audits locks that have ended.
pub async fn before_attempt(
    state: &AppState,
    subjects: &[Subject<'_>],
    client: &ClientInfo,
) -> Result<(), AppError> {
    let ended = throttle::check(state, subjects).await?;
    if ended.is_empty() {
        return Ok(());
    }
    for end in ended {
        audit::record_unscoped(
            state,
            client,
            Event {
                action: AuditAction::AuthLockoutEnd,
                outcome: Outcome::Success,
                tenant_id: None,
                actor_user_id: None,
                target: None,
                details: json!({
                    "subjectType": end.subject_kind,
                    "subject": auditable(end.subject_kind, &end.subject),
                }),
            },
        )
        .await;
    }
    Ok(())
}

/// Counts a failed attempt; audits the locks it starts.
pub async fn after_failure(
    state: &AppState,
    subjects: &[Subject<'_>],
    client: &ClientInfo,
) -> Result<(), AppError> {
    let locks = throttle::record_failure(state, subjects).await?;
    if locks.is_empty() {
        return Ok(());
    }
    for lock in locks {
        tracing::warn!(
            subject_type = lock.subject_kind,
            failures = lock.failures,
            wait_secs = lock.wait.as_secs(),
            "brute-force lock"
        );
        audit::record_unscoped(
            state,
            client,
            Event {
                action: AuditAction::AuthLockout,
                outcome: Outcome::Failure,
                tenant_id: None,
                actor_user_id: None,
                target: None,
                details: json!({
                    "subjectType": lock.subject_kind,
                    "subject": auditable(lock.subject_kind, &lock.subject),
                    "failures": lock.failures,
                    "lockedForSecs": lock.wait.as_secs().max(1),
                }),
            },
        )
        .await;
    }
    Ok(())
}

/// A correct credential clears the account's count.
pub async fn after_success(state: &AppState, account: &str) -> Result<(), AppError> {
    throttle::record_success(state, account).await
}
