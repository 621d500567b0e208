//! Forms for the browser: a service's generated form (load, submit) and the form builder
//! (its versions, save, restore). Each calls the forms service. A submission posted without
//! JavaScript comes back to its page through a redirect; its outcome (errors and entered
//! values, never passwords) waits in the session for that page, once.

use leptos::prelude::*;

use crate::domain::{
    error::AppError,
    form::{
        values::Pairs,
        view::{BuilderView, FormView, Submitted},
    },
};

/// Where a post without JavaScript leaves its outcome: per user, tenant, service and the
/// record an edit form changes, so that it never shows to another account, in another
/// tenant of the same browser session, or in another record's form.
#[cfg(feature = "ssr")]
fn outcome_key(
    actor: &crate::server::auth::actor::Actor,
    service: &str,
    record: Option<&str>,
) -> String {
    format!(
        "form_outcome:{}:{}:{service}:{}",
        actor.user_id,
        actor.tenant_id,
        record.unwrap_or("")
    )
}

/// The outcome of this user's last post of `service`'s form (editing `record`, if any)
/// without JavaScript, once.
#[cfg(feature = "ssr")]
pub async fn take_outcome(
    actor: &crate::server::auth::actor::Actor,
    service: &str,
    record: Option<&str>,
) -> Result<Option<crate::server::services::forms::PageOutcome>, AppError> {
    crate::api::context::take_once(&outcome_key(actor, service, record)).await
}

#[server(prefix = "/api", endpoint = "forms_load")]
pub async fn load_form(service: String) -> Result<FormView, AppError> {
    use crate::{api::context, server::services::forms};
    context::as_actor(async |state, actor| {
        let outcome = take_outcome(actor, &service, None).await?;
        forms::load(state, actor, &service, outcome, None).await
    })
    .await
}

/// `values`: the form post, field path → text (`recipients.0`, `address.city`). `record`
/// and `record_version`: the record an edit form changes, and the version it was read at.
#[server(prefix = "/api", endpoint = "forms_submit")]
pub async fn submit_form(
    service: String,
    version: i32,
    #[server(default)] values: Pairs,
    #[server(default)] record: Option<String>,
    #[server(default)] record_version: String,
) -> Result<Submitted, AppError> {
    use crate::{api::context, server::services::forms};
    context::as_actor(async |state, actor| {
        let client = context::client().await;
        // Read after the authorization (in `submit`): a bad id of a caller who may not
        // edit answers 403, like any other body.
        let record = record.filter(|r| !r.trim().is_empty());
        let key = outcome_key(actor, &service, record.as_deref());
        let record = record.map(|id| -> Result<forms::Record, AppError> {
            Ok(forms::Record {
                id: id
                    .trim()
                    .parse()
                    .map_err(|_| AppError::validation("record", "must be a record id"))?,
                version: record_version.trim().parse().map_err(|_| {
                    AppError::validation(
                        "recordVersion",
                        "is required: the version the form was filled in from",
                    )
                })?,
            })
        });
        let posted =
            forms::submit(state, actor, &service, version, record, Ok(values), &client).await;
        if !context::from_html_form() {
            return posted.map(|p| p.answer);
        }
        // Without JavaScript the page comes back through a redirect: it finds the
        // outcome (a refusal too) in the session.
        // A service the user cannot use has no page to return to: nothing to keep.
        if let Err(AppError::NotFound | AppError::Unauthenticated) = &posted {
            return posted.map(|p| p.answer);
        }
        let outcome = match &posted {
            Ok(p) => forms::PageOutcome {
                echo: p.echo.clone(),
                answer: p.answer.clone(),
            },
            Err(e) => forms::PageOutcome {
                echo: None,
                answer: Submitted {
                    errors: vec![crate::domain::form::FieldError::new(
                        "", // the empty path: no field is named so
                        e.user_message(),
                    )],
                    version,
                    ..Submitted::default()
                },
            },
        };
        context::keep_once(&key, outcome).await;
        posted.map(|p| p.answer)
    })
    .await
}

#[server(prefix = "/api", endpoint = "forms_builder")]
pub async fn form_builder(service: String) -> Result<BuilderView, AppError> {
    use crate::{api::context, server::services::forms};
    context::as_actor(async |state, actor| forms::builder(state, actor, &service).await).await
}

/// `schema`: the form schema's JSON, as the builder holds it.
#[server(prefix = "/api", endpoint = "forms_save")]
pub async fn save_form(
    service: String,
    base_version: i32,
    schema: String,
    #[server(default)] note: String,
) -> Result<BuilderView, AppError> {
    use crate::{api::context, server::services::forms};
    context::as_actor(async |state, actor| {
        let client = context::client().await;
        forms::save(
            state,
            actor,
            &service,
            Ok((base_version, schema, note)),
            &client,
        )
        .await
    })
    .await
}

/// One saved version's schema, as pretty JSON.
#[server(prefix = "/api", endpoint = "forms_version")]
pub async fn form_version(service: String, version: i32) -> Result<String, AppError> {
    use crate::{api::context, server::services::forms};
    context::as_actor(async |state, actor| {
        let schema = forms::version_schema(state, actor, &service, version).await?;
        serde_json::to_string_pretty(&schema).map_err(|_| AppError::Internal)
    })
    .await
}

#[server(prefix = "/api", endpoint = "forms_restore")]
pub async fn restore_form(
    service: String,
    version: i32,
    base_version: i32,
) -> Result<BuilderView, AppError> {
    use crate::{api::context, server::services::forms};
    context::as_actor(async |state, actor| {
        let client = context::client().await;
        forms::restore(state, actor, &service, version, base_version, &client).await
    })
    .await
}
