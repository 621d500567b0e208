DROP FUNCTION inti_notify_invited(uuid, text, text, text);
