//! The schema stays ready for distribution by tenant (docs/scaling.md): every table of one
//! tenant's rows has `tenant_id` first in its primary key and in every foreign key that
//! points at it, and every other table is named below with the reason it is not.
#![cfg(feature = "ssr")]

mod common;

use common::TestDb;
use diesel::sql_types::{Bool, Text};
use diesel_async::RunQueryDsl;

/// Tables not distributed by tenant, and why (docs/scaling.md says where each goes).
const NOT_BY_TENANT: &[(&str, &str)] = &[
    ("__diesel_schema_migrations", "the migrations applied"),
    ("tenants", "the tenants themselves: a reference table"),
    (
        "users",
        "people, who reach several tenants: a reference table",
    ),
    (
        "auth_sessions",
        "a person's session; its tenant_id is the current one and changes on a switch",
    ),
    ("refresh_tokens", "belong to a session"),
    ("account_tokens", "one-time links of a person"),
    (
        "user_totp",
        "a person's authenticator secret, theirs in every tenant",
    ),
    (
        "user_recovery_codes",
        "a person's recovery codes, theirs in every tenant",
    ),
    (
        "roles",
        "system roles (no tenant) and tenant roles: small, a reference table",
    ),
    ("role_permissions", "belong to roles"),
    ("services", "the platform's registry: a reference table"),
    ("service_endpoints", "belong to services"),
    ("form_versions", "belong to services"),
    ("service_health", "the registry's health"),
    ("service_health_checks", "the registry's health history"),
    ("health_rounds", "the prober's lock"),
    (
        "webhook_deliveries",
        "deliveries of a service's webhook, before a tenant is known",
    ),
    (
        "menu_layouts",
        "the global layout (no tenant) and each tenant's: small, a reference table",
    ),
    (
        "audit_log",
        "platform and tenant events (tenant_id may be empty): kept on the coordinator",
    ),
    (
        "mail_outbox",
        "mail of platform and tenant events (tenant_id may be empty): the coordinator",
    ),
    ("inti_versions", "the schema's own bookkeeping"),
    (
        "notification_preferences",
        "a person's own choices, the same in every tenant",
    ),
];

#[derive(diesel::QueryableByName, Debug)]
struct Table {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    by_tenant: bool,
}

#[derive(diesel::QueryableByName, Debug)]
struct Key {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    first_column: String,
}

#[tokio::test(flavor = "multi_thread")]
async fn tenant_tables_are_keyed_by_tenant_first() {
    let db = TestDb::migrated().await;
    let mut conn = db.conn().await;
    // A table holds one tenant's rows when it has a tenant_id that is never empty.
    let tables: Vec<Table> = diesel::sql_query(
        "SELECT c.relname::text AS name, \
                EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid \
                        AND a.attname = 'tenant_id' AND a.attnotnull) AS by_tenant \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let listed = |name: &str| NOT_BY_TENANT.iter().any(|(t, _)| *t == name);
    for (name, _) in NOT_BY_TENANT {
        assert!(
            tables.iter().any(|t| t.name == *name),
            "NOT_BY_TENANT names {name}, which no longer exists"
        );
    }
    let unclassified: Vec<&str> = tables
        .iter()
        .filter(|t| !t.by_tenant && !listed(&t.name))
        .map(|t| t.name.as_str())
        .collect();
    assert!(
        unclassified.is_empty(),
        "tables without a NOT NULL tenant_id must be listed in NOT_BY_TENANT with a reason: {unclassified:?}"
    );

    // Primary keys of the tenant tables, and foreign keys pointing at them: first column.
    let keys: Vec<Key> = diesel::sql_query(
        "SELECT k.conrelid::regclass::text AS table_name, k.conname::text AS key, \
                a.attname::text AS first_column \
         FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] \
         WHERE k.contype = 'p' \
         UNION ALL \
         SELECT f.confrelid::regclass::text, f.conname::text || ' (from ' || f.conrelid::regclass::text || ')', \
                a.attname::text \
         FROM pg_constraint f JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = f.confkey[1] \
         WHERE f.contype = 'f'",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let tenant_tables: Vec<&str> = tables
        .iter()
        .filter(|t| t.by_tenant && !listed(&t.name))
        .map(|t| t.name.as_str())
        .collect();
    assert!(tenant_tables.contains(&"tasks") && tenant_tables.contains(&"gateway_calls"));
    let wrong: Vec<String> = keys
        .iter()
        .filter(|k| tenant_tables.contains(&k.table_name.as_str()) && k.first_column != "tenant_id")
        .map(|k| format!("{}: {} starts with {}", k.table_name, k.key, k.first_column))
        .collect();
    assert!(
        wrong.is_empty(),
        "keys of tenant tables must start with tenant_id: {wrong:?}"
    );
    // Every tenant table has a primary key at all.
    for table in &tenant_tables {
        assert!(
            keys.iter()
                .any(|k| k.table_name == *table && k.key.ends_with("_pkey")),
            "{table} has no primary key"
        );
    }
}
