import { expect, test, type Locator, type Page } from '@playwright/test';
import { DEMO_PASSWORD, logIn } from './helpers';

test.describe.configure({ mode: 'serial' });

// The spec's own internal service, without a form yet, assigned to the Task Manager tenant
// (the Task Manager's own task form is the tasks spec's).
const SERVICE = `intake-${Date.now() % 1e9}`;

test.beforeAll(async ({ request }) => {
  const login = await request.post('/api/v1/auth/login', {
    data: { email: 'superadmin@core.com', password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(200);
  const auth = { authorization: `Bearer ${(await login.json()).data.tokens.accessToken}` };
  const registered = await request.post('/api/v1/core/services/register', {
    headers: auth,
    data: { name: SERVICE, displayName: 'Intake', type: 'INTERNAL', visibility: 'PRIVATE', description: 'Requests kept by Inti.' },
  });
  expect(registered.status()).toBe(201);
  const service = (await registered.json()).data.id;
  const tenants = await request.get('/api/v1/core/tenants?search=taskmanager', { headers: auth });
  const tenant = (await tenants.json()).data.items.find((t: { domain: string }) => t.domain === 'taskmanager').id;
  const assigned = await request.put(`/api/v1/core/services/${service}/tenants/${tenant}`, {
    headers: auth,
    data: { status: 'ACTIVE' },
  });
  expect(assigned.status()).toBe(200);
});

const XSS = '<img src=x onerror=alert(1)>';

/** Drags a field type from the palette onto the drop zone after the last field. */
async function dragIn(page: Page, type: string) {
  // From the top of the page, where the palette and the drop zone both show: a focused
  // input further down may have scrolled it.
  await page.evaluate(() => window.scrollTo(0, 0));
  const handle = page.getByTestId(`palette-drag-${type}`);
  const zone = page.getByTestId('builder-drop-end');
  const from = (await handle.boundingBox())!;
  const to = (await zone.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 10 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2 + 2, { steps: 2 });
  await page.mouse.up();
}

async function setProps(props: Locator, label: string, name: string) {
  await props.getByTestId('prop-label').fill(label);
  await props.getByTestId('prop-name').fill(name);
  await props.getByTestId('prop-name').press('Tab');
}

test('a super admin builds a form by drag and drop; a user fills it in with live errors', async ({ page, browser }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await logIn(page, 'superadmin@core.com');
  await expect(page.getByTestId('user-name')).toBeVisible();
  await page.goto(`/admin/forms/${SERVICE}`);
  await expect(page.getByRole('heading', { name: 'Form builder' })).toBeVisible();
  await expect(page.locator('[data-testid="builder-preview"] form[data-hydrated="true"]')).toBeVisible();
  const props = page.getByTestId('properties');
  const fields = page.getByTestId('builder-fields');

  // Three fields, each dragged in from the palette.
  await dragIn(page, 'text');
  await expect(fields.getByTestId('builder-field-field_1')).toBeVisible();
  await setProps(props, 'Title', 'title');
  await props.getByTestId('prop-required').check();
  await props.getByLabel('Min length').fill('3');
  await props.getByLabel('Min length').press('Tab');

  await dragIn(page, 'select');
  await expect(fields.getByTestId('builder-field-field_1')).toBeVisible();
  await setProps(props, `Priority ${XSS}`, 'priority');
  await props.getByTestId('prop-options').fill('low|Low\nhigh|High');
  await props.getByTestId('prop-options').press('Tab');

  await dragIn(page, 'textarea');
  await expect(fields.getByTestId('builder-field-field_1')).toBeVisible();
  await setProps(props, 'Why urgent', 'reason');
  await props.getByTestId('prop-required').check();
  await props.getByTestId('show-if-field').selectOption('priority');
  await props.getByTestId('show-if-value').fill('high');
  await props.getByTestId('show-if-value').press('Tab');
  await expect(fields.getByTestId('builder-field-reason')).toContainText('Conditional');

  // The preview is the real form: the condition hides "Why urgent" until High is chosen.
  const preview = page.getByTestId('builder-preview');
  await expect(preview.getByLabel('Why urgent')).toBeHidden();
  await preview.getByLabel(`Priority ${XSS}`).selectOption('high');
  await expect(preview.getByLabel('Why urgent')).toBeVisible();
  await preview.getByRole('button', { name: 'Try it' }).click();
  await expect(preview.getByTestId('error-summary')).toContainText('Title: is required');

  // The JSON view follows, and saving makes a version.
  await expect(page.getByTestId('schema-json')).toHaveValue(/"showIf"/);
  await page.getByTestId('version-note').fill('Task intake');
  await page.getByTestId('save-form').click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(page.getByTestId('form-versions')).toContainText('Task intake');

  // A user of the tenant opens it from the Services page.
  const user = await browser.newPage();
  user.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await logIn(user, 'user@taskmanager.com');
  await expect(user.getByTestId('user-name')).toBeVisible();
  await user.goto('/services');
  await user.locator(`a[href="/forms/${SERVICE}"]`).click();
  await expect(user).toHaveURL(new RegExp(`/forms/${SERVICE}$`));
  const form = user.locator('form[data-hydrated="true"]');
  await expect(form).toBeVisible();
  // The label is text: the markup shows as typed, and nothing ran.
  await expect(form.getByText(`Priority ${XSS}`, { exact: true })).toBeVisible();

  // Errors while typing.
  await form.getByLabel('Title').fill('ab');
  await expect(form.getByTestId('field-error').first()).toHaveText('must be at least 3 characters');
  await form.getByLabel('Title').fill('Water the plants');
  await expect(form.getByTestId('field-error')).toHaveCount(0);
  await expect(form.getByLabel('Why urgent')).toBeHidden();
  await form.getByLabel(`Priority ${XSS}`).selectOption('high');
  await expect(form.getByLabel('Why urgent')).toBeVisible();

  // A failed submit: the summary takes focus and names the field.
  await form.getByRole('button', { name: 'Submit' }).click();
  const summary = user.getByTestId('error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Why urgent: is required');
  await expect(form.getByLabel('Why urgent')).toHaveAttribute('aria-invalid', 'true');

  await form.getByLabel('Why urgent').fill('They are wilting');
  await form.getByRole('button', { name: 'Submit' }).click();
  await expect(user.getByTestId('form-notice')).toContainText('Submitted to Intake.');
  await expect(form.getByLabel('Title')).toHaveValue('');
  expect(dialogs).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the same form posts and shows the same errors', async ({ page }) => {
    await logIn(page, 'user@taskmanager.com', undefined, false);
    await expect(page.getByTestId('user-name')).toBeVisible();
    await page.goto(`/forms/${SERVICE}`);
    const form = page.getByTestId('generated-form');
    // Without JavaScript nothing is hidden; the condition is written out instead.
    await expect(form.getByText('Only when Priority')).toBeVisible();
    await form.getByLabel('Title').fill('ab');
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect(page).toHaveURL(new RegExp(`/forms/${SERVICE}\\??$`));
    await expect(page.getByTestId('field-error').first()).toHaveText('must be at least 3 characters');
    await expect(page.getByTestId('error-summary')).toContainText('Title: must be at least 3 characters');
    await expect(page.getByTestId('generated-form').getByLabel('Title')).toHaveValue('ab');

    await page.getByTestId('generated-form').getByLabel('Title').fill('Water the plants');
    await page.getByTestId('generated-form').getByRole('button', { name: 'Submit' }).click();
    await expect(page.getByTestId('form-notice')).toContainText('Submitted to Intake.');
  });
});
