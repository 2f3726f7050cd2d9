import { defineConfig } from '@playwright/test';

// The release server cargo-leptos built, on its own port with a fresh database in .data/.
const server = process.env.HEXPLAN_SERVER ?? '../target/release/hexplan';
const port = 3100;

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        // Debian's Chromium: Playwright never downloads a browser here.
        launchOptions: {
          executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    // Every test signs in from this one address, more often than the per-address limit allows.
    command: `${server} --address 127.0.0.1:${port} --demo --sign-ins-per-minute 1000 --data-dir .data --site-root ../target/site`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: process.env.HEXPLAN_E2E_REUSE === '1',
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
