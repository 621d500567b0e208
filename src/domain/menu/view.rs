//! What the menu API answers and the sidebar and editor render.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::menu::{
    layout::{Layout, Skipped},
    tree::{MenuItemView, MenuNode},
};

/// `GET /api/v1/menus/user`: the seed document's shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MenuData {
    pub menus: Vec<MenuItemView>,
    pub permissions: Vec<String>,
}

/// One layout (the tenant's, or the global one) as the editor opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LayoutView {
    /// `tenant` or `global`.
    pub scope: String,
    /// 0 before the first save. A save names the version it started from.
    pub version: i32,
    pub saved_by: Option<String>,
    pub saved_at: Option<DateTime<Utc>>,
    pub layout: Layout,
    /// The menu without this layout: the services' defaults and the layers below.
    pub base: Vec<MenuNode>,
    /// The menu with it, hidden items included.
    pub tree: Vec<MenuNode>,
    /// Operations of this layout (and the layers below) that no longer apply.
    pub skipped: Vec<Skipped>,
    /// Roles of the tenant, to preview the menu as each would see it (empty without
    /// `role:read`).
    pub roles: Vec<RolePreview>,
    /// The actor may move, rename, hide and remove items (`menu:update`).
    pub may_update: bool,
    /// The actor may add groups and links (`menu:create`).
    pub may_create: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RolePreview {
    pub name: String,
    pub permissions: Vec<String>,
    /// Holders act with platform authority (SUPER_ADMIN in the CORE tenant).
    pub platform: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LayoutVersionView {
    pub version: i32,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
    pub reverted_from: Option<i32>,
    pub operations: usize,
}

/// "Why can't I see it?": whether a user sees an item, and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub visible: bool,
    /// NOT_IN_MENU, SERVICE_INACTIVE, NOT_ASSIGNED, ASSIGNMENT_SUSPENDED,
    /// ASSIGNMENT_INACTIVE, BUSINESS_TENANTS_ONLY, HIDDEN, PERMISSION_MISSING,
    /// PLATFORM_ONLY, EMPTY_GROUP or VISIBLE.
    pub code: String,
    pub reason: String,
}

/// A user's menu, ready to answer: the data, its JSON and its entity tag.
#[cfg(feature = "ssr")]
#[derive(Debug)]
pub struct UserMenu {
    pub data: MenuData,
    pub json: String,
    pub etag: String,
}

#[cfg(feature = "ssr")]
impl UserMenu {
    #[cfg(test)]
    pub fn for_tests(name: &str) -> Self {
        let data = MenuData {
            menus: Vec::new(),
            permissions: vec![name.to_string()],
        };
        let json = serde_json::to_string(&data).unwrap_or_default();
        Self::new(data, json)
    }

    pub fn new(data: MenuData, json: String) -> Self {
        use sha2::{Digest, Sha256};
        let etag = format!(
            "\"{}\"",
            &hex::encode(Sha256::digest(json.as_bytes()))[..32]
        );
        Self { data, json, etag }
    }
}
