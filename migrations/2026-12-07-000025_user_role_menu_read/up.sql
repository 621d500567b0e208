-- `menu:read` opens the menu editor (read-only): the system USER role no longer holds it, so
-- members see their menu without an editor's view of everyone's. Custom roles may grant it.
DELETE FROM role_permissions
 WHERE permission = 'menu:read'
   AND role_id = (SELECT id FROM roles WHERE name = 'USER' AND tenant_id IS NULL AND is_system);
