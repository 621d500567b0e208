-- `menu:read` opens the menu editor (read-only): the system USER role no longer holds it, so
-- members see their menu without an editor's view of everyone's. Custom roles may grant it;
-- those that may change menus get it too, so their editor link stays in the sidebar.
DELETE FROM role_permissions
 WHERE permission = 'menu:read'
   AND role_id = (SELECT id FROM roles WHERE name = 'USER' AND tenant_id IS NULL AND is_system);
INSERT INTO role_permissions (role_id, permission)
  SELECT DISTINCT role_id, 'menu:read' FROM role_permissions
   WHERE permission IN ('menu:update', 'menu:create')
  ON CONFLICT DO NOTHING;
