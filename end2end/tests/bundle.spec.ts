import { expect, test, type Page } from '@playwright/test';
import { expectHydrated, logIn } from './helpers';

// The build is split (`cargo leptos build --split`, see app.rs): the login loads the shell's
// WASM only, and each page's own code arrives when the page is first shown.

/** The names of the WASM files the page fetches from now on. */
function wasmFetches(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const name = new URL(r.url()).pathname.split('/').pop() ?? '';
    if (name.endsWith('.wasm')) seen.push(name);
  });
  return seen;
}

/** What went wrong loading the bundle: a file of /pkg/ that failed, or a refusal by the
 *  Content-Security-Policy (a preload or chunk the page policy blocks). */
function bundleFailures(page: Page): string[] {
  const failures: string[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/pkg/') && r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) failures.push(m.text());
  });
  return failures;
}

test('the login loads the shell only; a page loads its own chunk, server-rendered or navigated to', async ({ page }) => {
  const fetched = wasmFetches(page);
  const failures = bundleFailures(page);
  await page.goto('/login');
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible({ timeout: 20_000 });
  expect(fetched.length).toBeGreaterThan(0);
  expect(fetched.filter((n) => !n.startsWith('inti.'))).toEqual([]);
  await logIn(page, 'superadmin@core.com');
  await expect(page.getByTestId('user-name')).toBeVisible();

  // A page opened directly hydrates with its chunk (preloaded by the server-rendered page).
  fetched.length = 0;
  await page.goto('/admin/audit');
  await expectHydrated(page);
  expect(fetched.some((n) => n.startsWith('split___audit_view'))).toBe(true);
  expect(fetched.some((n) => n.startsWith('split___form_builder_view'))).toBe(false);

  // Navigating in the browser to another page fetches that page's chunk, and the page works.
  fetched.length = 0;
  await page.getByRole('link', { name: 'Roles' }).first().click();
  await expect(page).toHaveURL(/\/admin\/roles$/);
  await expect(page.getByRole('heading', { name: 'Roles', exact: true })).toBeVisible();
  expect(fetched.some((n) => n.startsWith('split___roles_view'))).toBe(true);
  expect(failures).toEqual([]);
});
