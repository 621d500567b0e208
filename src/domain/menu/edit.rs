//! What the menu editor does to its tree: put an item before, after or inside another (a
//! drop), or one step in a direction (the keyboard). The same rules as layouts: at most
//! three levels, never into itself, never under a link.

use crate::domain::menu::{
    layout::{check_parent, find, height, parent_of, take},
    tree::MenuNode,
};

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
    /// Into the item above, as its last child.
    In,
    /// Out of its group, right after it.
    Out,
}

/// Moves `id` next to or into `target`. Sort orders of the level it lands in are renumbered
/// (10, 20, …) so that the order survives as a layout.
pub fn place(
    tree: &mut Vec<MenuNode>,
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
    let level = crate::domain::menu::layout::children_of(tree, parent.as_deref());
    let at = match placement {
        Placement::Inside => level.len(),
        Placement::Before => level.iter().position(|n| n.id == target).unwrap_or(0),
        Placement::After => level
            .iter()
            .position(|n| n.id == target)
            .map_or(level.len(), |i| i + 1),
    };
    level.insert(at, node);
    for (i, n) in level.iter_mut().enumerate() {
        n.sort_order = (i as i32 + 1) * 10;
    }
    Ok(())
}

/// One keyboard step; answers what happened, for the screen reader, or why not.
pub fn step(tree: &mut Vec<MenuNode>, id: &str, step: Step) -> Result<String, String> {
    let parent = parent_of(tree, id).ok_or("the item is gone")?;
    let siblings: Vec<String> = match &parent {
        None => tree.iter().map(|n| n.id.clone()).collect(),
        Some(p) => find(tree, p)
            .map(|n| n.children.iter().map(|c| c.id.clone()).collect())
            .unwrap_or_default(),
    };
    let i = siblings.iter().position(|s| s == id).unwrap_or(0);
    let name =
        |tree: &[MenuNode], id: &str| find(tree, id).map(|n| n.name.clone()).unwrap_or_default();
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
