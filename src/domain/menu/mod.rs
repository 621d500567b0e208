//! Menus: every user's sidebar, built from core pages and the menu schemas of the services
//! their tenant can use, arranged by layouts, filtered by permissions. Pure: the server
//! computes menus with it, the menu editor previews them with it in the browser.
//!
//! - [`tree`]: the item and the sources (core pages, service menus);
//! - [`layout`]: layouts, lists of operations on item ids, and applying them;
//! - [`diff`]: the operations that turn one arrangement into another (the editor's save);
//! - [`edit`]: the editor's moves (drop before, after or inside; one keyboard step);
//! - [`icons`]: the icon names the sidebar draws and the editor offers;
//! - [`view`]: what the API answers.

pub mod command;
pub mod diff;
pub mod icons;
pub mod layout;
pub mod tree;
pub mod view;

#[cfg(test)]
mod tests;

pub use layout::{Layout, LayoutOp, Skipped};
pub use tree::{assemble, visible, MenuItemView, MenuNode, ServiceMenu, Viewer, MAX_DEPTH};
