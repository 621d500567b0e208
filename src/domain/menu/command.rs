//! The menu editor's commands: saving a layout, and saving an earlier version again.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::{error::AppError, menu::Layout, service::reader::JsonPath};

/// `PUT /api/v1/menus/layout` (and `/api/v1/core/menus/layout`): a new version of the layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SaveLayout {
    /// The version the editor started from (0 before the first save). When someone saved
    /// since, the answer is 409 naming them.
    pub base_version: i32,
    /// Operations on item ids (`move`, `rename`, `hide`, ...), read with the path of every
    /// error; an empty list resets the menu to its defaults.
    pub operations: Value,
}

/// `POST /api/v1/menus/layout/revert` (and the global one): an earlier version's operations,
/// saved again as a new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RevertLayout {
    /// The version to bring back.
    pub version: i32,
    /// As in `SaveLayout`.
    pub base_version: i32,
}

impl TryFrom<SaveLayout> for (i32, Layout) {
    type Error = AppError;

    /// The base version and the layout, checked.
    fn try_from(save: SaveLayout) -> Result<Self, AppError> {
        let base_version = checked_base(save.base_version)?;
        // `null` would read as no operations and silently reset the menu.
        if save.operations.is_null() {
            return Err(AppError::validation(
                "operations",
                "is required (an empty list resets to the defaults)",
            ));
        }
        let layout = json!({ "operations": save.operations });
        Ok((base_version, Layout::parse(&layout, JsonPath::root(""))?))
    }
}

impl RevertLayout {
    /// The version to bring back and the base version, checked.
    pub fn checked(self) -> Result<(i32, i32), AppError> {
        if self.version < 1 {
            return Err(AppError::validation(
                "version",
                "must be a whole number from 1",
            ));
        }
        Ok((self.version, checked_base(self.base_version)?))
    }
}

fn checked_base(base_version: i32) -> Result<i32, AppError> {
    if base_version < 0 {
        return Err(AppError::validation(
            "baseVersion",
            "is required: the version the editor started from",
        ));
    }
    Ok(base_version)
}
