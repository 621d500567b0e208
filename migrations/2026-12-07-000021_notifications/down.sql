-- The outbox forces row-level security on its owner too: platform work sees every row.
SELECT set_config('inti.all_tenants', 'on', true);
DROP TRIGGER notifications_changed ON notifications;
DROP FUNCTION inti_notifications_changed();
DELETE FROM mail_outbox WHERE kind = 'NOTIFICATION';
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check CHECK (kind IN ('INVITATION',
  'PASSWORD_RESET', 'EMAIL_CHANGE', 'EMAIL_CHANGE_NOTICE'));
DROP FUNCTION inti_notification_channel(uuid, text);
DROP TABLE notification_preferences;
DROP TABLE notifications;
