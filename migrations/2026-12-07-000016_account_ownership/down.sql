DROP FUNCTION inti_set_account_status(uuid, text);
DROP FUNCTION inti_set_email(uuid, text);
DROP FUNCTION inti_set_password(uuid, text);
GRANT UPDATE (password_hash, password_changed_at, status) ON users TO inti_app;
ALTER TABLE invitations DROP COLUMN mail_id;
DROP TABLE mail_outbox;
DROP TABLE account_tokens;
