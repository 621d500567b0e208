import { expect, test } from '@playwright/test';
import { DEMO_USERS, expectSignedOut, logIn } from './helpers';

for (const user of DEMO_USERS) {
  test(`${user.role} ${user.email} logs in, sees name and tenant, and logs out`, async ({ page }) => {
    await logIn(page, user.email);

    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('user-name')).toHaveText(user.name);
    await expect(page.getByTestId('current-tenant')).toHaveText(user.tenant);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(user.name.split(' ')[0]);
    const tenants = page.getByTestId('tenant-switcher-sidebar').locator('li');
    if (user.role === 'SUPER_ADMIN') {
      // Other specs may be creating tenants in parallel: the super admin reaches all of them.
      await expect(tenants.first()).toBeVisible();
      expect(await tenants.count()).toBeGreaterThanOrEqual(user.tenants);
    } else {
      await expect(tenants).toHaveCount(user.tenants);
    }

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectSignedOut(page);

    // The old session is gone: the dashboard sends us back to the login page.
    await page.goto('/');
    await expectSignedOut(page);
  });
}

test('a wrong password shows the generic error and stays signed out', async ({ page }) => {
  await logIn(page, 'admin@taskmanager.com', 'not-the-password');
  await expect(page.getByTestId('login-error')).toHaveText('Invalid email or password');
  await page.goto('/');
  await expectSignedOut(page);
});

test('an unknown email shows exactly the same error', async ({ page }) => {
  await logIn(page, 'nobody@example.com', 'whatever-password');
  await expect(page.getByTestId('login-error')).toHaveText('Invalid email or password');
});

test('the super admin sees every tenant in the sidebar, the current one marked', async ({ page }) => {
  await logIn(page, 'superadmin@core.com');
  const list = page.getByTestId('tenant-switcher-sidebar');
  await expect(list).toContainText('Core Platform');
  await expect(list).toContainText('Task Manager');
  await expect(list).toContainText('WhatsApp Gateway');
  await expect(list.locator('li[aria-current="true"]')).toContainText('Core Platform');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the login form still works, errors included', async ({ page }) => {
    await logIn(page, 'user@taskmanager.com', 'wrong-password', false);
    await expect(page.getByTestId('login-error')).toHaveText('Invalid email or password');

    await logIn(page, 'user@taskmanager.com', undefined, false);
    await expect(page.getByTestId('user-name')).toHaveText('Task Manager User');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectSignedOut(page);
  });
});
