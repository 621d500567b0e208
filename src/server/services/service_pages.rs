//! Service pages (`/apps/{service}/{item}`): a menu item of an external service that names
//! one of its endpoints. The item's permission and the endpoint's decide who may open it; a
//! GET endpoint's table is fetched through the gateway, like any other call.

use crate::{
    domain::{
        error::AppError,
        service::{
            endpoint::HttpMethod,
            menu::{MenuItem, MenuSchema},
            page::{cell, columns_of, rows_of, ServicePageView, TableView, MAX_ROWS},
            ServiceStatus,
        },
    },
    server::{
        auth::actor::Actor,
        db::{health as health_db, scope::scoped, services as registry_db},
        gateway::{self, routes, Call, Refusal},
        services::forms,
        state::AppState,
    },
};

pub const PAGE_SIZE: u32 = 20;

fn find<'a>(items: &'a [MenuItem], id: &str) -> Option<&'a MenuItem> {
    items.iter().find_map(|i| {
        if i.id == id {
            Some(i)
        } else {
            find(&i.children, id)
        }
    })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn page(
    state: &AppState,
    actor: &Actor,
    service: &str,
    item: &str,
    page: u32,
    defer: bool,
) -> Result<ServicePageView, AppError> {
    let table = routes::table(state, actor).await?;
    let upstream = table.service(service).ok_or(AppError::NotFound)?.clone();
    let (row, endpoints, health) = scoped(&state.db, actor.scope(), async |c| {
        let row = registry_db::find(c, upstream.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let endpoints = registry_db::endpoints_of(c, &[upstream.id]).await?;
        let health = health_db::views(c, &[upstream.id])
            .await?
            .remove(&upstream.id);
        Ok((row, endpoints, health))
    })
    .await?;
    let spec = row.spec()?;
    let menu: MenuSchema = spec.menu_schema.ok_or(AppError::NotFound)?;
    let item = find(&menu.items, item).ok_or(AppError::NotFound)?;
    let endpoint_name = item.endpoint.as_deref().ok_or(AppError::NotFound)?;
    if !item.allows(&actor.permissions) {
        return Err(AppError::Forbidden);
    }
    let route = upstream
        .endpoint(endpoint_name)
        .ok_or(AppError::NotFound)?
        .clone();
    if !route.allows(&actor.permissions) {
        return Err(AppError::Forbidden);
    }
    let maintenance = upstream.status == ServiceStatus::Maintenance;
    let table = match route.method {
        // A link on another site must not make a signed-in browser call the service.
        HttpMethod::Get if !route.has_params() && defer => Some(TableView {
            page: page.max(1),
            page_size: PAGE_SIZE,
            deferred: true,
            ..TableView::default()
        }),
        HttpMethod::Get if !route.has_params() => {
            Some(fetch_table(state, actor, &upstream.name, &route, page.max(1)).await)
        }
        HttpMethod::Get => return Err(AppError::NotFound),
        // A write endpoint's page is the service's form, so the form must not submit to
        // another endpoint (whose menu items, not this one, decide who may submit).
        _ => match spec.form_schema {
            Some(schema) if !forms::submits_elsewhere(&schema, endpoints, &route.name) => None,
            _ => return Err(AppError::NotFound),
        },
    };
    Ok(ServicePageView {
        service: upstream.display_name.clone(),
        service_name: upstream.name.clone(),
        title: item.name.clone(),
        endpoint: route.name.clone(),
        maintenance,
        down_since: health.filter(|h| h.is_down()).map(|h| h.since),
        table,
        form: None,
    })
}

async fn fetch_table(
    state: &AppState,
    actor: &Actor,
    service: &str,
    route: &routes::Route,
    page: u32,
) -> TableView {
    let query = format!("page={page}&pageSize={PAGE_SIZE}");
    let headers = gateway::json_headers();
    let reply = gateway::call(
        state,
        actor,
        Call {
            service,
            method: HttpMethod::Get,
            path: &route.template,
            query: Some(&query),
            headers: &headers,
            body: Default::default(),
        },
    )
    .await;
    let mut view = TableView {
        columns: Vec::new(),
        rows: Vec::new(),
        page,
        page_size: PAGE_SIZE,
        total: None,
        error: None,
        deferred: false,
    };
    let answer = match reply.result {
        Ok(a) if a.status.is_success() => a,
        Ok(a) => {
            view.error = Some(format!("The service answered {}.", a.status.as_u16()));
            return view;
        }
        Err(Refusal::Error(e)) => {
            view.error = Some(e.user_message());
            return view;
        }
        Err(Refusal::Invalid(_)) => {
            view.error = Some("The request was refused.".into());
            return view;
        }
    };
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&answer.body) else {
        view.error = Some("The service's answer is not JSON.".into());
        return view;
    };
    let rows = rows_of(&body);
    view.columns = columns_of(route.response_schema.as_ref(), rows);
    view.rows = rows
        .iter()
        .take(MAX_ROWS)
        .map(|r| view.columns.iter().map(|c| cell(r, &c.key)).collect())
        .collect();
    view.total = body.get("total").and_then(serde_json::Value::as_u64);
    view
}
