import { expect, test } from '@playwright/test';
import { logIn, expectSignedOut } from './helpers';

function utcInSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString().slice(0, 19);
}

test('a tenant admin adds a user who then logs in, and whose access stops when it expires', async ({ page, browser }) => {
  // Waits for a real expiry, 20 seconds after the user is added.
  test.setTimeout(90_000);
  const email = `agent-${Date.now()}@taskmanager.com`;
  await logIn(page, 'admin@taskmanager.com');
  await expect(page.getByTestId('user-name')).toHaveText('Task Manager Admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByTestId('member-table')).toContainText('user@taskmanager.com');

  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Name').fill('Temporary Agent');
  await form.getByLabel(/Initial password/).fill('short');
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(form.getByRole('alert')).toContainText('at least 10 characters');

  await form.getByLabel(/Initial password/).fill('temporary-password');
  await form.getByLabel('Role').selectOption('USER');
  await form.getByLabel(/Access expires/).fill(utcInSeconds(20));
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(form.getByRole('status')).toHaveText('User added.');
  await expect(page.locator(`tr[data-email="${email}"]`)).toContainText('USER');

  // The new user signs in, in their own browser.
  const context = await browser.newContext();
  const theirs = await context.newPage();
  await logIn(theirs, email, 'temporary-password');
  await expect(theirs.getByTestId('user-name')).toHaveText('Temporary Agent');
  await expect(theirs.getByTestId('current-tenant')).toHaveText('Task Manager');

  // Once the grant has expired, their very next request is refused.
  await expect(async () => {
    await theirs.reload();
    await expectSignedOut(theirs);
  }).toPass({ timeout: 40_000, intervals: [2_000] });
  await context.close();
});

test('a tenant admin suspends and reactivates a member', async ({ page }) => {
  await logIn(page, 'admin@whatsapp.com');
  await expect(page.getByTestId('user-name')).toHaveText('WhatsApp Admin');
  const email = `suspend-${Date.now()}@whatsapp.com`;
  await page.getByRole('link', { name: 'Users' }).click();
  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Name').fill('Suspended Agent');
  await form.getByLabel(/Initial password/).fill('another-long-password');
  await form.getByRole('button', { name: 'Add user' }).click();
  const row = page.locator(`tr[data-email="${email}"]`);
  await expect(row).toContainText('ACTIVE');
  await row.getByRole('button', { name: 'Suspend' }).click();
  await expect(row).toContainText('SUSPENDED');
  await row.getByRole('button', { name: 'Reactivate' }).click();
  await expect(row).toContainText('ACTIVE');
  await row.getByRole('button', { name: 'Remove' }).click();
  await expect(row).toHaveCount(0);
});
