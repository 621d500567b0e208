//! User administration available from the command line (more arrives with the admin UI).

use serde_json::json;

use crate::server::db::scope::scoped;
use crate::{
    domain::audit::AuditAction,
    domain::{
        error::AppError,
        identity::{check_new_password, parse_email, parse_name},
    },
    server::db::scope::Scope,
    server::{
        auth::{actor::ClientInfo, password},
        db::{audit::Outcome, tenants, users},
        secret::Secret,
        services::{
            access::SUPER_ADMIN,
            audit::{self, Event},
            builtin_services, demo,
        },
        state::AppState,
    },
};

/// Creates a super admin in the CORE tenant (creating that tenant if needed), or, when the
/// email exists, resets that user's password and makes sure they hold SUPER_ADMIN.
pub async fn create_superadmin(
    state: &AppState,
    email: &str,
    name: &str,
    password: &Secret,
) -> Result<users::User, AppError> {
    let email = parse_email("email", email)?;
    let name = parse_name("name", name)?;
    check_new_password("password", password.expose())?;
    let hash = password::hash(password).await?;
    let user = scoped(&state.db, Scope::platform(), async |conn| {
        let core = demo::ensure_core_tenant(conn).await?;
        let user = match users::find_by_email(conn, &email).await? {
            Some(existing) => {
                if !users::set_password_hash(conn, existing.id, &hash).await? {
                    return Err(AppError::Internal);
                }
                // A new password ends what was mailed for the old one.
                crate::server::services::account_links::spend_every_link(
                    conn,
                    existing.id,
                    Scope::platform(),
                )
                .await?;
                existing
            }
            None => {
                users::insert(
                    conn,
                    users::NewUser {
                        email: &email,
                        password_hash: &hash,
                        name: &name,
                        home_tenant_id: core.id,
                    },
                )
                .await?
            }
        };
        let role = tenants::system_role_id(conn, SUPER_ADMIN).await?;
        tenants::upsert_grant(conn, user.id, core.id, role, None).await?;
        // The built-in Task Manager, registered by the first super admin.
        builtin_services::register_builtin(conn, state, user.id, core.id).await?;
        audit::record(
            conn,
            &ClientInfo::default(),
            Event {
                action: AuditAction::UserCreateSuperadmin,
                outcome: Outcome::Success,
                tenant_id: Some(core.id),
                actor_user_id: None,
                target: Some(("user", user.id.to_string())),
                details: json!({ "email": email, "via": "cli" }),
            },
        )
        .await?;
        Ok(user)
    })
    .await?;
    Ok(user)
}
