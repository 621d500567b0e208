//! Where a submitted form goes: through the gateway to an external service's endpoint, or
//! to the internal service that owns it; and what its answer means for the user.

use super::*;

/// Where a valid submission goes next.
pub(super) enum Step {
    Done(Posted),
    /// To an external service, through the gateway.
    Gateway(Box<Outgoing>),
}

pub(super) struct Outgoing {
    pub(super) answer: Submitted,
    pub(super) echo: Option<Pairs>,
    pub(super) method: crate::domain::service::endpoint::HttpMethod,
    pub(super) path: String,
    pub(super) endpoint: String,
    pub(super) values: Value,
    pub(super) fields: Vec<String>,
    pub(super) service_id: Uuid,
    pub(super) service: String,
    pub(super) display_name: String,
    pub(super) rendered: i32,
}

/// Sends a submission through the gateway (the same checks and limits as an API call),
/// audits it, and turns the service's answer into the form's: field errors it names show
/// under their fields.
pub(super) async fn through_gateway(
    state: &AppState,
    actor: &Actor,
    out: Outgoing,
    client: &ClientInfo,
) -> Result<Posted, AppError> {
    let Outgoing {
        mut answer, echo, ..
    } = out;
    let headers = gateway::json_headers();
    let reply = gateway::call(
        state,
        actor,
        gateway::Call {
            service: &out.service,
            method: out.method,
            path: &out.path,
            query: None,
            headers: &headers,
            body: out.values.to_string().into(),
        },
    )
    .await;
    let answered = match reply.result {
        Ok(a) => a,
        Err(gateway::Refusal::Invalid(errors)) => {
            answer.errors = errors;
            return Ok(Posted { answer, echo });
        }
        Err(gateway::Refusal::Error(e)) => return Err(e),
    };
    let body: Value = serde_json::from_slice(&answered.body).unwrap_or(Value::Null);
    if !answered.status.is_success() {
        answer.errors = upstream_errors(&body);
        if answer.errors.is_empty() {
            return Err(AppError::BadGateway {
                message: format!(
                    "{} refused the submission (it answered {})",
                    out.display_name,
                    answered.status.as_u16()
                ),
                upstream_status: Some(answered.status.as_u16()),
            });
        }
        return Ok(Posted { answer, echo });
    }
    let reference = ["batchId", "id", "reference"]
        .iter()
        .find_map(|k| body.get(*k))
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
    let details = json!({
        "service": out.service,
        "version": answer.version,
        "renderedVersion": out.rendered,
        "endpoint": out.endpoint,
        "fields": out.fields,
        "reference": reference,
        "upstreamStatus": answered.status.as_u16(),
        "requestId": reply.request_id,
    });
    scoped(&state.db, actor.scope(), async |c| {
        audit::record(c, client, submitted(actor, out.service_id, details)).await?;
        Ok(())
    })
    .await?;
    answer.message = Some(format!("Sent to {}.", out.display_name));
    answer.reference = reference;
    Ok(Posted { answer, echo: None })
}

/// The audit event of a delivered submission; `details` name the fields filled in, never
/// their values.
pub(super) fn submitted(actor: &Actor, service_id: Uuid, details: Value) -> Event<'static> {
    Event {
        action: AuditAction::FormSubmit,
        outcome: Outcome::Success,
        tenant_id: Some(actor.tenant_id),
        actor_user_id: Some(actor.user_id),
        target: Some(("service", service_id.to_string())),
        details,
    }
}

/// Field errors in a service's refusal: `{"errors": [{"field", "message"}]}`, or the API's
/// own envelope (`error.details.fields`).
pub(super) fn upstream_errors(body: &Value) -> Vec<FieldError> {
    let list = body
        .get("errors")
        .or_else(|| body.pointer("/error/details/fields"))
        .and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .filter_map(|e| {
            let field = e.get("field")?.as_str()?;
            let message = e.get("message")?.as_str()?;
            Some(FieldError::new(
                field.chars().take(200).collect::<String>(),
                message.chars().take(500).collect::<String>(),
            ))
        })
        .take(50)
        .collect()
}

/// A submission's answer, and what the form may show again (nothing after a success;
/// the entered values minus passwords after errors).
pub struct Posted {
    pub answer: Submitted,
    pub echo: Option<Pairs>,
}

/// A valid submission on its way to its target.
pub struct Submission<'a> {
    pub state: &'a crate::server::state::AppState,
    pub actor: &'a Actor,
    pub service: &'a ServiceRow,
    pub schema: &'a FormSchema,
    pub version: i32,
    /// Validated; fields hidden by a condition and blanks left out, `hidden` inputs fixed.
    pub values: &'a Value,
    /// The record it changes, for an edit form.
    pub record: Option<Record>,
}

/// What a target answers.
pub struct Delivered {
    pub message: Option<String>,
    pub reference: Option<String>,
}

/// Internal services' handlers, by service name: the Task Manager's creates and changes
/// tasks. A service without one has its submissions kept by Inti (password fields left out),
/// listed to the submitter on the form's page.
pub(super) async fn internal(
    c: &mut AsyncPgConnection,
    s: &Submission<'_>,
    client: &ClientInfo,
) -> Result<Delivered, AppError> {
    if s.service.name == crate::domain::task::SERVICE {
        return tasks::from_form(c, s, client).await;
    }
    if s.record.is_some() {
        return Err(AppError::NotFound);
    }
    let stored = values::without_passwords(&s.schema.fields, s.values);
    let id = db::insert_submission(
        c,
        s.actor.tenant_id,
        s.service.id,
        s.version,
        &stored,
        s.actor.user_id,
    )
    .await?;
    Ok(Delivered {
        message: Some(format!("Submitted to {}.", s.service.display_name)),
        reference: Some(id.to_string()),
    })
}

// ---- the form builder ----
