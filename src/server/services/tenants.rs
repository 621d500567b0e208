//! Tenant administration: super admins only. Tenants are platform data, so these run in the
//! platform scope; the permission check below is what admits a caller.

use diesel_async::AsyncPgConnection;
use serde_json::json;
use uuid::Uuid;

use crate::domain::permission::perm;
use crate::server::db::scope::scoped;
use crate::{
    domain::audit::AuditAction,
    domain::error::Input,
    domain::paging::{Page, Paging},
    domain::{
        error::AppError,
        tenant::{
            parse_domain, parse_tenant_name, AddTenant, EditOwnTenant, EditTenant, Status,
            TenantDetail, TenantType, Tier,
        },
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        db::{
            audit::Outcome,
            members,
            scope::Scope,
            sessions,
            tenants::{self, TenantChanges, TenantRecord},
        },
        services::audit::{self, Event},
        state::AppState,
    },
};

#[derive(Debug, Default, Clone)]
pub struct TenantQuery {
    pub search: Option<String>,
    pub status: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The largest user limit a super admin can set by hand.
const MAX_USERS_LIMIT: i32 = 1_000_000;

fn detail(record: TenantRecord, user_count: i64) -> TenantDetail {
    TenantDetail {
        id: record.id,
        name: record.name,
        domain: record.domain,
        tenant_type: record.tenant_type,
        subscription_tier: record.subscription_tier,
        status: record.status,
        max_users: record.max_users,
        user_count,
        settings: record.settings,
        require_admin_two_factor: record.require_admin_two_factor,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

async fn with_counts(
    conn: &mut AsyncPgConnection,
    records: Vec<TenantRecord>,
) -> Result<Vec<TenantDetail>, AppError> {
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    let counts = tenants::member_counts(conn, &ids).await?;
    Ok(records
        .into_iter()
        .map(|r| {
            let n = counts
                .iter()
                .find(|(id, _)| *id == r.id)
                .map_or(0, |(_, n)| *n);
            detail(r, n)
        })
        .collect())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    state: &AppState,
    actor: &Actor,
    query: Input<TenantQuery>,
) -> Result<Page<TenantDetail>, AppError> {
    actor.require_platform(&perm::TENANT_READ)?;
    let query = query?;
    let status = query
        .status
        .as_deref()
        .map(|s| Status::parse_field("status", s))
        .transpose()?;
    let paging = Paging::parse(query.page, query.per_page)?;
    scoped(&state.db, Scope::platform(), async |c| {
        let (records, total) = tenants::search(
            c,
            query.search.as_deref(),
            status.map(Status::as_str),
            paging.offset(),
            paging.limit(),
        )
        .await?;
        Ok(paging.page_of(with_counts(c, records).await?, total))
    })
    .await
}

#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn get(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
) -> Result<TenantDetail, AppError> {
    actor.require_platform(&perm::TENANT_READ)?;
    let id = id?;
    scoped(&state.db, Scope::platform(), async |c| {
        detail_of(c, id).await
    })
    .await
}

/// One tenant with its member count, as its scope reads it.
async fn detail_of(c: &mut AsyncPgConnection, id: Uuid) -> Result<TenantDetail, AppError> {
    let record = tenants::find_record(c, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(with_counts(c, vec![record]).await?.remove(0))
}

/// A tenant's `settings` as given: an object, or 422.
fn settings_object(
    given: Option<serde_json::Value>,
) -> Result<Option<serde_json::Value>, AppError> {
    match given {
        Some(v) if !v.is_object() => Err(AppError::validation(
            "settings",
            "Settings must be a JSON object",
        )),
        v => Ok(v),
    }
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: Input<AddTenant>,
    client: &ClientInfo,
) -> Result<TenantDetail, AppError> {
    actor.require_platform(&perm::TENANT_CREATE)?;
    let input = input?;
    let name = parse_tenant_name(&input.name)?;
    let domain = parse_domain(&input.domain)?;
    let tier = match input.subscription_tier.as_deref() {
        Some(raw) => Tier::parse_field("subscriptionTier", raw)?,
        None => Tier::Starter,
    };
    let max_users = tier.max_users();
    scoped(&state.db, Scope::platform(), async |c| {
        if tenants::find_by_domain(c, &domain).await?.is_some() {
            return Err(AppError::conflict(
                "domain",
                format!("The domain \"{domain}\" is already taken"),
            ));
        }
        let created = tenants::insert(
            c,
            tenants::NewTenant {
                name: &name,
                domain: &domain,
                tenant_type: TenantType::Business.as_str(),
                subscription_tier: tier.as_str(),
                max_users,
            },
        )
        .await?;
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::TenantCreate,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("tenant", created.id.to_string())),
                details: json!({ "domain": domain, "subscriptionTier": tier.as_str() }),
            },
        )
        .await?;
        let record = tenants::find_record(c, created.id)
            .await?
            .ok_or(AppError::Internal)?;
        Ok(detail(record, 0))
    })
    .await
}

/// Changes name, tier (which sets `max_users`), status or settings. Suspending or
/// deactivating a tenant ends its sessions at once; the CORE tenant cannot be suspended.
#[tracing::instrument(level = "debug", skip_all, fields(id = %crate::server::http::request_span::shown(&id)))]
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Input<Uuid>,
    patch: Input<EditTenant>,
    client: &ClientInfo,
) -> Result<TenantDetail, AppError> {
    actor.require_platform(&perm::TENANT_UPDATE)?;
    let (id, patch) = (id?, patch?);
    let mut changes = TenantChanges {
        name: patch.name.as_deref().map(parse_tenant_name).transpose()?,
        subscription_tier: patch
            .subscription_tier
            .as_deref()
            .map(|t| Tier::parse_field("subscriptionTier", t).map(|t| t.as_str().to_string()))
            .transpose()?,
        status: patch
            .status
            .as_deref()
            .map(|s| Status::parse_field("status", s).map(|s| s.as_str().to_string()))
            .transpose()?,
        ..TenantChanges::default()
    };
    changes.settings = settings_object(patch.settings)?;
    if let Some(max) = patch.max_users {
        if !(1..=MAX_USERS_LIMIT).contains(&max) {
            return Err(AppError::validation(
                "maxUsers",
                format!("maxUsers must be between 1 and {MAX_USERS_LIMIT}"),
            ));
        }
    }
    let nothing = changes.name.is_none()
        && changes.subscription_tier.is_none()
        && patch.max_users.is_none()
        && changes.status.is_none()
        && changes.settings.is_none();
    if nothing {
        return Err(AppError::validation(
            "body",
            "Nothing to change: send name, subscriptionTier, maxUsers, status or settings",
        ));
    }
    scoped(&state.db, Scope::platform(), async |c| {
        // Locked: a limit change and concurrent adds are counted one after another.
        let before = tenants::find_record_for_update(c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        // Saving the same tier keeps a custom limit; a new tier brings its default unless a
        // limit is given too.
        let tier_changed = changes
            .subscription_tier
            .as_deref()
            .is_some_and(|t| t != before.subscription_tier);
        changes.max_users = patch.max_users.or_else(|| {
            changes
                .subscription_tier
                .as_deref()
                .filter(|_| tier_changed)
                .and_then(Tier::parse)
                .map(Tier::max_users)
        });
        if let Some(max) = changes.max_users {
            let members = members::active_count(c, id).await?;
            if i64::from(max) < members {
                let field = if patch.max_users.is_some() {
                    "maxUsers"
                } else {
                    "subscriptionTier"
                };
                return Err(AppError::validation(
                    field,
                    format!(
                        "{} has {members} users; the new limit of {max} is below that",
                        before.name
                    ),
                ));
            }
        }
        let deactivating = changes
            .status
            .as_deref()
            .is_some_and(|s| s != Status::Active.as_str());
        if before.tenant_type == TenantType::Core.as_str() && deactivating {
            return Err(AppError::validation(
                "status",
                "The platform (CORE) tenant cannot be suspended or deactivated",
            ));
        }
        let after = tenants::update(c, id, &changes)
            .await?
            .ok_or(AppError::NotFound)?;
        let ended = if deactivating && before.status == Status::Active.as_str() {
            sessions::revoke_all_in_tenant(c, id, "tenant_suspended").await?
        } else {
            0
        };
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::TenantUpdate,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("tenant", id.to_string())),
                details: json!({
                    "name": changes.name, "subscriptionTier": changes.subscription_tier,
                    "maxUsers": changes.max_users,
                    "status": changes.status, "settingsChanged": changes.settings.is_some(),
                    "sessionsEnded": ended,
                }),
            },
        )
        .await?;
        Ok(with_counts(c, vec![after]).await?.remove(0))
    })
    .await
}

/// The actor's current tenant (`tenant:read` there): its admins' settings page and
/// `GET /api/v1/tenant`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn own(state: &AppState, actor: &Actor) -> Result<TenantDetail, AppError> {
    actor.require(&perm::TENANT_READ)?;
    scoped(&state.db, actor.scope(), async |c| {
        detail_of(c, actor.tenant_id).await
    })
    .await
}

/// Renames the actor's current tenant or replaces its settings (`tenant:update` there).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn update_own(
    state: &AppState,
    actor: &Actor,
    patch: Input<EditOwnTenant>,
    client: &ClientInfo,
) -> Result<TenantDetail, AppError> {
    actor.require(&perm::TENANT_UPDATE)?;
    let patch = patch?;
    let changes = TenantChanges {
        name: patch.name.as_deref().map(parse_tenant_name).transpose()?,
        settings: settings_object(patch.settings)?,
        require_admin_two_factor: patch.require_admin_two_factor,
        ..TenantChanges::default()
    };
    if changes.name.is_none()
        && changes.settings.is_none()
        && changes.require_admin_two_factor.is_none()
    {
        return Err(AppError::validation(
            "body",
            "Nothing to change: send name, settings or requireAdminTwoFactor",
        ));
    }
    scoped(&state.db, actor.scope(), async |c| {
        let after = tenants::update(c, actor.tenant_id, &changes)
            .await?
            .ok_or(AppError::NotFound)?;
        audit::record(
            c,
            client,
            Event {
                action: AuditAction::TenantUpdate,
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("tenant", actor.tenant_id.to_string())),
                details: json!({
                    "name": changes.name, "settingsChanged": changes.settings.is_some(),
                    "requireAdminTwoFactor": changes.require_admin_two_factor, "own": true,
                }),
            },
        )
        .await?;
        Ok(with_counts(c, vec![after]).await?.remove(0))
    })
    .await
}
