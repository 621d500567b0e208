//! Webhooks from external services (`POST /api/v1/webhooks/{service}`): a delivery carries
//! an id, a Unix timestamp and `sha256=` + hex HMAC-SHA256(secret, timestamp + "." + body)
//! (the service's webhook secret, sealed like its API key). Deliveries with a bad signature,
//! a timestamp more than five minutes off, or an id seen before are refused (401) and
//! audited; accepted ones are kept for the service's page.

use chrono::Utc;
use diesel_async::AsyncPgConnection;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::{
    domain::{audit::AuditAction, error::AppError, notification::NotificationKind},
    server::{
        auth::actor::ClientInfo,
        db::{
            audit::Outcome,
            gateway as db,
            scope::{scoped, Scope},
            services as registry_db,
        },
        gateway::rate_limit,
        keyring::webhook_secret_aad,
        services::{
            audit::{self, Event},
            notifications::{self, Note},
        },
        state::AppState,
    },
};

pub const ID_HEADER: &str = "x-webhook-id";
pub const TIMESTAMP_HEADER: &str = "x-webhook-timestamp";
pub const SIGNATURE_HEADER: &str = "x-webhook-signature";
/// How far a delivery's timestamp may be from now, either way.
pub const TOLERANCE_SECS: i64 = 300;
/// Ids are remembered longer than any timestamp is accepted, so a replay is caught either way.
const REMEMBER_SECS: u64 = 2 * TOLERANCE_SECS as u64 + 60;
/// Refused deliveries audited per client address per minute; beyond, 429 and no entry.
pub const REFUSALS_AUDITED_PER_MINUTE: u32 = 30;

/// The signature header's value for `body` sent at `timestamp`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The MAC a signature header carries, however its hex is spelled (case, spaces).
fn mac_bytes(signature: &str) -> Option<Vec<u8>> {
    signature
        .trim()
        .strip_prefix("sha256=")
        .and_then(|h| hex::decode(h.trim()).ok())
}

/// One spelling of a verified signature, so that a respelled one is still a replay.
fn mac_of(signature: &str) -> String {
    hex::encode(mac_bytes(signature).unwrap_or_default())
}

fn verifies(secret: &[u8], timestamp: &str, body: &[u8], signature: &str) -> bool {
    let Some(given) = mac_bytes(signature) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    // Constant time.
    mac.verify_slice(&given).is_ok()
}

/// A delivery's headers, as they arrived.
#[derive(Debug, Default)]
pub struct Delivery<'a> {
    pub id: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub body: &'a [u8],
}

/// Checks and keeps a delivery to service `name`.
pub async fn receive(
    state: &AppState,
    name: &str,
    d: Delivery<'_>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let found = scoped(&state.db, Scope::platform(), async |c| {
        let Some(row) = registry_db::find_by_name(c, name).await? else {
            return Ok(None);
        };
        let (_, sealed) = registry_db::sealed_secrets(c, row.id).await?;
        Ok(sealed.map(|s| (row.id, row.display_name, s)))
    })
    .await?;
    let Some((service_id, display_name, sealed)) = found else {
        // Said the same way as a bad signature: the answer does not tell which services exist.
        return refuse(
            state,
            client,
            None,
            name,
            d.id,
            "no webhook secret is set for this service",
        )
        .await;
    };
    let secret = state
        .keyring
        .open(&sealed, &webhook_secret_aad(service_id))?;
    let (Some(id), Some(timestamp), Some(signature)) = (d.id, d.timestamp, d.signature) else {
        return refuse(
            state,
            client,
            Some(service_id),
            name,
            d.id,
            "missing id, timestamp or signature header",
        )
        .await;
    };
    if !verifies(&secret, timestamp, d.body, signature) {
        return refuse(
            state,
            client,
            Some(service_id),
            name,
            Some(id),
            "bad signature",
        )
        .await;
    }
    let sent = timestamp.trim().parse::<i64>().ok();
    if sent.is_none_or(|t| Utc::now().timestamp().abs_diff(t) > TOLERANCE_SECS as u64) {
        return refuse(
            state,
            client,
            Some(service_id),
            name,
            Some(id),
            "timestamp outside the five-minute tolerance",
        )
        .await;
    }
    if id.is_empty() || id.len() > 200 || id.chars().any(|c| c.is_control()) {
        return refuse(
            state,
            client,
            Some(service_id),
            name,
            None,
            "the delivery id must be 1 to 200 printable characters",
        )
        .await;
    }
    // Read before anything is remembered: a body that cannot be kept burns no id.
    let payload: Value =
        serde_json::from_slice(d.body).map_err(|_| AppError::validation("body", "must be JSON"))?;
    // The id is not signed, so the signature is remembered too: a captured delivery sent
    // again under a new id is still a replay.
    if !first_sight(state, service_id, "id", id).await?
        || !first_sight(state, service_id, "sig", &mac_of(signature)).await?
    {
        return refuse(
            state,
            client,
            Some(service_id),
            name,
            Some(id),
            "replayed delivery id",
        )
        .await;
    }
    let event = payload
        .get("event")
        .and_then(Value::as_str)
        .map(|e| e.chars().take(100).collect::<String>());
    let mac = mac_of(signature);
    let stored = scoped(&state.db, Scope::platform(), async |c| {
        let kept = db::insert_delivery(c, service_id, id, event.as_deref(), &payload).await?;
        if kept {
            let e = Event {
                action: AuditAction::WebhookReceive,
                outcome: Outcome::Success,
                tenant_id: None,
                actor_user_id: None,
                target: Some(("service", service_id.to_string())),
                details: json!({ "service": name, "deliveryId": id, "event": event }),
            };
            audit::record(c, client, e).await?;
            if let Some(report) = BlastReport::read(&payload) {
                tell_sender(state, c, (service_id, &display_name), report).await?;
            }
        }
        Ok(())
    })
    .await;
    if stored.is_err() {
        // Not kept: the sender's retry of this delivery must not be taken for a replay.
        forget(state, service_id, &[("id", id), ("sig", &mac)]).await;
    }
    stored
}

/// A finished blast as a service reports it: `{"event": "delivery.report", "tenantId",
/// "userId", "delivered", "failed"}`, the ids being the `X-Inti-Tenant-Id` and
/// `X-Inti-User-Id` the gateway sent with the call that started it.
#[derive(Debug, PartialEq)]
struct BlastReport {
    tenant_id: uuid::Uuid,
    user_id: uuid::Uuid,
    delivered: u64,
    failed: u64,
}

impl BlastReport {
    fn read(payload: &Value) -> Option<Self> {
        if payload.get("event").and_then(Value::as_str) != Some("delivery.report") {
            return None;
        }
        let id = |key: &str| payload.get(key)?.as_str()?.parse::<uuid::Uuid>().ok();
        let count = |key: &str| payload.get(key).and_then(Value::as_u64);
        Some(Self {
            tenant_id: id("tenantId")?,
            user_id: id("userId")?,
            delivered: count("delivered")?,
            failed: count("failed")?,
        })
    }
}

/// Tells the member who started a blast that it finished, in the same transaction that keeps
/// the delivery: only a member who sent that service a write through the gateway within the
/// last day (and is still a member); a report naming anyone else tells nobody.
async fn tell_sender(
    state: &AppState,
    c: &mut AsyncPgConnection,
    (service_id, display_name): (uuid::Uuid, &str),
    r: BlastReport,
) -> Result<(), AppError> {
    if !db::wrote_lately(c, (r.tenant_id, r.user_id, service_id)).await? {
        tracing::warn!(service = %service_id, "a delivery report names someone who sent it nothing lately; nobody told");
        return Ok(());
    }
    let note = Note {
        user_id: r.user_id,
        kind: NotificationKind::BlastFinished,
        title: format!("Your {display_name} blast has finished"),
        body: format!("{} delivered, {} failed.", r.delivered, r.failed),
        link: Some("/services".into()),
        topic: None,
    };
    notifications::notify(state, c, r.tenant_id, note).await
}

fn seen_key(state: &AppState, service: uuid::Uuid, kind: &str, value: &str) -> String {
    format!(
        "{}webhook:seen:{service}:{kind}:{}",
        state.settings.redis.key_prefix,
        hex::encode(Sha256::digest(value.as_bytes()))
    )
}

async fn forget(state: &AppState, service: uuid::Uuid, seen: &[(&str, &str)]) {
    let Ok(mut conn) = state.redis.get().await else {
        return;
    };
    for (kind, value) in seen {
        let _: Result<(), _> = redis::cmd("DEL")
            .arg(seen_key(state, service, kind, value))
            .query_async(&mut conn)
            .await;
    }
}

/// Whether this is the first time the id arrives (remembered in Redis, shared by every node).
async fn first_sight(
    state: &AppState,
    service: uuid::Uuid,
    kind: &str,
    value: &str,
) -> Result<bool, AppError> {
    let key = seen_key(state, service, kind, value);
    let mut conn = state.redis.get().await?;
    let set: Option<String> = redis::cmd("SET")
        .arg(&key)
        .arg(1)
        .arg("NX")
        .arg("EX")
        .arg(REMEMBER_SECS)
        .query_async(&mut conn)
        .await
        .map_err(|e| {
            crate::server::metrics::redis_error();
            tracing::error!(error = %e, "webhooks: redis failed");
            AppError::Unavailable
        })?;
    Ok(set.is_some())
}

async fn refuse(
    state: &AppState,
    client: &ClientInfo,
    service_id: Option<uuid::Uuid>,
    name: &str,
    delivery: Option<&str>,
    reason: &str,
) -> Result<(), AppError> {
    // Refusals are audited, but an address that keeps sending bad deliveries must not fill
    // the audit log: past its budget it is told to wait, and nothing is written.
    let address = client.ip.as_deref().unwrap_or("unknown");
    let budget = rate_limit::spend_on(
        state,
        &format!("webhook:refused:{address}"),
        REFUSALS_AUDITED_PER_MINUTE,
    )
    .await?;
    if !budget.allowed {
        return Err(AppError::RateLimited {
            retry_after_secs: budget.retry_after,
        });
    }
    tracing::warn!(service = name, reason, "webhook delivery refused");
    let details = json!({
        "service": name.chars().take(100).collect::<String>(),
        "reason": reason,
        "deliveryId": delivery.map(|d| d.chars().take(200).collect::<String>()),
    });
    scoped(
        &state.db,
        Scope::platform(),
        async |c: &mut AsyncPgConnection| {
            let e = Event {
                action: AuditAction::WebhookRefuse,
                outcome: Outcome::Failure,
                tenant_id: None,
                actor_user_id: None,
                target: service_id.map(|id| ("service", id.to_string())),
                details,
            };
            audit::record(c, client, e).await?;
            Ok(())
        },
    )
    .await?;
    Err(AppError::Unauthenticated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blast_report_names_its_sender_and_counts() {
        let (t, u) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let report = json!({ "event": "delivery.report", "tenantId": t.to_string(),
                             "userId": u.to_string(), "delivered": 3, "failed": 1 });
        assert_eq!(
            BlastReport::read(&report),
            Some(BlastReport {
                tenant_id: t,
                user_id: u,
                delivered: 3,
                failed: 1
            })
        );
        for broken in [
            json!({ "event": "other", "tenantId": t.to_string(), "userId": u.to_string(),
                    "delivered": 3, "failed": 1 }),
            json!({ "event": "delivery.report", "tenantId": "x", "userId": u.to_string(),
                    "delivered": 3, "failed": 1 }),
            json!({ "event": "delivery.report", "tenantId": t.to_string(),
                    "userId": u.to_string(), "delivered": -1, "failed": 1 }),
            json!({ "event": "delivery.report", "batchId": "b1" }),
        ] {
            assert_eq!(BlastReport::read(&broken), None, "{broken}");
        }
    }

    #[test]
    fn a_signature_verifies_only_for_its_secret_timestamp_and_body() {
        let sig = sign(b"secret", 1_700_000_000, b"{\"a\":1}");
        assert!(verifies(b"secret", "1700000000", b"{\"a\":1}", &sig));
        assert!(!verifies(b"other", "1700000000", b"{\"a\":1}", &sig));
        assert!(!verifies(b"secret", "1700000001", b"{\"a\":1}", &sig));
        assert!(!verifies(b"secret", "1700000000", b"{\"a\":2}", &sig));
        assert!(!verifies(
            b"secret",
            "1700000000",
            b"{\"a\":1}",
            "sha256=zz"
        ));
        assert!(!verifies(b"secret", "1700000000", b"{\"a\":1}", &sig[7..]));
    }
}
