-- The roles given menu:read beside menu:update or menu:create keep it (it was implied).
INSERT INTO role_permissions (role_id, permission)
  SELECT id, 'menu:read' FROM roles WHERE name = 'USER' AND tenant_id IS NULL AND is_system
  ON CONFLICT DO NOTHING;
