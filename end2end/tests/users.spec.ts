import { expect, test } from '@playwright/test';
import { expectSignedOut, inviteNewUser, logIn, mailedLink } from './helpers';

function utcInSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString().slice(0, 19);
}

test('a tenant admin invites a new user, who chooses their own password from the mail, accepts, signs in, and whose access stops when it expires', async ({ page, browser, request }) => {
  // Waits for a real expiry, 40 seconds after the invitation.
  test.setTimeout(120_000);
  const email = `agent-${Date.now()}@taskmanager.com`;
  await logIn(page, 'admin@taskmanager.com');
  await expect(page.getByTestId('user-name')).toHaveText('Task Manager Admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByTestId('member-table')).toContainText('user@taskmanager.com');

  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Name').fill('Temporary Agent');
  // No admin chooses another person's password: the form has no such field.
  await expect(form.getByLabel(/password/i)).toHaveCount(0);
  await form.getByLabel('Role').selectOption('USER');
  await form.getByLabel(/Access expires/).fill(utcInSeconds(40));
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(form.getByRole('status')).toHaveText(`Invitation sent to ${email}.`);
  await expect(page.getByTestId('pending-invitations').locator(`li[data-email="${email}"]`)).toContainText('USER');
  // Not a member until they accept: a fresh load of the list does not show them.
  await page.reload();
  await expect(page.getByTestId('member-table')).toContainText('user@taskmanager.com');
  await expect(page.locator(`tr[data-email="${email}"]`)).toHaveCount(0);

  // In their own browser, the new user opens the mailed link, chooses a password and
  // accepts the invitation, then signs in.
  const context = await browser.newContext();
  const theirs = await context.newPage();
  await theirs.goto(await mailedLink(request, email));
  await expect(theirs.getByRole('heading', { name: 'Welcome to Inti' })).toBeVisible();
  await expect(theirs.locator('main[data-hydrated="true"]')).toBeVisible({ timeout: 20_000 });
  await expect(theirs.getByTestId('link-email')).toHaveText(email);
  const choose = theirs.getByRole('form', { name: 'Choose a password' });
  await expect(choose.getByTestId('link-invitation')).toContainText('Join Task Manager as USER');
  await choose.getByLabel(/New password/).fill('temporary-password');
  await choose.getByRole('button', { name: 'Set my password' }).click();
  await expect(theirs.getByTestId('password-set')).toContainText('you joined 1 tenant(s)');
  // The link is spent.
  await theirs.goto(await mailedLink(request, email));
  await expect(theirs.getByTestId('link-error')).toBeVisible();
  await logIn(theirs, email, 'temporary-password');
  await expect(theirs.getByTestId('user-name')).toHaveText('Temporary Agent');
  await expect(theirs.getByTestId('current-tenant')).toHaveText('Task Manager');
  await page.reload();
  await expect(page.locator(`tr[data-email="${email}"]`)).toContainText('USER');

  // Once the grant has expired, their very next request is refused.
  await expect(async () => {
    await theirs.reload();
    await expectSignedOut(theirs);
  }).toPass({ timeout: 40_000, intervals: [2_000] });
  await context.close();
});

test('a suspended member is signed out and cannot sign in until reactivated', async ({ page, browser, request }) => {
  const password = 'suspend-me-password';
  const email = await inviteNewUser(request, 'admin@whatsapp.com', 'suspended', password);
  const context = await browser.newContext();
  const theirs = await context.newPage();
  await logIn(theirs, email, password);
  await expect(theirs.getByTestId('current-tenant')).toHaveText('WhatsApp Gateway');

  await logIn(page, 'admin@whatsapp.com');
  await page.getByRole('link', { name: 'Users' }).click();
  const row = page.locator(`tr[data-email="${email}"]`);
  await expect(row).toContainText('ACTIVE');
  await row.getByRole('button', { name: 'Suspend' }).click();
  await expect(row).toContainText('SUSPENDED');

  // Their next request signs them out, and signing in again is refused.
  await theirs.reload();
  await expectSignedOut(theirs);
  await logIn(theirs, email, password);
  await expect(theirs.getByTestId('login-error')).toHaveText('Invalid email or password');

  await row.getByRole('button', { name: 'Reactivate' }).click();
  await expect(row).toContainText('ACTIVE');
  await logIn(theirs, email, password);
  await expect(theirs.getByTestId('current-tenant')).toHaveText('WhatsApp Gateway');
  await context.close();

  await row.getByRole('button', { name: 'Remove' }).click();
  await expect(row).toHaveCount(0);
});

test('an existing account is invited, not attached, and joins when its owner accepts', async ({ page, browser, request }) => {
  const password = 'invitee-password-1';
  // An account whose home is WhatsApp Gateway...
  const email = await inviteNewUser(request, 'admin@whatsapp.com', 'invitee', password);
  const context = await browser.newContext();
  const theirs = await context.newPage();
  await logIn(theirs, email, password);
  await expect(theirs.getByTestId('current-tenant')).toHaveText('WhatsApp Gateway');

  // ...is invited into Task Manager by its admin.
  await logIn(page, 'admin@taskmanager.com');
  await page.getByRole('link', { name: 'Users' }).click();
  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Name').fill('Anything');
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(form.getByRole('status')).toHaveText(`Invitation sent to ${email}.`);
  await page.reload();
  await expect(page.getByTestId('member-table')).toContainText('user@taskmanager.com');
  await expect(page.locator(`tr[data-email="${email}"]`)).toHaveCount(0);

  await theirs.goto('/');
  const invitations = theirs.getByTestId('invitations');
  await expect(invitations).toContainText('Task Manager invites you to join as USER');
  await invitations.getByRole('button', { name: 'Accept' }).click();
  await expect(invitations).toHaveCount(0);
  await theirs.reload();
  await expect(theirs.getByTestId('tenant-switcher-sidebar')).toContainText('Task Manager');
  await context.close();
});

test('a super admin suspends an account on the whole platform from Platform → Accounts', async ({ page, browser, request }) => {
  const password = 'platform-suspend-1';
  const email = await inviteNewUser(request, 'admin@taskmanager.com', 'platform', password);
  const context = await browser.newContext();
  const theirs = await context.newPage();
  await logIn(theirs, email, password);
  await expect(theirs.getByTestId('current-tenant')).toHaveText('Task Manager');

  await logIn(page, 'superadmin@core.com');
  await page.getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search accounts' }).fill(email);
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.locator(`tr[data-email="${email}"]`);
  await expect(row.getByTestId('account-status')).toHaveText('ACTIVE');
  await row.getByRole('button', { name: 'Suspend' }).click();
  await expect(row.getByTestId('account-status')).toHaveText('SUSPENDED');

  // Signed out at once, and refused at sign-in.
  await theirs.reload();
  await expectSignedOut(theirs);
  await logIn(theirs, email, password);
  await expect(theirs.getByTestId('login-error')).toHaveText('Invalid email or password');

  await row.getByRole('button', { name: 'Reactivate' }).click();
  await expect(row.getByTestId('account-status')).toHaveText('ACTIVE');
  await logIn(theirs, email, password);
  await expect(theirs.getByTestId('current-tenant')).toHaveText('Task Manager');
  await context.close();
});
