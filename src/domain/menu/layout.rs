//! Layouts: lists of operations on item ids (move, rename, hide, show, change icon, add a
//! group, add a link). Every operation sets something absolute (a parent and a sort order,
//! a name, a flag), so applying a layout twice equals applying it once. An operation whose
//! target no longer exists is skipped and reported, never an error for users.

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::domain::tree::{
    chain, check_parent, children_of, find, find_mut, height, parent_of, take,
};
use crate::domain::{
    error::AppError,
    menu::tree::{sort, MenuNode, CUSTOM, MAX_DEPTH},
    service::{
        menu::is_slug,
        reader::{JsonPath, Obj},
    },
    tree::{locate, Node},
};

pub const MAX_OPERATIONS: usize = 500;
/// A layout is kept beside every cached menu's inputs: bounded in bytes as well.
pub const MAX_BYTES: usize = 64 * 1024;
/// A pass that applied everything is final; a pass that skipped something is retried a few
/// times, until nothing changes.
const MAX_PASSES: usize = 4;
/// Items added by a layout have ids of their own namespace: no service can take them.
pub const CUSTOM_PREFIX: &str = "custom.";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Layout {
    pub operations: Vec<LayoutOp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum LayoutOp {
    /// Puts the item under `parent` (top level when none) with the sort order `position`.
    Move {
        id: String,
        parent: Option<String>,
        position: i32,
    },
    Rename {
        id: String,
        name: String,
    },
    Hide {
        id: String,
    },
    Show {
        id: String,
    },
    Icon {
        id: String,
        icon: String,
    },
    #[serde(rename_all = "camelCase")]
    AddGroup {
        id: String,
        name: String,
        icon: Option<String>,
        parent: Option<String>,
        position: i32,
    },
    #[serde(rename_all = "camelCase")]
    AddLink {
        id: String,
        name: String,
        url: String,
        icon: Option<String>,
        parent: Option<String>,
        position: i32,
    },
}

impl LayoutOp {
    pub fn id(&self) -> &str {
        match self {
            Self::Move { id, .. }
            | Self::Rename { id, .. }
            | Self::Hide { id }
            | Self::Show { id }
            | Self::Icon { id, .. }
            | Self::AddGroup { id, .. }
            | Self::AddLink { id, .. } => id,
        }
    }
}

impl LayoutOp {
    /// The group it puts an item under, if any.
    pub fn parent(&self) -> Option<&str> {
        match self {
            Self::Move { parent, .. }
            | Self::AddGroup { parent, .. }
            | Self::AddLink { parent, .. } => parent.as_deref(),
            _ => None,
        }
    }

    /// Whether it adds a group or a link of the layout's own.
    pub fn adds(&self) -> bool {
        matches!(self, Self::AddGroup { .. } | Self::AddLink { .. })
    }
}

/// What a new version of a layout does to the one it replaces: whether it adds groups or
/// links (`menu:create`) and whether it changes anything else (`menu:update`). Only the old
/// operations, unchanged and in their order, with adds of ids the old layout never named as
/// an item or a parent (each once), is adding alone; anything else, saving the same layout
/// again or reordered included, changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub adds: bool,
    pub alters: bool,
}

impl Change {
    pub fn between(old: &Layout, new: &Layout) -> Self {
        // Known: any id an old operation names, as its item or as a parent (an old move into a
        // group that is gone would take effect again when a group of that id is added).
        let known = |id: &str| {
            old.operations
                .iter()
                .any(|o| o.id() == id || o.parent() == Some(id))
        };
        let once = |id: &str| new.operations.iter().filter(|o| o.id() == id).count() == 1;
        let (fresh, rest): (Vec<&LayoutOp>, Vec<&LayoutOp>) = new
            .operations
            .iter()
            .partition(|op| op.adds() && !known(op.id()) && once(op.id()));
        let adds = !fresh.is_empty();
        let same_rest = rest.len() == old.operations.len()
            && rest.iter().zip(&old.operations).all(|(n, o)| *n == o);
        Self {
            adds,
            alters: !same_rest || !adds,
        }
    }
}

/// An operation that did not apply, and why (shown in the menu editor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    /// `global`, `tenant` or `service:<name>`.
    pub layout: String,
    pub index: usize,
    pub id: String,
    pub reason: String,
}

impl Layout {
    /// Reads an untrusted layout (`{"operations": [...]}`), naming the JSON path of any error.
    pub fn parse(value: &Value, path: JsonPath) -> Result<Self, AppError> {
        if value.to_string().len() > MAX_BYTES {
            return Err(path.error(format!("a layout is at most {} KB", MAX_BYTES / 1024)));
        }
        let obj = Obj::new(value, path)?.only(&["operations"])?;
        let raw = obj.array("operations", MAX_OPERATIONS)?;
        let operations = raw
            .iter()
            .enumerate()
            .map(|(i, v)| parse_op(v, obj.at("operations").index(i)))
            .collect::<Result<_, _>>()?;
        Ok(Self { operations })
    }

    /// Applies the operations to `tree` in order, then sorts each level by sort order
    /// (stably), and repeats until a pass changes nothing: an operation skipped early (its
    /// target added, or made shallow enough, by a later one) gets its turn, and applying the
    /// result again changes nothing. Answers what the last pass skipped.
    pub fn apply(&self, layout: &str, tree: &mut Vec<MenuNode>) -> Vec<Skipped> {
        let mut skipped = self.pass(layout, tree);
        for _ in 0..MAX_PASSES {
            if skipped.is_empty() {
                break;
            }
            let before = tree.clone();
            skipped = self.pass(layout, tree);
            if *tree == before {
                break;
            }
        }
        skipped
    }

    fn pass(&self, layout: &str, tree: &mut Vec<MenuNode>) -> Vec<Skipped> {
        let mut skipped = Vec::new();
        for (index, op) in self.operations.iter().enumerate() {
            if let Err(reason) = apply_op(op, tree) {
                skipped.push(Skipped {
                    layout: layout.to_string(),
                    index,
                    id: op.id().to_string(),
                    reason,
                });
            }
        }
        sort(tree);
        skipped
    }
}

fn apply_op(op: &LayoutOp, tree: &mut Vec<MenuNode>) -> Result<(), String> {
    let missing = |id: &str| format!("no item \"{id}\" any more");
    match op {
        LayoutOp::Move {
            id,
            parent,
            position,
        } => {
            let (current_parent, height) = {
                let found = locate(tree, id).ok_or_else(|| missing(id))?;
                (found.parent, height(found.node))
            };
            if current_parent.as_deref() != parent.as_deref() {
                check_parent(tree, parent.as_deref(), Some(id), height)?;
                let node = take(tree, id).ok_or_else(|| missing(id))?;
                children_of(tree, parent.as_deref()).push(node);
            }
            find_mut(tree, id).ok_or_else(|| missing(id))?.sort_order = *position;
        }
        LayoutOp::Rename { id, name } => {
            find_mut(tree, id).ok_or_else(|| missing(id))?.name = name.clone();
        }
        LayoutOp::Hide { id } => find_mut(tree, id).ok_or_else(|| missing(id))?.hidden = true,
        LayoutOp::Show { id } => find_mut(tree, id).ok_or_else(|| missing(id))?.hidden = false,
        LayoutOp::Icon { id, icon } => {
            find_mut(tree, id).ok_or_else(|| missing(id))?.icon = Some(icon.clone());
        }
        LayoutOp::AddGroup {
            id,
            name,
            icon,
            parent,
            position,
        } => add(tree, id, name, None, icon, parent.as_deref(), *position)?,
        LayoutOp::AddLink {
            id,
            name,
            url,
            icon,
            parent,
            position,
        } => add(
            tree,
            id,
            name,
            Some(url),
            icon,
            parent.as_deref(),
            *position,
        )?,
    }
    Ok(())
}

fn add(
    tree: &mut Vec<MenuNode>,
    id: &str,
    name: &str,
    url: Option<&String>,
    icon: &Option<String>,
    parent: Option<&str>,
    position: i32,
) -> Result<(), String> {
    if let Some(found) = locate(tree, id) {
        // Added by an earlier application of this layout, or taken by another item.
        return if found.node.source == CUSTOM {
            Ok(())
        } else {
            Err(format!("\"{id}\" is already an item of the menu"))
        };
    }
    check_parent(tree, parent, None, 1)?;
    children_of(tree, parent).push(MenuNode {
        id: id.into(),
        name: name.into(),
        path: url.cloned(),
        icon: icon.clone(),
        // Wherever it moves later: the same item, the same category.
        category: "CUSTOM".into(),
        sort_order: position,
        permission: None,
        access: None,
        platform: false,
        maintenance: false,
        down: false,
        hidden: false,
        group: url.is_none(),
        source: CUSTOM.into(),
        children: Vec::new(),
    });
    Ok(())
}

// ---- reading untrusted layouts ----

fn parse_op(value: &Value, path: JsonPath) -> Result<LayoutOp, AppError> {
    let o = Obj::new(value, path)?;
    let kind = o.req_str("op", 20)?;
    let known: &[&str] = match kind.as_str() {
        "move" => &["op", "id", "parent", "position"],
        "rename" => &["op", "id", "name"],
        "hide" | "show" => &["op", "id"],
        "icon" => &["op", "id", "icon"],
        "addGroup" => &["op", "id", "name", "icon", "parent", "position"],
        "addLink" => &["op", "id", "name", "url", "icon", "parent", "position"],
        _ => {
            return Err(o
                .at("op")
                .error("must be one of move, rename, hide, show, icon, addGroup, addLink"))
        }
    };
    let o = o.only(known)?;
    let id = item_id(&o, "id")?;
    let parent = match o.get("parent") {
        None => None,
        Some(_) => Some(item_id(&o, "parent")?),
    };
    let position = || -> Result<i32, AppError> {
        Ok(o.opt_int("position", -100_000, 100_000)?
            .ok_or_else(|| o.at("position").error("is required"))? as i32)
    };
    let name = || -> Result<String, AppError> {
        let name = o.req_str("name", 100)?;
        if name.trim().is_empty() {
            return Err(o.at("name").error("must not be blank"));
        }
        Ok(name.trim().to_string())
    };
    let icon = |required: bool| -> Result<Option<String>, AppError> {
        match o.opt_str("icon", 40)? {
            Some(i) if is_slug(&i) => Ok(Some(i)),
            Some(_) => Err(o
                .at("icon")
                .error("must use only lowercase letters, digits, - and _")),
            None if required => Err(o.at("icon").error("is required")),
            None => Ok(None),
        }
    };
    let custom_id = |id: String| -> Result<String, AppError> {
        if id.starts_with(CUSTOM_PREFIX) && id.len() > CUSTOM_PREFIX.len() {
            Ok(id)
        } else {
            Err(o.at("id").error(format!(
                "an added item's id must start with \"{CUSTOM_PREFIX}\""
            )))
        }
    };
    Ok(match kind.as_str() {
        "move" => LayoutOp::Move {
            id,
            parent,
            position: position()?,
        },
        "rename" => LayoutOp::Rename { id, name: name()? },
        "hide" => LayoutOp::Hide { id },
        "show" => LayoutOp::Show { id },
        "icon" => LayoutOp::Icon {
            id,
            icon: icon(true)?.unwrap_or_default(),
        },
        "addGroup" => LayoutOp::AddGroup {
            id: custom_id(id)?,
            name: name()?,
            icon: icon(false)?,
            parent,
            position: position()?,
        },
        _ => LayoutOp::AddLink {
            id: custom_id(id)?,
            name: name()?,
            url: link_url(&o)?,
            icon: icon(false)?,
            parent,
            position: position()?,
        },
    })
}

fn item_id(o: &Obj<'_>, key: &str) -> Result<String, AppError> {
    let id = o.req_str(key, 120)?;
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
    {
        return Err(o
            .at(key)
            .error("must be an item id: lowercase letters, digits, ., - and _"));
    }
    Ok(id)
}

/// Links leave the app: `http` or `https` with a host, nothing that runs script. The scheme
/// is stored in lowercase, so that every reader recognises a link the same way.
fn link_url(o: &Obj<'_>) -> Result<String, AppError> {
    let url = o.req_str("url", 2000)?;
    let refused = || {
        o.at("url")
            .error("must be an http or https address with a host")
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(refused)?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(refused());
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with('@') {
        return Err(refused());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(o
            .at("url")
            .error("must not contain spaces or control characters"));
    }
    Ok(format!("{scheme}://{rest}"))
}

impl Node for MenuNode {
    const MAX_DEPTH: usize = MAX_DEPTH;

    fn id(&self) -> &str {
        &self.id
    }

    fn label(&self) -> String {
        self.name.clone()
    }

    fn children(&self) -> &[Self] {
        &self.children
    }

    fn children_mut(&mut self) -> &mut Vec<Self> {
        &mut self.children
    }

    fn refuses_children(&self) -> Option<String> {
        self.is_link()
            .then(|| format!("\"{}\" is a link and cannot hold items", self.id))
    }

    /// Sort orders 10, 20, ... so that the order survives as a layout.
    fn renumber(level: &mut [Self]) {
        for (i, n) in level.iter_mut().enumerate() {
            n.sort_order = (i as i32 + 1) * 10;
        }
    }
}
