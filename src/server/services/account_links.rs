//! One-time links by e-mail: the only way a password is ever chosen for an account that an
//! admin added, the way back into a forgotten one, and the proof that a new address belongs
//! to the person changing to it. A link is 256 random bits, stored as SHA-256 only, used
//! once, bound to the address it was sent to, and expires. Whoever holds the mailbox holds
//! the account; no admin chooses or learns another person's password.

use std::time::Duration;

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use crate::{
    domain::{
        audit::AuditAction,
        error::AppError,
        identity::{check_new_password, parse_email},
        invitation::{Invitation, LinkView},
    },
    server::{
        auth::{
            actor::{Actor, ClientInfo},
            password, refresh_token,
            throttle::ip_network,
        },
        db::{
            account_tokens,
            audit::Outcome,
            invitations as invitation_rows,
            scope::{scoped, set_scope, Scope},
            sessions, users,
        },
        mail::{self, Kind, Mail},
        secret::Secret,
        services::{
            account,
            audit::{self, Event},
            invitations,
        },
        state::AppState,
    },
};

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// An invited address without a password chooses its first one.
    Invitation,
    PasswordReset,
    EmailChange,
}

impl Purpose {
    pub const ALL: [Purpose; 3] = [Self::Invitation, Self::PasswordReset, Self::EmailChange];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "INVITATION",
            Self::PasswordReset => "PASSWORD_RESET",
            Self::EmailChange => "EMAIL_CHANGE",
        }
    }

    fn ttl(self) -> chrono::Duration {
        match self {
            Self::Invitation => chrono::Duration::hours(72),
            Self::PasswordReset => chrono::Duration::hours(1),
            Self::EmailChange => chrono::Duration::hours(24),
        }
    }

    /// The page that opens the link.
    fn page(self) -> &'static str {
        match self {
            Self::Invitation | Self::PasswordReset => "/set-password",
            Self::EmailChange => "/verify-email",
        }
    }
}

/// The purposes whose link sets a password.
const PASSWORD_LINKS: [Purpose; 2] = [Purpose::Invitation, Purpose::PasswordReset];

fn names(purposes: &[Purpose]) -> Vec<&'static str> {
    purposes.iter().map(|p| p.as_str()).collect()
}

/// Spends every live link of the account, whatever its purpose: no link outlives a change of
/// who holds the account (a password set or changed, an address changed, the account
/// suspended). Links are platform data: the scope is switched for this and set back to
/// `restore`.
pub(crate) async fn spend_every_link(
    c: &mut AsyncPgConnection,
    user_id: Uuid,
    restore: Scope,
) -> Result<(), AppError> {
    set_scope(c, Scope::platform()).await?;
    account_tokens::spend_all(c, user_id, &names(&Purpose::ALL)).await?;
    set_scope(c, restore).await?;
    Ok(())
}

/// A name as one line of plain text in a message: no line breaks or other control
/// characters (a name must not start a paragraph of its own in someone's mail), at most 100
/// characters.
/// Control characters, line and paragraph separators, and the invisible format characters
/// that reorder or hide text (bidirectional overrides, zero-width marks).
fn breaks_text(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{2028}' | '\u{2029}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

pub(crate) fn one_line(name: &str) -> String {
    name.chars()
        .map(|c| if breaks_text(c) { ' ' } else { c })
        .take(100)
        .collect::<String>()
        .trim()
        .to_string()
}

/// The answer to any link that cannot be used, whatever the reason.
fn invalid_link() -> AppError {
    AppError::validation(
        "token",
        "This link cannot be used: it was used already, has expired, or a newer one replaced it",
    )
}

/// Creates a link for the account in the caller's transaction and answers its URL. Links are
/// platform data: the scope is switched for the insert and set back to `restore`.
pub(crate) async fn issue(
    c: &mut AsyncPgConnection,
    state: &AppState,
    user_id: Uuid,
    purpose: Purpose,
    email: &str,
    restore: Scope,
) -> Result<String, AppError> {
    let token = refresh_token::generate();
    set_scope(c, Scope::platform()).await?;
    account_tokens::insert(
        c,
        user_id,
        purpose.as_str(),
        &token.hash,
        email,
        Utc::now() + purpose.ttl(),
    )
    .await?;
    set_scope(c, restore).await?;
    Ok(format!(
        "{}{}?token={}",
        state.settings.mail.public_url,
        purpose.page(),
        token.token.expose()
    ))
}

/// A live link of `purposes`, still bound to its account's address (password links) and of
/// an active account; `lock` holds it until the transaction ends.
async fn live(
    c: &mut AsyncPgConnection,
    token: &str,
    purposes: &[Purpose],
    lock: bool,
) -> Result<account_tokens::LiveToken, AppError> {
    let hash = refresh_token::digest(token.trim());
    account_tokens::find_live(c, &hash, &names(purposes), lock)
        .await?
        .filter(|t| t.purpose == Purpose::EmailChange.as_str() || t.email == t.account_email)
        .filter(|t| t.account_status == "ACTIVE")
        .ok_or_else(invalid_link)
}

/// What a link opens, before it is used: its purpose, its address, and (for a password link)
/// the account's pending invitations.
pub async fn inspect(state: &AppState, token: &Secret) -> Result<LinkView, AppError> {
    scoped(&state.db, Scope::platform(), async |c| {
        let link = live(c, token.expose(), &Purpose::ALL, false).await?;
        let invitations = if link.purpose == Purpose::EmailChange.as_str() {
            Vec::new()
        } else {
            invitation_rows::pending_for_user(c, link.user_id)
                .await?
                .into_iter()
                .map(|row| Invitation {
                    delivery: None,
                    ..invitations::view(row)
                })
                .collect()
        };
        Ok(LinkView {
            purpose: link.purpose,
            email: link.email,
            invitations,
        })
    })
    .await
}

/// What setting a password from a link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordSet {
    /// Invitations accepted with it.
    pub accepted: usize,
    /// Sessions (and their refresh families) that ended.
    pub sessions_ended: usize,
}

/// Sets the account's password from an invitation or reset link: the link is spent (with
/// every other link of the account), the address counts as verified, every session and
/// refresh family of the account ends, and the invitations named in `accept` are accepted
/// (a full or closed tenant leaves its invitation pending).
pub async fn set_password(
    state: &AppState,
    token: &Secret,
    new_password: &Secret,
    accept: &[Uuid],
    client: &ClientInfo,
) -> Result<PasswordSet, AppError> {
    // The link is the caller's credential: checked before the input.
    scoped(&state.db, Scope::platform(), async |c| {
        live(c, token.expose(), &PASSWORD_LINKS, false)
            .await
            .map(|_| ())
    })
    .await?;
    check_new_password("newPassword", new_password.expose())?;
    let hash = password::hash(new_password).await?;
    scoped(&state.db, Scope::platform(), async |c| {
        // Locked and checked again: of two redemptions racing, one finds it spent.
        let link = live(c, token.expose(), &PASSWORD_LINKS, true).await?;
        if !users::set_password_hash(c, link.user_id, &hash).await? {
            return Err(invalid_link());
        }
        users::set_verified_email(c, link.user_id, &link.email).await?;
        account_tokens::spend_all(c, link.user_id, &names(&Purpose::ALL)).await?;
        let sessions_ended = sessions::revoke_all_of_user(c, link.user_id, "password_set").await?;
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::AccountPasswordSet,
                outcome: Outcome::Success,
                tenant_id: None,
                actor_user_id: Some(link.user_id),
                target: Some(("user", link.user_id.to_string())),
                details: json!({ "link": link.purpose, "sessionsEnded": sessions_ended }),
            },
        )
        .await?;
        let mut accepted = 0;
        for id in accept {
            let Some(row) = invitation_rows::find_pending(c, *id)
                .await?
                .filter(|r| r.user_id == link.user_id)
            else {
                continue;
            };
            // Each in a savepoint: a refused one leaves the others and the password standing.
            let joined = c
                .transaction::<_, AppError, _>(async |t| invitations::join(t, &row, client).await)
                .await;
            match joined {
                Ok(()) => accepted += 1,
                Err(
                    AppError::Validation { .. } | AppError::Conflict { .. } | AppError::NotFound,
                ) => {}
                Err(e) => return Err(e),
            }
            set_scope(c, Scope::platform()).await?;
        }
        Ok(PasswordSet {
            accepted,
            sessions_ended,
        })
    })
    .await
}

/// Requests for one address, and from one network, within `RESET_WINDOW`.
const RESETS_PER_ADDRESS: u64 = 3;
const RESETS_PER_NETWORK: u64 = 10;
const RESET_WINDOW: Duration = Duration::from_secs(3600);
/// Address-change requests of one account within `RESET_WINDOW`.
const EMAIL_CHANGES_PER_ACCOUNT: u64 = 5;

/// Counts one request against `key`; answers the count and the window's remaining time.
async fn count_request(state: &AppState, key: &str) -> Result<(u64, u64), AppError> {
    let mut conn = state.redis.get().await?;
    let key = format!("{}{key}", state.settings.redis.key_prefix);
    let (n, ttl): (u64, i64) = deadpool_redis::redis::pipe()
        .atomic()
        .incr(&key, 1)
        .cmd("PTTL")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .map_err(|e| {
            crate::server::metrics::redis_error();
            tracing::error!(error = %e, "password reset throttle: redis failed");
            AppError::Unavailable
        })?;
    if ttl < 0 {
        let _: () = deadpool_redis::redis::cmd("PEXPIRE")
            .arg(&key)
            .arg(RESET_WINDOW.as_millis() as u64)
            .query_async(&mut conn)
            .await
            .map_err(|_| {
                crate::server::metrics::redis_error();
                AppError::Unavailable
            })?;
    }
    let left = u64::try_from(ttl).unwrap_or(RESET_WINDOW.as_millis() as u64);
    Ok((n, left.div_ceil(1000).max(1)))
}

/// Sends a password reset link to the address if an active account has it. The answer is
/// the same whether or not one does; a network asking too often gets 429, an address asked
/// for too often silently gets no more mail until the window ends.
pub async fn request_reset(
    state: &AppState,
    email: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let email = parse_email("email", email)?;
    if let Some(ip) = &client.ip {
        let (n, wait) = count_request(state, &format!("reset:net:{}", ip_network(ip))).await?;
        if n > RESETS_PER_NETWORK {
            return Err(AppError::RateLimited {
                retry_after_secs: wait,
            });
        }
    }
    let (n, _) = count_request(state, &format!("reset:addr:{email}")).await?;
    if n > RESETS_PER_ADDRESS {
        return Ok(());
    }
    scoped(&state.db, Scope::platform(), async |c| {
        let Some(user) = users::find_by_email(c, &email)
            .await?
            .filter(users::User::is_active)
        else {
            return Ok(());
        };
        let link = issue(c, state, user.id, Purpose::PasswordReset, &email, Scope::platform()).await?;
        let body = format!(
            "Hello {name},\n\nSomeone (we hope you) asked to reset the password of your Inti account {email}.\n\
             Choose a new password here within the next hour:\n\n{link}\n\n\
             Setting it signs you out everywhere. If you did not ask for this, ignore this message:\n\
             your password stays as it is.\n",
            name = one_line(&user.name),
        );
        mail::queue(
            c,
            Mail {
                kind: Kind::PasswordReset,
                tenant_id: None,
                to: &email,
                subject: "Reset your Inti password",
                body: &body,
            },
        )
        .await?;
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::AccountPasswordResetRequest,
                outcome: Outcome::Success,
                tenant_id: None,
                actor_user_id: Some(user.id),
                target: Some(("user", user.id.to_string())),
                details: json!({}),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

/// Asks to change the signed-in user's address: after the current password is checked, a
/// link goes to the new address (the change happens when it is opened) and a notice to the
/// old one. The answer does not say whether another account has the new address.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn request_email_change(
    state: &AppState,
    actor: &Actor,
    new_email: &str,
    current_password: &Secret,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let new_email = parse_email("newEmail", new_email)?;
    let user = scoped(&state.db, actor.scope(), async |c| {
        users::find(c, actor.user_id)
            .await?
            .ok_or(AppError::Unauthenticated)
    })
    .await?;
    if user.email == new_email {
        return Err(AppError::validation(
            "newEmail",
            "This is your address already",
        ));
    }
    account::check_current_password(
        state,
        actor,
        current_password,
        client,
        AuditAction::AccountEmailChangeRequest,
    )
    .await?;
    // Each request mails two addresses: a few an hour per account.
    let (n, wait) = count_request(state, &format!("email-change:{}", actor.user_id)).await?;
    if n > EMAIL_CHANGES_PER_ACCOUNT {
        return Err(AppError::RateLimited {
            retry_after_secs: wait,
        });
    }
    scoped(&state.db, actor.scope(), async |c| {
        let link = issue(c, state, actor.user_id, Purpose::EmailChange, &new_email, actor.scope()).await?;
        let body = format!(
            "Hello {name},\n\nTo make {new_email} the address of your Inti account, open this link within 24 hours:\n\n{link}\n\n\
             If you did not ask for this, ignore this message.\n",
            name = one_line(&user.name),
        );
        mail::queue(
            c,
            Mail {
                kind: Kind::EmailChange,
                tenant_id: Some(actor.tenant_id),
                to: &new_email,
                subject: "Confirm your new Inti address",
                body: &body,
            },
        )
        .await?;
        let notice = format!(
            "Hello {name},\n\nSomeone signed in to your Inti account asked to change its address from {old} to {new_email}.\n\
             Nothing changes until the link sent to the new address is opened. If this was not you,\n\
             change your password now.\n",
            name = one_line(&user.name),
            old = user.email,
        );
        mail::queue(
            c,
            Mail {
                kind: Kind::EmailChangeNotice,
                tenant_id: Some(actor.tenant_id),
                to: &user.email,
                subject: "Your Inti address is being changed",
                body: &notice,
            },
        )
        .await?;
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::AccountEmailChangeRequest,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("user", actor.user_id.to_string())),
                details: json!({}),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

/// Opens an address-change link: the account's address becomes the verified new one. Another
/// account that took the address meanwhile makes it a 409 naming `email`.
pub async fn confirm_email_change(
    state: &AppState,
    token: &Secret,
    client: &ClientInfo,
) -> Result<String, AppError> {
    scoped(&state.db, Scope::platform(), async |c| {
        let link = live(c, token.expose(), &[Purpose::EmailChange], true).await?;
        if users::account_id(c, &link.email).await?.is_some() {
            return Err(AppError::conflict(
                "email",
                "Another account uses this address now",
            ));
        }
        users::set_verified_email(c, link.user_id, &link.email).await?;
        // Links that went to the old address (or an older change) die with it.
        account_tokens::spend_all(c, link.user_id, &names(&Purpose::ALL)).await?;
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::AccountEmailChange,
                outcome: Outcome::Success,
                tenant_id: None,
                actor_user_id: Some(link.user_id),
                target: Some(("user", link.user_id.to_string())),
                details: json!({}),
            },
        )
        .await?;
        Ok(link.email)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn a_name_in_a_message_stays_one_short_line() {
        assert_eq!(
            one_line("Eve\n\nClick https://evil.example\r\n"),
            "Eve  Click https://evil.example"
        );
        assert_eq!(one_line(&"x".repeat(300)).len(), 100);
        assert_eq!(one_line("Ana María"), "Ana María");
        assert_eq!(one_line("Eve\u{2028}Admin\u{202E}nimda"), "Eve Admin nimda");
    }
}
