import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('the super admin creates a tenant, sees validation errors, and edits it', async ({ page }) => {
  const domain = `acme-${Date.now()}`;
  await logIn(page, 'superadmin@core.com');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants' }).click();
  await expect(page.getByRole('heading', { name: 'Tenants', level: 1 })).toBeVisible();
  await expect(page.getByTestId('tenant-table')).toContainText('Task Manager');

  const form = page.getByRole('form', { name: 'New tenant' });
  await form.getByLabel('Name').fill('Acme Corp');
  await form.getByLabel('Domain').fill('-bad-');
  await form.getByRole('button', { name: 'Create tenant' }).click();
  await expect(form.getByRole('alert')).toContainText('hyphen');

  await form.getByLabel('Domain').fill(domain);
  await form.getByLabel('Subscription tier').selectOption('ENTERPRISE');
  await form.getByRole('button', { name: 'Create tenant' }).click();

  await expect(page).toHaveURL(/\/admin\/tenants\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('tenant-name')).toHaveText('Acme Corp');
  await expect(page.getByRole('main')).toContainText('0 of 1000 users');

  const editor = page.getByRole('form', { name: 'Edit tenant' });
  await editor.getByLabel('Name').fill('Acme Corporation');
  await editor.getByLabel(/Subscription tier/).selectOption('STARTER');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor.getByRole('status')).toHaveText('Saved.');
  await expect(page.getByTestId('tenant-name')).toHaveText('Acme Corporation');
  await expect(page.getByRole('main')).toContainText('0 of 10 users');

  await page.goto(`/admin/tenants?q=${domain}`);
  await expect(page.getByTestId('tenant-table').locator('tbody tr')).toHaveCount(1);
});

test('a tenant admin has no tenant administration', async ({ page }) => {
  await logIn(page, 'admin@taskmanager.com');
  await expect(page.getByTestId('user-name')).toHaveText('Task Manager Admin');
  await expect(page.getByRole('link', { name: 'Tenants' })).toHaveCount(0);
  await page.goto('/admin/tenants');
  await expect(page.getByRole('alert')).toHaveText('You do not have permission to do this');
});
