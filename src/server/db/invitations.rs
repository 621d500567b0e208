//! Queries on `invitations`. Row-level security shows an invitation to its tenant and to its
//! invitee.

use crate::domain::invitation::InvitationStatus;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{invitations, mail_outbox, roles, tenants};

#[derive(Debug, Clone, Queryable)]
pub struct InvitationRow {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub user_id: Uuid,
    pub email: String,
    pub role_id: Uuid,
    pub role: String,
    pub access_expires_at: Option<DateTime<Utc>>,
    pub invited_by: Option<Uuid>,
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// Its e-mail's status, where the scope shows the outbox (the inviting tenant).
    pub delivery: Option<String>,
}

pub struct NewInvitation<'a> {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub email: &'a str,
    pub role_id: Uuid,
    pub access_expires_at: Option<DateTime<Utc>>,
    pub invited_by: Uuid,
}

/// Invitations with their tenant's and role's names, and their e-mail's status.
#[diesel::dsl::auto_type(no_type_alias)]
fn with_names() -> _ {
    invitations::table
        .inner_join(tenants::table)
        .inner_join(roles::table)
        .left_join(mail_outbox::table.on(invitations::mail_id.eq(mail_outbox::id.nullable())))
        .select((
            invitations::id,
            invitations::tenant_id,
            tenants::name,
            invitations::user_id,
            invitations::email,
            invitations::role_id,
            roles::name,
            invitations::access_expires_at,
            invitations::invited_by,
            invitations::status,
            invitations::created_at,
            mail_outbox::status.nullable(),
        ))
}

pub async fn pending_for_tenant(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
) -> QueryResult<Vec<InvitationRow>> {
    with_names()
        .filter(invitations::tenant_id.eq(tenant_id))
        .filter(invitations::status.eq(InvitationStatus::Pending.as_str()))
        .order(invitations::created_at.desc())
        .load(conn)
        .await
}

pub async fn pending_for_user(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> QueryResult<Vec<InvitationRow>> {
    with_names()
        .filter(invitations::user_id.eq(user_id))
        .filter(invitations::status.eq(InvitationStatus::Pending.as_str()))
        .order(invitations::created_at.asc())
        .load(conn)
        .await
}

pub async fn find_pending(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<InvitationRow>> {
    with_names()
        .filter(invitations::id.eq(id))
        .filter(invitations::status.eq(InvitationStatus::Pending.as_str()))
        .first(conn)
        .await
        .optional()
}

pub async fn pending_count(conn: &mut AsyncPgConnection, tenant_id: Uuid) -> QueryResult<i64> {
    invitations::table
        .filter(invitations::tenant_id.eq(tenant_id))
        .filter(invitations::status.eq(InvitationStatus::Pending.as_str()))
        .count()
        .get_result(conn)
        .await
}

/// Creates the pending invitation, or renews the role and expiry of the one already pending
/// for this account; answers its id.
pub async fn upsert_pending(
    conn: &mut AsyncPgConnection,
    new: NewInvitation<'_>,
) -> QueryResult<Uuid> {
    let existing: Option<Uuid> = invitations::table
        .filter(invitations::tenant_id.eq(new.tenant_id))
        .filter(invitations::user_id.eq(new.user_id))
        .filter(invitations::status.eq(InvitationStatus::Pending.as_str()))
        .select(invitations::id)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    if let Some(id) = existing {
        diesel::update(
            invitations::table
                .filter(invitations::tenant_id.eq(new.tenant_id))
                .filter(invitations::id.eq(id)),
        )
        .set((
            invitations::role_id.eq(new.role_id),
            invitations::access_expires_at.eq(new.access_expires_at),
            invitations::invited_by.eq(new.invited_by),
        ))
        .execute(conn)
        .await?;
        return Ok(id);
    }
    diesel::insert_into(invitations::table)
        .values((
            invitations::tenant_id.eq(new.tenant_id),
            invitations::user_id.eq(new.user_id),
            invitations::email.eq(new.email),
            invitations::role_id.eq(new.role_id),
            invitations::access_expires_at.eq(new.access_expires_at),
            invitations::invited_by.eq(new.invited_by),
        ))
        .returning(invitations::id)
        .get_result(conn)
        .await
}

/// Records which message carries the invitation.
pub async fn set_mail(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    id: Uuid,
    mail_id: i64,
) -> QueryResult<()> {
    diesel::update(
        invitations::table
            .filter(invitations::tenant_id.eq(tenant_id))
            .filter(invitations::id.eq(id)),
    )
    .set(invitations::mail_id.eq(mail_id))
    .execute(conn)
    .await
    .map(|_| ())
}

/// Ends a pending invitation with `status`; answers whether it was pending.
pub async fn close(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    id: Uuid,
    status: &str,
) -> QueryResult<bool> {
    let n = diesel::update(
        invitations::table
            .filter(invitations::tenant_id.eq(tenant_id))
            .filter(invitations::id.eq(id))
            .filter(invitations::status.eq(InvitationStatus::Pending.as_str())),
    )
    .set((
        invitations::status.eq(status),
        invitations::responded_at.eq(diesel::dsl::now),
    ))
    .execute(conn)
    .await?;
    Ok(n == 1)
}
