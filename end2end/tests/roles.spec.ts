import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('a tenant admin creates a custom role with the permission picker', async ({ page }) => {
  const name = `AGENT_${Date.now()}`;
  await logIn(page, 'admin@taskmanager.com');
  await expect(page.getByTestId('user-name')).toHaveText('Task Manager Admin');
  await page.getByRole('link', { name: 'Roles' }).click();
  await expect(page.locator('[data-role="TENANT_ADMIN"]')).toContainText('user:manage');

  const form = page.getByRole('form', { name: 'New custom role' });
  // The picker offers only what the admin holds.
  await expect(form.getByText('billing:read')).toHaveCount(0);
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Other permissions').fill('billing:read');
  await form.getByRole('button', { name: 'Create role' }).click();
  await expect(form.getByRole('alert')).toContainText('You cannot grant billing:read');

  await form.getByLabel('Other permissions').fill('');
  await form.getByLabel('user:read').check();
  await form.getByLabel('dashboard:view').check();
  await form.getByRole('button', { name: 'Create role' }).click();
  const role = page.locator(`[data-role="${name}"]`);
  await expect(role).toContainText('user:read');
  await expect(role).toContainText('dashboard:view');

  await role.getByRole('button', { name: 'Delete' }).click();
  await expect(role).toHaveCount(0);
});
