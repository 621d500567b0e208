//! The audit viewer's data.

use leptos::prelude::*;

use crate::domain::{audit::AuditEntryView, error::AppError, tenant::Page};

#[server(prefix = "/api", endpoint = "audit_list")]
pub async fn list_audit(
    action: Option<String>,
    outcome: Option<String>,
    page: Option<i64>,
) -> Result<Page<AuditEntryView>, AppError> {
    use crate::{api::context, server::services::audit};
    context::respond(
        async {
            let state = context::state()?;
            let actor = context::actor(&state).await?;
            let filter = audit::AuditFilter {
                action: action.filter(|a| !a.is_empty()),
                outcome: outcome.filter(|o| !o.is_empty()),
                ..Default::default()
            };
            audit::list(&state, &actor, filter, page, Some(25)).await
        }
        .await,
    )
}
