//! `inti seed-load`: realistic generated data for benchmarks. Tenants, services with menu
//! schemas, assignments (some suspended, some with menu changes), a MEMBER role per tenant
//! for its services, users with grants (some in a second tenant, some expiring), and
//! layouts, in one set-based statement per step (PostgreSQL generates the rows), with one
//! shared password hashed once. Idempotent: rows that exist (by domain, name or email) are
//! kept.

use std::time::Instant;

use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::{
    domain::error::AppError,
    server::{
        auth::password,
        db::scope::{scoped, Scope},
        secret::Secret,
        state::AppState,
    },
};

#[derive(Debug, Clone, Copy)]
pub struct LoadSize {
    pub tenants: i64,
    pub services: i64,
    pub users: i64,
}

/// Services assigned to each tenant (at most the number of services).
const ASSIGNED_PER_TENANT: i64 = 12;

pub async fn seed(state: &AppState, size: LoadSize, password: &Secret) -> Result<(), AppError> {
    let started = Instant::now();
    let hash = password::hash(password).await?;
    let step = |name: &str, rows: usize, since: Instant| {
        println!(
            "  {name:<28} {rows:>9} rows  {:>7.1} s",
            since.elapsed().as_secs_f64()
        );
    };
    println!(
        "Generating {} tenants, {} services, {} users:",
        size.tenants, size.services, size.users
    );
    let steps: [(&str, &str); 10] = [
        ("tenants", TENANTS),
        ("services", SERVICES),
        ("assignments", ASSIGNMENTS),
        ("member roles", MEMBER_ROLES),
        ("member permissions", MEMBER_PERMISSIONS),
        ("users", USERS),
        ("home grants", HOME_GRANTS),
        ("second-tenant grants", SECOND_GRANTS),
        ("tenant layouts", TENANT_LAYOUTS),
        ("global layout", GLOBAL_LAYOUT),
    ];
    for (name, sql) in steps {
        let since = Instant::now();
        let rows = scoped(&state.db, Scope::platform(), async |c| {
            run(c, sql, size, &hash).await
        })
        .await?;
        step(name, rows, since);
    }
    println!(
        "Done in {:.1} s. Users sign in as load-user-<n>@load.example with the given password.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn run(
    c: &mut AsyncPgConnection,
    sql: &str,
    size: LoadSize,
    hash: &str,
) -> Result<usize, AppError> {
    Ok(diesel::sql_query(sql)
        .bind::<BigInt, _>(size.tenants)
        .bind::<BigInt, _>(size.services)
        .bind::<BigInt, _>(size.users)
        .bind::<Text, _>(hash)
        .bind::<BigInt, _>(ASSIGNED_PER_TENANT.min(size.services))
        .execute(c)
        .await?)
}

// Every statement takes the same parameters: $1 tenants, $2 services, $3 users, $4 the
// password hash, $5 services per tenant. Unused ones are referenced harmlessly so that
// PostgreSQL can type them.

const TENANTS: &str = "
INSERT INTO tenants (name, domain, type, subscription_tier, max_users)
SELECT 'Load Tenant ' || g, 'load-' || g, 'BUSINESS',
       (ARRAY['STARTER','PROFESSIONAL','ENTERPRISE'])[1 + g % 3], 100000
FROM generate_series(1, $1::bigint) g
WHERE $2::bigint >= 0 AND $3::bigint >= 0 AND $4::text IS NOT NULL AND $5::bigint >= 0
ON CONFLICT (domain) DO NOTHING";

const SERVICES: &str = "
INSERT INTO services (name, display_name, description, type, category, status, visibility, base_url, menu_schema)
SELECT 'load-svc-' || g, 'Load Service ' || g, 'Generated for benchmarks',
       CASE WHEN g % 4 = 0 THEN 'EXTERNAL' ELSE 'INTERNAL' END,
       (ARRAY['productivity','messaging','finance','sales'])[1 + g % 4],
       CASE WHEN g % 25 = 0 THEN 'MAINTENANCE' ELSE 'ACTIVE' END,
       CASE WHEN g % 10 = 0 THEN 'PUBLIC' WHEN g % 10 = 1 THEN 'RESTRICTED' ELSE 'PRIVATE' END,
       CASE WHEN g % 4 = 0 THEN 'https://svc-' || g || '.example.com' END,
       jsonb_build_object('items', jsonb_build_array(
         jsonb_build_object('name', 'Overview', 'path', '/svc' || g, 'icon', 'dashboard',
                            'permission', 'svc' || g || ':read'),
         jsonb_build_object('name', 'Records', 'path', '/svc' || g || '/records', 'icon', 'list',
                            'permission', 'svc' || g || ':read',
           'children', jsonb_build_array(
             jsonb_build_object('name', 'New record', 'path', '/svc' || g || '/records/new',
                                'icon', 'add', 'permission', 'svc' || g || ':create'))),
         jsonb_build_object('name', 'Settings', 'path', '/svc' || g || '/settings', 'icon', 'settings',
                            'permission', 'svc' || g || ':admin')))
FROM generate_series(1, $2::bigint) g
WHERE $1::bigint >= 0 AND $3::bigint >= 0 AND $4::text IS NOT NULL AND $5::bigint >= 0
ON CONFLICT (name) DO NOTHING";

// Each tenant gets $5 services, chosen by a hash of the pair; one in twenty is suspended,
// one in ten renames its service's group.
const ASSIGNMENTS: &str = "
INSERT INTO tenant_service_assignments (tenant_id, service_id, status, custom_menu_config)
SELECT t.id, s.id,
       CASE WHEN abs(hashtext(t.domain || s.name)) % 20 = 0 THEN 'SUSPENDED' ELSE 'ACTIVE' END,
       CASE WHEN abs(hashtext(s.name || t.domain)) % 10 = 0 THEN
         jsonb_build_object('operations', jsonb_build_array(
           jsonb_build_object('op', 'rename', 'id', s.name, 'name', s.display_name || ' (' || t.name || ')')))
       END
FROM tenants t
CROSS JOIN LATERAL (
  SELECT id, name, display_name FROM services
  WHERE name ~ '^load-svc-[0-9]+$'
  ORDER BY hashtext(t.domain || name)
  LIMIT $5::bigint
) s
WHERE t.domain ~ '^load-[0-9]+$'
  AND $1::bigint >= 0 AND $2::bigint >= 0 AND $3::bigint >= 0 AND $4::text IS NOT NULL
ON CONFLICT (tenant_id, service_id) DO NOTHING";

// Each tenant's MEMBER role reads and creates in the services the tenant has, and may use
// the RESTRICTED ones among them.
const MEMBER_ROLES: &str = "
INSERT INTO roles (tenant_id, name, description)
SELECT t.id, 'MEMBER', 'Works with the tenant''s services (generated)'
FROM tenants t
WHERE t.domain ~ '^load-[0-9]+$'
  AND $1::bigint >= 0 AND $2::bigint >= 0 AND $3::bigint >= 0 AND $4::text IS NOT NULL AND $5::bigint >= 0
ON CONFLICT (tenant_id, name) DO NOTHING";

const MEMBER_PERMISSIONS: &str = "
INSERT INTO role_permissions (role_id, permission)
SELECT r.id, p.permission
FROM roles r
JOIN tenant_service_assignments a ON a.tenant_id = r.tenant_id
JOIN services s ON s.id = a.service_id AND s.name ~ '^load-svc-[0-9]+$'
CROSS JOIN LATERAL (VALUES
  ('svc' || split_part(s.name, '-', 3) || ':read'),
  ('svc' || split_part(s.name, '-', 3) || ':create'),
  (CASE WHEN s.visibility = 'RESTRICTED' THEN 'service:access:' || s.name END)
) AS p (permission)
WHERE r.name = 'MEMBER' AND p.permission IS NOT NULL
  AND $1::bigint >= 0 AND $2::bigint >= 0 AND $3::bigint >= 0 AND $4::text IS NOT NULL AND $5::bigint >= 0
ON CONFLICT DO NOTHING";

const USERS: &str = "
WITH t AS (
  SELECT id, row_number() OVER (ORDER BY domain) AS n FROM tenants WHERE domain ~ '^load-[0-9]+$'
)
INSERT INTO users (email, password_hash, name, home_tenant_id, current_tenant_id, email_verified)
SELECT 'load-user-' || g || '@load.example', $4::text, 'Load User ' || g, t.id, t.id, true
FROM generate_series(1, $3::bigint) g
JOIN t ON t.n = 1 + (g - 1) % $1::bigint
WHERE $2::bigint >= 0 AND $5::bigint >= 0
ON CONFLICT (email) DO NOTHING";

// The first user of each tenant administers it; the others are members.
const HOME_GRANTS: &str = "
INSERT INTO user_tenant_access (user_id, tenant_id, role_id)
SELECT u.id, u.home_tenant_id,
       CASE WHEN split_part(split_part(u.email, '@', 1), '-', 3)::bigint <= $1::bigint
            THEN (SELECT id FROM roles WHERE tenant_id IS NULL AND name = 'TENANT_ADMIN')
            ELSE (SELECT id FROM roles r WHERE r.tenant_id = u.home_tenant_id AND r.name = 'MEMBER') END
FROM users u
WHERE u.email LIKE 'load-user-%@load.example'
  AND $2::bigint >= 0 AND $3::bigint >= 0 AND $4::text IS NOT NULL AND $5::bigint >= 0
ON CONFLICT (tenant_id, user_id) DO NOTHING";

// One user in ten also works in the next tenant; half of those grants expire in a month.
const SECOND_GRANTS: &str = "
WITH t AS (
  SELECT id, row_number() OVER (ORDER BY domain) AS n FROM tenants WHERE domain ~ '^load-[0-9]+$'
), u AS (
  SELECT id, split_part(split_part(email, '@', 1), '-', 3)::bigint AS g
  FROM users WHERE email LIKE 'load-user-%@load.example'
)
INSERT INTO user_tenant_access (user_id, tenant_id, role_id, expires_at)
SELECT u.id, t.id, (SELECT id FROM roles r WHERE r.tenant_id = t.id AND r.name = 'MEMBER'),
       CASE WHEN u.g % 20 = 0 THEN now() + interval '30 days' END
FROM u JOIN t ON t.n = 1 + u.g % $1::bigint
WHERE u.g % 10 = 0 AND $1::bigint > 1
  AND $2::bigint >= 0 AND $3::bigint >= 0 AND $4::text IS NOT NULL AND $5::bigint >= 0
ON CONFLICT (tenant_id, user_id) DO NOTHING";

// Every third tenant has arranged its menu: Dashboard renamed, audit hidden, a help link.
const TENANT_LAYOUTS: &str = "
INSERT INTO menu_layouts (tenant_id, version, operations, author_name)
SELECT t.id, 1, jsonb_build_object('operations', jsonb_build_array(
         jsonb_build_object('op', 'rename', 'id', 'core.dashboard', 'name', 'Home'),
         jsonb_build_object('op', 'hide', 'id', 'core.audit'),
         jsonb_build_object('op', 'addLink', 'id', 'custom.help', 'name', 'Help',
                            'url', 'https://help.example.com/' || t.domain, 'position', 5))),
       'Load generator'
FROM tenants t
WHERE t.domain ~ '^load-[0-9]+$' AND abs(hashtext(t.domain)) % 3 = 0
  AND $1::bigint >= 0 AND $2::bigint >= 0 AND $3::bigint >= 0 AND $4::text IS NOT NULL AND $5::bigint >= 0
ON CONFLICT ON CONSTRAINT menu_layouts_version_unique DO NOTHING";

const GLOBAL_LAYOUT: &str = "
INSERT INTO menu_layouts (tenant_id, version, operations, author_name)
SELECT NULL, 1, jsonb_build_object('operations', jsonb_build_array(
         jsonb_build_object('op', 'icon', 'id', 'core.services', 'icon', 'app'))),
       'Load generator'
WHERE $1::bigint >= 0 AND $2::bigint >= 0 AND $3::bigint >= 0 AND $4::text IS NOT NULL AND $5::bigint >= 0
ON CONFLICT ON CONSTRAINT menu_layouts_version_unique DO NOTHING";
