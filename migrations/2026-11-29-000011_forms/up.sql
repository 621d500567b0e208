-- Forms (issue 9): every saved version of a service's form schema (the form builder saves a
-- new one; registering or updating a service's formSchema does too), the current version on
-- the service, and the submissions that an internal service without a handler of its own keeps.
ALTER TABLE services ADD COLUMN form_version integer NOT NULL DEFAULT 0 CHECK (form_version >= 0);

CREATE TABLE form_versions (
  service_id    uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  version       integer NOT NULL CHECK (version > 0),
  schema        jsonb NOT NULL,
  note          varchar(500),
  author_id     uuid REFERENCES users(id) ON DELETE SET NULL,
  author_name   varchar(255) NOT NULL,
  -- A restore saves an earlier version's schema again, as a new version.
  restored_from integer,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service_id, version)
);

-- The registry's forms as they stand become version 1.
INSERT INTO form_versions (service_id, version, schema, note, author_id, author_name)
  SELECT id, 1, form_schema, 'As registered', registered_by, 'registry'
    FROM services WHERE form_schema IS NOT NULL;
UPDATE services SET form_version = 1 WHERE form_schema IS NOT NULL;

-- Like the registry: a tenant or platform scope reads the versions; only platform work
-- writes them.
ALTER TABLE form_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE form_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY form_versions_read ON form_versions FOR SELECT
  USING (inti_all_tenants() OR inti_current_tenant() IS NOT NULL);
CREATE POLICY form_versions_insert ON form_versions FOR INSERT WITH CHECK (inti_all_tenants());
GRANT SELECT, INSERT ON form_versions TO inti_app;

CREATE TABLE form_submissions (
  tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  service_id   uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  form_version integer NOT NULL,
  -- Password fields are never stored.
  values       jsonb NOT NULL,
  submitted_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX idx_form_submissions_list
  ON form_submissions (tenant_id, service_id, submitted_by, created_at DESC);

-- A tenant's submissions are its own.
ALTER TABLE form_submissions ENABLE ROW LEVEL SECURITY;
ALTER TABLE form_submissions FORCE ROW LEVEL SECURITY;
CREATE POLICY form_submissions_read ON form_submissions FOR SELECT
  USING (tenant_id = inti_current_tenant() OR inti_all_tenants());
-- Written by its submitter, in their current tenant.
CREATE POLICY form_submissions_insert ON form_submissions FOR INSERT
  WITH CHECK (tenant_id = inti_current_tenant() AND submitted_by = inti_current_user());
GRANT SELECT, INSERT ON form_submissions TO inti_app;
