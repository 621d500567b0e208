//! The second factor on the account: setting up an authenticator app, recovery codes, turning
//! it off, and checking a code (here and at sign-in). Every code check is throttled like a
//! password: wrong codes count towards the account's lock.

use diesel_async::AsyncPgConnection;
use serde_json::json;
use uuid::Uuid;

use crate::{
    domain::{
        audit::AuditAction,
        error::{AppError, Input},
        permission::PermissionSet,
        two_factor::{parse_code, RecoveryCodes, TwoFactorCode, TwoFactorSetup, TwoFactorStatus},
    },
    server::{
        auth::{
            actor::{Actor, ClientInfo},
            throttle::Subject,
            totp,
        },
        db::{
            audit::Outcome,
            scope::{scoped, Scope},
            tenants, two_factor as db, users,
        },
        keyring::totp_secret_aad,
        services::{
            audit::{self, Event},
            lockout,
        },
        state::AppState,
    },
};

/// The name authenticator apps show beside the account.
const ISSUER: &str = "Inti";

/// What a code turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Accepted {
    Code,
    RecoveryCode,
}

/// Checks and spends a code of the person's authenticator (a time step not used before) or,
/// with `recovery`, one of their unused recovery codes. In the caller's transaction, whose
/// scope names the person. A code of an authenticator being set up confirms it.
pub(super) async fn check_code(
    c: &mut AsyncPgConnection,
    state: &AppState,
    user_id: Uuid,
    code: &str,
    recovery: bool,
) -> Result<Option<Accepted>, AppError> {
    let Some(found) = db::find(c, user_id).await? else {
        return Ok(None);
    };
    if totp::looks_like_totp(code) {
        let secret = state
            .keyring
            .open(&found.sealed_secret, &totp_secret_aad(user_id))?;
        let Some(step) = totp::matching_step(&secret, code, totp::now_secs()) else {
            return Ok(None);
        };
        let step = i64::try_from(step).map_err(|_| AppError::Internal)?;
        return Ok(db::accept_step(c, user_id, step)
            .await?
            .then_some(Accepted::Code));
    }
    if recovery && found.confirmed {
        let spent =
            db::spend_recovery_code(c, user_id, &totp::recovery_hash(user_id, code)).await?;
        return Ok(spent.then_some(Accepted::RecoveryCode));
    }
    Ok(None)
}

/// Whether a role's permissions make its holder one of the tenant's administrators (whom a
/// tenant may require to use a second factor).
fn administers(permissions: &PermissionSet, platform: bool) -> bool {
    platform
        || crate::domain::role::ADMINISTRATION
            .iter()
            .any(|p| permissions.allows(p))
}

/// Whether the tenant requires a second factor of a member with these permissions there.
pub(super) async fn required_in(
    c: &mut AsyncPgConnection,
    tenant_id: Uuid,
    permissions: &PermissionSet,
    platform: bool,
) -> Result<bool, AppError> {
    Ok(administers(permissions, platform) && db::tenant_requires(c, tenant_id).await?)
}

/// Whether any tenant requires a second factor of this person: one whose members they
/// administer there, or, for a platform admin (who administers every tenant), any tenant.
async fn required_anywhere(state: &AppState, actor: &Actor) -> Result<bool, AppError> {
    let (administered, platform) = scoped(&state.db, actor.scope(), async |c| {
        let grants = tenants::live_grants(c, actor.user_id).await?;
        let administered: Vec<Uuid> = grants
            .iter()
            .filter(|g| administers(&PermissionSet::from_strings(&g.permissions), false))
            .map(|g| g.tenant.id)
            .collect();
        let platform = crate::server::services::access::platform_grant(&grants).is_some();
        Ok((administered, platform))
    })
    .await?;
    // Every tenant's rule is platform work to read; only whether one requires it is kept.
    scoped(&state.db, Scope::platform(), async |c| {
        Ok(db::any_tenant_requires(c, (!platform).then_some(administered.as_slice())).await?)
    })
    .await
}

/// Wrong codes of one account, from anywhere: the login's code step and the account page's
/// code checks count together, and a lock really holds (only someone who already has the
/// password, or a session, can trip it; a code is six digits, a password is not).
pub(super) fn code_subject(user_key: &str) -> Subject<'_> {
    Subject::Account {
        account: user_key,
        ip: None,
    }
}

/// What the authenticator app needs to add the account: the secret, its link and QR code.
pub(super) fn setup_for(secret: &[u8], email: &str) -> Result<TwoFactorSetup, AppError> {
    let otpauth_uri = totp::otpauth_uri(secret, email, ISSUER)?;
    Ok(TwoFactorSetup {
        secret: totp::display_secret(secret),
        qr_code: totp::qr_code(&otpauth_uri)?,
        otpauth_uri,
    })
}

/// Starts setting up an authenticator for the person (a new secret, unconfirmed), in the
/// caller's transaction; `None` when one is already on.
pub(super) async fn begin_in(
    c: &mut AsyncPgConnection,
    state: &AppState,
    user_id: Uuid,
    email: &str,
) -> Result<Option<TwoFactorSetup>, AppError> {
    let secret = totp::new_secret();
    let sealed = state.keyring.seal(&secret, &totp_secret_aad(user_id))?;
    if !db::begin(c, user_id, &sealed).await? {
        return Ok(None);
    }
    setup_for(&secret, email).map(Some)
}

/// The setup of an authenticator that is not confirmed yet (a login that must set one up
/// shows it again on its page).
pub(super) async fn pending_setup(
    c: &mut AsyncPgConnection,
    state: &AppState,
    user_id: Uuid,
    email: &str,
) -> Result<Option<TwoFactorSetup>, AppError> {
    match db::find(c, user_id).await? {
        Some(found) if !found.confirmed => {
            let secret = state
                .keyring
                .open(&found.sealed_secret, &totp_secret_aad(user_id))?;
            setup_for(&secret, email).map(Some)
        }
        _ => Ok(None),
    }
}

/// A fresh set of recovery codes replaces the person's old ones, in the caller's transaction.
pub(super) async fn renew_codes_in(
    c: &mut AsyncPgConnection,
    user_id: Uuid,
) -> Result<RecoveryCodes, AppError> {
    let codes = totp::new_recovery_codes();
    let hashes: Vec<[u8; 32]> = codes
        .iter()
        .map(|c| totp::recovery_hash(user_id, c))
        .collect();
    db::replace_recovery_codes(c, user_id, &hashes).await?;
    Ok(RecoveryCodes {
        recovery_codes: codes,
    })
}

/// The account's second factor: on or off, recovery codes left, and whether a tenant the
/// person administers requires it.
pub async fn status(state: &AppState, actor: &Actor) -> Result<TwoFactorStatus, AppError> {
    let required = required_anywhere(state, actor).await?;
    scoped(&state.db, actor.scope(), async |c| {
        let enabled = db::find(c, actor.user_id)
            .await?
            .is_some_and(|a| a.confirmed);
        let recovery_codes_left = db::recovery_codes_left(c, actor.user_id).await?;
        Ok(TwoFactorStatus {
            enabled,
            recovery_codes_left,
            required,
        })
    })
    .await
}

/// Starts setting up an authenticator app: a new secret, shown once as a QR code and as
/// text. Nothing changes for sign-ins until `confirm` gets a code from the app.
pub async fn begin(state: &AppState, actor: &Actor) -> Result<TwoFactorSetup, AppError> {
    scoped(&state.db, actor.scope(), async |c| {
        let user = users::find(c, actor.user_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        begin_in(c, state, actor.user_id, &user.email)
            .await?
            .ok_or_else(|| {
                AppError::conflict(
                    "code",
                    "Two-factor authentication is already on; turn it off to set up another app",
                )
            })
    })
    .await
}

/// The wrong-code answer on the account page.
fn wrong_code() -> AppError {
    AppError::validation(
        "code",
        "That code is not right: enter the code your authenticator app shows now",
    )
}

/// A change of the account's second factor that a code authorizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// The first code from the app being set up turns it on (and gives recovery codes).
    Confirm,
    /// A code from the app replaces the recovery codes.
    RenewCodes,
    /// A code from the app, or a recovery code, turns it off.
    TurnOff,
}

impl Change {
    fn action(self) -> AuditAction {
        match self {
            Self::Confirm => AuditAction::AccountTwoFactorEnable,
            Self::RenewCodes => AuditAction::AccountRecoveryCodes,
            Self::TurnOff => AuditAction::AccountTwoFactorDisable,
        }
    }
}

/// Confirms the authenticator being set up with its first code; answers the recovery codes.
pub async fn confirm(
    state: &AppState,
    actor: &Actor,
    body: Input<TwoFactorCode>,
    client: &ClientInfo,
) -> Result<RecoveryCodes, AppError> {
    let code = parse_code(&body?.code)?;
    change_with_code(state, actor, code, client, Change::Confirm)
        .await?
        .ok_or(AppError::Internal)
}

/// New recovery codes (the old ones stop working), for a code from the app.
pub async fn renew_recovery_codes(
    state: &AppState,
    actor: &Actor,
    body: Input<TwoFactorCode>,
    client: &ClientInfo,
) -> Result<RecoveryCodes, AppError> {
    let code = parse_code(&body?.code)?;
    change_with_code(state, actor, code, client, Change::RenewCodes)
        .await?
        .ok_or(AppError::Internal)
}

/// Turns the second factor off, for a code from the app or a recovery code; refused while a
/// tenant this person administers requires it.
pub async fn turn_off(
    state: &AppState,
    actor: &Actor,
    body: Input<TwoFactorCode>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let code = parse_code(&body?.code)?;
    change_with_code(state, actor, code, client, Change::TurnOff)
        .await
        .map(|_| ())
}

/// Runs a change that a code authorizes as a credential check: refused while the account is
/// locked, a wrong code counted towards the lock and audited as a failure.
async fn change_with_code(
    state: &AppState,
    actor: &Actor,
    code: String,
    client: &ClientInfo,
    change: Change,
) -> Result<Option<RecoveryCodes>, AppError> {
    let (state, actor, client) = (state.clone(), actor.clone(), client.clone());
    lockout::to_completion(async move {
        let user_key = actor.user_id.to_string();
        let subjects: Vec<Subject> = std::iter::once(code_subject(&user_key))
            .chain(client.ip.as_deref().map(Subject::Ip))
            .collect();
        let required = match change {
            Change::TurnOff => required_anywhere(&state, &actor).await?,
            Change::Confirm | Change::RenewCodes => false,
        };
        lockout::before_attempt(&state, &subjects, &client).await?;
        let checked = scoped(&state.db, actor.scope(), async |c| {
            if required {
                return Err(AppError::conflict(
                    "code",
                    "A tenant you administer requires two-factor authentication: it stays on",
                ));
            }
            let done = apply(c, &state, &actor, &code, change).await?;
            let outcome = match done {
                Some(_) => Outcome::Success,
                None => Outcome::Failure,
            };
            let event = Event {
                action: change.action(),
                outcome,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("user", actor.user_id.to_string())),
                details: json!({}),
            };
            audit::record(c, &client, event).await?;
            Ok(done)
        })
        .await
        .map(|done| (done.is_some(), done));
        let (_, done) = lockout::settle_after(&state, &subjects, &client, checked).await?;
        done.ok_or_else(wrong_code)
    })
    .await
}

/// The change itself: `None` for a wrong code, `Some(codes)` when done (codes for a change that
/// gives new ones).
async fn apply(
    c: &mut AsyncPgConnection,
    state: &AppState,
    actor: &Actor,
    code: &str,
    change: Change,
) -> Result<Option<Option<RecoveryCodes>>, AppError> {
    let user_id = actor.user_id;
    let confirmed = match db::find(c, user_id).await? {
        None if change == Change::Confirm => {
            return Err(AppError::validation(
                "code",
                "Start with \"Set up\": there is no authenticator app to confirm",
            ))
        }
        None => {
            return Err(AppError::validation(
                "code",
                "Two-factor authentication is off",
            ))
        }
        Some(found) => found.confirmed,
    };
    match (change, confirmed) {
        (Change::Confirm, true) => {
            return Err(AppError::conflict(
                "code",
                "Two-factor authentication is already on",
            ))
        }
        (Change::RenewCodes | Change::TurnOff, false) => {
            return Err(AppError::validation(
                "code",
                "Two-factor authentication is off",
            ))
        }
        _ => {}
    }
    let recovery = change == Change::TurnOff;
    if check_code(c, state, user_id, code, recovery)
        .await?
        .is_none()
    {
        return Ok(None);
    }
    match change {
        Change::Confirm | Change::RenewCodes => Ok(Some(Some(renew_codes_in(c, user_id).await?))),
        Change::TurnOff => {
            db::remove(c, user_id).await?;
            Ok(Some(None))
        }
    }
}
