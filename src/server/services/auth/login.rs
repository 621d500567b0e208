//! Checking credentials and opening a session; switching a session to another tenant.

use chrono::Utc;
use diesel_async::AsyncPgConnection;
use serde_json::json;
use uuid::Uuid;

use crate::domain::id::{TenantId, UserId};
use crate::server::db::scope::scoped;
use crate::{
    domain::{account::SessionView, audit::AuditAction, error::AppError, login::LoginInput},
    server::{
        auth::{
            actor::{Actor, ClientInfo},
            password, refresh_token,
        },
        db::{
            audit::Outcome,
            scope::{set_scope, Scope},
            sessions::{self, AuthSession, NewAuthSession},
            tenants::{self, Grant},
            users,
        },
        secret::Secret,
        services::{
            access::{self, Reach},
            audit::{self, Event},
            lockout,
        },
        state::AppState,
    },
};

use super::{
    challenge,
    session::{actor_for, view_from},
    tokens::{store_refresh, PendingPair, TokenPair},
    two_factor,
};
use crate::domain::{
    error::Input,
    two_factor::{LoginChallenge, RecoveryCodes, TwoFactorSetup, VerifyLogin},
};
use crate::server::auth::throttle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// Browser: cookie session, no tokens handed out.
    Web,
    /// API client: access and refresh tokens.
    Api,
}

impl SessionKind {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Web => "WEB",
            Self::Api => "API",
        }
    }
}

pub struct LoggedIn {
    pub session: AuthSession,
    pub view: SessionView,
    /// The actor of the new session.
    pub actor: Actor,
    /// API sessions only: the first token pair of the new family.
    pub tokens: Option<TokenPair>,
}

/// What a right password leads to.
pub enum SignedIn {
    /// The session is open.
    Opened(Box<LoggedIn>),
    /// The account (or the tenant, of its administrators) requires a second factor: the code
    /// goes to `verify` with the challenge's token.
    SecondFactor(LoginChallenge),
}

/// Checks the credentials and opens a session in the requested (or home) tenant, or, when a
/// second factor is required, answers a challenge for it. Every failure answers the same
/// `InvalidCredentials`, is audited, and counts towards the account's and the client IP's
/// brute-force lock.
pub async fn login(
    state: &AppState,
    input: LoginInput,
    kind: SessionKind,
    client: &ClientInfo,
) -> Result<SignedIn, AppError> {
    let (state, client) = (state.clone(), client.clone());
    let result =
        lockout::to_completion(async move { checked_login(&state, input, kind, &client).await })
            .await;
    crate::server::metrics::login(&result);
    result
}

async fn checked_login(
    state: &AppState,
    input: LoginInput,
    kind: SessionKind,
    client: &ClientInfo,
) -> Result<SignedIn, AppError> {
    let subjects = lockout::subjects(Some(&input.email), client);
    lockout::before_attempt(state, &subjects, client).await?;
    let attempted = attempt(state, &input, kind, client).await;
    // A right password that still needs its second factor settles nothing: it neither counts
    // as a failure nor clears the failures, so that the codes tried after it stay counted.
    let outcome = match &attempted {
        Ok(Some(Step::Open(_))) => throttle::Outcome::Success,
        Ok(None) => throttle::Outcome::Failure,
        Ok(Some(Step::SecondFactor { .. })) | Err(_) => throttle::Outcome::Undecided,
    };
    lockout::settle(state, &subjects, client, outcome).await?;
    match attempted?.ok_or(AppError::InvalidCredentials)? {
        Step::Open(opened) => Ok(SignedIn::Opened(opened)),
        Step::SecondFactor { user_id, setup } => {
            let pending = challenge::Pending {
                user_id,
                email: input.email.clone(),
                tenant_slug: input.tenant_slug.clone(),
                kind,
                setup: setup.is_some(),
            };
            let (token, expires_at) = challenge::issue(state, &pending).await?;
            Ok(SignedIn::SecondFactor(LoginChallenge {
                challenge_token: token.expose().to_string(),
                expires_at,
                method: "TOTP".into(),
                setup,
            }))
        }
    }
}

/// Where a login with a right password goes next.
enum Step {
    Open(Box<LoggedIn>),
    /// A code is needed first; `setup`: the authenticator to set up, when the account has
    /// none but the tenant requires one.
    SecondFactor {
        user_id: Uuid,
        setup: Option<TwoFactorSetup>,
    },
}

/// A session opened once the second factor passed, with the recovery codes of an
/// authenticator set up on the way.
pub struct Verified {
    pub logged_in: LoggedIn,
    pub recovery_codes: Option<RecoveryCodes>,
}

/// The second step of a login: a code from the authenticator app (or a recovery code, unless
/// the authenticator is being set up) for a live challenge. A wrong code counts towards the
/// account's lock like a wrong password and towards the challenge's own few tries; the
/// challenge is good once.
pub async fn verify(
    state: &AppState,
    body: Input<VerifyLogin>,
    client: &ClientInfo,
) -> Result<Verified, AppError> {
    let body = body?;
    let code = crate::domain::two_factor::parse_code(&body.code)?;
    let token = body.challenge_token.trim().to_string();
    // A look first, for whose lock counts; the code is then checked by the one request that
    // takes the challenge.
    let Some(peeked) = challenge::find(state, &token).await? else {
        return Err(AppError::SignInExpired);
    };
    let (state, client) = (state.clone(), client.clone());
    let result = lockout::to_completion(async move {
        let user_key = peeked.user_id.to_string();
        let mut subjects = lockout::subjects(Some(&peeked.email), &client);
        subjects.push(two_factor::code_subject(&user_key));
        lockout::before_attempt(&state, &subjects, &client).await?;
        let taken = match challenge::take(&state, &token).await {
            Ok(Some(taken)) if taken.pending == peeked => taken,
            other => {
                lockout::settle(&state, &subjects, &client, throttle::Outcome::Undecided).await?;
                return Err(other.err().unwrap_or(AppError::SignInExpired));
            }
        };
        let pending = &taken.pending;
        let checked = scoped(&state.db, Scope::user(UserId(pending.user_id)), async |c| {
            let accepted =
                two_factor::check_code(c, &state, pending.user_id, &code, !pending.setup).await?;
            let codes = match accepted {
                Some(_) if pending.setup => {
                    Some(two_factor::renew_codes_in(c, pending.user_id).await?)
                }
                _ => None,
            };
            Ok(accepted.map(|a| (a, codes)))
        })
        .await
        .map(|accepted| (accepted.is_some(), accepted));
        let (accepted, recovery_codes) =
            match lockout::settle_after(&state, &subjects, &client, checked).await {
                Ok((_, Some(found))) => found,
                other => {
                    // A wrong code (or a check that failed) gives the challenge back, with
                    // one try fewer.
                    challenge::restore(&state, &token, &taken).await?;
                    other?;
                    audit::record_unscoped(
                        &state,
                        &client,
                        Event {
                            action: AuditAction::AuthSecondFactor,
                            outcome: Outcome::Failure,
                            tenant_id: None,
                            actor_user_id: Some(pending.user_id),
                            target: Some(("user", pending.user_id.to_string())),
                            details: json!({ "email": pending.email }),
                        },
                    )
                    .await;
                    return Err(AppError::InvalidCode);
                }
            };
        let second = match accepted {
            two_factor::Accepted::Code => "TOTP",
            two_factor::Accepted::RecoveryCode => "RECOVERY_CODE",
        };
        let slug = pending.tenant_slug.as_deref();
        match open_first(
            &state,
            slug,
            pending.user_id,
            pending.kind,
            &client,
            Some(second.to_string()),
        )
        .await?
        {
            Some(Step::Open(logged_in)) => Ok(Verified {
                logged_in: *logged_in,
                recovery_codes,
            }),
            // Suspended, or no tenant left, since the password: nothing to open.
            _ => Err(AppError::InvalidCredentials),
        }
    })
    .await;
    crate::server::metrics::login(&result);
    result
}

/// The live challenge's authenticator setup, for the page that asks for the code (`None`
/// when the challenge needs no setup).
pub async fn challenge_setup(
    state: &AppState,
    token: &str,
) -> Result<Option<TwoFactorSetup>, AppError> {
    let Some(pending) = challenge::find(state, token).await? else {
        return Err(AppError::SignInExpired);
    };
    if !pending.setup {
        return Ok(None);
    }
    scoped(&state.db, Scope::user(UserId(pending.user_id)), async |c| {
        two_factor::pending_setup(c, state, pending.user_id, &pending.email).await
    })
    .await
}

/// The credential check and, when it passes, the new session: `Some` for a correct password
/// of an active user who reaches a tenant (the requested one, or where they land), `None`
/// (audited) otherwise.
async fn attempt(
    state: &AppState,
    input: &LoginInput,
    kind: SessionKind,
    client: &ClientInfo,
) -> Result<Option<Step>, AppError> {
    let (account, verified) = check_password(state, input).await?;
    let slug = input.tenant_slug.as_deref();
    let opened = match account.filter(|_| verified) {
        Some(user_id) => open_first(state, slug, user_id, kind, client, None).await?,
        None => None,
    };
    if opened.is_none() {
        // No tenant: the audit policy accepts tenant-less entries without a scope.
        audit::record_unscoped(
            state,
            client,
            Event {
                action: AuditAction::AuthLogin,
                outcome: Outcome::Failure,
                tenant_id: None,
                actor_user_id: account,
                target: None,
                details: json!({ "email": input.auditable_email(),
                                  "tenantSlug": input.auditable_tenant_slug() }),
            },
        )
        .await;
    }
    Ok(opened)
}

/// The account of the email, if any, and whether it is active and this is its password. Holds
/// no database connection while argon2 runs: a flood of logins must not starve every other
/// request of connections.
async fn check_password(
    state: &AppState,
    input: &LoginInput,
) -> Result<(Option<Uuid>, bool), AppError> {
    let creds = {
        let mut conn = state.db.get().await?;
        users::credentials_by_email(&mut conn, &input.email).await?
    };
    let password = Secret::new(input.password.clone());
    let (user_id, active, stored_hash) = match creds {
        Some(c) => (Some(c.id), c.is_active(), Some(c.password_hash)),
        None => (None, false, None),
    };
    let password_ok = password::verify(&password, stored_hash).await?;
    Ok((user_id, password_ok && active))
}

/// After a correct password: finds the tenant to open, and opens the session there, in one
/// transaction, unless a second factor is required and has not passed yet (`second`: which
/// one passed).
async fn open_first(
    state: &AppState,
    slug: Option<&str>,
    user_id: Uuid,
    kind: SessionKind,
    client: &ClientInfo,
    second: Option<String>,
) -> Result<Option<Step>, AppError> {
    let ttl = chrono::Duration::from_std(state.settings.auth.session_ttl)
        .map_err(|_| AppError::Internal)?;
    let opened = scoped(&state.db, Scope::user(UserId(user_id)), async |c| {
        // Suspended while argon2 ran: no session.
        let Some(user) = users::find(c, user_id)
            .await?
            .filter(users::User::is_active)
        else {
            return Ok(None);
        };
        let grants = tenants::live_grants(c, user_id).await?;
        let reach = match slug {
            Some(slug) => access::reach_among(c, &grants, None, Some(slug)).await?,
            None => access::landing(c, user_id, &grants, user.home_tenant_id).await?,
        };
        let Some(reach) = reach else {
            return Ok(None);
        };
        if second.is_none() {
            if user.two_factor_enabled {
                return Ok(Some(Gate::SecondFactor(None)));
            }
            if required_of(c, &reach).await? {
                let setup = two_factor::begin_in(c, state, user_id, &user.email)
                    .await?
                    .ok_or(AppError::Internal)?;
                return Ok(Some(Gate::SecondFactor(Some(setup))));
            }
        }
        let opening = Opening {
            user,
            grants,
            reach,
            kind,
            expires_at: Utc::now() + ttl,
            replaces: None,
            second_factor: second,
        };
        open_in(c, state, client, opening)
            .await
            .map(|o| Some(Gate::Open(Box::new(o))))
    })
    .await?;
    Ok(match opened {
        Some(Gate::Open(o)) => Some(Step::Open(Box::new(o.finish(state)?))),
        Some(Gate::SecondFactor(setup)) => Some(Step::SecondFactor { user_id, setup }),
        None => None,
    })
}

/// `open_first`'s transaction's answer.
enum Gate {
    Open(Box<Opened>),
    SecondFactor(Option<TwoFactorSetup>),
}

/// Whether the tenant of `reach` requires a second factor of this member (an administrator
/// there).
async fn required_of(c: &mut AsyncPgConnection, reach: &Reach) -> Result<bool, AppError> {
    let permissions = crate::domain::permission::PermissionSet::from_strings(&reach.permissions);
    two_factor::required_in(c, reach.tenant.id, &permissions, reach.platform).await
}

struct Opening {
    user: users::User,
    /// The user's live grants, as read in this login or switch (for the answer's list).
    grants: Vec<Grant>,
    reach: Reach,
    kind: SessionKind,
    expires_at: chrono::DateTime<Utc>,
    /// The session a tenant switch ends.
    replaces: Option<Uuid>,
    /// The second factor the login passed (`TOTP`, `RECOVERY_CODE`), kept with the session.
    second_factor: Option<String>,
}

/// A session opened in the current transaction, waiting for its access token.
struct Opened {
    session: AuthSession,
    actor: Actor,
    view: SessionView,
    pending: Option<PendingPair>,
}

impl Opened {
    fn finish(self, state: &AppState) -> Result<LoggedIn, AppError> {
        let tokens = self.pending.map(|p| p.finish(state)).transpose()?;
        Ok(LoggedIn {
            session: self.session,
            view: self.view,
            actor: self.actor,
            tokens,
        })
    }
}

/// Opens a session (ending the one it replaces), stores the first refresh token of an API
/// session, records the user's current tenant and audits it, inside the caller's
/// transaction (scoped here to the new tenant), so that either all of it happens or none.
async fn open_in(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    client: &ClientInfo,
    opening: Opening,
) -> Result<Opened, AppError> {
    let tenant_id = opening.reach.tenant.id;
    set_scope(
        conn,
        Scope::member(UserId(opening.user.id), TenantId(tenant_id)),
    )
    .await?;
    if let Some(old) = opening.replaces {
        // Ended meanwhile (logout, suspension): the switch must not outlive it.
        if !sessions::revoke(conn, old, "switch_tenant").await? {
            return Err(AppError::Unauthenticated);
        }
    }
    let session = sessions::create(
        conn,
        NewAuthSession {
            user_id: opening.user.id,
            tenant_id,
            kind: opening.kind.as_str(),
            client_ip: client.ip.as_deref(),
            user_agent: client.user_agent.as_deref(),
            expires_at: opening.expires_at,
            second_factor: opening.second_factor.as_deref(),
        },
    )
    .await?;
    users::record_login(conn, opening.user.id, tenant_id).await?;
    let action = match opening.replaces {
        Some(_) => AuditAction::AuthSwitchTenant,
        None => AuditAction::AuthLogin,
    };
    audit::record(
        conn,
        client,
        Event {
            action,
            outcome: Outcome::Success,
            tenant_id: Some(tenant_id),
            actor_user_id: Some(opening.user.id),
            target: Some(("session", session.id.to_string())),
            details: json!({ "kind": opening.kind.as_str(), "replaces": opening.replaces,
                             "secondFactor": opening.second_factor.as_deref() }),
        },
    )
    .await?;
    let pending = match opening.kind {
        SessionKind::Api => {
            Some(store_refresh(conn, state, &session, refresh_token::generate()).await?)
        }
        SessionKind::Web => None,
    };
    let actor = actor_for(opening.user.id, session.id, opening.reach);
    let view = view_from(conn, &actor, opening.user, &opening.grants).await?;
    Ok(Opened {
        session,
        actor,
        view,
        pending,
    })
}

/// Moves the actor into another tenant they reach: a new session (and, for API clients, a new
/// token family) scoped to it replaces the current one, which ends, in one transaction. The
/// new session keeps the old one's absolute expiry, so switching never extends a login. A
/// tenant the user cannot reach is `NotFound`, whether or not it exists.
#[tracing::instrument(level = "debug", skip_all, fields(target_tenant_id = %tenant_id))]
pub async fn switch_tenant(
    state: &AppState,
    actor: &Actor,
    tenant_id: Uuid,
    kind: SessionKind,
    client: &ClientInfo,
) -> Result<LoggedIn, AppError> {
    // One transaction: a grant revoked or expired while the switch runs either stops it or
    // is not yet seen by it, never half of each.
    scoped(&state.db, actor.scope(), async |c| {
        let grants = tenants::live_grants(c, actor.user_id).await?;
        let reach = access::reach_among(c, &grants, Some(tenant_id), None)
            .await?
            .ok_or(AppError::NotFound)?;
        let current = sessions::find_live(c, actor.session_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let user = users::find(c, actor.user_id)
            .await?
            .filter(users::User::is_active)
            .ok_or(AppError::Unauthenticated)?;
        // Switching keeps the login's own factors: a tenant that requires a second factor of
        // its administrators is entered only by a session that passed one.
        if current.second_factor.is_none() && required_of(c, &reach).await? {
            return Err(AppError::TwoFactorRequired);
        }
        let opening = Opening {
            user,
            grants,
            reach,
            kind,
            expires_at: current.expires_at,
            replaces: Some(current.id),
            second_factor: current.second_factor.clone(),
        };
        open_in(c, state, client, opening).await
    })
    .await?
    .finish(state)
}
