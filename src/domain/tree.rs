//! Trees that editors rearrange: the menu's items and the form builder's fields. Finding,
//! taking and placing nodes, with one set of rules (never into itself, never under a node
//! that refuses children, at most `MAX_DEPTH` levels), and the moves of a drop or a keyboard
//! step that the drag-and-drop component (`ui::dnd`) asks for.

pub trait Node: Sized {
    /// Levels a tree may have: a top-level node, its children, theirs, ...
    const MAX_DEPTH: usize;
    /// Unique in the whole tree.
    fn id(&self) -> &str;
    /// What a screen reader calls the node.
    fn label(&self) -> String;
    fn children(&self) -> &[Self];
    fn children_mut(&mut self) -> &mut Vec<Self>;
    /// Why this node cannot hold others, if it cannot.
    fn refuses_children(&self) -> Option<String>;
    /// After a move, the level the node landed in, in its new order (the menu numbers its
    /// sort orders from it).
    fn renumber(_level: &mut [Self]) {}
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Before,
    After,
    Inside,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
    /// Into the node above, as its last child.
    In,
    /// Out of its parent, right after it.
    Out,
}

/// What a drop did, for the screen reader.
pub fn moved(placement: Placement, what: &str, whom: &str) -> String {
    match placement {
        Placement::Before => format!("{what} moved above {whom}."),
        Placement::After => format!("{what} moved below {whom}."),
        Placement::Inside => format!("{what} moved into {whom}."),
    }
}

pub struct Found<'a, N> {
    pub node: &'a N,
    pub parent: Option<String>,
    /// 1 for top-level nodes.
    pub depth: usize,
    /// The ids of its ancestors, outermost first.
    pub path: Vec<String>,
}

pub fn locate<'a, N: Node>(tree: &'a [N], id: &str) -> Option<Found<'a, N>> {
    fn go<'a, N: Node>(nodes: &'a [N], id: &str, path: &mut Vec<String>) -> Option<Found<'a, N>> {
        for n in nodes {
            if n.id() == id {
                return Some(Found {
                    node: n,
                    parent: path.last().cloned(),
                    depth: path.len() + 1,
                    path: path.clone(),
                });
            }
            path.push(n.id().to_string());
            let found = go(n.children(), id, path);
            path.pop();
            if found.is_some() {
                return found;
            }
        }
        None
    }
    go(tree, id, &mut Vec::new())
}

pub fn find<'a, N: Node>(nodes: &'a [N], id: &str) -> Option<&'a N> {
    locate(nodes, id).map(|f| f.node)
}

pub fn find_mut<'a, N: Node>(nodes: &'a mut [N], id: &str) -> Option<&'a mut N> {
    for n in nodes {
        if n.id() == id {
            return Some(n);
        }
        if let Some(found) = find_mut(n.children_mut(), id) {
            return Some(found);
        }
    }
    None
}

/// The node and its ancestors, outermost first (empty if it does not exist).
pub fn chain<'a, N: Node>(nodes: &'a [N], id: &str) -> Vec<&'a N> {
    let Some(found) = locate(nodes, id) else {
        return Vec::new();
    };
    let mut out: Vec<&N> = found.path.iter().filter_map(|a| find(nodes, a)).collect();
    out.push(found.node);
    out
}

/// The id of the node's parent (`Some(None)`: top level), if the node exists.
pub fn parent_of<N: Node>(nodes: &[N], id: &str) -> Option<Option<String>> {
    locate(nodes, id).map(|f| f.parent)
}

/// Levels of the subtree: 1 for a leaf.
pub fn height<N: Node>(node: &N) -> usize {
    1 + node.children().iter().map(height).max().unwrap_or(0)
}

/// Removes the node (with its subtree) and answers it.
pub fn take<N: Node>(nodes: &mut Vec<N>, id: &str) -> Option<N> {
    if let Some(i) = nodes.iter().position(|n| n.id() == id) {
        return Some(nodes.remove(i));
    }
    nodes.iter_mut().find_map(|n| take(n.children_mut(), id))
}

/// The children of `parent`, or the top level. The parent must exist.
pub fn children_of<'a, N: Node>(tree: &'a mut Vec<N>, parent: Option<&str>) -> &'a mut Vec<N> {
    match parent {
        Some(p) if find(tree, p).is_some() => match find_mut(tree, p) {
            Some(node) => node.children_mut(),
            None => unreachable!("found just above"),
        },
        _ => tree,
    }
}

/// Whether a node `height` levels tall (itself counted) may go under `parent`.
pub fn check_parent<N: Node>(
    tree: &[N],
    parent: Option<&str>,
    moving: Option<&str>,
    height: usize,
) -> Result<(), String> {
    let Some(parent) = parent else {
        return Ok(());
    };
    let found = locate(tree, parent).ok_or_else(|| format!("no item \"{parent}\" any more"))?;
    if let Some(moving) = moving {
        if found.path.iter().any(|a| a == moving) || parent == moving {
            return Err("an item cannot move into itself".into());
        }
    }
    if let Some(why) = found.node.refuses_children() {
        return Err(why);
    }
    if found.depth + height > N::MAX_DEPTH {
        return Err(format!("items nest at most {} levels deep", N::MAX_DEPTH));
    }
    Ok(())
}

/// Moves `id` next to or into `target`.
pub fn place<N: Node>(
    tree: &mut Vec<N>,
    id: &str,
    target: &str,
    placement: Placement,
) -> Result<(), String> {
    if id == target {
        return Err("an item cannot move onto itself".into());
    }
    let moving = find(tree, id).ok_or("the item is gone")?;
    let tall = height(moving);
    let parent = match placement {
        Placement::Inside => Some(target.to_string()),
        _ => parent_of(tree, target).ok_or("the target is gone")?,
    };
    check_parent(tree, parent.as_deref(), Some(id), tall)?;
    let node = take(tree, id).ok_or("the item is gone")?;
    insert(tree, node, parent.as_deref(), Some((target, placement)));
    Ok(())
}

/// Puts `node` under `parent`: before or after a sibling, or last.
pub fn insert<N: Node>(
    tree: &mut Vec<N>,
    node: N,
    parent: Option<&str>,
    near: Option<(&str, Placement)>,
) {
    let level = children_of(tree, parent);
    let at = match near {
        Some((target, Placement::Before)) => {
            level.iter().position(|n| n.id() == target).unwrap_or(0)
        }
        Some((target, Placement::After)) => level
            .iter()
            .position(|n| n.id() == target)
            .map_or(level.len(), |i| i + 1),
        Some((_, Placement::Inside)) | None => level.len(),
    };
    level.insert(at, node);
    N::renumber(level);
}

/// One keyboard step; answers what happened, for the screen reader, or why not.
pub fn step<N: Node>(tree: &mut Vec<N>, id: &str, step: Step) -> Result<String, String> {
    let parent = parent_of(tree, id).ok_or("the item is gone")?;
    let siblings: Vec<String> = match &parent {
        None => tree.iter().map(|n| n.id().to_string()).collect(),
        Some(p) => find(tree, p)
            .map(|n| n.children().iter().map(|c| c.id().to_string()).collect())
            .unwrap_or_default(),
    };
    let i = siblings.iter().position(|s| s == id).unwrap_or(0);
    let name = |tree: &[N], id: &str| find(tree, id).map(|n| n.label()).unwrap_or_default();
    match step {
        Step::Up if i > 0 => {
            place(tree, id, &siblings[i - 1], Placement::Before)?;
            Ok(format!("Moved above {}", name(tree, &siblings[i - 1])))
        }
        Step::Down if i + 1 < siblings.len() => {
            place(tree, id, &siblings[i + 1], Placement::After)?;
            Ok(format!("Moved below {}", name(tree, &siblings[i + 1])))
        }
        Step::In if i > 0 => {
            place(tree, id, &siblings[i - 1], Placement::Inside)?;
            Ok(format!("Moved into {}", name(tree, &siblings[i - 1])))
        }
        Step::Out => match parent {
            Some(p) => {
                place(tree, id, &p, Placement::After)?;
                Ok(format!("Moved out of {}", name(tree, &p)))
            }
            None => Err("Already at the top level".into()),
        },
        Step::Up => Err("Already first in its group".into()),
        Step::Down => Err("Already last in its group".into()),
        Step::In => Err("No item above to move into".into()),
    }
}
