-- Inti's data model: the seed document's schema ported to PostgreSQL.
-- Enumerations are text with CHECK constraints (readable, and cheap to extend in a migration).
-- Tenant-scoped tables carry tenant_id and key on it, so the schema can be distributed by tenant.

CREATE FUNCTION inti_set_updated_at() RETURNS trigger AS $$
BEGIN
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TABLE tenants (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name              varchar(255) NOT NULL CHECK (length(btrim(name)) > 0),
  domain            varchar(63) NOT NULL UNIQUE
                    CHECK (domain ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  type              text NOT NULL DEFAULT 'BUSINESS' CHECK (type IN ('CORE', 'BUSINESS')),
  subscription_tier text NOT NULL DEFAULT 'STARTER'
                    CHECK (subscription_tier IN ('STARTER', 'PROFESSIONAL', 'ENTERPRISE')),
  status            text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE', 'SUSPENDED')),
  settings          jsonb NOT NULL DEFAULT '{}'::jsonb,
  max_users         integer NOT NULL DEFAULT 10 CHECK (max_users > 0),
  parent_tenant_id  uuid REFERENCES tenants (id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_tenant_type ON tenants (type);
CREATE INDEX idx_tenant_status ON tenants (status);
-- There is exactly one platform tenant.
CREATE UNIQUE INDEX idx_tenant_single_core ON tenants ((true)) WHERE type = 'CORE';
CREATE TRIGGER tenants_updated_at BEFORE UPDATE ON tenants
  FOR EACH ROW EXECUTE FUNCTION inti_set_updated_at();

CREATE TABLE users (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email               varchar(255) NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
  password_hash       varchar(255) NOT NULL,
  name                varchar(255) NOT NULL CHECK (length(btrim(name)) > 0),
  home_tenant_id      uuid NOT NULL REFERENCES tenants (id),
  current_tenant_id   uuid REFERENCES tenants (id) ON DELETE SET NULL,
  status              text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE', 'SUSPENDED')),
  email_verified      boolean NOT NULL DEFAULT false,
  profile             jsonb NOT NULL DEFAULT '{}'::jsonb,
  preferences         jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_login_at       timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  two_factor_enabled  boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_user_home_tenant ON users (home_tenant_id);
CREATE INDEX idx_user_current_tenant ON users (current_tenant_id);
CREATE INDEX idx_user_status ON users (status);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION inti_set_updated_at();

-- Roles: system roles (tenant_id NULL: SUPER_ADMIN, TENANT_ADMIN, USER) and a tenant's custom roles.
CREATE TABLE roles (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid REFERENCES tenants (id) ON DELETE CASCADE,
  name        varchar(64) NOT NULL CHECK (name ~ '^[A-Z][A-Z0-9_]{0,63}$'),
  description text NOT NULL DEFAULT '',
  is_system   boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (is_system = (tenant_id IS NULL)),
  UNIQUE NULLS NOT DISTINCT (tenant_id, name)
);
CREATE TRIGGER roles_updated_at BEFORE UPDATE ON roles
  FOR EACH ROW EXECUTE FUNCTION inti_set_updated_at();

-- Permission strings are resource:action[:scope]; the grammar is enforced again in the domain layer.
CREATE TABLE role_permissions (
  role_id    uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  permission varchar(200) NOT NULL
             CHECK (permission ~ '^(\*|[a-z][a-z0-9_-]*)(:(\*|[a-z][a-z0-9_-]*)){0,2}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (role_id, permission)
);

CREATE TABLE user_tenant_access (
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id            uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  role_id            uuid NOT NULL REFERENCES roles (id),
  status             text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE', 'SUSPENDED')),
  granted_by         uuid REFERENCES users (id) ON DELETE SET NULL,
  granted_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz,
  tenant_preferences jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT unique_user_tenant UNIQUE (tenant_id, user_id)
);
CREATE INDEX idx_user_access_user ON user_tenant_access (user_id);
CREATE INDEX idx_user_access_role ON user_tenant_access (role_id);
CREATE TRIGGER user_tenant_access_updated_at BEFORE UPDATE ON user_tenant_access
  FOR EACH ROW EXECUTE FUNCTION inti_set_updated_at();

CREATE TABLE services (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                 varchar(255) NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9-]{1,62}$'),
  display_name         varchar(255) NOT NULL CHECK (length(btrim(display_name)) > 0),
  description          text,
  type                 text NOT NULL CHECK (type IN ('INTERNAL', 'EXTERNAL')),
  category             varchar(100),
  status               text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE', 'MAINTENANCE')),
  visibility           text NOT NULL DEFAULT 'PRIVATE' CHECK (visibility IN ('PUBLIC', 'PRIVATE', 'RESTRICTED')),
  base_url             varchar(500),
  api_key_required     boolean NOT NULL DEFAULT false,
  -- External services' API keys, encrypted by the application (never stored in clear).
  api_key_ciphertext   bytea,
  auth_type            text NOT NULL DEFAULT 'NONE' CHECK (auth_type IN ('NONE', 'API_KEY', 'JWT', 'OAUTH')),
  health_check_url     varchar(500),
  form_schema          jsonb,
  menu_schema          jsonb,
  version              varchar(50) NOT NULL DEFAULT '1.0.0',
  documentation_url    varchar(500),
  contact_email        varchar(255),
  registered_by        uuid REFERENCES users (id) ON DELETE SET NULL,
  registered_tenant_id uuid REFERENCES tenants (id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (type = 'INTERNAL' OR base_url IS NOT NULL)
);
CREATE INDEX idx_service_type ON services (type);
CREATE INDEX idx_service_status ON services (status);
CREATE INDEX idx_service_visibility ON services (visibility);
CREATE INDEX idx_service_category ON services (category);
CREATE TRIGGER services_updated_at BEFORE UPDATE ON services
  FOR EACH ROW EXECUTE FUNCTION inti_set_updated_at();

CREATE TABLE service_endpoints (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id           uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  name                 varchar(255) NOT NULL,
  display_name         varchar(255) NOT NULL,
  description          text,
  method               text NOT NULL CHECK (method IN ('GET', 'POST', 'PUT', 'DELETE', 'PATCH')),
  path                 varchar(500) NOT NULL CHECK (path LIKE '/%'),
  request_schema       jsonb,
  response_schema      jsonb,
  requires_auth        boolean NOT NULL DEFAULT true,
  required_permissions jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(required_permissions) = 'array'),
  rate_limit           integer NOT NULL DEFAULT 100 CHECK (rate_limit > 0),
  timeout_ms           integer NOT NULL DEFAULT 30000 CHECK (timeout_ms BETWEEN 1 AND 300000),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT unique_service_endpoint UNIQUE (service_id, method, path)
);
CREATE INDEX idx_endpoint_method ON service_endpoints (method);
CREATE TRIGGER service_endpoints_updated_at BEFORE UPDATE ON service_endpoints
  FOR EACH ROW EXECUTE FUNCTION inti_set_updated_at();

CREATE TABLE tenant_service_assignments (
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  service_id         uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  status             text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE', 'SUSPENDED')),
  custom_settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
  custom_menu_config jsonb,
  assigned_by        uuid REFERENCES users (id) ON DELETE SET NULL,
  assigned_at        timestamptz NOT NULL DEFAULT now(),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT unique_tenant_service UNIQUE (tenant_id, service_id)
);
CREATE INDEX idx_assignment_service ON tenant_service_assignments (service_id);
CREATE TRIGGER tenant_service_assignments_updated_at BEFORE UPDATE ON tenant_service_assignments
  FOR EACH ROW EXECUTE FUNCTION inti_set_updated_at();

-- One row per login (browser session or API token family), scoped to the tenant it acts in.
CREATE TABLE auth_sessions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('WEB', 'API')),
  client_ip      varchar(64),
  user_agent     varchar(512),
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason varchar(64)
);
CREATE INDEX idx_auth_session_user ON auth_sessions (user_id);
CREATE INDEX idx_auth_session_tenant ON auth_sessions (tenant_id);

-- Refresh tokens are stored only as SHA-256 hashes; a session is the token family.
CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id  uuid NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
  token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  rotated_at  timestamptz
);
CREATE INDEX idx_refresh_token_session ON refresh_tokens (session_id);

CREATE TABLE audit_log (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at   timestamptz NOT NULL DEFAULT now(),
  tenant_id     uuid REFERENCES tenants (id) ON DELETE SET NULL,
  actor_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  action        varchar(64) NOT NULL,
  outcome       text NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE')),
  target_type   varchar(64),
  target_id     varchar(255),
  client_ip     varchar(64),
  details       jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX idx_audit_tenant_time ON audit_log (tenant_id, occurred_at DESC);
CREATE INDEX idx_audit_actor ON audit_log (actor_user_id);
CREATE INDEX idx_audit_action ON audit_log (action);

-- System roles every deployment has.
INSERT INTO roles (name, description, is_system) VALUES
  ('SUPER_ADMIN', 'Platform administrator: every permission in every tenant', true),
  ('TENANT_ADMIN', 'Administers one tenant: its users, roles, assigned services and menus', true),
  ('USER', 'Uses the services assigned to the tenant', true);
INSERT INTO role_permissions (role_id, permission)
  SELECT id, '*' FROM roles WHERE name = 'SUPER_ADMIN' AND tenant_id IS NULL;
INSERT INTO role_permissions (role_id, permission)
  SELECT r.id, p.permission FROM roles r,
    (VALUES ('tenant:read'), ('tenant:update'), ('user:manage'), ('user:read'), ('role:manage'),
            ('role:read'), ('service:read'), ('menu:read'), ('menu:create'), ('menu:update'),
            ('audit:read'), ('dashboard:view')) AS p (permission)
  WHERE r.name = 'TENANT_ADMIN' AND r.tenant_id IS NULL;
INSERT INTO role_permissions (role_id, permission)
  SELECT r.id, p.permission FROM roles r,
    (VALUES ('dashboard:view'), ('menu:read'), ('service:read'), ('tenant:read')) AS p (permission)
  WHERE r.name = 'USER' AND r.tenant_id IS NULL;
