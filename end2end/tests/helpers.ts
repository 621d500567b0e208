import { expect, type APIRequestContext, type Page } from '@playwright/test';

// The dev-mode default from the README; scripts/e2e.sh leaves DEMO_PASSWORD unset.
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'inti-demo-2026';

export const DEMO_USERS = [
  { email: 'superadmin@core.com', name: 'Super Admin', tenant: 'Core Platform', role: 'SUPER_ADMIN', tenants: 3 },
  { email: 'admin@taskmanager.com', name: 'Task Manager Admin', tenant: 'Task Manager', role: 'TENANT_ADMIN', tenants: 1 },
  { email: 'user@taskmanager.com', name: 'Task Manager User', tenant: 'Task Manager', role: 'USER', tenants: 1 },
  { email: 'admin@whatsapp.com', name: 'WhatsApp Admin', tenant: 'WhatsApp Gateway', role: 'TENANT_ADMIN', tenants: 1 },
];

export async function logIn(page: Page, email: string, password = DEMO_PASSWORD, hydrated = true) {
  await page.goto('/login');
  // With JavaScript on, test the hydrated form (the plain-HTML path has its own test).
  // Two browsers share two cores with the debug server: hydration of the debug WASM can
  // take longer than an assertion's usual wait.
  if (hydrated) await expect(page.locator('form[data-hydrated="true"]')).toBeVisible({ timeout: 20_000 });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Waits until the signed-in page runs in the browser: before that, a click on an action
 *  form posts it without JavaScript (a page load instead of the hydrated answer). */
export async function expectHydrated(page: Page) {
  await expect(page.locator('[data-testid="app-shell"][data-hydrated="true"]')).toBeVisible({ timeout: 20_000 });
}

export async function expectSignedOut(page: Page) {
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Sign in to Inti' })).toBeVisible();
}

/** Invites a new address into a tenant through the API, as that tenant's admin; the new
 *  account joins at its first sign-in. Answers the email. */
export async function inviteNewUser(
  request: APIRequestContext,
  adminEmail: string,
  prefix: string,
  password: string,
): Promise<string> {
  const email = `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const login = await request.post('/api/v1/auth/login', {
    data: { email: adminEmail, password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(200);
  const token = (await login.json()).data.tokens.accessToken;
  const invite = await request.post('/api/v1/users', {
    headers: { authorization: `Bearer ${token}` },
    data: { email, name: `${prefix} person`, password, role: 'USER' },
  });
  expect(invite.status()).toBe(202);
  return email;
}
