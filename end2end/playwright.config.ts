import { defineConfig } from '@playwright/test';

// scripts/e2e.sh sets these and prepares a fresh database before Playwright starts.
const baseURL = process.env.INTI_E2E_BASE_URL ?? 'http://127.0.0.1:3100';

export default defineConfig({
  testDir: './tests',
  // Debug build, two browsers on two cores: the longest flows (several sign-ins) need more
  // than 30 s when they run beside each other.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  // One retry, reported as "flaky" in the output: about one sign-in in fifty stalls after the
  // dashboard's lazy WASM chunk has loaded (the page stays on the login form, no request
  // follows; seen with two debug-build browsers on two cores). A test that fails twice fails.
  retries: 1,
  workers: 2,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium; Playwright's own browser download cannot work on these machines.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: 'target/debug/inti serve',
      cwd: '..',
      // Health checks every second, so that the registry shows the demo service's health
      // within the test's patience.
      env: { ...process.env, INTI_GATEWAY_HEALTH_INTERVAL_SECS: '1' } as Record<string, string>,
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      // The demo external service the seed registers (at 127.0.0.1:3200); it reports
      // deliveries to this run's server. Its /health answers 401 without the key: up.
      command: `target/debug/inti demo-whatsapp --port 3200 --webhook-url ${baseURL}/api/v1/webhooks/whatsapp-gateway`,
      cwd: '..',
      url: 'http://127.0.0.1:3200/health',
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
