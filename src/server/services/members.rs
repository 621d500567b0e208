//! Managing the users of the actor's current tenant (`user:manage`): list, change role,
//! expiry or access status, remove access (members join through `invitations`). Everything
//! runs in the actor's tenant scope, so row-level security keeps other tenants' grants out of
//! reach; a user who is not a member of this tenant is `NotFound`.

use crate::domain::tenant::Status;
use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use serde_json::json;
use uuid::Uuid;

use crate::domain::permission::perm;
use crate::{
    domain::audit::AuditAction,
    domain::{
        error::{AppError, Input},
        identity::parse_name,
        member::{Account, EditMember, Member},
        notification::NotificationKind,
        paging::{Page, Paging},
        permission::PermissionSet,
    },
    server::db::scope::scoped,
    server::{
        auth::actor::{Actor, ClientInfo},
        db::{
            audit::Outcome,
            invitations,
            members::{self, GrantChanges, MemberRow},
            sessions, tenants, users,
        },
        services::{
            access::SUPER_ADMIN,
            audit::{self, Event},
            notifications::{self, Note},
        },
        state::AppState,
    },
};

fn member(row: MemberRow) -> Member {
    Member {
        id: row.id,
        email: row.email,
        name: row.name,
        status: row.status,
        home_tenant_id: row.home_tenant_id,
        role: row.role,
        access_status: row.access_status,
        expires_at: row.expires_at,
        last_login_at: row.last_login_at,
        two_factor_enabled: row.two_factor_enabled,
    }
}

/// The role's id, if the actor may grant it: it exists in this tenant, is not SUPER_ADMIN
/// (unless the actor is one), and carries no permission the actor lacks.
pub(super) async fn grantable(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    role: &str,
) -> Result<Uuid, AppError> {
    let role = role.trim().to_uppercase();
    let invalid = |msg: &str| AppError::validation("role", msg);
    let role_id = members::grantable_role(conn, actor.tenant_id, &role)
        .await?
        .ok_or_else(|| invalid("No such role in this tenant"))?;
    if role == SUPER_ADMIN && !actor.is_super_admin {
        return Err(invalid("Only super admins can grant SUPER_ADMIN"));
    }
    let granted = PermissionSet::from_strings(tenants::role_permissions(conn, role_id).await?);
    if let Some(missing) = granted.iter().find(|p| !actor.permissions.covers(p)) {
        return Err(invalid(&format!(
            "You cannot grant {missing}: you do not hold it"
        )));
    }
    Ok(role_id)
}

/// Nobody may change, suspend or remove a member who holds a permission they do not hold:
/// a custom role with `user:manage` cannot act on a TENANT_ADMIN (or a SUPER_ADMIN).
async fn may_manage(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    target: &MemberRow,
) -> Result<(), AppError> {
    let held = PermissionSet::from_strings(tenants::role_permissions(conn, target.role_id).await?);
    if actor.holds_all(&held) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Refuses to go past the tenant's user limit, counting live members and pending
/// invitations. Locks the tenant row first, so that concurrent invitations, acceptances and
/// reactivations are counted one after another.
pub(super) async fn check_seat(
    conn: &mut AsyncPgConnection,
    tenant_id: Uuid,
    field: &str,
    own_pending: i64,
) -> Result<(), AppError> {
    let tenant = tenants::find_record_for_update(conn, tenant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // `own_pending`: invitations of the caller's that already count, as accepting one does.
    let taken = members::active_count(conn, tenant.id).await?
        + invitations::pending_count(conn, tenant.id).await?
        - own_pending;
    if taken >= i64::from(tenant.max_users) {
        return Err(AppError::validation(
            field,
            format!(
                "{} has reached its limit of {} users ({} tier)",
                tenant.name, tenant.max_users, tenant.subscription_tier
            ),
        ));
    }
    Ok(())
}

pub(super) fn check_expiry(expires_at: Option<DateTime<Utc>>) -> Result<(), AppError> {
    match expires_at {
        Some(t) if t <= Utc::now() => Err(AppError::validation(
            "expiresAt",
            "Expiry must be in the future",
        )),
        _ => Ok(()),
    }
}

/// Search and paging of a member or account list.
#[derive(Debug, Default, Clone)]
pub struct ListQuery {
    pub search: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    state: &AppState,
    actor: &Actor,
    query: Input<ListQuery>,
) -> Result<Page<Member>, AppError> {
    actor.require(&perm::USER_READ)?;
    let ListQuery {
        search,
        page,
        per_page,
    } = query?;
    let paging = Paging::parse(page, per_page)?;
    let (rows, total) = scoped(&state.db, actor.scope(), async |c| {
        Ok(members::search(
            c,
            actor.tenant_id,
            search.as_deref(),
            paging.offset(),
            paging.limit(),
        )
        .await?)
    })
    .await?;
    Ok(paging.page_of(rows.into_iter().map(member).collect(), total))
}

#[tracing::instrument(level = "debug", skip_all, fields(member_id = %crate::server::http::request_span::shown(&user_id)))]
pub async fn get(
    state: &AppState,
    actor: &Actor,
    user_id: Input<Uuid>,
) -> Result<Member, AppError> {
    actor.require(&perm::USER_READ)?;
    let user_id = user_id?;
    scoped(&state.db, actor.scope(), async |c| {
        members::find(c, actor.tenant_id, user_id)
            .await?
            .map(member)
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Changes a member's role, expiry, access status or (for members whose home is this tenant)
/// name. Suspending access ends their sessions in this tenant at once.
#[tracing::instrument(level = "debug", skip_all, fields(member_id = %crate::server::http::request_span::shown(&user_id)))]
pub async fn update(
    state: &AppState,
    actor: &Actor,
    user_id: Input<Uuid>,
    patch: Input<EditMember>,
    client: &ClientInfo,
) -> Result<Member, AppError> {
    actor.require(&perm::USER_MANAGE)?;
    let (user_id, patch) = (user_id?, patch?);
    let name = patch
        .name
        .as_deref()
        .map(|n| parse_name("name", n))
        .transpose()?;
    if let Some(expiry) = patch.expires_at {
        check_expiry(expiry)?;
    }
    let access_status = match patch.access_status.as_deref().map(str::to_uppercase) {
        Some(s) if s == Status::Active.as_str() || s == Status::Suspended.as_str() => Some(s),
        Some(_) => {
            return Err(AppError::validation(
                "accessStatus",
                "Choose ACTIVE or SUSPENDED",
            ))
        }
        None => None,
    };
    if name.is_none()
        && patch.role.is_none()
        && patch.expires_at.is_none()
        && access_status.is_none()
    {
        return Err(AppError::validation(
            "body",
            "Nothing to change: send name, role, expiresAt or accessStatus",
        ));
    }
    if user_id == actor.user_id && (patch.role.is_some() || access_status.is_some()) {
        return Err(AppError::validation(
            "role",
            "You cannot change your own role or access",
        ));
    }
    scoped(&state.db, actor.scope(), async |c| {
        let current = members::find(c, actor.tenant_id, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        may_manage(c, actor, &current).await?;
        // A member who takes no seat (suspended, or expired) takes one again when reactivated
        // or given a new expiry: that must fit in the tenant's limit.
        let seated = |status: &str, expiry: Option<DateTime<Utc>>| {
            status == Status::Active.as_str() && expiry.is_none_or(|t| t > Utc::now())
        };
        let seated_before = seated(&current.access_status, current.expires_at);
        let seated_after = seated(
            access_status.as_deref().unwrap_or(&current.access_status),
            patch.expires_at.unwrap_or(current.expires_at),
        );
        if seated_after && !seated_before {
            let field = if access_status.is_some() {
                "accessStatus"
            } else {
                "expiresAt"
            };
            check_seat(c, actor.tenant_id, field, 0).await?;
        }
        let role_id = match &patch.role {
            Some(role) => Some(grantable(c, actor, role).await?),
            None => None,
        };
        if let Some(name) = &name {
            if current.home_tenant_id != actor.tenant_id && !actor.is_super_admin {
                return Err(AppError::validation(
                    "name",
                    "This account belongs to another tenant; its owner edits the name",
                ));
            }
            members::set_name(c, user_id, name).await?;
        }
        let changes = GrantChanges {
            role_id,
            status: access_status.clone(),
            expires_at: patch.expires_at,
        };
        if changes.role_id.is_some() || changes.status.is_some() || changes.expires_at.is_some() {
            members::update_grant(c, actor.tenant_id, user_id, &changes).await?;
        }
        if let Some(role) = patch
            .role
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.eq_ignore_ascii_case(&current.role))
        {
            notifications::notify(
                state,
                c,
                actor.tenant_id,
                Note {
                    user_id,
                    kind: NotificationKind::RoleChanged,
                    title: format!("Your role is now {role}"),
                    body: format!(
                        "It was {}. What you may do here changed with it.",
                        current.role
                    ),
                    link: Some("/account".into()),
                    topic: None,
                },
            )
            .await?;
        }
        let ended = if access_status.as_deref() == Some(Status::Suspended.as_str()) {
            sessions::revoke_user_in_tenant(c, user_id, actor.tenant_id, "access_suspended").await?
        } else {
            0
        };
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::UserUpdate,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("user", user_id.to_string())),
                details: json!({ "name": name, "role": patch.role, "expiresAt": patch.expires_at,
                                  "accessStatus": access_status, "sessionsEnded": ended }),
            },
        )
        .await?;
        Ok(())
    })
    .await?;
    get(state, actor, Ok(user_id)).await
}

/// Removes the member's access to this tenant (the account itself stays) and ends their
/// sessions here.
#[tracing::instrument(level = "debug", skip_all, fields(member_id = %crate::server::http::request_span::shown(&user_id)))]
pub async fn remove(
    state: &AppState,
    actor: &Actor,
    user_id: Input<Uuid>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require(&perm::USER_MANAGE)?;
    let user_id = user_id?;
    if user_id == actor.user_id {
        return Err(AppError::validation(
            "id",
            "You cannot remove your own access",
        ));
    }
    scoped(&state.db, actor.scope(), async |c| {
        let current = members::find(c, actor.tenant_id, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        may_manage(c, actor, &current).await?;
        members::delete_grant(c, actor.tenant_id, user_id).await?;
        sessions::revoke_user_in_tenant(c, user_id, actor.tenant_id, "access_removed").await?;
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::UserRemove,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("user", user_id.to_string())),
                details: json!({ "email": current.email }),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

/// Every account on the platform (super admins only).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_all(
    state: &AppState,
    actor: &Actor,
    query: Input<ListQuery>,
) -> Result<Page<Account>, AppError> {
    actor.require_platform(&perm::USER_READ)?;
    let ListQuery {
        search,
        page,
        per_page,
    } = query?;
    let paging = Paging::parse(page, per_page)?;
    let (rows, total) = scoped(
        &state.db,
        crate::server::db::scope::Scope::platform(),
        async |c| {
            Ok(users::search_all(c, search.as_deref(), paging.offset(), paging.limit()).await?)
        },
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|(u, domain)| Account {
            id: u.id,
            email: u.email,
            name: u.name,
            status: u.status,
            home_tenant_id: u.home_tenant_id,
            home_tenant_domain: domain,
            last_login_at: u.last_login_at,
        })
        .collect();
    Ok(paging.page_of(items, total))
}

/// Suspends, reactivates or deactivates an account on the whole platform (super admins, with
/// `user:manage`). An account that is no longer active signs in nowhere, and every session
/// and refresh family it has ends at once, on every node. Nobody changes their own status.
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn set_account_status(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
    status: Input<String>,
    client: &ClientInfo,
) -> Result<Account, AppError> {
    actor.require_platform(&perm::USER_MANAGE)?;
    let id = id?;
    let status = Status::parse_field("status", &status?)?;
    if id == actor.user_id {
        return Err(AppError::validation(
            "status",
            "You cannot change the status of your own account",
        ));
    }
    scoped(
        &state.db,
        crate::server::db::scope::Scope::platform(),
        async |c| {
            let before = users::find(c, id).await?.ok_or(AppError::NotFound)?;
            if !users::set_status(c, id, status.as_str()).await? {
                return Err(AppError::NotFound);
            }
            let ended = if status == Status::Active {
                0
            } else {
                // Nothing the account had in flight outlives it: sessions, refresh
                // families, and its mailed links.
                crate::server::services::account_links::spend_every_link(
                    c,
                    id,
                    crate::server::db::scope::Scope::platform(),
                )
                .await?;
                sessions::revoke_all_of_user(c, id, "account_suspended").await?
            };
            audit::record(
                c,
                client,
                Event {
                    action: AuditAction::UserStatusChange,
                    outcome: Outcome::Success,
                    tenant_id: None,
                    actor_user_id: Some(actor.user_id),
                    target: Some(("user", id.to_string())),
                    details: json!({ "from": before.status, "to": status.as_str(),
                                      "sessionsEnded": ended }),
                },
            )
            .await?;
            let (user, domain) = users::find_with_home(c, id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(Account {
                id: user.id,
                email: user.email,
                name: user.name,
                status: user.status,
                home_tenant_id: user.home_tenant_id,
                home_tenant_domain: domain,
                last_login_at: user.last_login_at,
            })
        },
    )
    .await
}
