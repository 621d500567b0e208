//! Menus: each user's menu (cached per session here and per permission set in Redis), the
//! tenant's and the global layout (versioned, saved against the version the editor started
//! from), and why a user does or does not see an item.

use std::{sync::Arc, time::Duration};

use deadpool_redis::redis;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::permission::{perm, Permission};
use crate::{
    domain::{
        audit::AuditAction,
        error::{AppError, Input},
        menu::{
            assemble,
            command::{RevertLayout, SaveLayout},
            layout::{chain, find, Change, Layout, Skipped},
            tree::{core_items, walk, MenuNode},
            view::{Explanation, LayoutVersionView, LayoutView, MenuData, RolePreview, UserMenu},
            visible, MenuItemView, ServiceMenu, Viewer,
        },
        permission::PermissionSet,
        role::is_platform_grant,
        service::{
            access_permission, health::HealthStatus, menu::MenuSchema, reader::JsonPath,
            AssignmentStatus, ServiceStatus, ServiceType, Usage, Visibility,
        },
        tenant::{Status, TenantType},
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        db::{
            audit::Outcome,
            members,
            menus::{self as db, LayoutRow, MenuSource, NewLayout, Versions},
            roles,
            scope::{scoped, Scope},
            tenants, users,
        },
        services::audit::{self, Event},
        state::AppState,
    },
};
use diesel_async::AsyncPgConnection;

/// How long a computed menu stays in Redis; keys carry every version it was computed from,
/// so this only bounds memory.
const SHARED_TTL_SECS: u64 = 3600;
/// Redis is a cache here: slower than this, and the menu is computed instead.
const SHARED_WAIT: Duration = Duration::from_millis(250);
const HISTORY: i64 = 100;

/// The tenant's layout, or the global one (super admins, on top of which tenants arrange).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Tenant,
    Global,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Self::Tenant => "tenant",
            Self::Global => "global",
        }
    }

    fn tenant(self, actor: &Actor) -> Option<Uuid> {
        match self {
            Self::Tenant => Some(actor.tenant_id),
            Self::Global => None,
        }
    }

    fn authorize(self, actor: &Actor, permission: &Permission) -> Result<(), AppError> {
        match self {
            Self::Tenant => actor.require(permission),
            Self::Global => actor.require_platform(permission),
        }
    }

    /// Someone who may see the layout: `menu:read`, or a permission to change it (whoever
    /// may change it may see what they change).
    fn authorize_read(self, actor: &Actor) -> Result<(), AppError> {
        self.authorize(actor, &perm::MENU_READ)
            .or_else(|_| self.authorize_any_change(actor))
    }

    /// Someone who may change the layout at all (`menu:update` or `menu:create`), before the
    /// change is read.
    fn authorize_any_change(self, actor: &Actor) -> Result<(), AppError> {
        self.authorize(actor, &perm::MENU_UPDATE)
            .or_else(|_| self.authorize(actor, &perm::MENU_CREATE))
    }

    /// What this change needs: `menu:create` to add groups and links, `menu:update` for the
    /// rest.
    fn authorize_change(self, actor: &Actor, change: Change) -> Result<(), AppError> {
        if change.adds {
            self.authorize(actor, &perm::MENU_CREATE)?;
        }
        if change.alters {
            self.authorize(actor, &perm::MENU_UPDATE)?;
        }
        Ok(())
    }

    fn scope(self, actor: &Actor) -> Scope {
        match self {
            Self::Tenant => actor.scope(),
            Self::Global => Scope::platform(),
        }
    }
}

// ---- the user's menu ----

/// The signed-in user's menu in their current tenant: `GET /api/v1/menus/user` and the
/// sidebar. Every signed-in user has one; it shows only what they may use.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn user_menu(state: &AppState, actor: &Actor) -> Result<Arc<UserMenu>, AppError> {
    if let Some(menu) = state.access.menu(actor.session_id) {
        return Ok(menu);
    }
    let ticket = state.access.ticket();
    // Versions first: a change committed after this read gives a newer key, never an older
    // menu under a newer key. Redis is asked outside any transaction: a slow cache must not
    // hold a database connection.
    let versions = scoped(&state.db, actor.scope(), async |c| {
        Ok(db::versions(c, actor.tenant_id).await?)
    })
    .await?;
    let key = shared_key(state, actor, versions);
    if let Some(menu) = state.access.menu_by_key(&key) {
        if let Some(ticket) = ticket {
            state.access.store_menu(ticket, actor, menu.clone());
        }
        return Ok(menu);
    }
    let menu = match shared_get(state, &key).await {
        Some(menu) => menu,
        None => {
            let arranged = scoped(&state.db, actor.scope(), async |c| {
                arrange(c, Some(actor.tenant_id)).await
            })
            .await?;
            let viewer = Viewer {
                permissions: &actor.permissions,
                platform: actor.is_super_admin,
            };
            let data = MenuData {
                menus: visible(&arranged.tree, viewer)
                    .iter()
                    .map(MenuItemView::from)
                    .collect(),
                permissions: actor.permissions.to_strings(),
            };
            let json = serde_json::to_string(&data).map_err(|_| AppError::Internal)?;
            shared_put(state, &key, &json).await;
            UserMenu::new(data, json)
        }
    };
    let menu = state.access.shared_menu(&key, menu);
    if let Some(ticket) = ticket {
        state.access.store_menu(ticket, actor, menu.clone());
    }
    Ok(menu)
}

/// Per tenant, permission set and platform authority, and the versions of the registry and
/// both layouts: users alike share one entry, and any change makes a new key.
fn shared_key(state: &AppState, actor: &Actor, v: Versions) -> String {
    let mut permissions = actor.permissions.to_strings();
    permissions.sort();
    let digest = Sha256::digest(permissions.join("\n").as_bytes());
    format!(
        "{}menu:{}:{}:{}:{}:{}:{}",
        state.settings.redis.key_prefix,
        actor.tenant_id,
        u8::from(actor.is_super_admin),
        &hex::encode(digest)[..32],
        v.registry,
        v.global,
        v.tenant,
    )
}

async fn shared_get(state: &AppState, key: &str) -> Option<UserMenu> {
    let read = tokio::time::timeout(SHARED_WAIT, async {
        let mut conn = state.redis.get().await.ok()?;
        redis::cmd("GET")
            .arg(key)
            .query_async::<Option<String>>(&mut conn)
            .await
            .ok()
    })
    .await
    .ok()
    .flatten();
    let Some(found) = read else {
        crate::server::metrics::redis_error();
        tracing::debug!("the shared menu cache is unavailable; menus are computed");
        return None;
    };
    let found = found?;
    let data = serde_json::from_str(&found).ok()?;
    Some(UserMenu::new(data, found))
}

async fn shared_put(state: &AppState, key: &str, json: &str) {
    let stored = tokio::time::timeout(SHARED_WAIT, async {
        let mut conn = state.redis.get().await.ok()?;
        redis::cmd("SET")
            .arg(key)
            .arg(json)
            .arg("EX")
            .arg(SHARED_TTL_SECS)
            .query_async::<()>(&mut conn)
            .await
            .ok()
    })
    .await;
    if !matches!(stored, Ok(Some(()))) {
        crate::server::metrics::redis_error();
        tracing::debug!("the shared menu cache is unavailable; menus are computed");
    }
}

// ---- arranging ----

struct Arranged {
    /// Without the target's own layout.
    base: Vec<MenuNode>,
    tree: Vec<MenuNode>,
    skipped: Vec<Skipped>,
    global: Option<LayoutRow>,
    tenant: Option<LayoutRow>,
}

/// A tenant's menu for nobody in particular (`Some`), or the global layout's material
/// (`None`): core pages and every service that is not INACTIVE.
async fn arrange(c: &mut AsyncPgConnection, tenant: Option<Uuid>) -> Result<Arranged, AppError> {
    let mut skipped = Vec::new();
    let global = db::latest(c, None).await?;
    let Some(tenant_id) = tenant else {
        let sources = db::sources(c, Uuid::nil(), false).await?;
        let services = service_menus(&sources, None, &mut skipped);
        let (base, more) = assemble(core_items(true), &services, &[]);
        skipped.extend(more);
        let mut tree = base.clone();
        if let Some(g) = &global {
            skipped.extend(stored_layout(g).apply("global", &mut tree));
        }
        return Ok(Arranged {
            base,
            tree,
            skipped,
            global,
            tenant: None,
        });
    };
    let record = tenants::find_record(c, tenant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let core = record.tenant_type == TenantType::Core.as_str();
    let business = !core && record.status == Status::Active.as_str();
    let sources = db::sources(c, tenant_id, false).await?;
    let services = service_menus(&sources, Some(business), &mut skipped);
    let global_layout = global.as_ref().map(stored_layout);
    let layers: Vec<(&str, &Layout)> = global_layout.iter().map(|l| ("global", l)).collect();
    let (base, more) = assemble(core_items(core), &services, &layers);
    skipped.extend(more);
    let tenant_row = db::latest(c, Some(tenant_id)).await?;
    let mut tree = base.clone();
    if let Some(t) = &tenant_row {
        skipped.extend(stored_layout(t).apply("tenant", &mut tree));
    }
    Ok(Arranged {
        base,
        tree,
        skipped,
        global,
        tenant: tenant_row,
    })
}

/// The services that contribute (those the tenant may use; all with `business: None`),
/// their items and the assignment's menu changes. A schema that does not read back
/// contributes nothing rather than break everyone's menu.
fn service_menus(
    sources: &[MenuSource],
    business: Option<bool>,
    skipped: &mut Vec<Skipped>,
) -> Vec<ServiceMenu> {
    let mut out = Vec::new();
    for s in sources {
        let usage = Usage::read(
            &s.name,
            &s.status,
            &s.visibility,
            s.assignment.as_deref(),
            business.unwrap_or(false),
        );
        let Some(usage) = usage else {
            tracing::error!(service = %s.name, "a service row does not read back; skipped");
            continue;
        };
        // The global layout's material is every service; a tenant's, what it may use.
        if business.is_some() && !usage.tenant_may_use() {
            continue;
        }
        let (status, visibility) = (usage.status, usage.visibility);
        let Some(raw) = &s.menu_schema else {
            continue;
        };
        let schema = match MenuSchema::parse(raw, JsonPath::root("menuSchema")) {
            Ok(schema) => schema,
            Err(e) => {
                tracing::error!(service = %s.name, error = %e, "a menu schema does not read back; skipped");
                continue;
            }
        };
        let custom = match &s.custom_menu_config {
            Some(v) if !v.is_null() && business.is_some() => {
                match Layout::parse(v, JsonPath::root("customMenuConfig")) {
                    Ok(layout) => Some(layout),
                    Err(e) => {
                        skipped.push(Skipped {
                            layout: format!("service:{}", s.name),
                            index: 0,
                            id: s.name.clone(),
                            reason: format!("the assignment's menu changes are not a layout: {e}"),
                        });
                        None
                    }
                }
            }
            _ => None,
        };
        out.push(ServiceMenu {
            name: s.name.clone(),
            display_name: s.display_name.clone(),
            maintenance: status == ServiceStatus::Maintenance,
            down: s.health.as_deref() == Some(HealthStatus::Unhealthy.as_str()),
            schema,
            custom,
            sort_order: 10 + out.len() as i32,
            access: (visibility == Visibility::Restricted)
                .then(|| access_permission(&s.name).parse().ok())
                .flatten(),
            external: s.service_type == ServiceType::External.as_str(),
        });
    }
    out
}

/// Stored layouts were checked when saved; one that no longer reads is logged and ignored,
/// never an error for users.
fn stored_layout(row: &LayoutRow) -> Layout {
    Layout::parse(&row.operations, JsonPath::root("")).unwrap_or_else(|e| {
        tracing::error!(version = row.version, error = %e, "a stored menu layout does not read back; ignored");
        Layout::default()
    })
}

// ---- the editor ----

/// The layout as the editor opens it, hidden items and all (`menu:read`; the global one with
/// platform authority). What the actor may change is in the answer.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn layout(
    state: &AppState,
    actor: &Actor,
    target: Target,
) -> Result<LayoutView, AppError> {
    target.authorize_read(actor)?;
    scoped(&state.db, target.scope(actor), async |c| {
        view_of(c, actor, target).await
    })
    .await
}

async fn view_of(
    c: &mut AsyncPgConnection,
    actor: &Actor,
    target: Target,
) -> Result<LayoutView, AppError> {
    let arranged = arrange(c, target.tenant(actor)).await?;
    let own = match target {
        Target::Tenant => arranged.tenant.as_ref(),
        Target::Global => arranged.global.as_ref(),
    };
    let roles = if actor.permissions.covers(&perm::ROLE_READ) {
        role_previews(c, actor).await?
    } else {
        Vec::new()
    };
    // Each editor reports its own layer's skips: a global operation aimed at a service this
    // tenant does not have is not this tenant's business.
    let skipped = arranged
        .skipped
        .into_iter()
        .filter(|s| match target {
            Target::Tenant => s.layout != "global",
            Target::Global => s.layout == "global",
        })
        .collect();
    Ok(LayoutView {
        scope: target.name().into(),
        version: own.map_or(0, |r| r.version),
        saved_by: own.map(|r| r.author_name.clone()),
        saved_at: own.map(|r| r.created_at),
        layout: own.map(stored_layout).unwrap_or_default(),
        base: arranged.base,
        tree: arranged.tree,
        skipped,
        roles,
        may_update: target.authorize(actor, &perm::MENU_UPDATE).is_ok(),
        may_create: target.authorize(actor, &perm::MENU_CREATE).is_ok(),
    })
}

async fn role_previews(
    c: &mut AsyncPgConnection,
    actor: &Actor,
) -> Result<Vec<RolePreview>, AppError> {
    let tenant_type = tenants::find_record(c, actor.tenant_id)
        .await?
        .map(|t| t.tenant_type)
        .unwrap_or_default();
    Ok(roles::for_tenant(c, actor.tenant_id)
        .await?
        .into_iter()
        .map(|(role, permissions)| RolePreview {
            platform: is_platform_grant(&tenant_type, &role.name, role.is_system),
            name: role.name,
            permissions,
        })
        .collect())
}

/// Saves a new version (`menu:update`; `menu:create` for added groups and links). A save
/// started from an older version than the latest answers 409, naming who saved since.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_layout(
    state: &AppState,
    actor: &Actor,
    target: Target,
    command: Input<SaveLayout>,
    client: &ClientInfo,
) -> Result<LayoutView, AppError> {
    target.authorize_any_change(actor)?;
    let (base_version, layout) = command?.try_into()?;
    scoped(&state.db, target.scope(actor), async |c| {
        store(c, actor, target, client, &layout, base_version, None).await
    })
    .await
}

/// Saves an earlier version's operations again, as a new version (like a save).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn revert_layout(
    state: &AppState,
    actor: &Actor,
    target: Target,
    command: Input<RevertLayout>,
    client: &ClientInfo,
) -> Result<LayoutView, AppError> {
    target.authorize_any_change(actor)?;
    let (wanted, base_version) = command?.checked()?;
    scoped(&state.db, target.scope(actor), async |c| {
        let tenant = target.tenant(actor);
        let earlier = db::version(c, tenant, wanted).await?.ok_or_else(|| {
            AppError::validation("version", format!("there is no version {wanted}"))
        })?;
        let layout = Layout::parse(&earlier.operations, JsonPath::root("")).map_err(|_| {
            AppError::validation(
                "version",
                format!("version {wanted} no longer reads as a layout"),
            )
        })?;
        store(
            c,
            actor,
            target,
            client,
            &layout,
            base_version,
            Some(wanted),
        )
        .await
    })
    .await
}

/// The saved versions, newest first (`menu:read`, like the editor).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn versions(
    state: &AppState,
    actor: &Actor,
    target: Target,
) -> Result<Vec<LayoutVersionView>, AppError> {
    target.authorize_read(actor)?;
    scoped(&state.db, target.scope(actor), async |c| {
        Ok(db::history(c, target.tenant(actor), HISTORY)
            .await?
            .iter()
            .map(|r| LayoutVersionView {
                version: r.version,
                saved_by: r.author_name.clone(),
                saved_at: r.created_at,
                reverted_from: r.reverted_from,
                operations: stored_layout(r).operations.len(),
            })
            .collect())
    })
    .await
}

/// The version a save becomes, if it started from the latest; a concurrent save of the same
/// number fails on the unique constraint (409 as well).
fn next_version(latest: Option<&LayoutRow>, base_version: i32) -> Result<i32, AppError> {
    let current = latest.map_or(0, |r| r.version);
    match latest {
        _ if base_version > current => Err(AppError::conflict(
            "baseVersion",
            format!("version {base_version} of this layout does not exist; the latest is {current}"),
        )),
        Some(r) if r.version != base_version => Err(AppError::conflict(
            "baseVersion",
            format!(
                "{} saved version {} of this layout at {} after you opened version {base_version}; reload to see their changes",
                r.author_name,
                r.version,
                r.created_at.format("%Y-%m-%d %H:%M UTC"),
            ),
        )),
        _ => Ok(current + 1),
    }
}

/// Saves `layout` as the version after `base_version` (409 unless that is the latest) when
/// the actor may make that change, audits it, and answers the editor's view of the result.
async fn store(
    c: &mut AsyncPgConnection,
    actor: &Actor,
    target: Target,
    client: &ClientInfo,
    layout: &Layout,
    base_version: i32,
    reverted_from: Option<i32>,
) -> Result<LayoutView, AppError> {
    // One read of the latest version for both checks: what the change is, and whether it
    // starts from the latest (a save that lands meanwhile fails on the unique constraint).
    let latest = db::latest(c, target.tenant(actor)).await?;
    let current = latest.as_ref().map(stored_layout).unwrap_or_default();
    target.authorize_change(actor, Change::between(&current, layout))?;
    let version = next_version(latest.as_ref(), base_version)?;
    let author = users::find(c, actor.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let operations = serde_json::to_value(layout).map_err(|_| AppError::Internal)?;
    db::insert(
        c,
        NewLayout {
            tenant_id: target.tenant(actor),
            version,
            operations: &operations,
            author_id: actor.user_id,
            author_name: &author.name,
            reverted_from,
        },
    )
    .await?;
    let event = Event {
        action: if reverted_from.is_some() {
            AuditAction::MenuLayoutRevert
        } else {
            AuditAction::MenuLayoutSave
        },
        outcome: Outcome::Success,
        tenant_id: target.tenant(actor),
        actor_user_id: Some(actor.user_id),
        target: Some(("menu_layout", format!("{}:{version}", target.name()))),
        details: json!({
            "scope": target.name(),
            "version": version,
            "operations": layout.operations.len(),
            "revertedFrom": reverted_from,
        }),
    };
    audit::record(c, client, event).await?;
    view_of(c, actor, target).await
}

// ---- why can't I see it? ----

fn answer(visible: bool, code: &str, reason: String) -> Explanation {
    Explanation {
        visible,
        code: code.into(),
        reason,
    }
}

/// Whether a member of the current tenant sees an item of its menu, and why not
/// (`menu:update` and `user:read`). Only the tenant's own services are described: a service
/// the tenant has no assignment of is as unknown here as an item that does not exist.
#[tracing::instrument(level = "debug", skip_all, fields(member_id = %crate::server::http::request_span::shown(&user_id)))]
pub async fn explain(
    state: &AppState,
    actor: &Actor,
    user_id: Input<Uuid>,
    item: Input<String>,
) -> Result<Explanation, AppError> {
    actor.require(&perm::MENU_UPDATE)?;
    actor.require(&perm::USER_READ)?;
    let user_id = user_id?;
    let item = item?.trim().to_string();
    if item.is_empty() || item.len() > 120 {
        return Err(AppError::validation("itemId", "is required: an item id"));
    }
    scoped(&state.db, actor.scope(), async |c| {
        let member = members::find(c, actor.tenant_id, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let who = member.email.clone();
        let live_grant = member.access_status == Status::Active.as_str()
            && member.expires_at.is_none_or(|e| e > chrono::Utc::now());
        if !live_grant || member.status != Status::Active.as_str() {
            return Ok(answer(
                false,
                "NO_ACCESS",
                format!("{who} has no active access to this tenant, so sees none of its menu"),
            ));
        }
        let record = tenants::find_record(c, actor.tenant_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (permissions, platform) = roles::for_tenant(c, actor.tenant_id)
            .await?
            .into_iter()
            .find(|(r, _)| r.id == member.role_id)
            .map(|(r, p)| {
                let platform = is_platform_grant(&record.tenant_type, &r.name, r.is_system);
                (PermissionSet::from_strings(&p), platform)
            })
            .unwrap_or_default();
        let viewer = Viewer {
            permissions: &permissions,
            platform,
        };
        let arranged = arrange(c, Some(actor.tenant_id)).await?;
        if find(&arranged.tree, &item).is_some() {
            return Ok(explain_arranged(&arranged, &item, viewer, &who));
        }
        let service = item.split('.').next().unwrap_or_default();
        let everything = db::sources(c, actor.tenant_id, true).await?;
        let core = record.tenant_type == TenantType::Core.as_str();
        let described = everything.iter().find(|s| {
            s.name == service
                && (s.assignment.is_some() || s.visibility == Visibility::Public.as_str())
        });
        let Some(s) = described else {
            return Ok(answer(
                false,
                "NOT_IN_MENU",
                format!(
                    "There is no item \"{item}\" in this tenant's menu; if it belongs to a service, that service is not assigned to this tenant"
                ),
            ));
        };
        let name = &s.display_name;
        let (code, reason) = match (
            ServiceStatus::parse(&s.status),
            s.assignment.as_deref().and_then(AssignmentStatus::parse),
        ) {
            (Some(ServiceStatus::Inactive), _) => {
                ("SERVICE_INACTIVE", format!("The service {name} is inactive"))
            }
            (_, Some(AssignmentStatus::Suspended)) => (
                "ASSIGNMENT_SUSPENDED",
                format!("This tenant's assignment of {name} is suspended"),
            ),
            (_, Some(AssignmentStatus::Inactive)) => (
                "ASSIGNMENT_INACTIVE",
                format!("This tenant's assignment of {name} is inactive"),
            ),
            (_, None) if core => (
                "BUSINESS_TENANTS_ONLY",
                format!("{name} is public to business tenants only; the CORE tenant needs an assignment"),
            ),
            _ => ("NOT_IN_MENU", format!("{name} has no menu item \"{item}\"")),
        };
        Ok(answer(false, code, reason))
    })
    .await
}

/// For an item of the tenant's arranged menu: hidden (by which layout), missing a
/// permission (which), an empty group, or visible.
fn explain_arranged(arranged: &Arranged, item: &str, viewer: Viewer<'_>, who: &str) -> Explanation {
    let path = chain(&arranged.tree, item);
    if let Some(node) = path.iter().find(|n| n.hidden) {
        // Hidden below the tenant's layout (in the base) or only by it.
        let by_tenant = find(&arranged.base, &node.id).is_none_or(|n| !n.hidden);
        let by = if by_tenant {
            let version = arranged.tenant.as_ref().map_or(0, |r| r.version);
            format!("the tenant layout (version {version})")
        } else if let Some(global) = &arranged.global {
            format!(
                "the global layout (version {}) or this tenant's assignment of the service",
                global.version
            )
        } else {
            "this tenant's assignment of the service".into()
        };
        let what = if node.id == item {
            "It".to_string()
        } else {
            format!("Its group \"{}\"", node.name)
        };
        return answer(false, "HIDDEN", format!("{what} is hidden by {by}"));
    }
    for node in &path {
        if node.platform && !viewer.platform {
            return answer(
                false,
                "PLATFORM_ONLY",
                format!("\"{}\" is for super admins of the platform only", node.name),
            );
        }
        if let Some(p) = viewer.missing(node) {
            return answer(
                false,
                "PERMISSION_MISSING",
                format!(
                    "{who} lacks the permission {p} that \"{}\" needs",
                    node.name
                ),
            );
        }
    }
    if walk(&visible(&arranged.tree, viewer))
        .iter()
        .any(|(n, _)| n.id == item)
    {
        answer(true, "VISIBLE", format!("{who} sees it"))
    } else {
        answer(
            false,
            "EMPTY_GROUP",
            format!("It is a group none of whose items {who} may see"),
        )
    }
}
