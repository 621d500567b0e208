import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('a super admin registers a service with an endpoint and a menu, assigns it, and the tenant admin sees it', async ({ page, browser }) => {
  const stamp = Date.now();
  const name = `crm-${stamp}`;
  const display = `CRM ${stamp}`;
  await logIn(page, 'superadmin@core.com');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service registry' }).click();
  await expect(page.getByRole('heading', { name: 'Service registry', level: 1 })).toBeVisible();
  await expect(page.getByTestId('service-cards')).toContainText('WhatsApp Gateway');
  await expect(page.getByTestId('service-cards')).toContainText('Task Manager');

  await page.getByRole('link', { name: 'Register a service' }).click();
  const form = page.getByRole('form', { name: 'Register a service' });
  await form.getByLabel(/^Name/).fill(name);
  await form.getByLabel(/^Display name/).fill(display);
  await form.getByLabel(/^Type/).selectOption('EXTERNAL');
  await form.getByLabel(/^Base URL/).fill('https://crm.example.com');
  await form.getByLabel(/^Visibility/).selectOption('PRIVATE');
  // A menu item with a malformed permission: the error names its JSON path.
  await form.getByLabel(/^Menu schema/).fill(
    JSON.stringify({ items: [{ name: 'Contacts', path: '/crm/contacts', icon: 'users', permission: 'CRM Read' }] }),
  );
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(form.getByRole('alert')).toContainText('menuSchema.items[0].permission');

  await form.getByLabel(/^Menu schema/).fill(
    JSON.stringify({ items: [{ name: 'Contacts', path: '/crm/contacts', icon: 'users', permission: 'crm:read' }] }),
  );
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(page).toHaveURL(/\/admin\/services\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('service-name')).toHaveText(display);

  const tabs = page.getByRole('navigation', { name: 'Service sections' });
  await tabs.getByRole('link', { name: 'Endpoints' }).click();
  const endpoint = page.getByRole('form', { name: 'Add an endpoint' });
  await endpoint.getByLabel(/^Method/).selectOption('GET');
  await endpoint.getByLabel(/^Path/).fill('/contacts');
  await endpoint.getByLabel(/^Name/).fill('contacts:list');
  await endpoint.getByLabel(/^Required permissions/).fill('crm:read');
  await endpoint.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByTestId('endpoint-table')).toContainText('/contacts');
  await expect(page.getByTestId('endpoint-table')).toContainText('crm:read');

  await tabs.getByRole('link', { name: 'Tenants' }).click();
  const assign = page.getByRole('form', { name: 'Assign to a tenant' });
  await assign.getByLabel(/^Tenant domain/).fill('taskmanager');
  await assign.getByRole('button', { name: 'Assign' }).click();
  await expect(page.getByTestId('assignment-table')).toContainText('Task Manager');

  // The tenant's admin sees it on the Services page (tenant admins read services).
  const other = await browser.newContext();
  const admin = await other.newPage();
  await logIn(admin, 'admin@taskmanager.com');
  await admin.getByRole('link', { name: 'Services', exact: true }).click();
  await expect(admin.getByRole('heading', { name: 'Services', level: 1 })).toBeVisible();
  await expect(admin.getByTestId('my-services')).toContainText(display);
  await expect(admin.getByTestId('my-services')).toContainText('Task Manager');
  // A tenant admin has no registry.
  await expect(admin.getByRole('link', { name: 'Service registry' })).toHaveCount(0);
  await other.close();
});

test('a super admin imports a service from an OpenAPI document, previews the draft and registers it', async ({ page }) => {
  const title = `Pet Store ${Date.now()}`;
  const yaml = [
    'openapi: 3.1.0',
    'info:',
    `  title: ${title}`,
    '  version: 1.0.0',
    'servers:',
    '  - url: http://127.0.0.1:3200',
    'paths:',
    '  /pets:',
    '    get: { operationId: listPets, summary: List pets }',
    '    post:',
    '      operationId: createPet',
    '      summary: Add a pet',
    '      requestBody:',
    '        content:',
    '          application/json:',
    '            schema:',
    '              type: object',
    '              required: [name]',
    '              properties:',
    '                name: { type: string, maxLength: 50 }',
    '                x-odd: { type: string }',
  ].join('\n');
  await logIn(page, 'superadmin@core.com');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service registry' }).click();
  await expect(page.getByRole('heading', { name: 'Service registry', level: 1 })).toBeVisible();
  // The seeded demo service is probed every second here: its card soon says it is up.
  const card = page.getByTestId('service-cards').getByRole('listitem').filter({ hasText: 'whatsapp-gateway' });
  await expect(async () => {
    await page.reload();
    await expect(card.getByTestId('service-health')).toContainText('Healthy', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(card.getByTestId('service-health')).toContainText(/\d+(\.\d)?% in 24 h/);

  await page.getByRole('link', { name: 'Import from OpenAPI' }).click();
  await expect(page.getByRole('heading', { name: 'Import from OpenAPI' })).toBeVisible();
  await page.locator('textarea[name="document"]').fill(yaml);
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText(`Draft: ${title}`);
  await expect(preview.getByTestId('import-endpoints')).toContainText('createPet');
  await expect(preview).toContainText('property x-odd is not a name a form field can have');
  await expect(preview).toContainText('Menu: List pets · Add a pet');
  await page.screenshot({ path: 'test-results/openapi-import.png', fullPage: true });

  await preview.getByRole('button', { name: 'Register' }).click();
  await expect(page).toHaveURL(/\/admin\/services\/[0-9a-f-]{36}/);
  await expect(page.getByTestId('service-name')).toHaveText(title);
});
