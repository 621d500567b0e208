// Screenshots for the README, taken from a running dev server with the demo data:
//   node end2end/screenshots.mjs [http://127.0.0.1:3000]   (writes docs/images/*.png)
// Debian's Chromium, as in the end-to-end suite.
import { chromium } from './node_modules/playwright/index.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const out = new URL('../docs/images/', import.meta.url).pathname;
const password = process.env.DEMO_PASSWORD ?? 'inti-demo-2026';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await (await browser.newContext({ viewport: { width: 1280, height: 760 } })).newPage();

async function signIn(email) {
  // A signed-in browser is sent on from the login page: start each person afresh.
  await page.context().clearCookies();
  await page.goto(`${base}/login`);
  await page.waitForSelector('form[data-hydrated="true"]', { timeout: 30_000 });
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid="app-shell"][data-hydrated="true"]', { timeout: 30_000 });
}

async function shoot(path, name) {
  await page.goto(`${base}${path}`);
  await page.waitForSelector('[data-testid="app-shell"][data-hydrated="true"]', { timeout: 30_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${out}${name}.png` });
}

await signIn('superadmin@core.com');
await shoot('/admin/services', 'registry');
await signIn('user@taskmanager.com');
await shoot('/tasks/create', 'generated-form');
await browser.close();
console.log(`screenshots in ${out}`);
