//! Tenant isolation enforced by PostgreSQL row-level security, checked as the server's role.
#![cfg(feature = "ssr")]

mod common;

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
         JOIN information_schema.columns col ON col.table_name = c.relname AND col.column_name = 'tenant_id' \
         WHERE c.relkind = 'r' AND col.table_schema = 'public' \
         AND NOT (c.relrowsecurity AND c.relforcerowsecurity)",
    )
    .load(&mut app_conn)
    .await
    .unwrap();
    let unprotected: Vec<String> = unprotected.into_iter().map(|u| u.table_name).collect();
    assert!(
        unprotected.is_empty(),
        "tables with tenant_id but no forced RLS: {unprotected:?}"
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
                    tenant_id: Some(a),
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
                    tenant_id: Some(a),
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
                    tenant_id: Some(a),
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
                            tenant_id: Some(t),
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
