//! Tenant isolation enforced by PostgreSQL row-level security, checked as the server's role.
#![cfg(feature = "ssr")]

mod common;

use inti::domain::id::{TenantId, UserId};

use common::{app_url, TestApp};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Bool, Text},
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use inti::server::db::{
    self,
    schema::{tenants, user_tenant_access},
    scope::{set_scope, Scope},
};
use uuid::Uuid;

async fn tenant(conn: &mut AsyncPgConnection, domain: &str) -> Uuid {
    tenants::table
        .filter(tenants::domain.eq(domain))
        .select(tenants::id)
        .first(conn)
        .await
        .unwrap()
}

async fn visible_grant_tenants(conn: &mut AsyncPgConnection) -> Vec<Uuid> {
    user_tenant_access::table
        .select(user_tenant_access::tenant_id)
        .load(conn)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_role_is_subject_to_rls_on_every_tenant_scoped_table() {
    let app = TestApp::new().await;
    let mut app_conn = AsyncPgConnection::establish(&app_url(&app.db))
        .await
        .unwrap();

    #[derive(QueryableByName)]
    struct RoleFlags {
        #[diesel(sql_type = Bool)]
        rolsuper: bool,
        #[diesel(sql_type = Bool)]
        rolbypassrls: bool,
        #[diesel(sql_type = BigInt)]
        owned: i64,
    }
    let flags: RoleFlags = diesel::sql_query(
        "SELECT r.rolsuper, r.rolbypassrls, \
         (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) AS owned \
         FROM pg_roles r WHERE r.rolname = current_user",
    )
    .get_result(&mut app_conn)
    .await
    .unwrap();
    assert!(!flags.rolsuper && !flags.rolbypassrls);
    assert_eq!(flags.owned, 0, "the server's role owns no table");

    #[derive(QueryableByName, Debug)]
    struct Unprotected {
        #[diesel(sql_type = Text)]
        table_name: String,
    }
    let unprotected: Vec<Unprotected> = diesel::sql_query(
        "SELECT c.relname::text AS table_name FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' \
         WHERE c.relkind = 'r' AND c.relname <> '__diesel_schema_migrations' \
         AND NOT (c.relrowsecurity AND c.relforcerowsecurity)",
    )
    .load(&mut app_conn)
    .await
    .unwrap();
    let unprotected: Vec<String> = unprotected.into_iter().map(|u| u.table_name).collect();
    assert!(
        unprotected.is_empty(),
        "tables without forced RLS: {unprotected:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rows_follow_the_tenant_set_for_the_transaction() {
    let app = TestApp::new().await;
    let mut owner = app.db.conn().await;
    let a = tenant(&mut owner, "taskmanager").await;
    let b = tenant(&mut owner, "whatsapp").await;
    let role: Uuid =
        diesel::sql_query("SELECT id FROM roles WHERE name = 'USER' AND tenant_id IS NULL")
            .get_result::<IdRow>(&mut owner)
            .await
            .unwrap()
            .id;
    let b_user: Uuid = diesel::sql_query("SELECT id FROM users WHERE email = 'admin@whatsapp.com'")
        .get_result::<IdRow>(&mut owner)
        .await
        .unwrap()
        .id;
    let mut conn = AsyncPgConnection::establish(&app_url(&app.db))
        .await
        .unwrap();

    // Nothing set: nothing visible.
    assert!(visible_grant_tenants(&mut conn).await.is_empty());
    let audit: i64 = diesel::sql_query("SELECT count(*) AS n FROM audit_log")
        .get_result::<CountRow>(&mut conn)
        .await
        .unwrap()
        .n;
    assert_eq!(audit, 0);

    // Tenant A set: only A's rows.
    let seen = conn
        .transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(
                c,
                Scope {
                    tenant_id: Some(TenantId(a)),
                    ..Scope::default()
                },
            )
            .await?;
            Ok(visible_grant_tenants(c).await)
        })
        .await
        .unwrap();
    assert_eq!(seen.len(), 2, "taskmanager has two members");
    assert!(seen.iter().all(|t| *t == a));

    // Writing B's data while A is set is refused, and changes nothing.
    let refused = conn
        .transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(
                c,
                Scope {
                    tenant_id: Some(TenantId(a)),
                    ..Scope::default()
                },
            )
            .await?;
            diesel::insert_into(user_tenant_access::table)
                .values((
                    user_tenant_access::user_id.eq(b_user),
                    user_tenant_access::tenant_id.eq(b),
                    user_tenant_access::role_id.eq(role),
                ))
                .execute(c)
                .await
        })
        .await;
    let err = refused.unwrap_err().to_string();
    assert!(err.contains("row-level security"), "{err}");
    let updated = conn
        .transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(
                c,
                Scope {
                    tenant_id: Some(TenantId(a)),
                    ..Scope::default()
                },
            )
            .await?;
            diesel::update(user_tenant_access::table.filter(user_tenant_access::tenant_id.eq(b)))
                .set(user_tenant_access::status.eq("SUSPENDED"))
                .execute(c)
                .await
        })
        .await
        .unwrap();
    assert_eq!(
        updated, 0,
        "B's rows are invisible to an update scoped to A"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn alternating_tenants_over_a_small_pool_leaks_nothing() {
    let app = TestApp::new().await;
    let mut owner = app.db.conn().await;
    let tenants = [
        tenant(&mut owner, "taskmanager").await,
        tenant(&mut owner, "whatsapp").await,
        tenant(&mut owner, "core").await,
    ];
    let pool = db::build_pool(&app_url(&app.db), 2, std::time::Duration::from_secs(5)).unwrap();

    let mut tasks = Vec::new();
    for i in 0..60 {
        let pool = pool.clone();
        let t = tenants[i % tenants.len()];
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.unwrap();
            let seen = conn
                .transaction::<_, diesel::result::Error, _>(async |c| {
                    set_scope(
                        c,
                        Scope {
                            tenant_id: Some(TenantId(t)),
                            ..Scope::default()
                        },
                    )
                    .await?;
                    Ok(visible_grant_tenants(c).await)
                })
                .await
                .unwrap();
            assert!(
                !seen.is_empty() && seen.iter().all(|x| *x == t),
                "tenant {t} saw {seen:?}"
            );
            // The same pooled connection, after the transaction: the tenant is gone.
            assert!(visible_grant_tenants(&mut conn).await.is_empty());
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Every table, as the server's role acting for tenant A's admin: deleting or creating rows
/// of tenant B, of the platform (system roles, tenants, accounts, the registry) or of no
/// tenant is refused or touches nothing, and the owner sees every row still there.
#[tokio::test(flavor = "multi_thread")]
async fn no_scope_deletes_or_creates_rows_beyond_its_tenant_on_any_table() {
    let app = TestApp::new().await;
    let mut owner = app.db.conn().await;
    let a = tenant(&mut owner, "taskmanager").await;
    let b = tenant(&mut owner, "whatsapp").await;
    let one = async |owner: &mut AsyncPgConnection, sql: &str| -> Uuid {
        diesel::sql_query(sql)
            .get_result::<IdRow>(owner)
            .await
            .unwrap()
            .id
    };
    let a_admin = one(
        &mut owner,
        "SELECT id FROM users WHERE email = 'admin@taskmanager.com'",
    )
    .await;
    let b_admin = one(
        &mut owner,
        "SELECT id FROM users WHERE email = 'admin@whatsapp.com'",
    )
    .await;
    let system_role = one(
        &mut owner,
        "SELECT id FROM roles WHERE name = 'USER' AND tenant_id IS NULL",
    )
    .await;
    // Rows of B in the tables the demo leaves empty: a service, its endpoint and assignment,
    // a session with a refresh token.
    let service = one(
        &mut owner,
        "INSERT INTO services (name, display_name, type) VALUES ('b-tool', 'B tool', 'INTERNAL') RETURNING id",
    )
    .await;
    diesel::sql_query(format!(
        "INSERT INTO service_endpoints (service_id, name, display_name, method, path) \
         VALUES ('{service}', 'list', 'List', 'GET', '/items')"
    ))
    .execute(&mut owner)
    .await
    .unwrap();
    diesel::sql_query(format!(
        "INSERT INTO tenant_service_assignments (tenant_id, service_id) VALUES ('{b}', '{service}')"
    ))
    .execute(&mut owner)
    .await
    .unwrap();
    let b_session = one(
        &mut owner,
        &format!(
            "INSERT INTO auth_sessions (user_id, tenant_id, kind, expires_at) \
             VALUES ('{b_admin}', '{b}', 'API', now() + interval '1 hour') RETURNING id"
        ),
    )
    .await;
    diesel::sql_query(format!(
        "INSERT INTO refresh_tokens (session_id, token_hash, expires_at) \
         VALUES ('{b_session}', decode(repeat('ab', 32), 'hex'), now() + interval '1 hour')"
    ))
    .execute(&mut owner)
    .await
    .unwrap();
    diesel::sql_query(format!(
        "INSERT INTO audit_log (tenant_id, action, outcome) VALUES ('{b}', 'auth.login', 'SUCCESS')"
    ))
    .execute(&mut owner)
    .await
    .unwrap();
    // An invitation from B to A's admin: A's scope must not rewrite it.
    diesel::sql_query(format!(
        "INSERT INTO invitations (tenant_id, user_id, email, role_id) \
         VALUES ('{b}', '{a_admin}', 'admin@taskmanager.com', '{system_role}')"
    ))
    .execute(&mut owner)
    .await
    .unwrap();
    let root = one(
        &mut owner,
        "SELECT id FROM users WHERE email = 'superadmin@core.com'",
    )
    .await;
    // Forms and tasks of B: a form version, a kept submission, a task and its comment.
    diesel::sql_query(format!(
        "INSERT INTO form_versions (service_id, version, schema, author_name) \
         VALUES ('{service}', 1, '{{}}', 'Owner')"
    ))
    .execute(&mut owner)
    .await
    .unwrap();
    diesel::sql_query(format!(
        "INSERT INTO form_submissions (tenant_id, service_id, form_version, values, submitted_by) \
         VALUES ('{b}', '{service}', 1, '{{}}', '{b_admin}')"
    ))
    .execute(&mut owner)
    .await
    .unwrap();
    let b_task = one(
        &mut owner,
        &format!("INSERT INTO tasks (tenant_id, title) VALUES ('{b}', 'B task') RETURNING id"),
    )
    .await;
    diesel::sql_query(format!(
        "INSERT INTO task_comments (tenant_id, task_id, author_id, body) \
         VALUES ('{b}', '{b_task}', '{b_admin}', 'B comment')"
    ))
    .execute(&mut owner)
    .await
    .unwrap();

    // A row in each of the gateway's tables, written as the owner (tenant B's call).
    for sql in [
        format!(
            "INSERT INTO gateway_calls (tenant_id, service_id, endpoint_name, method, path, status, \
             latency_ms, request_bytes, response_bytes, request_id) \
             VALUES ('{b}', '{service}', 'x', 'GET', '/x', 200, 1, 0, 0, 'r')"
        ),
        format!(
            "INSERT INTO webhook_deliveries (service_id, delivery_id, payload) \
             VALUES ('{service}', 'd', '{{}}')"
        ),
        format!(
            "INSERT INTO service_health (service_id, url, status) \
             VALUES ('{service}', 'http://x/health', 'HEALTHY')"
        ),
        format!(
            "INSERT INTO service_health_checks (service_id, ok, latency_ms) \
             VALUES ('{service}', true, 1)"
        ),
        // A notification for B's admin in B, and their preference.
        format!(
            "INSERT INTO notifications (tenant_id, user_id, kind, title) \
             VALUES ('{b}', '{b_admin}', 'TASK_ASSIGNED', 'B note')"
        ),
        format!(
            "INSERT INTO notification_preferences (user_id, kind, channel) \
             VALUES ('{b_admin}', 'TASK_ASSIGNED', 'EMAIL')"
        ),
        // Tenant B's menu layout and the global one.
        format!(
            "INSERT INTO menu_layouts (tenant_id, version, operations, author_name) \
             VALUES ('{b}', 1, '[]', 'B admin'), (NULL, 1, '[]', 'Root')"
        ),
    ] {
        diesel::sql_query(sql).execute(&mut owner).await.unwrap();
    }
    const TABLES: [&str; 26] = [
        "notifications",
        "notification_preferences",
        "tenants",
        "users",
        "user_tenant_access",
        "roles",
        "role_permissions",
        "auth_sessions",
        "refresh_tokens",
        "services",
        "service_endpoints",
        "tenant_service_assignments",
        "audit_log",
        "form_versions",
        "form_submissions",
        "tasks",
        "task_comments",
        "gateway_calls",
        "webhook_deliveries",
        "service_health",
        "service_health_checks",
        "health_rounds",
        "menu_layouts",
        "inti_versions",
        "account_tokens",
        "mail_outbox",
    ];
    let mut counts = Vec::new();
    for t in TABLES {
        let n = diesel::sql_query(format!("SELECT count(*) AS n FROM {t}"))
            .get_result::<CountRow>(&mut owner)
            .await
            .unwrap()
            .n;
        counts.push(n);
    }

    let mut conn = AsyncPgConnection::establish(&app_url(&app.db))
        .await
        .unwrap();
    // Each statement runs in its own transaction scoped to (A's admin, tenant A).
    let mut run = async |sql: String| -> Result<usize, String> {
        conn.transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(c, Scope::member(UserId(a_admin), TenantId(a))).await?;
            diesel::sql_query(sql.clone()).execute(c).await
        })
        .await
        .map_err(|e| e.to_string())
    };
    let deletes = [
        format!("DELETE FROM tenants WHERE id IN ('{a}', '{b}')"),
        "DELETE FROM users".to_string(),
        format!("DELETE FROM user_tenant_access WHERE tenant_id <> '{a}'"),
        "DELETE FROM roles WHERE tenant_id IS NULL".to_string(),
        "DELETE FROM role_permissions WHERE role_id IN (SELECT id FROM roles WHERE tenant_id IS NULL)".to_string(),
        format!("DELETE FROM auth_sessions WHERE tenant_id = '{b}'"),
        "DELETE FROM refresh_tokens".to_string(),
        "DELETE FROM services".to_string(),
        "DELETE FROM service_endpoints".to_string(),
        "DELETE FROM tenant_service_assignments".to_string(),
        "DELETE FROM audit_log".to_string(),
        "DELETE FROM invitations".to_string(),
        "DELETE FROM form_versions".to_string(),
        "DELETE FROM form_submissions".to_string(),
        "DELETE FROM tasks".to_string(),
        "DELETE FROM task_comments".to_string(),
        "DELETE FROM gateway_calls".to_string(),
        "DELETE FROM webhook_deliveries".to_string(),
        "DELETE FROM service_health".to_string(),
        "DELETE FROM service_health_checks".to_string(),
        "DELETE FROM health_rounds".to_string(),
        "DELETE FROM menu_layouts".to_string(),
        "DELETE FROM inti_versions".to_string(),
        "DELETE FROM notifications".to_string(),
        "DELETE FROM notification_preferences".to_string(),
    ];
    for sql in deletes {
        match run(sql.clone()).await {
            Ok(n) => assert_eq!(n, 0, "{sql} deleted {n} rows"),
            Err(e) => assert!(e.contains("permission denied"), "{sql}: {e}"),
        }
    }
    let inserts = [
        "INSERT INTO tenants (name, domain) VALUES ('Rogue', 'rogue-co')".to_string(),
        format!(
            "INSERT INTO users (email, password_hash, name, home_tenant_id) \
             VALUES ('rogue@x.io', '!unset', 'Rogue', '{b}')"
        ),
        format!(
            "INSERT INTO user_tenant_access (user_id, tenant_id, role_id) \
             VALUES ('{a_admin}', '{b}', '{system_role}')"
        ),
        format!("INSERT INTO roles (tenant_id, name, is_system) VALUES ('{b}', 'ROGUE', false)"),
        "INSERT INTO roles (tenant_id, name, is_system) VALUES (NULL, 'ROGUE', true)".to_string(),
        format!("INSERT INTO role_permissions (role_id, permission) VALUES ('{system_role}', 'tenant:create')"),
        format!(
            "INSERT INTO auth_sessions (user_id, tenant_id, kind, expires_at) \
             VALUES ('{a_admin}', '{b}', 'API', now() + interval '1 hour')"
        ),
        format!(
            "INSERT INTO auth_sessions (user_id, tenant_id, kind, expires_at) \
             VALUES ('{b_admin}', '{a}', 'API', now() + interval '1 hour')"
        ),
        format!(
            "INSERT INTO refresh_tokens (session_id, token_hash, expires_at) \
             VALUES ('{b_session}', decode(repeat('cd', 32), 'hex'), now() + interval '1 hour')"
        ),
        "INSERT INTO services (name, display_name, type) VALUES ('rogue', 'Rogue', 'INTERNAL')".to_string(),
        format!(
            "INSERT INTO service_endpoints (service_id, name, display_name, method, path) \
             VALUES ('{service}', 'x', 'X', 'POST', '/x')"
        ),
        format!("INSERT INTO tenant_service_assignments (tenant_id, service_id) VALUES ('{a}', '{service}')"),
        format!("INSERT INTO audit_log (tenant_id, action, outcome) VALUES ('{b}', 'auth.login', 'SUCCESS')"),
        format!(
            "INSERT INTO invitations (tenant_id, user_id, email, role_id) \
             VALUES ('{b}', '{a_admin}', 'x@y.io', '{system_role}')"
        ),
        format!(
            "INSERT INTO form_versions (service_id, version, schema, author_name) \
             VALUES ('{service}', 2, '{{}}', 'Rogue')"
        ),
        format!(
            "INSERT INTO form_submissions (tenant_id, service_id, form_version, values, submitted_by) \
             VALUES ('{b}', '{service}', 1, '{{}}', '{a_admin}')"
        ),
        format!("INSERT INTO tasks (tenant_id, title) VALUES ('{b}', 'Rogue')"),
        format!(
            "INSERT INTO task_comments (tenant_id, task_id, author_id, body) \
             VALUES ('{b}', '{b_task}', '{a_admin}', 'Rogue')"
        ),
        format!(
            "INSERT INTO gateway_calls (tenant_id, service_id, endpoint_name, method, path, status, \
             latency_ms, request_bytes, response_bytes, request_id) \
             VALUES ('{a}', '{service}', 'x', 'GET', '/x', 200, 1, 0, 0, 'forged')"
        ),
        format!(
            "INSERT INTO webhook_deliveries (service_id, delivery_id, payload) \
             VALUES ('{service}', 'forged', '{{}}')"
        ),
        format!(
            "INSERT INTO service_health_checks (service_id, ok, latency_ms) \
             VALUES ('{service}', false, 1)"
        ),
        format!(
            "INSERT INTO service_health (service_id, url, status) \
             VALUES ('{service}', 'http://x/health', 'UNHEALTHY') \
             ON CONFLICT (service_id) DO UPDATE SET status = 'UNHEALTHY'"
        ),
        format!(
            "INSERT INTO menu_layouts (tenant_id, version, operations, author_name) \
             VALUES ('{b}', 2, '[]', 'Rogue')"
        ),
        "INSERT INTO menu_layouts (tenant_id, version, operations, author_name) \
         VALUES (NULL, 2, '[]', 'Rogue')"
            .to_string(),
        format!(
            "INSERT INTO notifications (tenant_id, user_id, kind, title) \
             VALUES ('{b}', '{b_admin}', 'TASK_ASSIGNED', 'Forged')"
        ),
        format!(
            "INSERT INTO notification_preferences (user_id, kind, channel) \
             VALUES ('{b_admin}', 'TASK_COMMENT', 'OFF')"
        ),
    ];
    for sql in inserts {
        let err = run(sql.clone()).await.expect_err(&sql);
        assert!(err.contains("row-level security"), "{sql}: {err}");
    }
    // Tables the runtime role may not write at all.
    for sql in [
        "INSERT INTO health_rounds (id, started_at) VALUES (2, now())",
        "INSERT INTO inti_versions (name, version) VALUES ('rogue', 1)",
        "UPDATE inti_versions SET version = version + 1",
    ] {
        let err = run(sql.to_string()).await.expect_err(sql);
        assert!(err.contains("permission denied"), "{sql}: {err}");
    }
    // Updates beyond the scope change nothing, or are refused outright.
    let updates = [
        format!("UPDATE auth_sessions SET user_id = '{root}' WHERE tenant_id = '{a}'"),
        format!("UPDATE auth_sessions SET revoked_at = now() WHERE tenant_id = '{b}'"),
        "UPDATE refresh_tokens SET session_id = session_id".to_string(),
        format!("UPDATE users SET name = 'Hijacked' WHERE home_tenant_id <> '{a}'"),
        "UPDATE users SET email = 'x@evil.io'".to_string(),
        "UPDATE invitations SET status = 'ACCEPTED'".to_string(),
        format!("UPDATE invitations SET role_id = role_id WHERE user_id = '{a_admin}'"),
        "UPDATE roles SET description = 'x' WHERE tenant_id IS NULL".to_string(),
        "UPDATE role_permissions SET permission = '*'".to_string(),
        // A tenant admin renames their own tenant (`tenant:update`), never another.
        format!("UPDATE tenants SET name = 'Renamed' WHERE id = '{b}'"),
        "UPDATE notifications SET read_at = now()".to_string(),
        format!("UPDATE notification_preferences SET channel = 'OFF' WHERE user_id = '{b_admin}'"),
        format!("UPDATE user_tenant_access SET status = 'SUSPENDED' WHERE tenant_id = '{b}'"),
        "UPDATE services SET display_name = 'x'".to_string(),
        "UPDATE tenant_service_assignments SET status = 'SUSPENDED'".to_string(),
        "UPDATE tasks SET title = 'Hijacked'".to_string(),
        format!("UPDATE tasks SET tenant_id = '{b}'"),
        "UPDATE service_health SET status = 'UNHEALTHY'".to_string(),
        "UPDATE health_rounds SET started_at = now()".to_string(),
    ];
    for sql in updates {
        match run(sql.clone()).await {
            Ok(n) => assert_eq!(n, 0, "{sql} updated {n} rows"),
            Err(e) => assert!(
                e.contains("permission denied") || e.contains("row-level security"),
                "{sql}: {e}"
            ),
        }
    }
    // An account's password, address and standing, and services' sealed secrets, are out of
    // a tenant scope's reach even on its own rows: only the functions that own those flows
    // change them, and only platform work reads the ciphertexts.
    let refused = [
        format!("UPDATE users SET password_hash = 'x' WHERE id = '{a_admin}'"),
        format!("UPDATE users SET status = 'SUSPENDED' WHERE home_tenant_id = '{a}'"),
        format!("UPDATE users SET email = 'x@evil.io' WHERE id = '{a_admin}'"),
        format!("UPDATE users SET email_verified = true WHERE id = '{a_admin}'"),
        "SELECT api_key_ciphertext FROM services".to_string(),
        "SELECT webhook_secret_ciphertext FROM services".to_string(),
        "SELECT * FROM services".to_string(),
        "SELECT * FROM inti_service_secrets(NULL)".to_string(),
        // A queued message's body may hold someone's one-time link.
        "SELECT body FROM mail_outbox".to_string(),
        "SELECT * FROM inti_mail_bodies(ARRAY[1::bigint])".to_string(),
        // A tenant creates accounts only without a password (invitations).
        format!(
            "INSERT INTO users (email, password_hash, name, home_tenant_id) \
             VALUES ('chosen@a.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'X', '{a}')"
        ),
        format!("SELECT inti_set_password('{root}', 'x')"),
        format!("SELECT inti_set_email('{a_admin}', 'x@evil.io')"),
        format!("SELECT inti_set_account_status('{a_admin}', 'SUSPENDED')"),
        // Its own tenant's limits, tier, status, domain and type are the platform's.
        format!("UPDATE tenants SET max_users = 100000 WHERE id = '{a}'"),
        format!("UPDATE tenants SET subscription_tier = 'ENTERPRISE' WHERE id = '{a}'"),
        format!("UPDATE tenants SET status = 'SUSPENDED' WHERE id = '{a}'"),
        format!("UPDATE tenants SET domain = 'stolen' WHERE id = '{a}'"),
        format!(
            "INSERT INTO account_tokens (user_id, purpose, token_hash, email, expires_at) \
             VALUES ('{root}', 'PASSWORD_RESET', '\\x00', 'superadmin@core.com', now() + interval '1 hour')"
        ),
    ];
    for sql in &refused {
        let err = run(sql.clone()).await.expect_err(sql);
        assert!(
            err.contains("permission denied") || err.contains("row-level security"),
            "{sql}: {err}"
        );
    }
    // The registry itself stays readable, and the account sets its own password.
    assert!(run("SELECT id, name, display_name FROM services".into())
        .await
        .is_ok());
    assert_eq!(
        run(format!("SELECT inti_set_password('{a_admin}', 'x')"))
            .await
            .unwrap(),
        1
    );

    let hijacked = diesel::sql_query("SELECT count(*) AS n FROM users WHERE name = 'Hijacked'")
        .get_result::<CountRow>(&mut owner)
        .await
        .unwrap()
        .n;
    assert_eq!(hijacked, 0);

    for (t, before) in TABLES.iter().zip(counts) {
        let n = diesel::sql_query(format!("SELECT count(*) AS n FROM {t}"))
            .get_result::<CountRow>(&mut owner)
            .await
            .unwrap()
            .n;
        assert_eq!(n, before, "{t} changed");
    }

    // Nothing is visible without a scope, on any table.
    for t in TABLES {
        let n = diesel::sql_query(format!("SELECT count(*) AS n FROM {t}"))
            .get_result::<CountRow>(&mut conn)
            .await
            .unwrap()
            .n;
        let visible_anyway = match t {
            "roles" | "role_permissions" | "inti_versions" => true,
            // The global layout only, which every menu reads.
            "menu_layouts" => n == 1,
            _ => false,
        };
        assert!(n == 0 || visible_anyway, "{t}: {n} rows without a scope");
    }

    // Tenant B's gateway call is not tenant A's to read, nor are probes or deliveries.
    for t in [
        "gateway_calls",
        "webhook_deliveries",
        "service_health_checks",
    ] {
        let n = conn
            .transaction::<_, diesel::result::Error, _>(async |c| {
                set_scope(c, Scope::member(UserId(a_admin), TenantId(a))).await?;
                diesel::sql_query(format!("SELECT count(*) AS n FROM {t}"))
                    .get_result::<CountRow>(c)
                    .await
            })
            .await
            .unwrap()
            .n;
        assert_eq!(n, 0, "{t} seen from tenant A");
    }
    // Tenant A reads the global menu layout, never B's.
    let layouts = conn
        .transaction::<_, diesel::result::Error, _>(async |c| {
            set_scope(c, Scope::member(UserId(a_admin), TenantId(a))).await?;
            diesel::sql_query(format!(
                "SELECT count(*) AS n FROM menu_layouts WHERE tenant_id IS NULL OR tenant_id = '{b}'"
            ))
            .get_result::<CountRow>(c)
            .await
        })
        .await
        .unwrap()
        .n;
    assert_eq!(layouts, 1, "tenant A sees the global layout only");
}
