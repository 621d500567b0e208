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

/// The subjects an attempt counts against: the account from this client's network (when an
/// account is named), the network, and the account across networks (slowed, never locked).
pub fn subjects<'a>(account: Option<&'a str>, client: &'a ClientInfo) -> Vec<Subject<'a>> {
    let ip = client.ip.as_deref();
    let from_here = account.map(|account| Subject::Account { account, ip });
    from_here
        .into_iter()
        .chain(ip.map(Subject::Ip))
        .chain(account.map(Subject::AccountWide))
        .collect()
}

/// How long a check waits for a free slot when its subjects are busy with other checks.
const BUSY_RETRIES: u32 = 20;
const BUSY_PAUSE: std::time::Duration = std::time::Duration::from_millis(150);

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

/// Runs a whole credential check (from `before_attempt` to `settle_after`) on a task of its
/// own, so that it ends and frees its slot even when the client goes away: a check cut short
/// would stay counted as running for half a minute, and dropping requests would keep an
/// account busy for its owner.
pub async fn to_completion<T: Send + 'static>(
    check: impl std::future::Future<Output = Result<T, AppError>> + Send + 'static,
) -> Result<T, AppError> {
    use crate::server::auth::access_cache::{note_change, tracking_changes};
    // The spawned task does not inherit the request's change tracking: carry it back.
    // Nor its span: the check's log lines still belong to the request.
    let check = tracing::Instrument::in_current_span(tracking_changes(check));
    let (out, changed) = tokio::spawn(check).await?;
    if changed {
        note_change();
    }
    out
}

/// Before a credential check: refuses (429 with `Retry-After`) while a subject is locked, or
/// still busy with concurrent checks after a few seconds' wait; pauses a check of a flooded
/// account; audits locks that have ended.
pub async fn before_attempt(
    state: &AppState,
    subjects: &[Subject<'_>],
    client: &ClientInfo,
) -> Result<(), AppError> {
    let mut tries = 0;
    loop {
        let reservation = throttle::reserve(state, subjects).await?;
        audit_locks(state, client, reservation.ended).await;
        match reservation.refused {
            Some(_) if reservation.busy && tries < BUSY_RETRIES => {
                tries += 1;
                tokio::time::sleep(BUSY_PAUSE).await;
            }
            Some(refusal) => return Err(refusal),
            None => {
                if reservation.flooded {
                    tokio::time::sleep(throttle::FLOOD_DELAY).await;
                }
                return Ok(());
            }
        }
    }
}

/// Runs a credential check that `before_attempt` let through and always settles it: `Ok(true)`
/// a correct credential, `Ok(false)` a wrong one (counted, and audited if it starts a lock),
/// an error an undecided check (its slot is freed, nothing counted).
pub async fn settle_after<T>(
    state: &AppState,
    subjects: &[Subject<'_>],
    client: &ClientInfo,
    checked: Result<(bool, T), AppError>,
) -> Result<(bool, T), AppError> {
    let outcome = match &checked {
        Ok((true, _)) => throttle::Outcome::Success,
        Ok((false, _)) => throttle::Outcome::Failure,
        Err(_) => throttle::Outcome::Undecided,
    };
    settle(state, subjects, client, outcome).await?;
    checked
}

/// Settles a credential check that `before_attempt` let through with its outcome (audited if
/// it starts a lock).
pub async fn settle(
    state: &AppState,
    subjects: &[Subject<'_>],
    client: &ClientInfo,
    outcome: throttle::Outcome,
) -> Result<(), AppError> {
    let started = throttle::settle(state, subjects, outcome).await?;
    audit_locks(state, client, started).await;
    Ok(())
}

async fn audit_locks(state: &AppState, client: &ClientInfo, events: Vec<throttle::LockEvent>) {
    for e in events {
        let subject = auditable(e.subject_kind, &e.subject);
        let (action, outcome, details) = match e.started {
            Some((failures, wait)) => {
                crate::server::metrics::lock_started(e.subject_kind);
                tracing::warn!(
                    subject_type = e.subject_kind,
                    failures,
                    wait_secs = wait.as_secs(),
                    "brute-force lock"
                );
                let details = json!({
                    "subjectType": e.subject_kind,
                    "subject": subject,
                    "failures": failures,
                    "lockedForSecs": wait.as_secs().max(1),
                });
                (AuditAction::AuthLockout, Outcome::Failure, details)
            }
            None => {
                let details = json!({ "subjectType": e.subject_kind, "subject": subject });
                (AuditAction::AuthLockoutEnd, Outcome::Success, details)
            }
        };
        let event = Event {
            action,
            outcome,
            tenant_id: None,
            actor_user_id: None,
            target: None,
            details,
        };
        audit::record_unscoped(state, client, event).await;
    }
}
