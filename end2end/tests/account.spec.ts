import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectHydrated, expectSignedOut, inviteNewUser, logIn, mailedLink, totpCode } from './helpers';

test('the account page refuses a password change without the right current password', async ({ page }) => {
  await logIn(page, 'user@taskmanager.com');
  await page.getByTestId('user-name').click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expectHydrated(page);
  const form = page.getByRole('form', { name: 'Password' });
  await form.getByLabel('Current password').fill('not-my-password');
  await form.getByLabel(/New password/).fill('a-new-long-password');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('alert')).toHaveText('The current password is not correct');

  await form.getByLabel('Current password').fill(DEMO_PASSWORD);
  await form.getByLabel(/New password/).fill('short');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('alert')).toContainText('at least 10 characters');
});

test('a successful password change signs the other sessions out and the new password works', async ({ browser, request }) => {
  const email = await inviteNewUser(request, 'admin@taskmanager.com', 'changer', 'first-password-1');
  const one = await (await browser.newContext()).newPage();
  const two = await (await browser.newContext()).newPage();
  await logIn(one, email, 'first-password-1');
  await logIn(two, email, 'first-password-1');
  await expect(two.getByTestId('current-tenant')).toHaveText('Task Manager');

  await one.getByTestId('user-name').click();
  await expect(one.getByRole('heading', { name: 'Your account' })).toBeVisible();
  // The success message is the hydrated form's answer.
  await expectHydrated(one);
  const form = one.getByRole('form', { name: 'Password' });
  await form.getByLabel('Current password').fill('first-password-1');
  await form.getByLabel(/New password/).fill('second-password-2');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('status')).toHaveText('Password changed. 1 other session(s) were signed out.');

  // The other browser is signed out on its next request; the old password no longer works.
  await two.reload();
  await expectSignedOut(two);
  await logIn(two, email, 'first-password-1');
  await expect(two.getByTestId('login-error')).toHaveText('Invalid email or password');
  await logIn(two, email, 'second-password-2');
  await expect(two.getByTestId('current-tenant')).toHaveText('Task Manager');
});

test('a forgotten password is reset from the mailed link, and the old one stops working', async ({ page, request }) => {
  const email = await inviteNewUser(request, 'admin@taskmanager.com', 'forgetful', 'first-password-1');
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await expectHydratedForm(page, 'Forgot password');
  const form = page.getByRole('form', { name: 'Forgot password' });
  await form.getByLabel('Email').fill(email);
  await form.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByTestId('reset-requested')).toBeVisible();

  await page.goto(await mailedLink(request, email));
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expectHydratedForm(page, 'Choose a password');
  const choose = page.getByRole('form', { name: 'Choose a password' });
  await choose.getByLabel(/New password/).fill('second-password-2');
  await choose.getByRole('button', { name: 'Change my password' }).click();
  await expect(page.getByTestId('password-set')).toBeVisible();

  await logIn(page, email, 'first-password-1');
  await expect(page.getByTestId('login-error')).toHaveText('Invalid email or password');
  await logIn(page, email, 'second-password-2');
  await expect(page.getByTestId('current-tenant')).toHaveText('Task Manager');
});

/** Waits until the page's form runs in the browser (its answer shows without a reload). */
async function expectHydratedForm(page: import('@playwright/test').Page, name: string) {
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('form', { name })).toBeVisible();
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a password change is confirmed on the page the post comes back to, once', async ({ page, request }) => {
    const email = await inviteNewUser(request, 'admin@taskmanager.com', 'plain', 'first-password-1');
    await logIn(page, email, 'first-password-1', false);
    await expect(page.getByTestId('current-tenant')).toHaveText('Task Manager');
    await page.goto('/account');
    const form = page.getByRole('form', { name: 'Password' });
    await form.getByLabel('Current password').fill('first-password-1');
    await form.getByLabel(/New password/).fill('second-password-2');
    await form.getByRole('button', { name: 'Change password' }).click();
    // Back on the page (leptos' redirect keeps an empty query).
    await expect(page).toHaveURL(/\/account\??$/);
    await expect(form.getByRole('status')).toHaveText('Password changed. 0 other session(s) were signed out.');

    await page.reload();
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
    await expect(form.getByRole('status')).toHaveCount(0);
  });
});

test('a person chooses their time zone and date format, and every date follows', async ({ page, request }) => {
  const email = await inviteNewUser(request, 'admin@taskmanager.com', 'zone', 'zone password 1');
  await logIn(page, email, 'zone password 1');
  await expectHydrated(page);
  await page.goto('/account');
  await expectHydrated(page);
  const form = page.getByRole('form', { name: 'Dates and times' });
  await form.getByLabel('Time zone').fill('Mars/Olympus');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toContainText('is not a time zone name');
  await form.getByLabel('Time zone').fill('Asia/Jakarta');
  await form.getByLabel('Date format').selectOption('DD/MM/YYYY');
  // Saved, the page reloads and shows the choice.
  const reloaded = page.waitForEvent('load');
  await form.getByRole('button', { name: 'Save' }).click();
  await reloaded;
  await expect(page.getByRole('form', { name: 'Dates and times' }).getByLabel('Time zone')).toHaveValue('Asia/Jakarta');
  await page.goto('/tasks/board');
  await expect(page.getByTestId('board-card').filter({ hasText: /Due \d\d\/\d\d\/\d{4}/ }).first()).toBeVisible();
});

test('a person ends another of their sessions from the account page', async ({ browser }) => {
  const email = await inviteNewUser((await browser.newContext()).request, 'admin@taskmanager.com', 'sessions', 'sessions password 1');
  const elsewhere = await (await browser.newContext()).newPage();
  await logIn(elsewhere, email, 'sessions password 1');
  await expectHydrated(elsewhere);
  const page = await (await browser.newContext()).newPage();
  await logIn(page, email, 'sessions password 1');
  await expectHydrated(page);
  await page.goto('/account');
  await expectHydrated(page);
  const rows = page.getByTestId('session');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'This session' })).toHaveCount(1);
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(rows).toHaveCount(1);
  // The other browser is signed out at its next page.
  await elsewhere.goto('/');
  await expectSignedOut(elsewhere);
});

test('two-factor authentication is set up from the account page and asked for at the next sign-in', async ({ page, request }) => {
  const password = 'two-factor-password-1';
  const email = await inviteNewUser(request, 'admin@whatsapp.com', 'twofactor', password);
  await logIn(page, email, password);
  await expectHydrated(page);
  await page.goto('/account');
  await expectHydrated(page);
  const section = page.getByRole('region', { name: 'Two-factor authentication' });
  await expect(section.getByTestId('two-factor-state')).toHaveText('Off.');
  await section.getByRole('button', { name: 'Set up' }).click();
  await expect(section.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await section.getByTestId('two-factor-secret').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
  const turnOn = section.getByRole('form', { name: 'Turn on' });
  await turnOn.getByLabel('Code').fill('000000' === totpCode(secret, -1) ? '111111' : '000000');
  await turnOn.getByRole('button', { name: 'Turn on' }).click();
  await expect(turnOn.getByRole('alert')).toContainText('That code is not right');
  await turnOn.getByLabel('Code').fill(totpCode(secret, -1));
  await turnOn.getByRole('button', { name: 'Turn on' }).click();
  await expect(section.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  await expect(section.getByTestId('two-factor-state')).toHaveText('On. 10 recovery code(s) left.');

  // The next sign-in asks for a code after the password.
  await page.context().clearCookies();
  await logIn(page, email, password);
  await expect(page).toHaveURL(/\/login\/verify$/);
  await expect(page.getByText('Enter the six-digit code from your authenticator app')).toBeVisible();
  await page.getByLabel('Code').fill(totpCode(secret, 0));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('current-tenant')).toHaveText('WhatsApp Gateway', { timeout: 20_000 });
});
