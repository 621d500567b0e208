import { expect, test } from '@playwright/test';
import { expectSignedOut, logIn } from './helpers';

test('the super admin reads the audit log and filters failed sign-ins', async ({ page }) => {
  await logIn(page, 'nobody-audit@example.com', 'wrong-password-123');
  await expect(page.getByTestId('login-error')).toBeVisible();
  await logIn(page, 'superadmin@core.com');
  await expect(page.getByTestId('user-name')).toHaveText('Super Admin');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  const table = page.getByTestId('audit-table');
  await expect(table).toContainText('auth.login');
  await expect(table).toContainText('superadmin@core.com');

  const filters = page.getByRole('form', { name: 'Filter audit log' });
  await filters.getByLabel('Outcome').selectOption('FAILURE');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/outcome=FAILURE/);
  await expect(table).toContainText('nobody-audit@example.com (unverified)');
  await expect(table).not.toContainText('SUCCESS');
});

test('a tenant admin sees only their tenant in the audit log; a user has no audit log', async ({ page }) => {
  await logIn(page, 'admin@whatsapp.com');
  await expect(page.getByTestId('user-name')).toHaveText('WhatsApp Admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  const rows = page.getByTestId('audit-table').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  for (const tenant of await rows.locator('td:nth-child(5)').allTextContents()) {
    expect(tenant).toBe('whatsapp');
  }

  await page.getByRole('button', { name: 'Sign out' }).click();
  // Leaving before the sign-out is answered would race it against the next sign-in.
  await expectSignedOut(page);
  await logIn(page, 'user@taskmanager.com');
  await expect(page.getByTestId('user-name')).toHaveText('Task Manager User');
  await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
});
