-- Health checks (issue 11): each service's current health as the prober judged it, and every
-- probe for the history and the 24-hour availability. Written only in platform scope (the
-- prober); read by every tenant scope, as services are (menus and service pages show a
-- service that is down).
CREATE TABLE service_health (
  service_id   uuid PRIMARY KEY REFERENCES services(id) ON DELETE CASCADE,
  -- The health URL it was judged on: a new URL starts again from UNKNOWN.
  url          varchar(500) NOT NULL,
  status       varchar(20) NOT NULL CHECK (status IN ('UNKNOWN', 'HEALTHY', 'UNHEALTHY')),
  -- Consecutive results of one kind (Kong's counters): one of them is 0.
  successes    integer NOT NULL DEFAULT 0 CHECK (successes >= 0),
  failures     integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  since        timestamptz NOT NULL DEFAULT now(),
  checked_at   timestamptz NOT NULL DEFAULT now(),
  last_error   varchar(200)
);

CREATE TABLE service_health_checks (
  id           bigserial PRIMARY KEY,
  service_id   uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  checked_at   timestamptz NOT NULL DEFAULT now(),
  ok           boolean NOT NULL,
  status_code  smallint,
  latency_ms   integer NOT NULL CHECK (latency_ms >= 0),
  error        varchar(200)
);
CREATE INDEX idx_service_health_checks_service ON service_health_checks (service_id, checked_at DESC);
CREATE INDEX idx_service_health_checks_age ON service_health_checks (checked_at);

-- When a node last claimed a probing round (one row): a node claims one only when the last is
-- at least half an interval old, on the database's clock, so that nodes whose clocks differ
-- still probe once per interval between them.
CREATE TABLE health_rounds (
  id          smallint PRIMARY KEY CHECK (id = 1),
  started_at  timestamptz NOT NULL
);
INSERT INTO health_rounds (id, started_at) VALUES (1, '-infinity');
ALTER TABLE health_rounds ENABLE ROW LEVEL SECURITY;
ALTER TABLE health_rounds FORCE ROW LEVEL SECURITY;
CREATE POLICY health_rounds_read ON health_rounds FOR SELECT USING (inti_all_tenants());
CREATE POLICY health_rounds_claim ON health_rounds FOR UPDATE
  USING (inti_all_tenants()) WITH CHECK (inti_all_tenants());
GRANT SELECT, UPDATE ON health_rounds TO inti_app;

ALTER TABLE service_health ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_health FORCE ROW LEVEL SECURITY;
CREATE POLICY service_health_read ON service_health FOR SELECT
  USING (inti_all_tenants() OR inti_current_tenant() IS NOT NULL);
CREATE POLICY service_health_insert ON service_health FOR INSERT WITH CHECK (inti_all_tenants());
CREATE POLICY service_health_update ON service_health FOR UPDATE
  USING (inti_all_tenants()) WITH CHECK (inti_all_tenants());
CREATE POLICY service_health_delete ON service_health FOR DELETE USING (inti_all_tenants());
GRANT SELECT, INSERT, UPDATE, DELETE ON service_health TO inti_app;

ALTER TABLE service_health_checks ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_health_checks FORCE ROW LEVEL SECURITY;
CREATE POLICY service_health_checks_read ON service_health_checks FOR SELECT
  USING (inti_all_tenants());
CREATE POLICY service_health_checks_insert ON service_health_checks FOR INSERT
  WITH CHECK (inti_all_tenants());
CREATE POLICY service_health_checks_delete ON service_health_checks FOR DELETE
  USING (inti_all_tenants());
GRANT SELECT, INSERT, DELETE ON service_health_checks TO inti_app;
GRANT USAGE ON SEQUENCE service_health_checks_id_seq TO inti_app;

-- A service going down or coming back changes menus (their badge): the registry's version
-- moves and every node drops its cached sessions, as for any registry change. Counters and
-- check times move on every probe and change nothing anyone sees cached.
CREATE FUNCTION inti_health_changed() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
  UPDATE inti_versions SET version = version + 1 WHERE name = 'registry';
  PERFORM pg_notify('inti_access', 'all');
  RETURN NULL;
END
$$;
CREATE TRIGGER service_health_changed AFTER UPDATE OF status ON service_health
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION inti_health_changed();
CREATE TRIGGER service_health_inserted AFTER INSERT ON service_health
  FOR EACH ROW WHEN (NEW.status <> 'UNKNOWN')
  EXECUTE FUNCTION inti_health_changed();
