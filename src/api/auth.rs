//! Browser login, logout and "who am I".

use leptos::prelude::*;

use crate::domain::{
    account::{SessionView, TenantAccess},
    error::AppError,
    login::Password,
};

/// Signs in with email and password and binds this browser to the new session.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: Password) -> Result<(), AppError> {
    use crate::{
        api::context,
        domain::login::LoginInput,
        server::{auth::web_session, services::auth},
    };
    context::respond(
        async {
            let state = context::state()?;
            let session = context::session().await?;
            let client = context::client().await;
            let input = LoginInput::parse(&email, password.0, None)?;
            match auth::login(&state, input, auth::SessionKind::Web, &client).await? {
                auth::SignedIn::Opened(logged_in) => {
                    web_session::sign_in(&session, logged_in.session.id).await?;
                    leptos_axum::redirect("/");
                }
                auth::SignedIn::SecondFactor(challenge) => {
                    web_session::hold_challenge(&session, &challenge.challenge_token).await?;
                    leptos_axum::redirect("/login/verify");
                }
            }
            Ok(())
        }
        .await,
    )
}

/// Ends the session everywhere it is used, and forgets it in this browser.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::{
        api::context,
        server::{auth::web_session, services::auth},
    };
    let state = context::state()?;
    let session = context::session().await?;
    if let Ok(actor) = context::actor(&state).await {
        auth::logout(&state, &actor, &context::client().await).await?;
    }
    web_session::sign_out(&session).await?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// The signed-in user, their current tenant and the tenants they reach; `None` when signed out.
#[server(prefix = "/api", endpoint = "session")]
pub async fn current_session() -> Result<Option<SessionView>, AppError> {
    use crate::{api::context, server::services::auth};
    let state = context::state()?;
    match context::actor(&state).await {
        Ok(actor) => auth::session_view(&state, &actor)
            .await
            .map(|view| Some(SessionView::clone(&view))),
        Err(AppError::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Tenants the signed-in user reaches whose name or domain contains `search` (the switcher
/// searches with it beyond the bounded list it was given).
#[server(prefix = "/api", endpoint = "find_tenants")]
pub async fn find_tenants(search: String) -> Result<Vec<TenantAccess>, AppError> {
    use crate::{api::context, server::services::auth};
    context::as_actor(async |state, actor| auth::tenants_for(state, actor, Some(search)).await)
        .await
}

/// Moves this browser into another tenant the user reaches, under a new session id.
#[server(prefix = "/api", endpoint = "switch_tenant")]
pub async fn switch_tenant(tenant_id: String) -> Result<(), AppError> {
    use crate::{
        api::context,
        server::{auth::web_session, services::auth},
    };
    context::respond(
        async {
            let state = context::state()?;
            let session = context::session().await?;
            let actor = context::actor(&state).await?;
            let tenant_id = tenant_id
                .parse()
                .map_err(|_| AppError::validation("tenantId", "Choose a tenant from the list"))?;
            let client = context::client().await;
            let switched =
                auth::switch_tenant(&state, &actor, tenant_id, auth::SessionKind::Web, &client)
                    .await?;
            web_session::sign_in(&session, switched.session.id).await?;
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}
