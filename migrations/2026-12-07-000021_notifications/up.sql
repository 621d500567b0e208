-- Notifications: what happened that concerns one person in one tenant. Stored first, in the
-- transaction of the change that caused them; then delivered: live to the person's open
-- tabs and API streams (every node LISTENs on `inti_notifications` and wakes its streams),
-- and by mail through the outbox when the person chose mail for that kind.
CREATE TABLE notifications (
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- Increasing across the table: a stream resumes after the last id it sent (Last-Event-ID).
  id          bigint GENERATED ALWAYS AS IDENTITY,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('TASK_ASSIGNED', 'TASK_COMMENT', 'ROLE_CHANGED',
                'SERVICE_HEALTH', 'INVITATION', 'ACCESS_ENDING', 'BLAST_FINISHED')),
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body        text NOT NULL DEFAULT '' CHECK (length(body) <= 2000),
  -- An in-app path ("/tasks/…"), never another site.
  link        text CHECK (link IS NULL OR (link LIKE '/%' AND link NOT LIKE '//%'
                                AND link NOT LIKE '/\\%')),
  -- What it is about, for notices sent once per occasion ("access-ending:7:<end>").
  topic       text,
  read_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX idx_notifications_topic ON notifications (tenant_id, user_id, topic)
  WHERE topic IS NOT NULL;
CREATE INDEX idx_notifications_inbox ON notifications (tenant_id, user_id, id DESC);
CREATE INDEX idx_notifications_unread ON notifications (tenant_id, user_id) WHERE read_at IS NULL;

-- A person reads and marks only their own, in the current tenant (platform work, such as
-- the job that tells people their access is ending, reads across tenants); a change in a
-- tenant may notify any member of that tenant.
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY notifications_read ON notifications FOR SELECT
  USING ((tenant_id = inti_current_tenant() AND user_id = inti_current_user())
         OR inti_all_tenants());
CREATE POLICY notifications_insert ON notifications FOR INSERT
  WITH CHECK (tenant_id = inti_current_tenant() OR inti_all_tenants());
CREATE POLICY notifications_update ON notifications FOR UPDATE
  USING (tenant_id = inti_current_tenant() AND user_id = inti_current_user())
  WITH CHECK (tenant_id = inti_current_tenant() AND user_id = inti_current_user());
GRANT SELECT, INSERT ON notifications TO inti_app;
GRANT UPDATE (read_at) ON notifications TO inti_app;
GRANT USAGE ON SEQUENCE notifications_id_seq TO inti_app;

-- How each person wants each kind: in the app (the default, no row), by mail as well, or not
-- at all. A person's own choice, the same in every tenant.
CREATE TABLE notification_preferences (
  user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind     text NOT NULL CHECK (kind IN ('TASK_ASSIGNED', 'TASK_COMMENT', 'ROLE_CHANGED',
             'SERVICE_HEALTH', 'INVITATION', 'ACCESS_ENDING', 'BLAST_FINISHED')),
  channel  text NOT NULL CHECK (channel IN ('APP', 'EMAIL', 'OFF')),
  PRIMARY KEY (user_id, kind)
);
ALTER TABLE notification_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_preferences FORCE ROW LEVEL SECURITY;
CREATE POLICY notification_preferences_own ON notification_preferences FOR ALL
  USING (user_id = inti_current_user() OR inti_all_tenants())
  WITH CHECK (user_id = inti_current_user());
GRANT SELECT, INSERT, UPDATE, DELETE ON notification_preferences TO inti_app;
-- Whoever notifies a person learns only the channel that person chose for that kind.
CREATE FUNCTION inti_notification_channel(person uuid, of_kind text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  SET inti.all_tenants = 'on' AS
$$
  SELECT coalesce((SELECT channel FROM notification_preferences
                    WHERE user_id = person AND kind = of_kind), 'APP')
$$;
REVOKE ALL ON FUNCTION inti_notification_channel(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inti_notification_channel(uuid, text) TO inti_app;

-- Notifications by mail go through the outbox like every other message.
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check CHECK (kind IN ('INVITATION',
  'PASSWORD_RESET', 'EMAIL_CHANGE', 'EMAIL_CHANGE_NOTICE', 'NOTIFICATION'));

-- Wakes every node's streams of that person when a notification is stored or read (the
-- unread count changes). Sent at commit: a stream never sees one that rolled back.
CREATE FUNCTION inti_notifications_changed() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
  PERFORM pg_notify('inti_notifications', NEW.tenant_id::text || ':' || NEW.user_id::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER notifications_changed AFTER INSERT OR UPDATE ON notifications
  FOR EACH ROW EXECUTE FUNCTION inti_notifications_changed();
