import { createHmac } from 'node:crypto';
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

/** The one-time link most recently mailed to `email`, read from the dev server's mailbox
 *  page (dev mode without SMTP keeps mail there). */
export async function mailedLink(request: APIRequestContext, email: string): Promise<string> {
  let link: string | undefined;
  await expect(async () => {
    const page = await request.get('/dev/mailbox');
    expect(page.status()).toBe(200);
    const html = await page.text();
    const at = html.indexOf(`data-to="${email}"`);
    expect(at).toBeGreaterThanOrEqual(0);
    const found = html.slice(at).match(/href="(http[^"]*token=[0-9a-f]+)"/);
    expect(found).not.toBeNull();
    link = found![1];
  }).toPass({ timeout: 10_000 });
  return new URL(link!).pathname + new URL(link!).search;
}

/** Invites a new address into a tenant through the API, as that tenant's admin, then (as the
 *  address's owner) opens the mailed link, chooses `password` and accepts. Answers the email. */
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
    data: { email, name: `${prefix} person`, role: 'USER' },
  });
  expect(invite.status()).toBe(202);
  const linkToken = new URLSearchParams((await mailedLink(request, email)).split('?')[1]).get('token');
  const link = await request.post('/api/v1/auth/link', { data: { token: linkToken } });
  expect(link.status()).toBe(200);
  const accept = (await link.json()).data.invitations.map((i: { id: string }) => i.id);
  const set = await request.post('/api/v1/auth/password-reset/confirm', {
    data: { token: linkToken, newPassword: password, acceptInvitations: accept },
  });
  expect(set.status()).toBe(200);
  return email;
}

/** The authenticator app's code (RFC 6238: HMAC-SHA1, 6 digits, 30 s) for a base32 secret as
 *  the account page shows it, `steps` steps from now. */
export function totpCode(secret: string, steps = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/[\s=]/g, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + steps));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}
