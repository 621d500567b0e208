//! The page of an external service's menu item: its form, or its table.

use leptos::prelude::*;

use crate::domain::{error::AppError, service::page::ServicePageView};

#[server(prefix = "/api", endpoint = "service_page")]
pub async fn service_page(
    service: String,
    item: String,
    #[server(default)] page: String,
) -> Result<ServicePageView, AppError> {
    use crate::{
        api::{context, forms::take_outcome},
        server::services::{forms, service_pages},
    };
    context::as_actor(async |state, actor| {
        // A page that is not a number is the first page, as in a link typed by hand.
        let page = page.trim().parse::<u32>().unwrap_or(1).clamp(1, 100_000);
        // A page opened from another site (a link, a form) renders without calling the
        // service; the browser then loads the data from this site.
        let defer = use_context::<axum::http::request::Parts>()
            .is_some_and(|p| crate::server::http::security::from_another_site(&p.headers));
        let mut view = service_pages::page(state, actor, &service, &item, page, defer).await?;
        if view.table.is_none() && view.unresolved.is_none() {
            // One answer for the whole page, as the form page loads it (a post without
            // JavaScript comes back here with its outcome).
            let outcome = take_outcome(actor, &service, None).await?;
            view.form = Some(forms::load(state, actor, &service, outcome, None).await?);
        }
        Ok(view)
    })
    .await
}
