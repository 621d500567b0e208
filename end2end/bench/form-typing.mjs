// Typing in a generated form of many fields, in Debian Chromium against a running server
// (scripts/bench-form-typing.sh starts the release build). For each keystroke it measures,
// inside the page, the time from the input event to the end of the reactive work it starts
// (Leptos runs effects as microtasks; a message-channel task runs after all of them), and
// prints the median, 95th percentile and maximum per form size.
// Usage: node end2end/bench/form-typing.mjs <base url> <service name> [<service name> ...]
import { chromium } from '@playwright/test';

const [base, ...services] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const page = await browser.newPage();
await page.goto(`${base}/login`);
await page.locator('form[data-hydrated="true"]').waitFor();
await page.getByLabel('Email').fill('admin@taskmanager.com');
await page.getByLabel('Password').fill(process.env.DEMO_PASSWORD ?? 'inti-demo-2026');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL((url) => !url.pathname.startsWith('/login'));

for (const service of services) {
  await page.goto(`${base}/forms/${service}`);
  await page.locator('form[data-hydrated="true"]').waitFor();
  const expected = Number(service.split('-').pop());
  const result = await page.evaluate(async () => {
    const settle = () => new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    });
    const inputs = [...document.querySelectorAll('form[data-testid="generated-form"] input[type="text"]')];
    // The first, the middle and the last field; typing makes each one invalid, then valid.
    const targets = [inputs[0], inputs[Math.floor(inputs.length / 2)], inputs[inputs.length - 1]];
    const times = [];
    for (let round = 0; round < 5; round++) {
      for (const input of targets) {
        input.value = '';
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await settle();
        for (const ch of 'ab1 typed text') {
          input.value += ch;
          const start = performance.now();
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await settle();
          times.push(performance.now() - start);
        }
        input.dispatchEvent(new Event('blur'));
        await settle();
      }
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    return { fields: inputs.length, keys: times.length, median: at(0.5), p95: at(0.95), max: times[times.length - 1] };
  });
  if (result.fields !== expected) throw new Error(`${service}: ${result.fields} text fields, expected ${expected}`);
  console.log(
    `${service}: ${result.fields} text fields, ${result.keys} keystrokes: ` +
      `median ${result.median.toFixed(2)} ms, p95 ${result.p95.toFixed(2)} ms, max ${result.max.toFixed(2)} ms`,
  );
}
await browser.close();
