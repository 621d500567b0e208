//! The menu item, the sources of a menu (core pages, services' menu schemas), and what one
//! viewer sees of it.

use serde::{Deserialize, Serialize};

use crate::domain::{
    menu::layout::{Layout, Skipped},
    permission::{Permission, PermissionSet},
    service::menu::{MenuItem, MenuSchema},
};

/// Items nest at most this deep: a top-level item, its children, theirs.
pub const MAX_DEPTH: usize = 3;

/// Where an item comes from: `core`, a service's name, or `custom` (added by a layout).
pub const CORE: &str = "core";
pub const CUSTOM: &str = "custom";

/// One item of the arranged menu, before filtering for a viewer. The menu editor edits
/// these; `hidden` items stay in the tree there and are dropped for users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MenuNode {
    pub id: String,
    pub name: String,
    /// A page of the app (`/tasks`), an `http(s)` URL for links, or none for a group.
    pub path: Option<String>,
    pub icon: Option<String>,
    pub category: String,
    pub sort_order: i32,
    pub permission: Option<Permission>,
    /// A RESTRICTED service's access permission, carried by its group and every one of its
    /// items, so that no layout can move an item out of the service's reach.
    pub access: Option<Permission>,
    /// Only holders of platform authority (super admins in the CORE tenant) see it.
    pub platform: bool,
    /// Its service is in MAINTENANCE: shown with a badge.
    pub maintenance: bool,
    /// Its service fails its health checks: shown with a badge.
    #[serde(default)]
    pub down: bool,
    pub hidden: bool,
    /// A group exists for its children: left without any, it is dropped.
    pub group: bool,
    pub source: String,
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub children: Vec<MenuNode>,
}

impl MenuNode {
    fn page(id: &str, name: &str, path: &str, icon: &str, category: &str, order: i32) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            path: Some(path.into()),
            icon: Some(icon.into()),
            category: category.into(),
            sort_order: order,
            permission: None,
            access: None,
            platform: false,
            maintenance: false,
            down: false,
            hidden: false,
            group: false,
            source: CORE.into(),
            children: Vec::new(),
        }
    }

    fn needs(mut self, permission: &str) -> Self {
        self.permission = permission.parse().ok();
        self
    }

    fn group_of(id: &str, name: &str, icon: &str, category: &str, order: i32) -> Self {
        Self {
            path: None,
            group: true,
            ..Self::page(id, name, "", icon, category, order)
        }
    }

    pub fn is_link(&self) -> bool {
        self.path.as_deref().is_some_and(is_link)
    }
}

/// The page of a service's menu item that opens one of its endpoints.
pub fn service_page(service: &str, item: &str) -> String {
    format!("/apps/{service}/{item}")
}

/// Layouts' links are stored with a lowercase scheme (see `layout::link_url`).
pub fn is_link(path: &str) -> bool {
    path.starts_with("http://") || path.starts_with("https://")
}

/// The pages of Inti itself. Platform pages only where platform work happens (the CORE
/// tenant): nobody in a business tenant could open them.
pub fn core_items(core_tenant: bool) -> Vec<MenuNode> {
    let mut admin = MenuNode::group_of("core.admin", "Administration", "settings", "ADMIN", 1000);
    admin.children = vec![
        MenuNode::page(
            "core.services",
            "Services",
            "/services",
            "services",
            "ADMIN",
            1,
        )
        .needs("service:read"),
        MenuNode::page("core.users", "Users", "/admin/users", "users", "ADMIN", 2)
            .needs("user:read"),
        MenuNode::page("core.roles", "Roles", "/admin/roles", "shield", "ADMIN", 3)
            .needs("role:read"),
        MenuNode::page(
            "core.audit",
            "Audit log",
            "/admin/audit",
            "audit",
            "ADMIN",
            4,
        )
        .needs("audit:read"),
        MenuNode::page(
            "core.menus",
            "Menu editor",
            "/admin/menus",
            "menu",
            "ADMIN",
            5,
        )
        .needs("menu:read"),
        MenuNode::page(
            "core.tenant",
            "Tenant settings",
            "/admin/tenant",
            "building",
            "ADMIN",
            6,
        )
        .needs("tenant:update"),
    ];
    let mut items = vec![
        MenuNode::page("core.dashboard", "Dashboard", "/", "dashboard", "MAIN", 1),
        admin,
    ];
    if core_tenant {
        let mut platform =
            MenuNode::group_of("core.platform", "Platform", "building", "PLATFORM", 1001);
        platform.platform = true;
        platform.children = vec![
            MenuNode::page(
                "core.tenants",
                "Tenants",
                "/admin/tenants",
                "building",
                "PLATFORM",
                1,
            )
            .needs("tenant:read"),
            MenuNode::page(
                "core.registry",
                "Service registry",
                "/admin/services",
                "database",
                "PLATFORM",
                2,
            )
            .needs("service:read"),
            MenuNode::page(
                "core.accounts",
                "Accounts",
                "/admin/accounts",
                "users",
                "PLATFORM",
                3,
            )
            .needs("user:read"),
        ];
        for child in &mut platform.children {
            child.platform = true;
        }
        items.push(platform);
    }
    items
}

/// A service the tenant can use, with what its menu needs.
#[derive(Debug, Clone)]
pub struct ServiceMenu {
    pub name: String,
    pub display_name: String,
    pub maintenance: bool,
    /// UNHEALTHY by its health checks.
    pub down: bool,
    pub schema: MenuSchema,
    /// The tenant's assignment's `customMenuConfig`, applied to this service's items only.
    pub custom: Option<Layout>,
    /// Its place among the services (10, 11, …).
    pub sort_order: i32,
    /// RESTRICTED services: the access permission each of their items needs.
    pub access: Option<Permission>,
    /// Hosted elsewhere: each item opens its page here (`/apps/{service}/{item}`), which
    /// works out what to show; an internal service's items are Inti's own pages.
    pub external: bool,
}

impl ServiceMenu {
    /// The service's group, its schema's items beneath, ids prefixed with the service name
    /// (`whatsapp-gateway.whatsapp-blast`) so they stay unique and stable across services.
    fn group(&self, skipped: &mut Vec<Skipped>) -> MenuNode {
        let mut group = MenuNode {
            id: self.name.clone(),
            name: self.display_name.clone(),
            path: None,
            icon: Some("app".into()),
            category: "SERVICES".into(),
            sort_order: self.sort_order,
            permission: None,
            access: self.access.clone(),
            platform: false,
            maintenance: self.maintenance,
            down: self.down,
            hidden: false,
            group: true,
            source: self.name.clone(),
            children: Vec::new(),
        };
        group.children = self
            .schema
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.node(item, i, 2, skipped))
            .collect();
        group
    }

    fn node(
        &self,
        item: &MenuItem,
        index: usize,
        depth: usize,
        skipped: &mut Vec<Skipped>,
    ) -> Option<MenuNode> {
        let id = format!("{}.{}", self.name, item.id);
        if depth > MAX_DEPTH {
            skipped.push(Skipped {
                layout: format!("service:{}", self.name),
                index,
                id,
                reason: format!(
                    "the service's menu nests deeper than {MAX_DEPTH} levels under its group"
                ),
            });
            return None;
        }
        Some(MenuNode {
            id,
            name: item.name.clone(),
            path: Some(
                if item.endpoint.is_some()
                    || (self.external && !item.is_at(&format!("/forms/{}", self.name)))
                {
                    service_page(&self.name, &item.id)
                } else {
                    item.path.clone()
                },
            ),
            icon: item.icon.clone(),
            category: "SERVICES".into(),
            sort_order: item.sort_order.unwrap_or((index as i32 + 1) * 10),
            permission: item.permission.clone(),
            access: self.access.clone(),
            platform: false,
            maintenance: self.maintenance,
            down: self.down,
            hidden: false,
            group: false,
            source: self.name.clone(),
            children: item
                .children
                .iter()
                .enumerate()
                .filter_map(|(i, c)| self.node(c, i, depth + 1, skipped))
                .collect(),
        })
    }
}

/// The arranged menu of a tenant, for nobody in particular: core items, each service's
/// group (its assignment's layout applied), then each layout in order (global, tenant).
/// Answers the operations that were skipped, for the editor.
pub fn assemble(
    core: Vec<MenuNode>,
    services: &[ServiceMenu],
    layouts: &[(&str, &Layout)],
) -> (Vec<MenuNode>, Vec<Skipped>) {
    let mut skipped = Vec::new();
    let mut tree = core;
    for service in services {
        let mut own = vec![service.group(&mut skipped)];
        if let Some(custom) = &service.custom {
            skipped.extend(custom.apply(&format!("service:{}", service.name), &mut own));
            // What the assignment added inside the group is the service's too.
            set_access(&mut own, &service.access);
        }
        tree.extend(own);
    }
    sort(&mut tree);
    for (name, layout) in layouts {
        skipped.extend(layout.apply(name, &mut tree));
    }
    (tree, skipped)
}

fn set_access(nodes: &mut [MenuNode], access: &Option<Permission>) {
    for n in nodes {
        n.access.clone_from(access);
        set_access(&mut n.children, access);
    }
}

/// By sort order, then by id: a total order, so the result never depends on the order in
/// which operations happened to put items side by side (the editor's save reproduces
/// exactly what it showed).
pub fn sort(nodes: &mut [MenuNode]) {
    nodes.sort_by(|a, b| {
        a.sort_order
            .cmp(&b.sort_order)
            .then_with(|| a.id.cmp(&b.id))
    });
    for n in nodes {
        sort(&mut n.children);
    }
}

/// Who is looking: their permissions in the tenant, and whether they act with platform
/// authority.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub permissions: &'a PermissionSet,
    pub platform: bool,
}

impl Viewer<'_> {
    pub fn may_see(&self, node: &MenuNode) -> bool {
        (!node.platform || self.platform) && self.missing(node).is_none()
    }

    /// The first permission `node` needs that the viewer lacks.
    pub fn missing<'n>(&self, node: &'n MenuNode) -> Option<&'n Permission> {
        [&node.access, &node.permission]
            .into_iter()
            .flatten()
            .find(|p| !self.permissions.covers(p))
    }
}

/// What `viewer` sees: hidden items and their subtrees dropped, items they lack the
/// permission for dropped, groups left empty dropped.
pub fn visible(nodes: &[MenuNode], viewer: Viewer<'_>) -> Vec<MenuNode> {
    nodes
        .iter()
        .filter(|n| !n.hidden && viewer.may_see(n))
        .filter_map(|n| {
            let children = visible(&n.children, viewer);
            (!n.group || !children.is_empty()).then(|| MenuNode {
                children,
                ..n.clone()
            })
        })
        .collect()
}

/// The seed document's menu item: what `GET /api/v1/menus/user` answers and the sidebar
/// draws.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MenuItemView {
    pub id: String,
    pub name: String,
    pub path: Option<String>,
    pub icon: Option<String>,
    pub category: String,
    pub sort_order: i32,
    /// Only when true: the service is in MAINTENANCE.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub maintenance: bool,
    /// Only when true: the service fails its health checks.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub down: bool,
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub children: Vec<MenuItemView>,
}

impl From<&MenuNode> for MenuItemView {
    fn from(n: &MenuNode) -> Self {
        Self {
            id: n.id.clone(),
            name: n.name.clone(),
            path: n.path.clone(),
            icon: n.icon.clone(),
            category: n.category.clone(),
            sort_order: n.sort_order,
            maintenance: n.maintenance,
            down: n.down,
            children: n.children.iter().map(Self::from).collect(),
        }
    }
}

/// Every node, depth first, with its depth (1 for top-level items).
pub fn walk(nodes: &[MenuNode]) -> Vec<(&MenuNode, usize)> {
    fn go<'a>(nodes: &'a [MenuNode], depth: usize, out: &mut Vec<(&'a MenuNode, usize)>) {
        for n in nodes {
            out.push((n, depth));
            go(&n.children, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    go(nodes, 1, &mut out);
    out
}
