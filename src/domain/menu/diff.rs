//! The layout that turns one arrangement of a menu (the services' defaults with the layers
//! below the one being edited) into another (what the editor shows): the editor's save.

use crate::domain::menu::{
    layout::{find, parent_of, Layout, LayoutOp},
    tree::{MenuNode, CUSTOM},
};

/// Operations that make `base` look like `edited`. Items leaving their parent first go to
/// the top level, then to their place, parents before children: no intermediate step nests
/// deeper than the result does.
pub fn diff(base: &[MenuNode], edited: &[MenuNode]) -> Layout {
    let mut staging = Vec::new();
    let mut ops = Vec::new();
    walk(base, edited, None, &mut staging, &mut ops);
    staging.extend(ops);
    Layout {
        operations: staging,
    }
}

fn walk(
    base: &[MenuNode],
    level: &[MenuNode],
    parent: Option<&str>,
    staging: &mut Vec<LayoutOp>,
    ops: &mut Vec<LayoutOp>,
) {
    for node in level {
        let id = node.id.clone();
        let parent_id = parent.map(str::to_string);
        match find(base, &node.id) {
            None if node.source == CUSTOM => {
                ops.push(match &node.path {
                    Some(url) => LayoutOp::AddLink {
                        id: id.clone(),
                        name: node.name.clone(),
                        url: url.clone(),
                        icon: node.icon.clone(),
                        parent: parent_id,
                        position: node.sort_order,
                    },
                    None => LayoutOp::AddGroup {
                        id: id.clone(),
                        name: node.name.clone(),
                        icon: node.icon.clone(),
                        parent: parent_id,
                        position: node.sort_order,
                    },
                });
                if node.hidden {
                    ops.push(LayoutOp::Hide { id });
                }
            }
            // Not in the base and not added here: nothing can recreate it.
            None => {}
            Some(old) => {
                let old_parent = parent_of(base, &node.id).flatten();
                if old_parent.as_deref() != parent {
                    if old_parent.is_some() {
                        staging.push(LayoutOp::Move {
                            id: id.clone(),
                            parent: None,
                            position: node.sort_order,
                        });
                    }
                    ops.push(LayoutOp::Move {
                        id: id.clone(),
                        parent: parent_id,
                        position: node.sort_order,
                    });
                } else if old.sort_order != node.sort_order {
                    ops.push(LayoutOp::Move {
                        id: id.clone(),
                        parent: parent_id,
                        position: node.sort_order,
                    });
                }
                if old.name != node.name {
                    ops.push(LayoutOp::Rename {
                        id: id.clone(),
                        name: node.name.clone(),
                    });
                }
                if old.icon != node.icon {
                    if let Some(icon) = &node.icon {
                        ops.push(LayoutOp::Icon {
                            id: id.clone(),
                            icon: icon.clone(),
                        });
                    }
                }
                if old.hidden != node.hidden {
                    ops.push(if node.hidden {
                        LayoutOp::Hide { id }
                    } else {
                        LayoutOp::Show { id }
                    });
                }
            }
        }
        walk(base, &node.children, Some(&node.id), staging, ops);
    }
}
