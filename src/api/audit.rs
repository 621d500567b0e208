//! The audit viewer's data.

use leptos::prelude::*;

use crate::domain::{audit::AuditEntryView, error::AppError, paging::Page};

#[server(prefix = "/api", endpoint = "audit_list")]
pub async fn list_audit(
    action: Option<String>,
    outcome: Option<String>,
    page: Option<i64>,
) -> Result<Page<AuditEntryView>, AppError> {
    use crate::{api::context, server::services::audit};
    context::as_actor(async |state, actor| {
        let query = audit::AuditQuery {
            filter: audit::AuditFilter {
                action: action.filter(|a| !a.is_empty()),
                outcome: outcome.filter(|o| !o.is_empty()),
                ..Default::default()
            },
            page,
            per_page: Some(25),
        };
        audit::list(state, actor, Ok(query)).await
    })
    .await
}
