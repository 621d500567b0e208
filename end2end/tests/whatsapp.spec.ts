import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

// The demo WhatsApp service (`inti demo-whatsapp`, started beside Inti by the Playwright
// config) reached through the gateway: the blast form, then the history table.
test('a tenant admin blasts a message through the gateway and finds it delivered in the history', async ({ page }) => {
  const message = `Stock is back ${Date.now()}`;
  await logIn(page, 'admin@whatsapp.com');
  const nav = page.getByRole('navigation', { name: 'Main' });

  await nav.getByRole('link', { name: 'Blast Message', exact: true }).click();
  await expect(page).toHaveURL(/\/apps\/whatsapp-gateway\/whatsapp-blast$/);
  const form = page.locator('form[data-hydrated="true"]');
  await expect(form).toBeVisible();
  await form.getByLabel('Message').fill(message);
  const first = form.getByRole('textbox', { name: 'Phone Numbers item 1', exact: true });
  if ((await first.count()) === 0) {
    await form.getByRole('button', { name: 'Add phone numbers' }).click();
  }
  await first.fill('12ab');
  await form.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByTestId('error-summary')).toContainText('Phone Numbers: Item 1: does not have the expected format');

  // (The answer of a refusal on the server does not keep the entered values yet: fill both.)
  await form.getByLabel('Message').fill(message);
  await first.fill('+6281234567890');
  await form.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByTestId('form-notice')).toContainText('Sent to WhatsApp Gateway.');

  // The history is the service's own answer, as a table; delivery takes a moment.
  await nav.getByRole('link', { name: 'Message History', exact: true }).click();
  await expect(page).toHaveURL(/\/apps\/whatsapp-gateway\/whatsapp-history$/);
  const row = page.getByTestId('service-row').filter({ hasText: message });
  await expect(row).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('service-row').filter({ hasText: message })).toContainText('DELIVERED', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await page.screenshot({ path: 'test-results/whatsapp-history.png', fullPage: true });
});
