//! What every signed-in user may do to their own account: rename themselves, choose how
//! times are shown, see and end their sessions, and change their password (which ends all
//! their other sessions and refresh-token families).

use serde_json::json;

use crate::{
    domain::audit::AuditAction,
    domain::{
        error::{AppError, Input},
        identity::{check_new_password, parse_name},
    },
    server::db::scope::{scoped, Scope},
    server::{
        auth::{
            actor::{Actor, ClientInfo},
            password,
        },
        db::{audit::Outcome, members, sessions, users},
        secret::Secret,
        services::{
            account_links,
            audit::{self, Event},
            lockout,
        },
        state::AppState,
    },
};

#[tracing::instrument(level = "debug", skip_all)]
pub async fn rename(
    state: &AppState,
    actor: &Actor,
    name: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let name = parse_name("name", name)?;
    scoped(&state.db, actor.scope(), async |c| {
        members::set_name(c, actor.user_id, &name).await?;
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::AccountRename,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("user", actor.user_id.to_string())),
                details: json!({ "name": name }),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

/// The person's live sessions, in every tenant; the one asking is marked.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sessions(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<crate::domain::account::SessionInfo>, AppError> {
    scoped(&state.db, Scope::user(actor.user()), async |c| {
        Ok(sessions::live_of(c, actor.user_id)
            .await?
            .into_iter()
            .map(|s| crate::domain::account::SessionInfo {
                current: s.id == actor.session_id,
                id: s.id,
                kind: s.kind,
                client: s.user_agent,
                address: s.client_ip,
                tenant: s.tenant_name,
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
            })
            .collect())
    })
    .await
}

/// Ends one of the person's sessions (another person's, or one already ended: 404), or with
/// `id` `None` every one but the asking session. Answers how many ended.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn revoke_sessions(
    state: &AppState,
    actor: &Actor,
    id: Option<Input<uuid::Uuid>>,
    client: &ClientInfo,
) -> Result<usize, AppError> {
    let id = id.transpose()?;
    // In the actor's tenant scope: the audit entry belongs there; the updates name the user.
    scoped(&state.db, actor.scope(), async |c| {
        let ended = match id {
            Some(id) => {
                if !sessions::revoke_own(c, actor.user_id, id, "revoked_by_user").await? {
                    return Err(AppError::NotFound);
                }
                1
            }
            None => {
                sessions::revoke_others(c, actor.user_id, actor.session_id, "revoked_by_user")
                    .await?
            }
        };
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::AccountSessionRevoke,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("user", actor.user_id.to_string())),
                details: json!({ "session": id, "ended": ended }),
            },
        )
        .await?;
        Ok(ended)
    })
    .await
}

/// Sets the person's time zone and date format (their own, in every tenant).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn change_display(
    state: &AppState,
    actor: &Actor,
    change: crate::domain::account::ChangeDisplay,
) -> Result<crate::domain::account::DisplaySettings, AppError> {
    let zone = change.time_zone.trim();
    if zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(AppError::validation(
            "timeZone",
            "is not a time zone name; use one such as Europe/Berlin, Asia/Jakarta or UTC",
        ));
    }
    let display =
        crate::server::time_zones::with_offsets(crate::domain::account::DisplaySettings {
            time_zone: zone.to_string(),
            date_format: change.date_format,
            offsets: Vec::new(),
        });
    let stored = serde_json::json!({
        "timeZone": display.time_zone,
        "dateFormat": display.date_format.as_str(),
    });
    scoped(&state.db, actor.scope(), async |c| {
        if !users::set_display(c, actor.user_id, stored).await? {
            return Err(AppError::Unauthenticated);
        }
        Ok(())
    })
    .await?;
    Ok(display)
}

/// Requires the current password. Answers how many other sessions ended.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    current: &Secret,
    new: &Secret,
    client: &ClientInfo,
) -> Result<usize, AppError> {
    check_new_password("newPassword", new.expose())?;
    if current.expose() == new.expose() {
        return Err(AppError::validation(
            "newPassword",
            "Choose a password different from the current one",
        ));
    }
    check_current_password(
        state,
        actor,
        current,
        client,
        AuditAction::AccountPasswordChange,
    )
    .await?;
    let hash = password::hash(new).await?;
    scoped(&state.db, actor.scope(), async |c| {
        if !users::set_password_hash(c, actor.user_id, &hash).await? {
            return Err(AppError::Unauthenticated);
        }
        // A reset or address-change link asked for before this change dies with it.
        account_links::spend_every_link(c, actor.user_id, actor.scope()).await?;
        let ended =
            sessions::revoke_others(c, actor.user_id, actor.session_id, "password_changed").await?;
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::AccountPasswordChange,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("user", actor.user_id.to_string())),
                details: json!({ "sessionsEnded": ended }),
            },
        )
        .await?;
        Ok(ended)
    })
    .await
}

/// Checks the signed-in user's current password before a change that needs it. It is a
/// credential check: throttled like a login (no connection held while argon2 runs), and a
/// wrong one is audited as a failed `action` and answers 422 naming `currentPassword`.
pub(crate) async fn check_current_password(
    state: &AppState,
    actor: &Actor,
    current: &Secret,
    client: &ClientInfo,
    action: AuditAction,
) -> Result<(), AppError> {
    let creds = {
        scoped(&state.db, actor.scope(), async |c| {
            let user = users::find(c, actor.user_id)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            users::credentials_by_email(c, &user.email)
                .await?
                .map(|cred| (user.email, cred.password_hash))
                .ok_or(AppError::Unauthenticated)
        })
        .await?
    };
    let (email, stored) = creds;
    let (st, cl, typed) = (state.clone(), client.clone(), current.clone());
    let ok = lockout::to_completion(async move {
        let subjects = lockout::subjects(Some(&email), &cl);
        lockout::before_attempt(&st, &subjects, &cl).await?;
        let checked = password::verify(&typed, Some(stored))
            .await
            .map(|ok| (ok, ()));
        let (ok, ()) = lockout::settle_after(&st, &subjects, &cl, checked).await?;
        Ok(ok)
    })
    .await?;
    if !ok {
        scoped(&state.db, actor.scope(), async |c| {
            audit::record(
                c,
                client,
                Event {
                    action,
                    outcome: Outcome::Failure,
                    tenant_id: Some(actor.tenant_id),
                    actor_user_id: Some(actor.user_id),
                    target: Some(("user", actor.user_id.to_string())),
                    details: json!({ "reason": "wrong current password" }),
                },
            )
            .await?;
            Ok(())
        })
        .await?;
        return Err(AppError::validation(
            "currentPassword",
            "The current password is not correct",
        ));
    }
    Ok(())
}
