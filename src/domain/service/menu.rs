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
        self.endpoint.is_none() && self.is_at(page)
    }

    /// Whether the item's path, without a query, a fragment or a trailing slash, is `page`.
    pub fn is_at(&self, page: &str) -> bool {
        let path = self.path.split(['?', '#']).next().unwrap_or_default();
        path.trim_end_matches('/') == page.trim_end_matches('/')
    }
}

/// What an external service's menu item opens, as worked out by `MenuItem::target`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemTarget {
    /// One of the service's endpoints: a table for a GET one, the service's form for a POST one.
    Endpoint(String),
    /// The service's form.
    Form,
    /// Inti cannot tell; the page says what the registrant must add.
    Unclear,
}

/// An endpoint as an item's target is worked out from: its name and what it requires.
#[derive(Debug, Clone, Copy)]
pub struct EndpointNeeds<'a> {
    pub name: &'a str,
    pub required: &'a [Permission],
}

/// What the page of an item that opens nothing says, for the person who registered it.
pub const UNCLEAR_TARGET: &str = "Inti cannot tell what this menu item opens. The service's \
     registrant should add \"endpoint\" to the item, naming the endpoint it opens: a GET \
     endpoint shows a table of its answer, a POST endpoint the service's form.";

impl MenuItem {
    /// What the item opens: the endpoint it names; the service's form when its path is the
    /// form's page; else the one endpoint that requires exactly the item's permission; else
    /// the service's form when the service has one and the item has a permission that is not
    /// a read (a page that sends needs more than reading); else nothing Inti can tell.
    pub fn target(
        &self,
        service: &str,
        endpoints: &[EndpointNeeds<'_>],
        has_form: bool,
    ) -> ItemTarget {
        if let Some(name) = &self.endpoint {
            return ItemTarget::Endpoint(name.clone());
        }
        if has_form && self.opens_path(&format!("/forms/{service}")) {
            return ItemTarget::Form;
        }
        if let Some(p) = &self.permission {
            let mut requiring = endpoints.iter().filter(|e| e.required.contains(p));
            if let (Some(only), None) = (requiring.next(), requiring.next()) {
                return ItemTarget::Endpoint(only.name.to_string());
            }
        }
        // Only an item whose own permission is more than reading is taken for the form's:
        // it then also decides who may submit, so an item open to everyone never is.
        let sends = self
            .permission
            .as_ref()
            .is_some_and(|p| !matches!(p.action(), "read" | "list" | "view"));
        if has_form && sends {
            ItemTarget::Form
        } else {
            ItemTarget::Unclear
        }
    }

    /// This item and its children, depth first.
    pub fn flatten(&self) -> Vec<&MenuItem> {
        let mut out = vec![self];
        for child in &self.children {
            out.extend(child.flatten());
        }
        out
    }
}

impl MenuSchema {
    /// The item with this id, at any depth.
    pub fn find(&self, id: &str) -> Option<&MenuItem> {
        self.items
            .iter()
            .flat_map(MenuItem::flatten)
            .find(|i| i.id == id)
    }

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

/// The first path segments of Inti's own pages and routes. An external service's item may
/// not take one (Inti serves each item at its own path too, and would hide either).
const INTI_SEGMENTS: &[&str] = &[
    "",
    "account",
    "admin",
    "api",
    "apps",
    "dev",
    "favicon.svg",
    "forgot-password",
    "forms",
    "healthz",
    "login",
    "logout",
    "notifications",
    "pkg",
    "readyz",
    "services",
    "set-password",
    "tasks",
    "verify-email",
];

/// Whether `path` is, or is under, one of Inti's own pages or routes.
pub fn is_inti_path(path: &str) -> bool {
    let first = path
        .trim_start_matches('/')
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    INTI_SEGMENTS.iter().any(|s| s.eq_ignore_ascii_case(first))
}

impl MenuSchema {
    /// For an external service `service`: every item's path must be its own, not one of Inti's
    /// pages (its form's page `/forms/{service}` aside, which the item then opens).
    pub fn check_paths_free(&self, service: &str) -> Result<(), AppError> {
        fn walk(items: &[MenuItem], at: JsonPath, service: &str) -> Result<(), AppError> {
            for (i, item) in items.iter().enumerate() {
                let here = at.index(i);
                if is_inti_path(&item.path) && !item.is_at(&format!("/forms/{service}")) {
                    return Err(here.key("path").error(
                        "is one of Inti's own pages; choose a path of the service's own, such as /<service>/<page>",
                    ));
                }
                walk(&item.children, here.key("children"), service)?;
            }
            Ok(())
        }
        walk(
            &self.items,
            JsonPath::root("menuSchema").key("items"),
            service,
        )
    }
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
