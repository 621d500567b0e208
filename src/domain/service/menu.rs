//! Menu schemas (`menuSchema` of a service): the seed document's `items[]` (`name`, `path`,
//! `icon`, `permission`), with optional ids, sort order and children. The menus issue merges
//! them into each user's sidebar.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::{
    error::AppError,
    permission::{Permission, PermissionSet},
    service::reader::{JsonPath, Obj},
};

pub const MAX_ITEMS: usize = 100;
/// Items nest at most this deep (an item, its children, theirs).
pub const MAX_DEPTH: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MenuSchema {
    pub items: Vec<MenuItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MenuItem {
    /// Stable within the service; derived from the path when not given.
    pub id: String,
    pub name: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<Permission>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<i32>,
    /// An endpoint of the service that the item opens as a page of its own
    /// (`/apps/{service}/{id}`): a form for a POST endpoint, a table for a GET one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub children: Vec<MenuItem>,
}

impl MenuItem {
    /// Whether holders of `held` may open the item (one without a permission is open).
    pub fn allows(&self, held: &PermissionSet) -> bool {
        self.permission.as_ref().is_none_or(|p| held.covers(p))
    }

    /// Whether the item opens the page at `page`: its path, without a query, a fragment or
    /// a trailing slash, is that page. An item that names an endpoint opens a service page
    /// instead, whatever its path says.
    pub fn opens_path(&self, page: &str) -> bool {
        let path = self.path.split(['?', '#']).next().unwrap_or_default();
        self.endpoint.is_none() && path.trim_end_matches('/') == page
    }
}

impl MenuSchema {
    pub fn parse(value: &Value, path: JsonPath) -> Result<Self, AppError> {
        let obj = Obj::new(value, path)?.only(&["items"])?;
        let mut count = 0;
        let mut ids = Vec::new();
        let items = parse_items(&obj, "items", 1, &mut count, &mut ids)?;
        Ok(Self { items })
    }
}

fn parse_items(
    parent: &Obj<'_>,
    key: &str,
    depth: usize,
    count: &mut usize,
    ids: &mut Vec<String>,
) -> Result<Vec<MenuItem>, AppError> {
    let raw = parent.array(key, MAX_ITEMS)?;
    if depth > MAX_DEPTH && !raw.is_empty() {
        return Err(parent
            .at(key)
            .error(format!("menu items nest at most {MAX_DEPTH} levels deep")));
    }
    let mut items = Vec::with_capacity(raw.len());
    for (i, value) in raw.iter().enumerate() {
        let path = parent.at(key).index(i);
        *count += 1;
        if *count > MAX_ITEMS {
            return Err(path.error(format!("a menu has at most {MAX_ITEMS} items")));
        }
        let o = Obj::new(value, path)?.only(&[
            "id",
            "name",
            "path",
            "icon",
            "permission",
            "sortOrder",
            "endpoint",
            "children",
        ])?;
        let name = o.req_str("name", 100)?;
        let item_path = o.req_str("path", 300)?;
        check_path(&item_path).map_err(|why| o.at("path").error(why))?;
        let id = match o.opt_str("id", 100)? {
            Some(id) if is_slug(&id) => id,
            Some(_) => {
                return Err(o
                    .at("id")
                    .error("must use only lowercase letters, digits, - and _"))
            }
            None => slug_of(&item_path),
        };
        if ids.contains(&id) {
            return Err(o.at("id").error(format!(
                "\"{id}\" is used by another item; give each item its own id or path"
            )));
        }
        ids.push(id.clone());
        let icon = o.opt_str("icon", 40)?;
        if icon.as_deref().is_some_and(|i| !is_slug(i)) {
            return Err(o
                .at("icon")
                .error("must use only lowercase letters, digits, - and _"));
        }
        let permission = match o.opt_str("permission", 200)? {
            Some(p) => Some(
                p.parse::<Permission>()
                    .map_err(|e| o.at("permission").error(e.to_string()))?,
            ),
            None => None,
        };
        let sort_order = o.opt_int("sortOrder", -10_000, 10_000)?.map(|n| n as i32);
        let endpoint = o.opt_str("endpoint", 100)?;
        let children = parse_items(&o, "children", depth + 1, count, ids)?;
        items.push(MenuItem {
            id,
            name,
            path: item_path,
            icon,
            permission,
            sort_order,
            endpoint,
            children,
        });
    }
    Ok(items)
}

/// An app path: starts with one `/`, no spaces, no `..`, no scheme.
fn check_path(p: &str) -> Result<(), String> {
    if !p.starts_with('/') || p.starts_with("//") {
        return Err("must be a path inside the app, starting with /".into());
    }
    if p.chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err("must not contain spaces, control characters or \\".into());
    }
    if p.split('/').any(|s| s == "..") {
        return Err("must not contain ..".into());
    }
    Ok(())
}

/// Lowercase letters, digits, `-` and `_` (ids and icon names).
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// `/whatsapp/blast` → `whatsapp-blast`.
fn slug_of(path: &str) -> String {
    let slug: String = path
        .trim_matches('/')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if slug.is_empty() {
        "root".into()
    } else {
        slug
    }
}
