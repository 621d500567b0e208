-- The API gateway (issue 11): a webhook secret per service (sealed like the API key), one row
-- per call through the gateway (never bodies or keys), and the webhook deliveries a service
-- sent. Calls and deliveries are platform data: written and read in platform scope; a
-- tenant scope sees only its own calls.
ALTER TABLE services ADD COLUMN webhook_secret_ciphertext bytea;

CREATE TABLE gateway_calls (
  id             bigserial PRIMARY KEY,
  tenant_id      uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id        uuid REFERENCES users(id) ON DELETE SET NULL,
  service_id     uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  endpoint_name  varchar(100) NOT NULL,
  method         varchar(10) NOT NULL,
  path           varchar(500) NOT NULL,
  status         smallint NOT NULL,
  latency_ms     integer NOT NULL CHECK (latency_ms >= 0),
  request_bytes  bigint NOT NULL CHECK (request_bytes >= 0),
  response_bytes bigint NOT NULL CHECK (response_bytes >= 0),
  request_id     varchar(64) NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_gateway_calls_service ON gateway_calls (service_id, created_at DESC, id DESC);
CREATE INDEX idx_gateway_calls_tenant ON gateway_calls (tenant_id, created_at DESC);
-- The retention job deletes by age.
CREATE INDEX idx_gateway_calls_age ON gateway_calls (created_at);
CREATE INDEX idx_gateway_calls_user_fk ON gateway_calls (user_id) WHERE user_id IS NOT NULL;

ALTER TABLE gateway_calls ENABLE ROW LEVEL SECURITY;
ALTER TABLE gateway_calls FORCE ROW LEVEL SECURITY;
CREATE POLICY gateway_calls_read ON gateway_calls FOR SELECT
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant());
CREATE POLICY gateway_calls_insert ON gateway_calls FOR INSERT WITH CHECK (inti_all_tenants());
CREATE POLICY gateway_calls_delete ON gateway_calls FOR DELETE USING (inti_all_tenants());
GRANT SELECT, INSERT, DELETE ON gateway_calls TO inti_app;
GRANT USAGE ON SEQUENCE gateway_calls_id_seq TO inti_app;

CREATE TABLE webhook_deliveries (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id   uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  delivery_id  varchar(200) NOT NULL,
  event        varchar(100),
  payload      jsonb NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (service_id, delivery_id)
);
CREATE INDEX idx_webhook_deliveries_service ON webhook_deliveries (service_id, received_at DESC);

ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY webhook_deliveries_read ON webhook_deliveries FOR SELECT USING (inti_all_tenants());
CREATE POLICY webhook_deliveries_insert ON webhook_deliveries FOR INSERT
  WITH CHECK (inti_all_tenants());
CREATE POLICY webhook_deliveries_delete ON webhook_deliveries FOR DELETE
  USING (inti_all_tenants());
GRANT SELECT, INSERT, DELETE ON webhook_deliveries TO inti_app;
