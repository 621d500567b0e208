//! Forms generated from a service's `formSchema`: loading one for its page, submitting it
//! (the permissions of its endpoint and of the menu items that open it, then validation,
//! then its target), and the form builder's versions. A submission goes to its target: an
//! internal service's handler (`internal`), or an external endpoint through the gateway.

mod delivery;
mod versions;

pub use self::delivery::*;
pub use self::versions::*;

use crate::domain::permission::perm;

use diesel_async::AsyncPgConnection;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::{
    domain::{
        audit::AuditAction,
        error::{AppError, Input},
        form::{
            validate,
            values::{self, Pairs, MAX_VALUES_BYTES},
            view::{BuilderView, FormVersionView, FormView, SubmissionView, Submitted},
            FieldError, FormSchema,
        },
        permission::Permission,
        service::{
            menu::{EndpointNeeds, ItemTarget, MenuItem, MenuSchema},
            reader::JsonPath,
            ServiceStatus, ServiceType,
        },
    },
    server::{
        auth::actor::{Actor, ClientInfo},
        db::{
            audit::Outcome,
            forms::{self as db, NewVersion, VersionRow},
            scope::{scoped, Scope},
            services::{self as registry_db, EndpointRow, ServiceRow},
            users,
        },
        gateway,
        pattern::{pattern_matches, server_pattern},
        services::{
            audit::{self, Event},
            registry::accessible_in,
            tasks,
        },
        state::AppState,
    },
};

/// A form post holds at most this many entries.
pub const MAX_PAIRS: usize = 2000;
/// Versions the builder lists.
const VERSIONS_SHOWN: i64 = 50;
/// Own submissions a form page lists.
const RECENT_SHOWN: i64 = 5;

/// A service the actor's tenant may use, with its form.
struct Usable {
    row: ServiceRow,
    schema: FormSchema,
    target: Target,
    /// The menu items whose page is this form (see `collect_openers`).
    openers: Vec<MenuItem>,
    /// The tenant's `customSettings.formDefaults`.
    defaults: Option<Value>,
}

/// Where a form's submissions go.
enum Target {
    Endpoint(Box<EndpointRow>),
    /// The service has no POST endpoint: using it is all a submission needs.
    Service,
    /// The schema names an endpoint that does not exist, or names none while the service
    /// has several POST endpoints: nobody may submit (failing closed: a second endpoint
    /// must never drop the first one's permission check).
    Unclear(String),
}

/// Why the actor cannot submit, and what that answers.
enum Blocked {
    Forbidden(String),
    Maintenance(String),
}

impl Blocked {
    fn needs(permission: &Permission) -> Self {
        Blocked::Forbidden(format!(
            "Submitting this form needs the permission {permission}."
        ))
    }

    fn reason(&self) -> String {
        match self {
            Blocked::Forbidden(r) | Blocked::Maintenance(r) => r.clone(),
        }
    }
}

/// The service `name` as this actor may use it: 404 when the tenant may not use it (or the
/// user lacks a RESTRICTED service's access), or when it has no form.
async fn usable(c: &mut AsyncPgConnection, actor: &Actor, name: &str) -> Result<Usable, AppError> {
    let id = accessible_in(c, actor)
        .await?
        .into_iter()
        .find(|s| s.name == name)
        .ok_or(AppError::NotFound)?
        .id;
    let row = registry_db::find(c, id).await?.ok_or(AppError::NotFound)?;
    let spec = row.spec()?;
    let schema = spec.form_schema.ok_or(AppError::NotFound)?;
    let endpoints = registry_db::endpoints_of(c, &[id]).await?;
    let target = target(&schema, endpoints.clone());
    let openers = spec
        .menu_schema
        .as_ref()
        .map(|menu| collect_openers(menu, &row, &endpoints, &target))
        .unwrap_or_default();
    let defaults = registry_db::assignments(c, Some(id), Some(actor.tenant_id))
        .await?
        .pop()
        .and_then(|a| a.custom_settings.get("formDefaults").cloned());
    Ok(Usable {
        row,
        schema,
        target,
        openers,
        defaults,
    })
}

/// The items of a service's menu whose page is its form: the form's page
/// (`/forms/{service}`), the service page of the endpoint the form submits to, and, for an
/// external service, any item that opens its form (`MenuItem::target`). Children are items of
/// their own (the sidebar shows a child only under a visible parent; here each item's own
/// permission decides, as on its service page).
fn collect_openers(
    menu: &MenuSchema,
    row: &ServiceRow,
    endpoints: &[EndpointRow],
    target: &Target,
) -> Vec<MenuItem> {
    let endpoint = match target {
        Target::Endpoint(e) => Some(e.name.as_str()),
        _ => None,
    };
    let external = row.service_type == ServiceType::External;
    let specs: Vec<_> = endpoints.iter().filter_map(|e| e.spec().ok()).collect();
    let needs: Vec<EndpointNeeds> = specs
        .iter()
        .map(|e| EndpointNeeds {
            name: &e.name,
            required: &e.required_permissions,
        })
        .collect();
    let page = format!("/forms/{}", row.name);
    menu.items
        .iter()
        .flat_map(MenuItem::flatten)
        .filter(|item| {
            if !external {
                return item.opens_path(&page)
                    || (endpoint.is_some() && item.endpoint.as_deref() == endpoint);
            }
            match item.target(&row.name, &needs, true) {
                ItemTarget::Form => true,
                ItemTarget::Endpoint(e) => Some(e.as_str()) == endpoint,
                ItemTarget::Unclear => false,
            }
        })
        .map(|item| MenuItem {
            children: Vec::new(),
            ..item.clone()
        })
        .collect()
}

/// The permission to name when the actor may open none of the items that open the form. A
/// form that no item opens is governed by its endpoint (and the service's visibility) alone.
fn missing_opener(actor: &Actor, openers: &[MenuItem]) -> Option<Permission> {
    if openers.is_empty() || openers.iter().any(|i| i.allows(&actor.permissions)) {
        return None;
    }
    openers.iter().find_map(|i| i.permission.clone())
}

/// Whether the service's form clearly submits to an endpoint other than `name` (the service
/// page of endpoint `name` then has no form to show). An unclear target is not: its page
/// shows the form as blocked, with the reason.
pub(super) fn submits_elsewhere(
    schema: &FormSchema,
    endpoints: Vec<EndpointRow>,
    name: &str,
) -> bool {
    matches!(target(schema, endpoints), Target::Endpoint(e) if e.name != name)
}

/// The endpoint a form submits to: the one its schema names, or the service's only POST
/// endpoint.
fn target(schema: &FormSchema, endpoints: Vec<EndpointRow>) -> Target {
    if let Some(name) = &schema.endpoint {
        return match endpoints.into_iter().find(|e| &e.name == name) {
            Some(e) => Target::Endpoint(Box::new(e)),
            None => Target::Unclear(format!(
                "This form's endpoint \"{name}\" is not registered; ask an administrator."
            )),
        };
    }
    let mut posts = endpoints.into_iter().filter(|e| e.method == "POST");
    match (posts.next(), posts.next()) {
        (Some(only), None) => Target::Endpoint(Box::new(only)),
        (None, _) => Target::Service,
        (Some(_), Some(_)) => Target::Unclear(
            "This service has several POST endpoints and the form names none; ask an administrator to choose one.".into(),
        ),
    }
}

/// A record an internal service keeps, which a submission changes instead of creating one:
/// its id and the version the form was filled in from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub id: Uuid,
    pub version: i32,
}

/// Whether the actor may change records through service `name`'s form (the record's own
/// scope is checked when it is read). Only internal services that keep records have an
/// edit form; for the others there is nothing to change (404).
fn may_edit(actor: &Actor, name: &str) -> Result<(), AppError> {
    match name {
        crate::domain::task::SERVICE => tasks::authorize_edit(actor),
        _ => Err(AppError::NotFound),
    }
}

/// Checks that record `id` of service `name` exists for the actor and is theirs to change
/// (404 when it does not exist for them, 403 when it is not theirs).
async fn check_editable(
    c: &mut AsyncPgConnection,
    actor: &Actor,
    name: &str,
    id: Uuid,
) -> Result<(), AppError> {
    match name {
        crate::domain::task::SERVICE => tasks::check_editable(c, actor, id).await,
        _ => Err(AppError::NotFound),
    }
}

/// Why the actor cannot submit the form, if they cannot. `editing`: the form changes a
/// record, so the service's own rules decide instead of its create endpoint's permissions.
fn blocked(actor: &Actor, form: &Usable, editing: bool) -> Result<Option<Blocked>, AppError> {
    if editing {
        match may_edit(actor, &form.row.name) {
            Ok(()) => {}
            Err(AppError::Forbidden) => {
                return Ok(Some(Blocked::Forbidden(
                    "You may not change this record.".into(),
                )))
            }
            Err(e) => return Err(e),
        }
    }
    match &form.target {
        _ if editing => {}
        Target::Unclear(why) => return Ok(Some(Blocked::Forbidden(why.clone()))),
        Target::Endpoint(e) => {
            let spec = e.spec()?;
            if let Some(missing) = spec
                .required_permissions
                .iter()
                .find(|p| !actor.permissions.covers(p))
            {
                return Ok(Some(Blocked::needs(missing)));
            }
        }
        Target::Service => {}
    }
    if let (false, Some(missing)) = (editing, missing_opener(actor, &form.openers)) {
        return Ok(Some(Blocked::needs(&missing)));
    }
    if form.row.status == ServiceStatus::Maintenance {
        return Ok(Some(Blocked::Maintenance(
            "This service is under maintenance; its forms are disabled for now.".into(),
        )));
    }
    if form.row.service_type == ServiceType::External {
        match &form.target {
            Target::Endpoint(e) if e.path.contains('{') => {
                return Ok(Some(Blocked::Forbidden(format!(
                    "This form's endpoint \"{}\" has path parameters, which a form cannot fill; ask an administrator.",
                    e.name
                ))))
            }
            Target::Endpoint(_) => {}
            _ => {
                return Ok(Some(Blocked::Forbidden(
                    "This external service has no POST endpoint for its form; ask an administrator.".into(),
                )))
            }
        }
    }
    Ok(None)
}

/// The form of service `name`, for its page. `outcome`: a post without JavaScript that came
/// back to this page (its entered values, minus passwords, and its errors). `record`: the
/// values of a record the form edits (the Task Manager's task), which the inputs start from.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn load(
    state: &AppState,
    actor: &Actor,
    name: &str,
    outcome: Option<PageOutcome>,
    record: Option<&Value>,
) -> Result<FormView, AppError> {
    scoped(&state.db, actor.scope(), async |c| {
        let form = usable(c, actor, name).await?;
        let blocked = blocked(actor, &form, record.is_some())?.map(|b| b.reason());
        let (echo, outcome) = match outcome {
            Some(o) => (o.echo, Some(o.answer)),
            None => (None, None),
        };
        let starting = record.or(form.defaults.as_ref());
        let initial = echo.unwrap_or_else(|| values::initial_pairs(&form.schema, starting));
        let recent =
            db::submissions_of(c, actor.tenant_id, form.row.id, actor.user_id, RECENT_SHOWN)
                .await?
                .into_iter()
                .map(|r| SubmissionView {
                    id: r.id.to_string(),
                    version: r.form_version,
                    values: r.values,
                    created_at: r.created_at,
                })
                .collect();
        Ok(FormView {
            service: form.row.name.clone(),
            title: form.row.display_name.clone(),
            description: form.row.description.clone(),
            schema: form.schema,
            version: form.row.form_version,
            initial,
            blocked,
            outcome,
            recent,
        })
    })
    .await
}

/// A post without JavaScript, kept for the page it returns to: the entered values to show
/// again (`None` after a success: the form starts over) and the answer.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PageOutcome {
    pub echo: Option<Pairs>,
    pub answer: Submitted,
}

/// Submits a form post of service `name`'s form, rendered at `version`. The permissions of
/// its endpoint and of the menu items that open it are checked first (403 whatever was
/// posted), then the values, always against
/// the current schema: when it is newer than `version`, the answer carries it. `record`: the
/// record the post changes, for an edit form.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn submit(
    state: &AppState,
    actor: &Actor,
    name: &str,
    version: i32,
    record: Option<Input<Record>>,
    pairs: Input<Pairs>,
    client: &ClientInfo,
) -> Result<Posted, AppError> {
    let step = scoped(&state.db, actor.scope(), async |c| {
        let form = usable(c, actor, name).await?;
        match blocked(actor, &form, record.is_some())? {
            None => {}
            Some(Blocked::Maintenance(_)) => return Err(AppError::Unavailable),
            Some(Blocked::Forbidden(_)) => return Err(AppError::Forbidden),
        }
        let record = record.transpose()?;
        if let Some(r) = record {
            // Whether this record is the actor's to change comes before the values too.
            check_editable(c, actor, &form.row.name, r.id).await?;
        }
        let pairs = pairs?;
        if pairs.len() > MAX_PAIRS {
            return Err(AppError::validation(
                "values",
                format!("a form post has at most {MAX_PAIRS} entries"),
            ));
        }
        let mut values = values::from_pairs(&form.schema, &pairs);
        values::fix_hidden(&form.schema, &mut values, form.defaults.as_ref());
        if values.to_string().len() > MAX_VALUES_BYTES {
            return Err(AppError::validation(
                "values",
                format!("must be at most {} KB", MAX_VALUES_BYTES / 1024),
            ));
        }
        let current = form.row.form_version;
        let mut answer = Submitted {
            version: current,
            schema: (version != current).then(|| form.schema.clone()),
            ..Submitted::default()
        };
        let echo = Some(values::echo_pairs(&form.schema, &pairs));
        answer.errors = validate(&form.schema, &values, pattern_matches);
        if !answer.errors.is_empty() {
            return Ok(Step::Done(Posted { answer, echo }));
        }
        let values = values::clean(&form.schema, &values);
        if let (true, Target::Endpoint(e)) =
            (form.row.service_type == ServiceType::External, &form.target)
        {
            // Sent outside this transaction: no connection is held while the service works.
            return Ok(Step::Gateway(Box::new(Outgoing {
                answer,
                echo,
                method: e.spec()?.method,
                path: e.path.clone(),
                endpoint: e.name.clone(),
                fields: values::filled_paths(&form.schema, &values),
                values,
                service_id: form.row.id,
                service: form.row.name.clone(),
                display_name: form.row.display_name.clone(),
                rendered: version,
            })));
        }
        let submission = Submission {
            state,
            actor,
            service: &form.row,
            schema: &form.schema,
            version: current,
            values: &values,
            record,
        };
        let delivered = match internal(c, &submission, client).await {
            Ok(d) => d,
            // A target's refusal of a field shows under that field.
            Err(AppError::Validation { field, message }) => {
                answer.errors = vec![FieldError::new(field, message)];
                return Ok(Step::Done(Posted { answer, echo }));
            }
            Err(e) => return Err(e),
        };
        let details = json!({
            "service": form.row.name,
            "version": current,
            "renderedVersion": version,
            "endpoint": match &form.target {
                Target::Endpoint(e) => Some(e.name.clone()),
                _ => None,
            },
            // Which fields were filled in, never their values.
            "fields": values::filled_paths(&form.schema, &values),
            "reference": delivered.reference,
        });
        audit::record(c, client, submitted(actor, form.row.id, details)).await?;
        answer.message = delivered.message;
        answer.reference = delivered.reference;
        Ok(Step::Done(Posted { answer, echo: None }))
    })
    .await?;
    match step {
        Step::Done(posted) => Ok(posted),
        Step::Gateway(out) => through_gateway(state, actor, *out, client).await,
    }
}
