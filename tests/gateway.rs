//! The API gateway against the demo WhatsApp service (`inti demo-whatsapp`, run in process on
//! a port of its own): the blast flow, every refusal, credentials, rate limits shared by two
//! nodes, connect-time address checks, the call log and signed webhooks.

mod common;

use std::{net::SocketAddr, time::Duration};

use axum::{body::Body, http::Request};
use chrono::Utc;
use common::TestApp;
use diesel_async::RunQueryDsl;
use inti::server::{
    demo_whatsapp::{self, DemoConfig},
    gateway::{health, upstream},
    secret::Secret,
    services::webhooks,
};
use serde_json::{json, Value};

const KEY: &str = "test-whatsapp-key-0123456789";
const WEBHOOK_SECRET: &str = "test-webhook-secret-0123456789";
const SERVICE: &str = "whatsapp-gateway";
const BLAST: &str = "/api/v1/gateway/whatsapp-gateway/messages/blast";

async fn listen(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    addr
}

/// Inti (serving on a port too, for the demo's webhooks) and the demo service, registered
/// at its address with its key and webhook secret, and with endpoints that misbehave.
struct Setup {
    app: TestApp,
    demo: SocketAddr,
    service_id: uuid::Uuid,
    root: String,
    admin: String,
}

async fn setup() -> Setup {
    let app = TestApp::with_settings(|s| {
        s.gateway.allowed_private_hosts =
            inti::server::outbound::AllowedHosts::parse(&["127.0.0.1"]);
        s.gateway.max_response_bytes = 64 * 1024;
    })
    .await;
    let inti = listen(app.router.clone()).await;
    let demo = listen(demo_whatsapp::router(DemoConfig {
        api_key: Secret::new(KEY),
        webhook_url: Some(format!("http://{inti}/api/v1/webhooks/{SERVICE}")),
        webhook_secret: Secret::new(WEBHOOK_SECRET),
        delivery_delay: Duration::from_millis(100),
    }))
    .await;
    let root = app.token("superadmin@core.com").await;
    let service_id = app.id_of("services", SERVICE).await;
    let res = app
        .send(
            "PATCH",
            &format!("/api/v1/core/services/{service_id}"),
            Some(json!({ "baseUrl": format!("http://{demo}"), "apiKey": KEY,
                         "webhookSecret": WEBHOOK_SECRET })),
            &root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    for (name, path, timeout) in [
        ("faults:slow", "/faults/slow", 300),
        ("faults:error", "/faults/error", 5000),
        ("faults:huge", "/faults/huge", 5000),
        ("faults:redirect", "/faults/redirect", 5000),
        ("faults:headers", "/faults/headers", 5000),
    ] {
        let e = json!({ "name": name, "method": "GET", "path": path, "timeoutMs": timeout,
                        "requiredPermissions": ["whatsapp:read"] });
        let res = app
            .post_json(
                &format!("/api/v1/core/services/{service_id}/endpoints"),
                e,
                Some(&root),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text());
    }
    let admin = app.token("admin@whatsapp.com").await;
    Setup {
        app,
        demo,
        service_id,
        root,
        admin,
    }
}

fn gateway(path: &str) -> String {
    format!("/api/v1/gateway/{SERVICE}{path}")
}

/// Polls `f` until it answers `Some`, for at most five seconds.
async fn eventually<T, F: AsyncFn() -> Option<T>>(f: F) -> T {
    for _ in 0..100 {
        if let Some(v) = f().await {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never happened");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_blast_goes_through_is_delivered_and_shows_in_the_history() {
    let s = setup().await;
    let body = json!({ "message": "Hello", "recipients": ["+6281234567890", "+6281234567000"] });
    let res = s.app.post_json(BLAST, body, Some(&s.admin)).await;
    assert_eq!(res.status, 202, "{}", res.text());
    let batch = res.json()["batchId"].as_str().unwrap().to_string();
    assert!(res.header("x-request-id").is_some());
    // The binding budget is the member's: half the tenant's 60 by default.
    assert_eq!(
        res.header("ratelimit-policy").as_deref(),
        Some("\"per-user\";q=30;w=60")
    );
    assert!(res.header("ratelimit").unwrap().contains("r=29"));

    // The demo reports delivery through a signed webhook; Inti keeps it.
    let path = format!("/api/v1/core/services/{}/webhooks", s.service_id);
    let delivery = eventually(async || {
        let res = s.app.get(&path, Some(&s.root)).await;
        res.json()["data"]
            .as_array()
            .unwrap()
            .iter()
            .next()
            .cloned()
    })
    .await;
    assert_eq!(delivery["event"], "delivery.report");
    assert_eq!(delivery["payload"]["batchId"], batch.as_str());
    assert_eq!(delivery["payload"]["results"][1]["status"], "FAILED");

    // The sender hears that it finished, with the counts, in their tenant.
    let inbox = s.app.get("/api/v1/notifications", Some(&s.admin)).await;
    let told = &inbox.json()["data"]["items"][0];
    assert_eq!(told["kind"], "BLAST_FINISHED", "{}", inbox.text());
    assert_eq!(told["body"], "1 delivered, 1 failed.");
    assert!(told["title"]
        .as_str()
        .unwrap()
        .contains("blast has finished"));

    let history = s
        .app
        .get(&gateway("/messages?page=1&pageSize=10"), Some(&s.admin))
        .await;
    assert_eq!(history.status, 200, "{}", history.text());
    let first = &history.json()["data"][0];
    assert_eq!(first["batchId"], batch.as_str());
    assert_eq!(first["status"], "PARTLY_FAILED");
    assert_eq!(first["delivered"], 1);

    // The call log has both calls: who, what, status; never the key.
    let calls_path = format!("/api/v1/core/services/{}/calls", s.service_id);
    let calls = eventually(async || {
        let res = s.app.get(&calls_path, Some(&s.root)).await;
        let calls = res.json()["data"].as_array().unwrap().clone();
        (calls.len() >= 2).then_some((calls, res.text()))
    })
    .await;
    let (calls, text) = calls;
    assert_eq!(calls[0]["endpoint"], "messages:list");
    assert_eq!(calls[0]["status"], 200);
    assert_eq!(calls[1]["endpoint"], "messages:blast");
    assert_eq!(calls[1]["status"], 202);
    assert_eq!(calls[1]["user"], "admin@whatsapp.com");
    assert!(!text.contains(KEY));

    // The service's detail does not show the key or the webhook secret either.
    let detail = s
        .app
        .get(
            &format!("/api/v1/core/services/{}", s.service_id),
            Some(&s.root),
        )
        .await;
    assert!(!detail.text().contains(KEY) && !detail.text().contains(WEBHOOK_SECRET));
}

#[tokio::test(flavor = "multi_thread")]
async fn calls_are_refused_by_tenant_permission_status_and_the_service_own_rules() {
    let s = setup().await;
    // An invalid number: the service's own 422 comes through.
    let bad = json!({ "message": "Hi", "recipients": ["12ab"] });
    let res = s.app.post_json(BLAST, bad, Some(&s.admin)).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["errors"][0]["field"], "recipients[0]");

    // A tenant without the service: as if it did not exist.
    let other = s.app.token("admin@taskmanager.com").await;
    let ok = json!({ "message": "Hi", "recipients": ["+6281234567890"] });
    let res = s.app.post_json(BLAST, ok.clone(), Some(&other)).await;
    assert_eq!(res.status, 404, "{}", res.text());

    // No session at all: 401; a cookie-style POST from no origin is refused before that.
    let res = s.app.get(&gateway("/messages"), None).await;
    assert_eq!(res.status, 401);
    let res = s.app.post_json(BLAST, ok.clone(), None).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.json()["error"]["code"], "CROSS_SITE_REQUEST");

    // The browser session reaches the gateway from the app's own pages; a GET that another
    // site made the browser send (with the Lax cookie) does not.
    let cookie = s.app.browser_login("admin@whatsapp.com").await;
    for (site, status) in [
        ("same-origin", 200),
        ("cross-site", 403),
        ("same-site", 403),
    ] {
        let req = Request::get(gateway("/messages"))
            .header("cookie", &cookie)
            .header("sec-fetch-site", site)
            .body(Body::empty())
            .unwrap();
        let res = s.app.request(req).await;
        assert_eq!(res.status, status, "{site}: {}", res.text());
    }

    // A template that overlaps `/messages/blast` never takes its place (and its weaker
    // permission never applies to a blast).
    let root = &s.root;
    let e = json!({ "name": "messages:get", "method": "POST", "path": "/messages/{id}",
                    "requiredPermissions": ["whatsapp:read"] });
    let res = s
        .app
        .post_json(
            &format!("/api/v1/core/services/{}/endpoints", s.service_id),
            e,
            Some(root),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());

    // An unknown path of a known service.
    let res = s.app.get(&gateway("/nowhere"), Some(&s.admin)).await;
    assert_eq!(res.status, 404);

    // A role without whatsapp:blast: 403, whatever the body.
    let mut conn = s.app.db.conn().await;
    diesel::sql_query(
        "DELETE FROM role_permissions WHERE permission = 'whatsapp:blast' \
         AND role_id = (SELECT id FROM roles WHERE name = 'TENANT_ADMIN' AND tenant_id IS NULL)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let res = s
        .app
        .post_json(BLAST, json!("garbage"), Some(&s.admin))
        .await;
    assert_eq!(res.status, 403, "{}", res.text());

    // MAINTENANCE: 503.
    let res = s
        .app
        .send(
            "PATCH",
            &format!("/api/v1/core/services/{}", s.service_id),
            Some(json!({ "status": "MAINTENANCE" })),
            &s.root,
        )
        .await;
    assert_eq!(res.status, 200);
    let res = s.app.get(&gateway("/messages"), Some(&s.admin)).await;
    assert_eq!(res.status, 503, "{}", res.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn upstream_failures_answer_502_and_504() {
    let s = setup().await;
    let res = s
        .app
        .get(&gateway("/faults/slow?ms=2000"), Some(&s.admin))
        .await;
    assert_eq!(res.status, 504, "{}", res.text());
    assert_eq!(res.json()["error"]["code"], "GATEWAY_TIMEOUT");

    let res = s.app.get(&gateway("/faults/error"), Some(&s.admin)).await;
    assert_eq!(res.status, 502, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["upstreamStatus"], 500);

    // 64 KB is this test's cap; the demo sends 100 KB.
    let res = s
        .app
        .get(&gateway("/faults/huge?bytes=102400"), Some(&s.admin))
        .await;
    assert_eq!(res.status, 502, "{}", res.text());
    assert!(res.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("larger"));
    let res = s
        .app
        .get(&gateway("/faults/huge?bytes=1000"), Some(&s.admin))
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body.len(), 1000);

    // A redirect is not followed (it points at Redis here).
    let res = s
        .app
        .get(&gateway("/faults/redirect"), Some(&s.admin))
        .await;
    assert_eq!(res.status, 502, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["upstreamStatus"], 307);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_client_credentials_stay_behind_and_the_service_key_is_injected() {
    let s = setup().await;
    let req = Request::get(gateway("/faults/headers"))
        .header("authorization", format!("Bearer {}", s.admin))
        .header("cookie", "inti_session=stolen")
        .header("x-api-key", "a-key-the-client-made-up")
        .header("x-forwarded-for", "6.6.6.6")
        .header("accept", "application/json")
        .body(Body::empty())
        .unwrap();
    let res = s.app.request(req).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let seen = res.json();
    let names: Vec<&str> = seen["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        seen["keyMatches"], true,
        "the service's own key, not the client's"
    );
    for gone in ["authorization", "cookie", "x-forwarded-for"] {
        assert!(
            !names.contains(&gone),
            "{gone} reached the service: {names:?}"
        );
    }
    assert!(names.contains(&"accept"));
    let tenant = s.app.id_of("tenants", "whatsapp").await;
    assert_eq!(seen["tenant"], tenant.to_string());
    assert_eq!(
        seen["requestId"].as_str(),
        res.header("x-request-id").as_deref()
    );
    assert!(!res.text().contains(KEY));
}

/// Registers one more endpoint of the demo service (as the super admin).
async fn add_endpoint(s: &Setup, endpoint: Value) {
    let res = s
        .app
        .post_json(
            &format!("/api/v1/core/services/{}/endpoints", s.service_id),
            endpoint,
            Some(&s.root),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
}

/// Sets the whatsapp tenant's `rateLimits` for the demo service (as the super admin).
async fn set_rate_limits(s: &Setup, limits: Value) -> common::Response {
    let tenant = s.app.id_of("tenants", "whatsapp").await;
    s.app
        .send(
            "PUT",
            &format!("/api/v1/core/services/{}/tenants/{tenant}", s.service_id),
            Some(json!({ "status": "ACTIVE", "customSettings": { "rateLimits": limits } })),
            &s.root,
        )
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn two_nodes_share_one_rate_limit() {
    let s = setup().await;
    let res = set_rate_limits(
        &s,
        json!({ "messages:list": 3, "perUser": { "messages:list": 3 } }),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let b = s.app.another_node().await;
    let nodes = [&s.app, &b, &s.app];
    for (i, node) in nodes.iter().enumerate() {
        let res = node.get(&gateway("/messages"), Some(&s.admin)).await;
        assert_eq!(res.status, 200, "call {i}: {}", res.text());
    }
    let res = b.get(&gateway("/messages"), Some(&s.admin)).await;
    assert_eq!(res.status, 429, "{}", res.text());
    let retry: u64 = res.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    assert!(res.header("ratelimit").unwrap().contains("r=0"));

    // A malformed limit is refused where it is set.
    let res = set_rate_limits(&s, json!({ "messages:list": "lots" })).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.json()["error"]["details"]["field"],
        "customSettings.rateLimits.messages:list"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn internal_addresses_are_refused_when_connecting() {
    let s = setup().await;
    // A host name that resolves to 127.0.0.1: the resolver refuses it at connect time,
    // though 127.0.0.1 itself is allowed in this test.
    let client = upstream::client(&s.app.state.settings.gateway);
    let err = client
        .get(format!("http://localhost:{}/health", s.demo.port()))
        .send()
        .await
        .expect_err("refused");
    assert!(format!("{err:?}").contains("Refused"), "{err:?}");

    // A service whose stored address names such a host (written behind the registry's
    // back): 502, and the service is never called.
    let mut conn = s.app.db.conn().await;
    diesel::sql_query(format!(
        "UPDATE services SET base_url = 'http://localhost:{}' WHERE name = '{SERVICE}'",
        s.demo.port()
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    let res = s.app.get(&gateway("/messages"), Some(&s.admin)).await;
    assert_eq!(res.status, 502, "{}", res.text());

    // Registration refuses it outright.
    let res = s
        .app
        .send(
            "PATCH",
            &format!("/api/v1/core/services/{}", s.service_id),
            Some(json!({ "baseUrl": "http://169.254.169.254/" })),
            &s.root,
        )
        .await;
    assert_eq!(res.status, 422);
}

/// A service's report tells only the member who sent it a write through the gateway lately:
/// naming anyone else (another tenant's admin, a member who sent nothing) tells nobody.
#[tokio::test(flavor = "multi_thread")]
async fn a_delivery_report_tells_only_the_member_who_sent_the_service_something() {
    let s = setup().await;
    let now = Utc::now().timestamp();
    let report = |tenant: uuid::Uuid, user: uuid::Uuid| {
        json!({ "event": "delivery.report", "batchId": "b1", "tenantId": tenant,
                "userId": user, "delivered": 2, "failed": 0, "results": [] })
    };
    let whatsapp = s.app.id_of("tenants", "whatsapp").await;
    let tasks = s.app.id_of("tenants", "taskmanager").await;
    let task_admin = s.app.id_of("users", "admin@taskmanager.com").await;
    let whatsapp_admin = s.app.id_of("users", "admin@whatsapp.com").await;
    let inbox = async || {
        let res = s.app.get("/api/v1/notifications", Some(&s.admin)).await;
        res.json()["data"]["total"].as_i64().unwrap()
    };
    // Before sending anything, a report naming the WhatsApp admin tells nobody.
    let mine = report(whatsapp, whatsapp_admin);
    assert_eq!(deliver(&s, "r0", now, WEBHOOK_SECRET, &mine).await, 200);
    assert_eq!(inbox().await, 0);

    // A blast: the demo's own report tells its sender.
    let body = json!({ "message": "Hello", "recipients": ["+6281234567890"] });
    let res = s.app.post_json(BLAST, body, Some(&s.admin)).await;
    assert_eq!(res.status, 202, "{}", res.text());
    eventually(async || (inbox().await == 1).then_some(())).await;

    // Reports naming people who sent nothing are kept and tell nobody.
    for (i, (tenant, user)) in [(tasks, task_admin), (whatsapp, task_admin)]
        .into_iter()
        .enumerate()
    {
        let forged = report(tenant, user);
        let id = format!("r{}", i + 1);
        assert_eq!(deliver(&s, &id, now, WEBHOOK_SECRET, &forged).await, 200);
    }
    let mut conn = s.app.db.conn().await;
    let told: i64 = diesel::sql_query("SELECT count(*) AS n FROM notifications WHERE user_id = $1")
        .bind::<diesel::sql_types::Uuid, _>(task_admin)
        .get_result::<Count>(&mut conn)
        .await
        .unwrap()
        .n;
    assert_eq!(told, 0, "nobody else was told");

    // A further report for the sender tells them.
    // (Another timestamp: the same signed body again would be a replay.)
    assert_eq!(deliver(&s, "r3", now + 1, WEBHOOK_SECRET, &mine).await, 200);
    assert_eq!(inbox().await, 2);
    let res = s.app.get("/api/v1/notifications", Some(&s.admin)).await;
    assert_eq!(
        res.json()["data"]["items"][0]["body"],
        "2 delivered, 0 failed."
    );
}

async fn deliver(s: &Setup, id: &str, timestamp: i64, secret: &str, body: &Value) -> u16 {
    let text = body.to_string();
    let signature = webhooks::sign(secret.as_bytes(), timestamp, text.as_bytes());
    deliver_signed(s, id, timestamp, &signature, body).await
}

async fn deliver_signed(s: &Setup, id: &str, timestamp: i64, signature: &str, body: &Value) -> u16 {
    let body = body.to_string();
    let req = Request::post(format!("/api/v1/webhooks/{SERVICE}"))
        .header("content-type", "application/json")
        .header(webhooks::ID_HEADER, id)
        .header(webhooks::TIMESTAMP_HEADER, timestamp.to_string())
        .header(webhooks::SIGNATURE_HEADER, signature)
        .body(Body::from(body))
        .unwrap();
    s.app.request(req).await.status
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_need_a_fresh_signed_delivery_seen_once() {
    let s = setup().await;
    let now = Utc::now().timestamp();
    let body = json!({ "event": "delivery.report", "batchId": "b1", "results": [] });
    assert_eq!(deliver(&s, "d1", now, WEBHOOK_SECRET, &body).await, 200);
    assert_eq!(
        deliver(&s, "d1", now, WEBHOOK_SECRET, &body).await,
        401,
        "replay"
    );
    assert_eq!(
        deliver(&s, "d2", now, "wrong-secret", &body).await,
        401,
        "signature"
    );
    assert_eq!(
        deliver(&s, "d3", now - 301, WEBHOOK_SECRET, &body).await,
        401,
        "stale"
    );
    assert_eq!(
        deliver(&s, "d4", now + 400, WEBHOOK_SECRET, &body).await,
        401,
        "from the future"
    );
    // The same delivery under a new id is a replay too (the id is not signed).
    assert_eq!(
        deliver(&s, "d5", now, WEBHOOK_SECRET, &body).await,
        401,
        "new id"
    );
    // Respelled (upper-case hex, a space), the signature is the same one.
    let text = body.to_string();
    let signature = webhooks::sign(WEBHOOK_SECRET.as_bytes(), now, text.as_bytes());
    let respelled = format!("sha256= {}", signature["sha256=".len()..].to_uppercase());
    assert_eq!(
        deliver_signed(&s, "d6", now, &respelled, &body).await,
        401,
        "respelled signature"
    );
    // A refused delivery's id is not burnt: the real one still gets through.
    let other = json!({ "event": "delivery.report", "batchId": "b2", "results": [] });
    assert_eq!(deliver(&s, "d2", now, WEBHOOK_SECRET, &other).await, 200);

    let res = s
        .app
        .get(
            &format!("/api/v1/core/services/{}/webhooks", s.service_id),
            Some(&s.root),
        )
        .await;
    let kept: Vec<String> = res.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["deliveryId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");

    let audit = s
        .app
        .get(
            "/api/v1/audit?action=webhook.refuse&perPage=50",
            Some(&s.root),
        )
        .await;
    let text = audit.text();
    for reason in ["replayed delivery id", "bad signature", "timestamp outside"] {
        assert!(text.contains(reason), "{reason} not audited: {text}");
    }

    // A flood of bad deliveries from one address is told to wait, and stops being written.
    let mut statuses = Vec::new();
    for i in 0..40 {
        statuses.push(deliver(&s, &format!("bad-{i}"), now, "wrong-secret", &body).await);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&429));
    let audit = s
        .app
        .get(
            "/api/v1/audit?action=webhook.refuse&perPage=1",
            Some(&s.root),
        )
        .await;
    let total = audit.json()["data"]["total"].as_i64().unwrap();
    let budget = i64::from(webhooks::REFUSALS_AUDITED_PER_MINUTE);
    assert!(
        (budget..=budget + 1).contains(&total),
        "{total} refusals audited"
    );
}

async fn set_health_url(s: &Setup, url: String) {
    let res = s
        .app
        .send(
            "PATCH",
            &format!("/api/v1/core/services/{}", s.service_id),
            Some(json!({ "healthCheckUrl": url })),
            &s.root,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
}

async fn probe_once(s: &Setup) {
    let round = health::round(&s.app.state, Duration::ZERO).await.unwrap();
    assert!(
        matches!(round, health::Round::Probed(n) if n >= 1),
        "{round:?}"
    );
}

async fn health_report(s: &Setup) -> Value {
    let path = format!("/api/v1/core/services/{}/health", s.service_id);
    let res = s.app.get(&path, Some(&s.root)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["data"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn health_checks_judge_by_thresholds_and_show_where_users_look() {
    // Defaults: healthy after 2 successes, down after 3 failures.
    let s = setup().await;
    set_health_url(&s, format!("http://{}/health", s.demo)).await;

    // The demo's /health wants the key: a 200 proves it was injected.
    probe_once(&s).await;
    let report = health_report(&s).await;
    assert_eq!(report["health"]["status"], "UNKNOWN", "{report}");
    assert_eq!(report["checks"][0]["ok"], true);
    assert_eq!(report["checks"][0]["statusCode"], 200);
    probe_once(&s).await;
    let report = health_report(&s).await;
    assert_eq!(report["health"]["status"], "HEALTHY", "{report}");
    assert_eq!(report["health"]["availability24h"], 100.0);

    // A new health URL starts again from UNKNOWN; three failures in a row make it down.
    set_health_url(&s, format!("http://{}/faults/error", s.demo)).await;
    assert_eq!(health_report(&s).await["health"], Value::Null);
    for expected in ["UNKNOWN", "UNKNOWN", "UNHEALTHY"] {
        probe_once(&s).await;
        assert_eq!(health_report(&s).await["health"]["status"], expected);
    }
    let report = health_report(&s).await;
    assert_eq!(
        report["health"]["lastError"],
        "The service failed (it answered 500)"
    );
    assert_eq!(report["checks"][0]["statusCode"], 500);
    assert_eq!(report["health"]["availability24h"], 40.0, "2 of 5 probes");

    // The admins of the tenants using it hear that it is down, once; nobody else does.
    let inbox = s
        .app
        .get("/api/v1/notifications", Some(&s.admin))
        .await
        .json();
    let down: Vec<&Value> = inbox["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "SERVICE_HEALTH")
        .collect();
    assert_eq!(down.len(), 1, "{inbox}");
    assert_eq!(down[0]["title"], format!("{SERVICE} is down"));
    let outsider = s.app.token("admin@taskmanager.com").await;
    let inbox = s
        .app
        .get("/api/v1/notifications", Some(&outsider))
        .await
        .json();
    assert_eq!(inbox["data"]["total"], 0, "{inbox}");

    // The registry's cards, the tenant's menu and the service's page say it is down.
    let list = s
        .app
        .get("/api/v1/core/services?search=whatsapp", Some(&s.root))
        .await;
    assert_eq!(
        list.json()["data"]["items"][0]["health"]["status"],
        "UNHEALTHY"
    );
    let menu = s.app.get("/api/v1/menus/user", Some(&s.admin)).await.json();
    let group = menu["data"]["menus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == SERVICE)
        .cloned()
        .unwrap_or_else(|| panic!("{menu}"));
    assert_eq!(group["down"], true, "{group}");
    let page = group["children"][1]["path"].as_str().unwrap().to_string();
    let cookie = s.app.browser_login("admin@whatsapp.com").await;
    let app = &s.app;
    let html = async |cookie: String, page: String| {
        let req = Request::get(page)
            .header("accept", "text/html")
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap();
        app.request(req).await.text()
    };
    let text = html(cookie.clone(), page.clone()).await;
    assert!(
        text.contains("has not answered its health checks since"),
        "{text}"
    );

    // Two good answers and it is back: no badge, no banner.
    set_health_url(&s, format!("http://{}/health", s.demo)).await;
    probe_once(&s).await;
    probe_once(&s).await;
    let menu = s.app.get("/api/v1/menus/user", Some(&s.admin)).await.json();
    assert!(
        menu.to_string().contains("\"id\":\"whatsapp-gateway\""),
        "{menu}"
    );
    assert!(!menu.to_string().contains("\"down\""), "{menu}");
    let text = html(cookie, page).await;
    assert!(
        text.contains("Message History"),
        "the page rendered: {text}"
    );
    assert!(!text.contains("has not answered its health checks"));
}

#[tokio::test(flavor = "multi_thread")]
async fn one_node_probes_per_interval() {
    let s = setup().await;
    set_health_url(&s, format!("http://{}/health", s.demo)).await;
    let other = s.app.another_node().await;
    let gap = Duration::from_secs(60);
    let (a, b) = tokio::join!(
        health::round(&s.app.state, gap),
        health::round(&other.state, gap)
    );
    let rounds = [a.unwrap(), b.unwrap()];
    assert_eq!(
        rounds
            .iter()
            .filter(|r| matches!(r, health::Round::Probed(_)))
            .count(),
        1,
        "{rounds:?}"
    );
    assert_eq!(
        health_report(&s).await["checks"].as_array().unwrap().len(),
        1
    );
    // Within the interval, nobody probes again.
    assert_eq!(
        health::round(&other.state, gap).await.unwrap(),
        health::Round::Skipped
    );
}

/// A service page of a write endpoint shows the service's form only when the form submits
/// to that endpoint: a page of another one would show a form whose submissions its menu
/// item (and its permission) never governs; it says so instead.
#[tokio::test(flavor = "multi_thread")]
async fn a_write_endpoint_page_shows_the_form_only_when_the_form_submits_there() {
    let s = setup().await;
    let path = format!("/api/v1/core/services/{}", s.service_id);
    let e = json!({ "name": "messages:purge", "method": "POST", "path": "/messages/purge",
                    "requiredPermissions": ["whatsapp:read"] });
    let res = s
        .app
        .post_json(&format!("{path}/endpoints"), e, Some(&s.root))
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let patch = json!({
        "formSchema": { "endpoint": "messages:blast", "fields": [
            { "name": "message", "type": "textarea", "label": "Message", "required": true } ] },
        "menuSchema": { "items": [
            { "id": "blast", "name": "Blast", "path": "/whatsapp/blast", "endpoint": "messages:blast",
              "permission": "whatsapp:blast" },
            { "id": "purge", "name": "Purge", "path": "/whatsapp/purge", "endpoint": "messages:purge" } ] }
    });
    let res = s.app.send("PATCH", &path, Some(patch), &s.root).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let cookie = s.app.browser_login("admin@whatsapp.com").await;
    let page = async |item: &str| {
        let body = format!("service={SERVICE}&item={item}");
        s.app.server_fn("service_page", &body, Some(&cookie)).await
    };
    let blast = page("blast").await;
    assert_eq!(blast.status, 200, "{}", blast.text());
    assert_eq!(blast.json()["form"]["service"], SERVICE);
    // Never the 404 page: the registrant is told what to change.
    let purge = page("purge").await;
    assert_eq!(purge.status, 200, "{}", purge.text());
    assert!(purge.json()["form"].is_null());
    let why = purge.json()["unresolved"].as_str().unwrap().to_string();
    assert!(why.contains("sends to another endpoint"), "{why}");
}

/// One member cannot spend the whole tenant's budget: each has a budget of their own
/// (`rateLimits.perUser`), and a call refused by it takes nothing from the tenant's.
#[tokio::test(flavor = "multi_thread")]
async fn each_member_has_a_budget_of_their_own() {
    let s = setup().await;
    let tenant = s.app.id_of("tenants", "whatsapp").await;
    let res = set_rate_limits(
        &s,
        json!({ "messages:list": 4, "perUser": { "messages:list": 3 } }),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    for _ in 0..3 {
        let res = s.app.get(&gateway("/messages"), Some(&s.admin)).await;
        assert_eq!(res.status, 200, "{}", res.text());
    }
    let res = s.app.get(&gateway("/messages"), Some(&s.admin)).await;
    assert_eq!(res.status, 429, "{}", res.text());
    assert_eq!(
        res.header("ratelimit-policy").as_deref(),
        Some("\"per-user\";q=3;w=60")
    );
    // Another member of the tenant still has theirs, and the tenant's last call.
    let login = s.app.login("superadmin@core.com").await;
    let root = login["tokens"]["accessToken"].as_str().unwrap().to_string();
    let switched = s
        .app
        .post_json(
            "/api/v1/auth/switch-tenant",
            json!({"tenantId": tenant}),
            Some(&root),
        )
        .await;
    assert_eq!(switched.status, 200, "{}", switched.text());
    let other = switched.json()["data"]["tokens"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let res = s.app.get(&gateway("/messages"), Some(&other)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    // Now the tenant's budget is spent for everyone.
    let res = s.app.get(&gateway("/messages"), Some(&other)).await;
    assert_eq!(res.status, 429);
    assert_eq!(
        res.header("ratelimit-policy").as_deref(),
        Some("\"per-minute\";q=4;w=60")
    );
}

/// Path parameters cannot carry matrix parameters, dot segments or double encodings that an
/// upstream framework would read as another path: refused by the gateway itself, even when
/// the service would answer any path.
#[tokio::test(flavor = "multi_thread")]
async fn path_parameters_refuse_what_upstreams_read_as_other_paths() {
    let s = setup().await;
    let e = json!({ "name": "faults:path", "method": "GET", "path": "/faults/path/{id}",
                    "requiredPermissions": ["whatsapp:read"] });
    add_endpoint(&s, e).await;
    // A plain value reaches the service.
    let res = s.app.get(&gateway("/faults/path/42"), Some(&s.admin)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["path"], "/faults/path/42");
    for bad in [
        "/faults/path/..;",
        "/faults/path/a;b",
        "/faults/path/a%3Bb",
        "/faults/path/.env",
        "/faults/path/%2e%2e",
        "/faults/path/%252e%252e",
    ] {
        let res = s.app.get(&gateway(bad), Some(&s.admin)).await;
        assert_eq!(res.status, 404, "{bad}: {}", res.text());
        assert_eq!(
            res.json()["error"]["code"],
            "NOT_FOUND",
            "{bad}: the gateway's own answer"
        );
    }
}

/// A call with a `requestSchema` forwards what was validated, cleaned: a field hidden by its
/// condition never reaches the service, and a key given twice is refused.
#[tokio::test(flavor = "multi_thread")]
async fn what_a_schema_checked_is_what_the_service_gets() {
    let s = setup().await;
    let e = json!({ "name": "faults:echo", "method": "POST", "path": "/faults/echo",
                    "requiredPermissions": ["whatsapp:read"],
                    "requestSchema": {"fields": [
                        {"name": "channel", "type": "select", "label": "Channel", "options": [
                            {"value": "sms", "label": "SMS"}, {"value": "mail", "label": "Mail"}]},
                        {"name": "address", "type": "text", "label": "Address",
                         "showIf": {"field": "channel", "equals": "mail"}},
                        {"name": "message", "type": "text", "label": "Message", "required": true}
                    ]} });
    add_endpoint(&s, e).await;
    let send = |body: &'static str| {
        let req = Request::post(gateway("/faults/echo"))
            .header("authorization", format!("Bearer {}", s.admin))
            .header("content-type", "text/plain")
            .body(Body::from(body))
            .unwrap();
        s.app.request(req)
    };
    let res = send(r#"{"channel": "sms", "address": "<unchecked>", "message": "hi"}"#).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let got = res.json();
    assert_eq!(got["contentType"], "application/json");
    let forwarded: Value = serde_json::from_str(got["body"].as_str().unwrap()).unwrap();
    assert_eq!(forwarded, json!({"channel": "sms", "message": "hi"}));

    let res = send(r#"{"message": "checked", "message": "<not checked>"}"#).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(res.json()["error"]["details"]["field"], "body");
    assert!(res.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("more than once"));
}

/// What an external service answers in anything but JSON is a download on Inti's origin,
/// sandboxed if opened: never a live page.
#[tokio::test(flavor = "multi_thread")]
async fn non_json_answers_are_never_live_pages() {
    let s = setup().await;
    let e = json!({ "name": "faults:page", "method": "GET", "path": "/faults/page",
                    "requiredPermissions": ["whatsapp:read"] });
    add_endpoint(&s, e).await;
    let res = s.app.get(&gateway("/faults/page"), Some(&s.admin)).await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.header("content-disposition").as_deref(),
        Some("attachment")
    );
    let csp = res.header("content-security-policy").unwrap();
    assert!(csp.starts_with("sandbox"), "{csp}");
    // JSON is data for the client, as before.
    let res = s.app.get(&gateway("/messages"), Some(&s.admin)).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-disposition"), None);
}

/// A link on another site to a service page renders the page without calling the service
/// (it loads when the person asks, from Inti itself); opened from Inti, it calls.
#[tokio::test(flavor = "multi_thread")]
async fn a_page_opened_from_another_site_does_not_call_the_service() {
    let s = setup().await;
    // One call in all: whoever spends it shows.
    let res = set_rate_limits(
        &s,
        json!({ "messages:list": 1, "perUser": { "messages:list": 1 } }),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let menu = s.app.get("/api/v1/menus/user", Some(&s.admin)).await.json();
    let group = menu["data"]["menus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == SERVICE)
        .cloned()
        .unwrap_or_else(|| panic!("{menu}"));
    let page = group["children"][1]["path"].as_str().unwrap().to_string();
    let cookie = s.app.browser_login("admin@whatsapp.com").await;
    let open = |site: &'static str| {
        let req = Request::get(page.clone())
            .header("accept", "text/html")
            .header("cookie", cookie.clone())
            .header("sec-fetch-site", site)
            .header("sec-fetch-mode", "navigate")
            .body(Body::empty())
            .unwrap();
        s.app.request(req)
    };
    let html = open("cross-site").await.text();
    assert!(html.contains("service-table-deferred"), "{html}");
    // The budget is untouched: the API spends it now.
    let res = s.app.get(&gateway("/messages"), Some(&s.admin)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    // Opened from Inti itself, the page calls (and meets the spent budget).
    let html = open("same-origin").await.text();
    assert!(html.contains("service-table-error"), "{html}");
    assert!(!html.contains("service-table-deferred"));
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The retention purge deletes call-log rows and health checks older than their retention,
/// in every tenant, and keeps the recent ones.
#[tokio::test(flavor = "multi_thread")]
async fn the_purge_deletes_old_calls_and_checks_and_keeps_recent_ones() {
    use inti::server::gateway::retention::{purge, Kept};
    let app = TestApp::new().await;
    let service = app.id_of("services", "whatsapp-gateway").await;
    let mut owner = app.db.conn().await;
    for domain in ["taskmanager", "whatsapp"] {
        let tenant = app.id_of("tenants", domain).await;
        for age in ["40 days", "1 day"] {
            diesel::sql_query(format!(
                "INSERT INTO gateway_calls (tenant_id, service_id, endpoint_name, method, path, \
                 status, latency_ms, request_bytes, response_bytes, request_id, created_at) \
                 VALUES ('{tenant}', '{service}', 'send', 'POST', '/send', 200, 5, 1, 1, 'r', \
                 now() - interval '{age}')"
            ))
            .execute(&mut owner)
            .await
            .unwrap();
        }
    }
    for age in ["40 days", "1 day"] {
        diesel::sql_query(format!(
            "INSERT INTO service_health_checks (service_id, ok, latency_ms, checked_at) \
             VALUES ('{service}', true, 1, now() - interval '{age}')"
        ))
        .execute(&mut owner)
        .await
        .unwrap();
    }
    purge(&app.state, Kept::Calls, 30).await;
    purge(&app.state, Kept::HealthChecks, 30).await;
    let count = async |sql: &str| {
        let mut conn = app.db.conn().await;
        diesel::sql_query(sql)
            .get_result::<Count>(&mut conn)
            .await
            .unwrap()
            .n
    };
    let old = "created_at < now() - interval '30 days'";
    assert_eq!(
        count(&format!(
            "SELECT count(*) AS n FROM gateway_calls WHERE {old}"
        ))
        .await,
        0
    );
    assert_eq!(
        count("SELECT count(*) AS n FROM gateway_calls").await,
        2,
        "recent calls stay"
    );
    assert_eq!(
        count("SELECT count(*) AS n FROM service_health_checks WHERE checked_at < now() - interval '30 days'").await,
        0
    );
    assert_eq!(
        count("SELECT count(*) AS n FROM service_health_checks").await,
        1,
        "the recent check stays"
    );
}
