import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { expectHydrated, logIn } from './helpers';

// axe-core's WCAG 2 A and AA rules on every page, as each role sees it, hydrated: no
// violation at all (contrast included). A page that needs an id is reached through a link.
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function check(page: Page, path: string) {
  await page.goto(path);
  await expectHydrated(page);
  // What the page loads after hydration (resources, lazy chunks) has arrived.
  await expect(page.getByText('Loading…')).toHaveCount(0);
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const found = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`,
  );
  expect.soft(found, `${path} has accessibility violations`).toEqual([]);
}

test('the sign-in pages have no WCAG 2 AA violations', async ({ page }) => {
  for (const path of ['/login', '/forgot-password']) {
    await page.goto(path);
    await expect(page.locator('[data-hydrated="true"]').first()).toBeVisible({ timeout: 20_000 });
    const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
    expect.soft(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`), path).toEqual([]);
  }
});

test('a tenant admin sees no WCAG 2 AA violation on any page', async ({ page }) => {
  test.setTimeout(180_000);
  await logIn(page, 'admin@taskmanager.com');
  await expectHydrated(page);
  for (const path of [
    '/',
    '/notifications',
    '/account',
    '/services',
    '/admin/users',
    '/admin/roles',
    '/admin/audit',
    '/admin/menus',
    '/admin/tenant',
    '/tasks/list',
    '/tasks/mine',
    '/tasks/create',
    '/tasks/board',
    '/forms/task-manager',
  ]) {
    await check(page, path);
  }
  // A task's own page.
  await page.goto('/tasks/list');
  await page.getByTestId('task-row').first().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await check(page, page.url());
});

test('a member and the WhatsApp admin see no WCAG 2 AA violation', async ({ page }) => {
  test.setTimeout(120_000);
  await logIn(page, 'user@taskmanager.com');
  await expectHydrated(page);
  for (const path of ['/', '/admin/menus', '/tasks/board']) {
    await check(page, path);
  }
  await page.getByRole('button', { name: 'Sign out' }).click();
  await logIn(page, 'admin@whatsapp.com');
  await expectHydrated(page);
  for (const path of ['/', '/apps/whatsapp-gateway/whatsapp-blast', '/apps/whatsapp-gateway/whatsapp-history']) {
    await check(page, path);
  }
});

test('a super admin sees no WCAG 2 AA violation on the platform pages', async ({ page }) => {
  test.setTimeout(180_000);
  await logIn(page, 'superadmin@core.com');
  await expectHydrated(page);
  for (const path of [
    '/',
    '/admin/tenants',
    '/admin/accounts',
    '/admin/services',
    '/admin/services/new',
    '/admin/services/import',
    '/admin/menus',
    '/admin/menus?scope=global',
    '/admin/forms/task-manager',
  ]) {
    await check(page, path);
  }
  await page.goto('/admin/tenants');
  await page.getByRole('link', { name: 'Task Manager' }).first().click();
  await expect(page).toHaveURL(/\/admin\/tenants\/[0-9a-f-]{36}$/);
  await check(page, page.url());
  await page.goto('/admin/services');
  await page.getByRole('link', { name: 'WhatsApp Gateway' }).first().click();
  await expect(page).toHaveURL(/\/admin\/services\/[0-9a-f-]{36}$/);
  await check(page, page.url());
});
