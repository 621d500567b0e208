//! Service pages (`/apps/{service}/{item}`): a menu item of an external service that names
//! one of its endpoints. The item's permission and the endpoint's decide who may open it; a
//! GET endpoint's table is fetched through the gateway, like any other call.

use crate::{
    domain::{
        error::AppError,
        menu::tree::service_page,
        service::{
            endpoint::HttpMethod,
            menu::{is_inti_path, EndpointNeeds, ItemTarget, MenuItem, MenuSchema, UNCLEAR_TARGET},
            page::{cell, columns_of, rows_of, ServicePageView, TableView, MAX_ROWS},
            ServiceSpec, ServiceStatus,
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
    let item = menu.find(item).ok_or(AppError::NotFound)?;
    if !item.allows(&actor.permissions) {
        return Err(AppError::Forbidden);
    }
    let view = ServicePageView {
        service: upstream.display_name.clone(),
        service_name: upstream.name.clone(),
        title: item.name.clone(),
        endpoint: String::new(),
        maintenance: upstream.status == ServiceStatus::Maintenance,
        down_since: health.filter(|h| h.is_down()).map(|h| h.since),
        table: None,
        form: None,
        unresolved: None,
    };
    let unresolved = |why: String| {
        Ok(ServicePageView {
            unresolved: Some(why),
            ..view.clone()
        })
    };
    let needs: Vec<EndpointNeeds> = upstream
        .endpoints
        .iter()
        .map(|e| EndpointNeeds {
            name: &e.name,
            required: &e.required_permissions,
        })
        .collect();
    let name = match item.target(&upstream.name, &needs, spec.form_schema.is_some()) {
        ItemTarget::Form => return Ok(view),
        ItemTarget::Unclear => return unresolved(UNCLEAR_TARGET.into()),
        ItemTarget::Endpoint(name) => name,
    };
    let Some(route) = upstream.endpoint(&name).cloned() else {
        return unresolved(format!(
            "This menu item opens the endpoint \"{name}\", which the service has not registered. \
             The service's registrant should register it, or name another in the item's \"endpoint\"."
        ));
    };
    if !route.allows(&actor.permissions) {
        return Err(AppError::Forbidden);
    }
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
        HttpMethod::Get => {
            return unresolved(format!(
                "This menu item opens \"{name}\", whose path has parameters, which a menu page \
                 cannot fill. The service's registrant should name an endpoint without them."
            ))
        }
        // A write endpoint's page is the service's form, so the form must not submit to
        // another endpoint (whose menu items, not this one, decide who may submit).
        _ => match spec.form_schema {
            Some(schema) if !forms::submits_elsewhere(&schema, endpoints, &route.name) => None,
            Some(_) => {
                return unresolved(format!(
                    "This menu item opens \"{name}\", but the service's form sends to another \
                     endpoint. The service's registrant should make the item and the form agree."
                ))
            }
            None => {
                return unresolved(format!(
                    "This menu item opens \"{name}\", which takes a request, but the service \
                     has no form to fill it in. The service's registrant should add a \"formSchema\"."
                ))
            }
        },
    };
    Ok(ServicePageView {
        endpoint: route.name.clone(),
        table,
        ..view
    })
}

/// Where the page at `path` is, when `path` is the path a menu item of one of the tenant's
/// external services registered (`/whatsapp/blast`): its page, `/apps/{service}/{item}`.
/// Services in the order of their names; the first that has the path wins.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn locate(
    state: &AppState,
    actor: &Actor,
    path: &str,
) -> Result<Option<String>, AppError> {
    if is_inti_path(path) {
        return Ok(None);
    }
    let table = routes::table(state, actor).await?;
    let mut names: Vec<&str> = table.services.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    let ids: Vec<_> = names
        .iter()
        .filter_map(|n| table.service(n))
        .map(|s| s.id)
        .collect();
    let rows = scoped(&state.db, actor.scope(), async |c| {
        let mut rows = Vec::new();
        for id in &ids {
            if let Some(row) = registry_db::find(c, *id).await? {
                rows.push(row);
            }
        }
        Ok(rows)
    })
    .await?;
    for row in rows {
        let Ok(ServiceSpec {
            menu_schema: Some(menu),
            ..
        }) = row.spec()
        else {
            continue;
        };
        // Only an item the person may open: any other is as unknown as a path nobody has.
        let found = menu
            .items
            .iter()
            .flat_map(MenuItem::flatten)
            .find(|i| i.is_at(path) && i.allows(&actor.permissions));
        if let Some(item) = found {
            return Ok(Some(service_page(&row.name, &item.id)));
        }
    }
    Ok(None)
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
