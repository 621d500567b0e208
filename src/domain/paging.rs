//! Server-side paging: bounded input, and the page of results the API answers with.

use serde::{Deserialize, Serialize};

use crate::domain::error::AppError;

pub const DEFAULT_PER_PAGE: i64 = 20;
pub const MAX_PER_PAGE: i64 = 100;
/// Far beyond any real list, and small enough that `(page - 1) * per_page` cannot overflow.
pub const MAX_PAGE: i64 = 1_000_000;

/// One page of a server-side paged list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Checked paging input: `page` from 1 to `MAX_PAGE`, `perPage` from 1 to `MAX_PER_PAGE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Paging {
    /// Out-of-range values are a validation error naming the parameter, never clamped
    /// silently and never an overflow.
    pub fn parse(page: Option<i64>, per_page: Option<i64>) -> Result<Self, AppError> {
        let page = page.unwrap_or(1);
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(AppError::validation(
                "page",
                format!("page must be between 1 and {MAX_PAGE}"),
            ));
        }
        let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(AppError::validation(
                "perPage",
                format!("perPage must be between 1 and {MAX_PER_PAGE}"),
            ));
        }
        Ok(Self { page, per_page })
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    pub fn limit(&self) -> i64 {
        self.per_page
    }

    pub fn page_of<T>(&self, items: Vec<T>, total: i64) -> Page<T> {
        Page {
            items,
            total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        let p = Paging::parse(None, None).unwrap();
        assert_eq!((p.page, p.per_page, p.offset()), (1, DEFAULT_PER_PAGE, 0));
        let p = Paging::parse(Some(MAX_PAGE), Some(MAX_PER_PAGE)).unwrap();
        assert_eq!(p.offset(), (MAX_PAGE - 1) * MAX_PER_PAGE);
        for (page, per_page, field) in [
            (Some(0), None, "page"),
            (Some(-1), None, "page"),
            (Some(i64::MAX), None, "page"),
            (Some(MAX_PAGE + 1), None, "page"),
            (None, Some(0), "perPage"),
            (None, Some(1000), "perPage"),
            (None, Some(i64::MIN), "perPage"),
        ] {
            let err = Paging::parse(page, per_page).unwrap_err();
            assert!(
                matches!(&err, AppError::Validation { field: f, .. } if f == field),
                "{page:?} {per_page:?}: {err:?}"
            );
        }
    }
}
