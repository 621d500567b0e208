-- Invitations: adding a member by email never attaches an account at once. The account's
-- owner accepts or declines after signing in; an account created by the invitation itself
-- accepts it at its first sign-in. Either way the inviting tenant sees the same pending
-- invitation, so adding an address reveals nothing about whether it had an account.
CREATE TABLE invitations (
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id            uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- As the inviting admin typed it (normalised): all the tenant knows of the invitee.
  email              varchar(255) NOT NULL,
  role_id            uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  -- The grant's expiry once accepted.
  access_expires_at  timestamptz,
  -- Created together with the account: accepted at its first sign-in.
  auto_accept        boolean NOT NULL DEFAULT false,
  invited_by         uuid REFERENCES users (id) ON DELETE SET NULL,
  status             text NOT NULL DEFAULT 'PENDING'
                     CHECK (status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'REVOKED')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  responded_at       timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX one_pending_invitation ON invitations (tenant_id, user_id) WHERE status = 'PENDING';
CREATE INDEX idx_invitation_invitee ON invitations (user_id) WHERE status = 'PENDING';

GRANT SELECT, INSERT, UPDATE, DELETE ON invitations TO inti_app;

-- The inviting tenant and the invitee see an invitation; the tenant creates and revokes it;
-- the invitee (or the tenant) changes its status.
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY invitations_read ON invitations FOR SELECT
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant() OR user_id = inti_current_user());
CREATE POLICY invitations_insert ON invitations FOR INSERT
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant());
CREATE POLICY invitations_update ON invitations FOR UPDATE
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant() OR user_id = inti_current_user())
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant() OR user_id = inti_current_user());
CREATE POLICY invitations_delete ON invitations FOR DELETE
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant());

-- The invitee sees the name of the tenant that invites them, and the role's name.
DROP POLICY tenants_read ON tenants;
CREATE POLICY tenants_read ON tenants FOR SELECT
  USING (inti_all_tenants() OR id = inti_current_tenant()
         OR EXISTS (SELECT 1 FROM user_tenant_access a
                    WHERE a.tenant_id = tenants.id AND a.user_id = inti_current_user())
         OR EXISTS (SELECT 1 FROM invitations i
                    WHERE i.tenant_id = tenants.id AND i.user_id = inti_current_user()
                    AND i.status = 'PENDING')
         OR (SELECT inti_is_platform_admin()));
DROP POLICY roles_read ON roles;
CREATE POLICY roles_read ON roles FOR SELECT
  USING (tenant_id IS NULL OR inti_all_tenants() OR tenant_id = inti_current_tenant()
         OR EXISTS (SELECT 1 FROM user_tenant_access a
                    WHERE a.role_id = roles.id AND a.user_id = inti_current_user())
         OR EXISTS (SELECT 1 FROM invitations i
                    WHERE i.role_id = roles.id AND i.user_id = inti_current_user()
                    AND i.status = 'PENDING'));
