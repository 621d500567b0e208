//! Adding members by email through invitations. Adding an address never attaches an account
//! at once and answers the same pending invitation whether or not the address had an
//! account, so no tenant admin can enumerate or capture accounts. Nobody but the address's
//! owner chooses its password: a new address gets an account without one, and the invitation
//! mail carries a one-time link to choose it (`account_links`); an existing account's owner
//! signs in and accepts or declines.

use crate::domain::invitation::InvitationStatus;
use crate::domain::tenant::Status;
use diesel_async::AsyncPgConnection;
use serde_json::json;
use uuid::Uuid;

use crate::domain::{
    id::{TenantId, UserId},
    permission::perm,
};
use crate::server::db::scope::scoped;
use crate::{
    domain::{
        audit::AuditAction,
        error::{AppError, Input},
        identity::{parse_email, parse_name},
        invitation::Invitation,
        member::Invite,
    },
    server::{
        auth::{
            actor::{Actor, ClientInfo},
            password,
        },
        db::{
            audit::Outcome,
            invitations::{self, InvitationRow, NewInvitation},
            members as member_rows,
            scope::{set_scope, Scope},
            tenants, users,
        },
        mail::{self, Kind, Mail},
        services::{
            account_links::{self, Purpose},
            audit::{self, Event},
            members::{check_expiry, check_seat, grantable},
            notifications,
        },
        state::AppState,
    },
};

pub(crate) fn view(row: InvitationRow) -> Invitation {
    Invitation {
        id: row.id,
        tenant_id: row.tenant_id,
        tenant_name: row.tenant_name,
        email: row.email,
        role: row.role,
        access_expires_at: row.access_expires_at,
        status: row.status,
        created_at: row.created_at,
        delivery: row.delivery,
    }
}

/// Invites an address into the actor's tenant with a role, and mails the invitation. An
/// address without an account gets one (home: this tenant, named as given) with no password:
/// the mail's link lets the address's owner choose it. The answer is the same either way.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn invite(
    state: &AppState,
    actor: &Actor,
    input: Input<Invite>,
    client: &ClientInfo,
) -> Result<Invitation, AppError> {
    actor.require(&perm::USER_MANAGE)?;
    let input = input?;
    let email = parse_email("email", &input.email)?;
    let name = parse_name("name", &input.name)?;
    if input.role.trim().is_empty() {
        return Err(AppError::validation("role", "Role is required"));
    }
    check_expiry(input.expires_at)?;
    scoped(&state.db, actor.scope(), async |c| {
        let role_id = grantable(c, actor, &input.role).await?;
        check_seat(c, actor.tenant_id, "email", 0).await?;
        // An account that exists (or was created meanwhile, perhaps by another tenant's
        // invitation) is invited; a new one is created here, without a password.
        let (user_id, created) = match users::account_id(c, &email).await? {
            Some(id) => (id, false),
            None => {
                let new = users::NewUser {
                    email: &email,
                    password_hash: password::UNSET,
                    name: &name,
                    home_tenant_id: actor.tenant_id,
                };
                match users::insert_unless_taken(c, new).await? {
                    Some(id) => (id, true),
                    None => match users::account_id(c, &email).await? {
                        Some(id) => (id, false),
                        None => return Err(AppError::Internal),
                    },
                }
            }
        };
        // Members are visible to this tenant anyway: saying so reveals nothing new.
        if !created
            && member_rows::find(c, actor.tenant_id, user_id)
                .await?
                .is_some()
        {
            return Err(AppError::conflict(
                "email",
                "This user is already a member of this tenant",
            ));
        }
        let id = invitations::upsert_pending(
            c,
            NewInvitation {
                tenant_id: actor.tenant_id,
                user_id,
                email: &email,
                role_id,
                access_expires_at: input.expires_at,
                invited_by: actor.user_id,
            },
        )
        .await?;
        let (mail_id, title) =
            send_invitation(c, state, actor, user_id, &email, &input.role).await?;
        invitations::set_mail(c, actor.tenant_id, id, mail_id).await?;
        if !created {
            notifications::tell_invited(c, id, &title).await?;
        }
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::UserInvite,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("invitation", id.to_string())),
                details: json!({ "email": email, "role": input.role.trim().to_uppercase(),
                                  "expiresAt": input.expires_at }),
            },
        )
        .await?;
        invitations::find_pending(c, id)
            .await?
            .map(view)
            .ok_or(AppError::Internal)
    })
    .await
}

/// Queues the invitation's mail in the inviting transaction: to an account without a
/// password yet, a link to choose it (valid 72 hours); to an existing account, where to sign
/// in and accept. Answers the message's id and what it says in one line.
async fn send_invitation(
    c: &mut AsyncPgConnection,
    state: &AppState,
    actor: &Actor,
    user_id: Uuid,
    email: &str,
    role: &str,
) -> Result<(i64, String), AppError> {
    let tenant = tenants::find_record(c, actor.tenant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let inviter = users::find(c, actor.user_id)
        .await?
        .map(|u| account_links::one_line(&u.name))
        .unwrap_or_default();
    let has_password = users::credentials_by_email(c, email)
        .await?
        .is_some_and(|cred| password::is_set(&cred.password_hash));
    let role = role.trim().to_uppercase();
    let body = if has_password {
        format!(
            "Hello,\n\n{inviter} invited you to {tenant} on Inti as {role}.\n\n\
             Sign in to accept or decline it; it waits on your dashboard:\n\n{}/\n",
            state.settings.mail.public_url,
            tenant = account_links::one_line(&tenant.name),
        )
    } else {
        let link =
            account_links::issue(c, state, user_id, Purpose::Invitation, email, actor.scope())
                .await?;
        format!(
            "Hello,\n\n{inviter} invited you to {tenant} on Inti as {role}.\n\n\
             Choose your password and accept the invitation here within 72 hours:\n\n{link}\n\n\
             If you do not know {tenant}, ignore this message: nothing happens without you.\n",
            tenant = account_links::one_line(&tenant.name),
        )
    };
    let subject = format!(
        "You are invited to {} on Inti",
        account_links::one_line(&tenant.name)
    );
    let title = format!(
        "{inviter} invited you to {} as {role}",
        account_links::one_line(&tenant.name)
    );
    let id = mail::queue(
        c,
        Mail {
            kind: Kind::Invitation,
            tenant_id: Some(actor.tenant_id),
            to: email,
            subject: &subject,
            body: &body,
        },
    )
    .await?;
    Ok((id, title))
}

/// The tenant's pending invitations (`user:read`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending_for_tenant(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<Invitation>, AppError> {
    actor.require(&perm::USER_READ)?;
    scoped(&state.db, actor.scope(), async |c| {
        let rows = invitations::pending_for_tenant(c, actor.tenant_id).await?;
        Ok(rows.into_iter().map(view).collect())
    })
    .await
}

/// Withdraws a pending invitation of the actor's tenant (`user:manage`).
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn revoke(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require(&perm::USER_MANAGE)?;
    let id = id?;
    scoped(&state.db, actor.scope(), async |c| {
        if !invitations::close(c, actor.tenant_id, id, InvitationStatus::Revoked.as_str()).await? {
            return Err(AppError::NotFound);
        }
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::InvitationRevoke,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("invitation", id.to_string())),
                details: json!({}),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

/// The signed-in user's own pending invitations, whatever tenant they act in.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn mine(state: &AppState, actor: &Actor) -> Result<Vec<Invitation>, AppError> {
    scoped(&state.db, Scope::user(actor.user()), async |c| {
        let rows = invitations::pending_for_user(c, actor.user_id).await?;
        Ok(rows.into_iter().map(view).collect())
    })
    .await
}

/// Accepts or declines one of the actor's own invitations. Accepting grants the invited role
/// in that tenant, within its user limit. Another user's invitation is `NotFound`.
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn respond(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
    accept: bool,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let id = id?;
    scoped(&state.db, Scope::user(actor.user()), async |c| {
        let row = invitations::find_pending(c, id)
            .await?
            .filter(|r| r.user_id == actor.user_id)
            .ok_or(AppError::NotFound)?;
        if accept {
            join(c, &row, client).await
        } else {
            set_scope(c, Scope::member(actor.user(), TenantId(row.tenant_id))).await?;
            invitations::close(
                c,
                row.tenant_id,
                row.id,
                InvitationStatus::Declined.as_str(),
            )
            .await?;
            record(c, client, &row, AuditAction::InvitationDecline).await
        }
    })
    .await
}

/// Turns a pending invitation into a grant, in the invitation's tenant scope.
pub(crate) async fn join(
    c: &mut AsyncPgConnection,
    row: &InvitationRow,
    client: &ClientInfo,
) -> Result<(), AppError> {
    set_scope(
        c,
        Scope::member(UserId(row.user_id), TenantId(row.tenant_id)),
    )
    .await?;
    let tenant = tenants::find_record(c, row.tenant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if tenant.status != Status::Active.as_str() {
        return Err(AppError::conflict(
            "id",
            format!("{} is not accepting members now", tenant.name),
        ));
    }
    // This invitation already holds the seat it turns into a membership.
    check_seat(c, row.tenant_id, "id", 1).await?;
    if !invitations::close(
        c,
        row.tenant_id,
        row.id,
        InvitationStatus::Accepted.as_str(),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    member_rows::set_grant(
        c,
        row.tenant_id,
        row.user_id,
        row.role_id,
        row.invited_by.unwrap_or(row.user_id),
        row.access_expires_at,
    )
    .await?;
    record(c, client, row, AuditAction::InvitationAccept).await
}

async fn record(
    c: &mut AsyncPgConnection,
    client: &ClientInfo,
    row: &InvitationRow,
    action: AuditAction,
) -> Result<(), AppError> {
    audit::record(
        c,
        client,
        Event {
            action,
            outcome: Outcome::Success,
            tenant_id: Some(row.tenant_id),
            actor_user_id: Some(row.user_id),
            target: Some(("invitation", row.id.to_string())),
            details: json!({ "role": row.role }),
        },
    )
    .await?;
    Ok(())
}
