//! Tenant administration: super admins only. Tenants are platform data, so these run in the
//! platform scope; the permission check below is what admits a caller.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use crate::{
    domain::{
        error::AppError,
        tenant::{
            max_users_for_tier, paging, parse_domain, parse_status, parse_tenant_name, parse_tier,
            Page, TenantDetail,
        },
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        db::{
            audit::Outcome,
            scope::{set_scope, Scope},
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

#[derive(Debug, Default, Clone)]
pub struct NewTenantInput {
    pub name: String,
    pub domain: String,
    pub subscription_tier: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct TenantPatch {
    pub name: Option<String>,
    pub subscription_tier: Option<String>,
    pub status: Option<String>,
    pub settings: Option<serde_json::Value>,
}

fn require_super_admin(actor: &Actor) -> Result<(), AppError> {
    if actor.is_super_admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

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

pub async fn list(
    state: &AppState,
    actor: &Actor,
    query: TenantQuery,
) -> Result<Page<TenantDetail>, AppError> {
    require_super_admin(actor)?;
    let status = query.status.as_deref().map(parse_status).transpose()?;
    let (page, per_page) = paging(query.page, query.per_page);
    let mut conn = state.db.get().await?;
    conn.transaction::<_, AppError, _>(async |c| {
        set_scope(c, Scope::platform()).await?;
        let (records, total) = tenants::search(
            c,
            query.search.as_deref(),
            status.as_deref(),
            (page - 1) * per_page,
            per_page,
        )
        .await?;
        Ok(Page {
            items: with_counts(c, records).await?,
            total,
            page,
            per_page,
        })
    })
    .await
}

pub async fn get(state: &AppState, actor: &Actor, id: Uuid) -> Result<TenantDetail, AppError> {
    require_super_admin(actor)?;
    let mut conn = state.db.get().await?;
    conn.transaction::<_, AppError, _>(async |c| {
        set_scope(c, Scope::platform()).await?;
        let record = tenants::find_record(c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(with_counts(c, vec![record]).await?.remove(0))
    })
    .await
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: NewTenantInput,
    client: &ClientInfo,
) -> Result<TenantDetail, AppError> {
    require_super_admin(actor)?;
    let name = parse_tenant_name(&input.name)?;
    let domain = parse_domain(&input.domain)?;
    let tier = parse_tier(input.subscription_tier.as_deref().unwrap_or("STARTER"))?;
    let max_users = max_users_for_tier(&tier).ok_or(AppError::Internal)?;
    let mut conn = state.db.get().await?;
    conn.transaction::<_, AppError, _>(async |c| {
        set_scope(c, Scope::platform()).await?;
        if tenants::find_by_domain(c, &domain).await?.is_some() {
            return Err(AppError::validation(
                "domain",
                format!("The domain \"{domain}\" is already taken"),
            ));
        }
        let created = tenants::insert(
            c,
            tenants::NewTenant {
                name: &name,
                domain: &domain,
                tenant_type: "BUSINESS",
                subscription_tier: &tier,
                max_users,
            },
        )
        .await?;
        audit::record(
            c,
            client,
            Event {
                action: "tenant.create",
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("tenant", created.id.to_string())),
                details: json!({ "domain": domain, "subscriptionTier": tier }),
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
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    patch: TenantPatch,
    client: &ClientInfo,
) -> Result<TenantDetail, AppError> {
    require_super_admin(actor)?;
    let mut changes = TenantChanges {
        name: patch.name.as_deref().map(parse_tenant_name).transpose()?,
        subscription_tier: patch
            .subscription_tier
            .as_deref()
            .map(parse_tier)
            .transpose()?,
        status: patch.status.as_deref().map(parse_status).transpose()?,
        ..TenantChanges::default()
    };
    if let Some(settings) = patch.settings {
        if !settings.is_object() {
            return Err(AppError::validation(
                "settings",
                "Settings must be a JSON object",
            ));
        }
        changes.settings = Some(settings);
    }
    changes.max_users = changes
        .subscription_tier
        .as_deref()
        .and_then(max_users_for_tier);
    let nothing = changes.name.is_none()
        && changes.subscription_tier.is_none()
        && changes.status.is_none()
        && changes.settings.is_none();
    if nothing {
        return Err(AppError::validation(
            "body",
            "Nothing to change: send name, subscriptionTier, status or settings",
        ));
    }
    let mut conn = state.db.get().await?;
    conn.transaction::<_, AppError, _>(async |c| {
        set_scope(c, Scope::platform()).await?;
        let before = tenants::find_record(c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let deactivating = changes.status.as_deref().is_some_and(|s| s != "ACTIVE");
        if before.tenant_type == "CORE" && deactivating {
            return Err(AppError::validation(
                "status",
                "The platform (CORE) tenant cannot be suspended or deactivated",
            ));
        }
        let after = tenants::update(c, id, &changes)
            .await?
            .ok_or(AppError::NotFound)?;
        let ended = if deactivating && before.status == "ACTIVE" {
            sessions::revoke_all_in_tenant(c, id, "tenant_suspended").await?
        } else {
            0
        };
        audit::record(
            c,
            client,
            Event {
                action: "tenant.update",
                outcome: Outcome::Success,
                tenant_id: Some(actor.tenant_id),
                actor_user_id: Some(actor.user_id),
                target: Some(("tenant", id.to_string())),
                details: json!({
                    "name": changes.name, "subscriptionTier": changes.subscription_tier,
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
