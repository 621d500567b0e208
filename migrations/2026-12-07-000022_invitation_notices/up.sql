-- An invitation is told to the invited person in their home tenant, which the inviting
-- tenant may not write to. This function writes that one notice and nothing else: only for
-- a pending invitation of the caller's current tenant, only to an active member of their
-- home tenant (another tenant than the inviting one), and not when they turned the kind off.
-- Same rules as every other notice (`services::notifications::notify`), in SQL because the
-- row lies outside the caller's tenant.
CREATE FUNCTION inti_notify_invited(invitation uuid, note_title text, note_body text,
                                    note_link text) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  SET inti.all_tenants = 'on' AS
$$
DECLARE
  person uuid;
  home uuid;
BEGIN
  SELECT i.user_id, u.home_tenant_id INTO person, home
    FROM invitations i JOIN users u ON u.id = i.user_id AND u.status = 'ACTIVE'
   WHERE i.id = invitation AND i.tenant_id = inti_current_tenant() AND i.status = 'PENDING';
  IF person IS NULL OR home = inti_current_tenant() THEN
    RETURN false;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM user_tenant_access a
                  WHERE a.tenant_id = home AND a.user_id = person AND a.status = 'ACTIVE'
                    AND (a.expires_at IS NULL OR a.expires_at > now())) THEN
    RETURN false;
  END IF;
  IF inti_notification_channel(person, 'INVITATION') = 'OFF' THEN
    RETURN false;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('notifications:' || home || ':' || person, 0));
  -- Once per invitation: inviting the same address again while it waits tells nobody again.
  INSERT INTO notifications (tenant_id, user_id, kind, title, body, link, topic)
    VALUES (home, person, 'INVITATION', note_title, note_body, note_link,
            'invitation:' || invitation)
    ON CONFLICT (tenant_id, user_id, topic) WHERE topic IS NOT NULL DO NOTHING;
  RETURN FOUND;
END
$$;
REVOKE ALL ON FUNCTION inti_notify_invited(uuid, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inti_notify_invited(uuid, text, text, text) TO inti_app;
