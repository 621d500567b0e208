import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, logIn } from './helpers';

test('the account page refuses a password change without the right current password', async ({ page }) => {
  await logIn(page, 'user@taskmanager.com');
  await page.getByTestId('user-name').click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
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
