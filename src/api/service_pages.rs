//! The page of an external service's menu item: its form, or its table.

use leptos::prelude::*;

use crate::domain::{error::AppError, service::page::ServicePageView};

#[server(prefix = "/api", endpoint = "service_page")]
pub async fn service_page(
    service: String,
    item: String,
    #[server(default)] page: String,
) -> Result<ServicePageView, AppError> {
    use crate::{api::context, server::services::service_pages};
    context::respond(
        async {
            let state = context::state()?;
            let actor = context::actor(&state).await?;
            // A page that is not a number is the first page, as in a link typed by hand.
            let page = page.trim().parse::<u32>().unwrap_or(1).clamp(1, 100_000);
            service_pages::page(&state, &actor, &service, &item, page).await
        }
        .await,
    )
}
