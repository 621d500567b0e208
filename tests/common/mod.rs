//! Integration test harness: every test gets its own PostgreSQL database, cloned from a
//! template that is migrated once per migration set, and dropped when the test ends.
#![allow(dead_code)]

pub mod callers;

use std::sync::Arc;

use axum::{body::Body, http::Request, Router};
use diesel::sql_types::{Bool, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use http_body_util::BodyExt;
use inti::server::{
    config::Settings, db, http, secret::Secret, services::demo, startup, state::AppState,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tower::ServiceExt;

pub const DEMO_PASSWORD: &str = "test-demo-password";

/// The PostgreSQL server tests create their databases on.
pub fn server_url() -> String {
    std::env::var("INTI_TEST_DATABASE_SERVER")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

pub fn redis_url() -> String {
    std::env::var("INTI_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into())
}

/// A Redis Cluster's nodes (comma-separated) that tests use instead of `redis_url`, when set
/// (`scripts/redis-cluster.sh` runs the Redis-facing tests so).
pub fn redis_cluster_urls() -> String {
    std::env::var("INTI_TEST_REDIS_CLUSTER_URLS").unwrap_or_default()
}

/// Points the settings at a Redis (or cluster) that is not there.
pub fn redis_down(settings: &mut Settings) {
    let nowhere = "redis://127.0.0.1:1/0";
    settings.redis.url = Secret::new(nowhere);
    if !settings.redis.cluster_urls.is_empty() {
        settings.redis.cluster_urls = vec![Secret::new(nowhere)];
    }
}

async fn admin() -> AsyncPgConnection {
    AsyncPgConnection::establish(&format!("{}/postgres", server_url()))
        .await
        .expect("tests need PostgreSQL: run scripts/setup.sh")
}

/// Names the template after the migrations' content, so a changed migration gets a new one.
fn template_name() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    let mut entries: Vec<_> = walk(std::path::Path::new(dir));
    entries.sort();
    let mut hasher = Sha256::new();
    for path in entries {
        hasher.update(path.as_bytes());
        hasher.update(std::fs::read(&path).unwrap_or_default());
    }
    format!("inti_test_tpl_{}", &hex::encode(hasher.finalize())[..16])
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}

#[derive(diesel::QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

async fn database_exists(conn: &mut AsyncPgConnection, name: &str) -> bool {
    diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
        .bind::<Text, _>(name)
        .get_result::<Exists>(conn)
        .await
        .map(|e| e.exists)
        .unwrap_or(false)
}

/// Creates the migrated template once; an advisory lock serialises test processes.
async fn ensure_template() -> String {
    let name = template_name();
    let mut conn = admin().await;
    diesel::sql_query("SELECT pg_advisory_lock(727274)")
        .execute(&mut conn)
        .await
        .unwrap();
    if !database_exists(&mut conn, &name).await {
        let building = format!("{name}_building");
        diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)"
        ))
        .execute(&mut conn)
        .await
        .unwrap();
        diesel::sql_query(format!("CREATE DATABASE \"{building}\""))
            .execute(&mut conn)
            .await
            .unwrap();
        let url = format!("{}/{building}", server_url());
        db::migrate(&url, std::time::Duration::from_secs(10))
            .await
            .expect("migrations apply");
        diesel::sql_query(format!(
            "ALTER DATABASE \"{building}\" RENAME TO \"{name}\""
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    }
    diesel::sql_query("SELECT pg_advisory_unlock(727274)")
        .execute(&mut conn)
        .await
        .unwrap();
    name
}

/// A database of this test's own; dropped (forcefully) when it goes out of scope.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    /// A migrated, empty database.
    pub async fn migrated() -> Self {
        let template = ensure_template().await;
        Self::create(Some(&template)).await
    }

    /// A database with nothing in it, not even migrations.
    pub async fn empty() -> Self {
        Self::create(None).await
    }

    async fn create(template: Option<&str>) -> Self {
        let name = format!("inti_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = admin().await;
        let sql = match template {
            Some(t) => format!("CREATE DATABASE \"{name}\" TEMPLATE \"{t}\""),
            None => format!("CREATE DATABASE \"{name}\""),
        };
        diesel::sql_query(sql).execute(&mut conn).await.unwrap();
        let url = format!("{}/{name}", server_url());
        Self { name, url }
    }

    pub async fn conn(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.url).await.unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside the test's runtime; a separate thread with its own runtime avoids
        // blocking it.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let mut conn = admin().await;
                let _ =
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
            });
        })
        .join();
    }
}

/// The app connects as `inti_app`, the role row-level security applies to.
pub fn app_url(db: &TestDb) -> String {
    db.url
        .replacen("postgres://postgres@", "postgres://inti_app@", 1)
}

pub fn settings_for(db: &TestDb) -> Settings {
    let app = app_url(db);
    let admin = &db.url;
    let text = format!(
        "[inti]\nmode = \"dev\"\n[database]\nurl = \"{app}\"\nadmin_url = \"{admin}\"\npool_size = 4\n[redis]\nurl = \"{}\"\ncluster_urls = \"{}\"\nkey_prefix = \"{}:\"\n[package.metadata.leptos]\noutput-name = \"inti\"\nsite-root = \"target/site\"\n",
        redis_url(),
        redis_cluster_urls(),
        db.name
    );
    Settings::from_toml("test", &text).unwrap()
}

/// A running app (in process) on a fresh database seeded with the demo data.
pub struct TestApp {
    /// Shared by the nodes of one test (`another_node`); dropped with the last.
    pub db: Arc<TestDb>,
    pub state: AppState,
    pub router: Router,
}

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: uuid::Uuid,
}

impl TestApp {
    /// The id of a demo tenant (by domain), user (by email) or service (by name), read as
    /// the owner.
    pub async fn id_of(&self, table: &str, key: &str) -> uuid::Uuid {
        let column = match table {
            "tenants" => "domain",
            "users" => "email",
            "services" => "name",
            other => panic!("no key column for {other}"),
        };
        let mut conn = self.db.conn().await;
        diesel::sql_query(format!("SELECT id FROM {table} WHERE {column} = $1"))
            .bind::<Text, _>(key)
            .get_result::<IdRow>(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("no {table} row {key}: {e}"))
            .id
    }

    pub async fn new() -> Self {
        Self::with_settings(|_| {}).await
    }

    /// A test app whose settings `adjust` changes first (production mode, short waits, ...).
    pub async fn with_settings(adjust: impl FnOnce(&mut Settings)) -> Self {
        let db = TestDb::migrated().await;
        let mut settings = settings_for(&db);
        adjust(&mut settings);
        let app = Self::node(Arc::new(db), settings).await;
        demo::seed(
            &app.state,
            &Secret::new(DEMO_PASSWORD),
            &(
                Secret::new(inti::server::services::builtin_services::DEMO_WHATSAPP_KEY),
                Secret::new(inti::server::services::builtin_services::DEMO_WHATSAPP_WEBHOOK_SECRET),
            ),
        )
        .await
        .unwrap();
        app
    }

    /// A node on a database that already holds Inti's data (restored from a backup, ...).
    pub async fn on(db: TestDb) -> Self {
        let settings = settings_for(&db);
        Self::node(Arc::new(db), settings).await
    }

    /// A second server on the same database and Redis, as another node behind a balancer.
    pub async fn another_node(&self) -> Self {
        Self::node(self.db.clone(), (*self.state.settings).clone()).await
    }

    /// Another node whose settings `adjust` changes (other secret keys, ...).
    pub async fn node_with(&self, adjust: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = (*self.state.settings).clone();
        adjust(&mut settings);
        Self::node(self.db.clone(), settings).await
    }

    async fn node(db: Arc<TestDb>, settings: Settings) -> Self {
        let state = startup::connect(settings)
            .await
            .expect("backends reachable");
        // The access cache listens from a task of its own; tests start once it does.
        for _ in 0..500 {
            if state.access.ticket().is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(state.access.ticket().is_some(), "the access cache listens");
        let router = http::router(state.clone());
        Self { db, state, router }
    }

    /// Tests also change the database behind the app's back (plain SQL); the app learns of
    /// such changes from a notification, which this waits for first, as the app itself does
    /// after its own changes. `request_as_is` does not wait.
    pub async fn request(&self, req: Request<Body>) -> Response {
        self.state.access.settle(&self.state.db).await;
        self.request_as_is(req).await
    }

    pub async fn request_as_is(&self, req: Request<Body>) -> Response {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Response {
            status,
            headers,
            body: Arc::new(bytes.to_vec()),
        }
    }

    pub async fn post_json(&self, path: &str, body: Value, bearer: Option<&str>) -> Response {
        let mut req = Request::post(path).header("content-type", "application/json");
        if let Some(token) = bearer {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        self.request(req.body(Body::from(body.to_string())).unwrap())
            .await
    }

    pub async fn get(&self, path: &str, bearer: Option<&str>) -> Response {
        let mut req = Request::get(path);
        if let Some(token) = bearer {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        self.request(req.body(Body::empty()).unwrap()).await
    }

    /// Any method and an optional JSON body, with a bearer token.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        bearer: &str,
    ) -> Response {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {bearer}"));
        let body = Body::from(body.map(|b| b.to_string()).unwrap_or_default());
        self.request(req.body(body).unwrap()).await
    }

    /// Registers an INTERNAL service without a handler of its own (Inti keeps its form's
    /// submissions; its one endpoint needs `task:create`) and assigns it to the tenant with `domain`, as the super admin. Answers
    /// its id. The forms tests use one, so that the Task Manager's own form stays out of them.
    pub async fn internal_service(&self, name: &str, domain: &str) -> uuid::Uuid {
        let root = self.token("superadmin@core.com").await;
        let body = serde_json::json!({
            "name": name, "displayName": "Intake", "type": "INTERNAL", "visibility": "PRIVATE",
            "description": "Requests kept by Inti.",
            "endpoints": [{ "name": "requests:create", "method": "POST", "path": "/requests",
                            "requiredPermissions": ["task:create"] }]
        });
        let res = self
            .post_json("/api/v1/core/services/register", body, Some(&root))
            .await;
        assert_eq!(res.status, 201, "{}", res.text());
        let id: uuid::Uuid = res.json()["data"]["id"].as_str().unwrap().parse().unwrap();
        let tenant = self.id_of("tenants", domain).await;
        let assign = serde_json::json!({"status": "ACTIVE"});
        let path = format!("/api/v1/core/services/{id}/tenants/{tenant}");
        let res = self.send("PUT", &path, Some(assign), &root).await;
        assert_eq!(res.status, 200, "{}", res.text());
        id
    }

    /// Adds `n` USER members to the tenant `domain`, written straight to the database:
    /// `member01@example.com` named "Member 01", and so on (they sort before the demo's
    /// members, whose names start with a later letter).
    pub async fn add_members(&self, domain: &str, n: i32) {
        let tenant = self.id_of("tenants", domain).await;
        let mut conn = self.db.conn().await;
        diesel::sql_query(
            "WITH t AS (SELECT $1::uuid AS id), role AS (
               SELECT id FROM roles WHERE name = 'USER' AND tenant_id IS NULL),
             added AS (
               INSERT INTO users (email, password_hash, name, home_tenant_id)
               SELECT 'member' || lpad(n::text, 2, '0') || '@example.com', 'x',
                      'Member ' || lpad(n::text, 2, '0'), t.id
               FROM generate_series(1, $2) n, t RETURNING id)
             INSERT INTO user_tenant_access (user_id, tenant_id, role_id)
             SELECT added.id, t.id, role.id FROM added, t, role",
        )
        .bind::<diesel::sql_types::Uuid, _>(tenant)
        .bind::<diesel::sql_types::Integer, _>(n)
        .execute(&mut conn)
        .await
        .unwrap();
    }

    /// How many connections to this test's database wait on a lock (to hold a request at
    /// a known point while another transaction is open).
    pub async fn waiting_on_locks(&self) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.db.conn().await;
        diesel::sql_query(
            "SELECT count(*) AS n FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .get_result::<Count>(&mut conn)
        .await
        .unwrap()
        .n
    }

    /// A demo user's access token.
    pub async fn token(&self, email: &str) -> String {
        self.login(email).await["tokens"]["accessToken"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A browser form post to a server function, from this site's own origin.
    pub async fn server_fn(&self, name: &str, form: &str, cookie: Option<&str>) -> Response {
        self.server_fn_from(name, form, cookie, Some("http://localhost"))
            .await
    }

    /// The same, from any origin (`None`: no Origin or Referer header at all).
    pub async fn server_fn_from(
        &self,
        name: &str,
        form: &str,
        cookie: Option<&str>,
        origin: Option<&str>,
    ) -> Response {
        let mut req = Request::post(format!("/api/{name}"))
            .header("host", "localhost")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json");
        if let Some(origin) = origin {
            req = req.header("origin", origin);
        }
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        self.request(req.body(Body::from(form.to_string())).unwrap())
            .await
    }

    /// Signs a demo user in through the browser login; answers the session cookie.
    pub async fn browser_login(&self, email: &str) -> String {
        let form = format!(
            "email={}&password={DEMO_PASSWORD}",
            email.replace('@', "%40")
        );
        let res = self.server_fn("login", &form, None).await;
        assert!(
            res.status == 200 || res.status == 302,
            "browser login as {email}: {} {}",
            res.status,
            res.text()
        );
        let set_cookie = res.header("set-cookie").expect("a session cookie");
        set_cookie.split(';').next().unwrap().to_string()
    }

    /// The token of the newest one-time link mailed to `email`, read from the outbox as its
    /// owner (the message is queued whether or not it was sent yet).
    pub async fn link_token(&self, email: &str) -> String {
        #[derive(diesel::QueryableByName)]
        struct Body {
            #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
            body: Option<String>,
        }
        let mut conn = self.db.conn().await;
        let row: Body = diesel::sql_query(
            "SELECT body FROM mail_outbox WHERE recipient = $1 AND body LIKE '%token=%' \
             ORDER BY id DESC LIMIT 1",
        )
        .bind::<Text, _>(email)
        .get_result(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("no link mailed to {email}: {e}"));
        token_in(&row.body.unwrap_or_default())
    }

    /// The body of the newest message of `kind` queued for `email`, read as the owner.
    pub async fn newest_mail(&self, email: &str, kind: &str) -> String {
        #[derive(diesel::QueryableByName)]
        struct Body {
            #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
            body: Option<String>,
        }
        let mut conn = self.db.conn().await;
        let row: Body = diesel::sql_query(
            "SELECT body FROM mail_outbox WHERE recipient = $1 AND kind = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind::<Text, _>(email)
        .bind::<Text, _>(kind)
        .get_result(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("no {kind} mail to {email}: {e}"));
        row.body.unwrap_or_default()
    }

    /// An invited address's owner opens the mailed link, chooses `password` and accepts every
    /// invitation waiting; answers the confirmation's response.
    pub async fn join_as_new(&self, email: &str, password: &str) -> Response {
        let token = self.link_token(email).await;
        let link = self
            .post_json(
                "/api/v1/auth/link",
                serde_json::json!({"token": token}),
                None,
            )
            .await;
        assert_eq!(link.status, 200, "{}", link.text());
        let ids: Vec<Value> = link.json()["data"]["invitations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].clone())
            .collect();
        self.post_json(
            "/api/v1/auth/password-reset/confirm",
            serde_json::json!({"token": token, "newPassword": password, "acceptInvitations": ids}),
            None,
        )
        .await
    }

    pub async fn login(&self, email: &str) -> Value {
        let res = self
            .post_json(
                "/api/v1/auth/login",
                serde_json::json!({"email": email, "password": DEMO_PASSWORD}),
                None,
            )
            .await;
        assert_eq!(res.status, 200, "login as {email}: {}", res.text());
        res.json()["data"].clone()
    }
}

/// The token of the first link (`...?token=...`) in a message body, quoted-printable or not.
pub fn token_in(body: &str) -> String {
    let plain = body
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let start = plain
        .find("token=")
        .unwrap_or_else(|| panic!("no link in: {plain}"))
        + "token=".len();
    plain[start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

#[derive(Clone)]
pub struct Response {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: Arc<Vec<u8>>,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// Collects everything the app logs, for a test that sets a subscriber writing to it (a test
/// binary of its own: a subscriber set as the default holds for its thread only).
#[derive(Clone, Default)]
pub struct LogCapture(pub Arc<std::sync::Mutex<Vec<u8>>>);

impl LogCapture {
    /// What was logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
