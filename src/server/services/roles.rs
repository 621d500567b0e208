//! Roles of the actor's tenant: everyone with `role:read` sees the system roles and the
//! tenant's custom roles; `role:manage` creates, edits and deletes custom roles, made only of
//! permissions the actor holds.

use serde_json::json;
use uuid::Uuid;

use crate::domain::permission::perm;
use crate::{
    domain::audit::AuditAction,
    domain::error::Input,
    domain::permission::PermissionSet,
    domain::{
        error::AppError,
        role::{parse_permissions, parse_role_name, AddRole, EditRole, RoleView},
    },
    server::db::scope::scoped,
    server::{
        auth::actor::{Actor, ClientInfo},
        db::{audit::Outcome, roles},
        services::audit::{self, Event},
        state::AppState,
    },
};

/// Permission strings the actor may put in a role: valid, and each covered by what they hold.
fn holdable(actor: &Actor, raw: &[String]) -> Result<Vec<String>, AppError> {
    let parsed = parse_permissions(raw)?;
    if let Some(missing) = parsed.iter().find(|p| !actor.permissions.covers(p)) {
        return Err(AppError::validation(
            "permissions",
            format!("You cannot grant {missing}: you do not hold it"),
        ));
    }
    Ok(parsed.iter().map(ToString::to_string).collect())
}

fn view(role: roles::Role, permissions: Vec<String>) -> RoleView {
    RoleView {
        id: role.id,
        name: role.name,
        description: role.description,
        system: role.is_system,
        permissions,
    }
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<RoleView>, AppError> {
    actor.require(&perm::ROLE_READ)?;
    let found = scoped(&state.db, actor.scope(), async |c| {
        Ok(roles::for_tenant(c, actor.tenant_id).await?)
    })
    .await?;
    Ok(found.into_iter().map(|(r, p)| view(r, p)).collect())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: Input<AddRole>,
    client: &ClientInfo,
) -> Result<RoleView, AppError> {
    actor.require(&perm::ROLE_MANAGE)?;
    let input = input?;
    let name = parse_role_name(&input.name)?;
    let permissions = holdable(actor, &input.permissions)?;
    let description = input.description.trim().to_string();
    scoped(&state.db, actor.scope(), async |c| {
        if roles::name_taken(c, actor.tenant_id, &name).await? {
            return Err(AppError::conflict(
                "name",
                format!("A role named {name} already exists"),
            ));
        }
        let role = roles::insert(c, actor.tenant_id, &name, &description).await?;
        roles::replace_permissions(c, role.id, &permissions).await?;
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::RoleCreate,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("role", role.id.to_string())),
                details: json!({ "name": name, "permissions": permissions }),
            },
        )
        .await?;
        Ok(view(role, permissions))
    })
    .await
}

#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
    patch: Input<EditRole>,
    client: &ClientInfo,
) -> Result<RoleView, AppError> {
    actor.require(&perm::ROLE_MANAGE)?;
    let (id, patch) = (id?, patch?);
    let description = patch.description.as_deref();
    let permissions = patch
        .permissions
        .as_deref()
        .map(|p| holdable(actor, p))
        .transpose()?;
    scoped(&state.db, actor.scope(), async |c| {
        let role = roles::find_custom(c, actor.tenant_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        may_edit(c, actor, id).await?;
        if let Some(d) = description {
            roles::set_description(c, id, d.trim()).await?;
        }
        if let Some(p) = &permissions {
            roles::replace_permissions(c, id, p).await?;
        }
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::RoleUpdate,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("role", id.to_string())),
                details: json!({ "name": role.name, "permissions": permissions }),
            },
        )
        .await?;
        let (role, perms) = roles::for_tenant(c, actor.tenant_id)
            .await?
            .into_iter()
            .find(|(r, _)| r.id == id)
            .ok_or(AppError::NotFound)?;
        Ok(view(role, perms))
    })
    .await
}

/// Nobody edits or deletes a role carrying a permission they do not hold: stripping it would
/// demote members who outrank the editor.
async fn may_edit(
    conn: &mut diesel_async::AsyncPgConnection,
    actor: &Actor,
    role_id: Uuid,
) -> Result<(), AppError> {
    let held = crate::server::db::tenants::role_permissions(conn, role_id).await?;
    if actor.holds_all(&PermissionSet::from_strings(held)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    actor.require(&perm::ROLE_MANAGE)?;
    let id = id?;
    scoped(&state.db, actor.scope(), async |c| {
        let role = roles::find_custom(c, actor.tenant_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        may_edit(c, actor, id).await?;
        if roles::in_use(c, id).await? {
            return Err(AppError::Conflict {
                field: None,
                message: format!(
                    "{} is still granted to users; change their role first",
                    role.name
                ),
            });
        }
        roles::delete(c, id).await?;
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::RoleDelete,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("role", id.to_string())),
                details: json!({ "name": role.name }),
            },
        )
        .await?;
        Ok(())
    })
    .await
}
