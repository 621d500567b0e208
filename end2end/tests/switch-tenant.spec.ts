import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('the super admin switches from core to taskmanager in the sidebar, and back in the header', async ({ page }) => {
  await logIn(page, 'superadmin@core.com');
  await expect(page.getByTestId('current-tenant')).toHaveText('Core Platform');

  const sidebar = page.getByTestId('tenant-switcher-sidebar');
  await sidebar.getByRole('button', { name: /Task Manager/ }).click();

  await expect(page.getByTestId('current-tenant')).toHaveText('Task Manager');
  await expect(sidebar.locator('li[aria-current="true"]')).toContainText('Task Manager');
  await expect(page.getByRole('main')).toContainText('You are working in Task Manager as SUPER_ADMIN');

  // The switch survives a reload: it is the session's tenant, not page state.
  await page.reload();
  await expect(page.getByTestId('current-tenant')).toHaveText('Task Manager');

  await page.getByTestId('current-tenant').click();
  await page.getByTestId('tenant-switcher-header').getByRole('button', { name: /Core Platform/ }).click();
  await expect(page.getByTestId('current-tenant')).toHaveText('Core Platform');
});

test('a user with one tenant sees only that tenant, already current', async ({ page }) => {
  await logIn(page, 'user@taskmanager.com');
  const sidebar = page.getByTestId('tenant-switcher-sidebar');
  await expect(sidebar.locator('li')).toHaveCount(1);
  await expect(sidebar.getByRole('button', { name: /Task Manager/ })).toBeDisabled();
});
