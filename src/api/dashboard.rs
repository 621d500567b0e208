//! The dashboard page's data.

use leptos::prelude::*;

use crate::domain::{dashboard::DashboardView, error::AppError};

#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn dashboard() -> Result<DashboardView, AppError> {
    use crate::{api::context, server::services::dashboard};
    context::as_actor(async |state, actor| dashboard::view(state, actor).await).await
}
