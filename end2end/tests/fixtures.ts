// Shared set-up for the browser tests: every page must load without a console error or a
// hydration warning, and pass an axe-core accessibility scan.
import { test as base, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The release server the tests run (cargo-leptos builds it). */
export const binary = process.env.HEXPLAN_SERVER ?? '../target/release/hexplan';

/** Starts a server of the tests' own with `args` and waits until `base` answers its health
 * check. */
export async function startServer(args: string[], base: string): Promise<ChildProcess> {
  const server = spawn(binary, args, { stdio: 'ignore' });
  for (let tries = 0; tries < 300; tries++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  server.kill();
  throw new Error('the server did not start');
}

/** A server of the tests' own on an empty database (in a new temporary folder) whose one
 * account, in Business Improvement, was added with `hexplan add-business-improvement`, as an
 * operator starts a council's plan. */
export async function emptyPlanServer(
  port: number,
  person: { name: string; email: string; username: string; password: string },
): Promise<{ server: ChildProcess; dataDir: string; base: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hexplan-empty-'));
  const file = join(dataDir, 'password.txt');
  writeFileSync(file, `${person.password}\n`);
  const added = spawnSync(
    binary,
    ['add-business-improvement', '--data-dir', dataDir, '--name', person.name,
      '--email', person.email, '--username', person.username, '--password-file', file],
    { encoding: 'utf8' },
  );
  expect(added.status, added.stderr).toBe(0);
  rmSync(file);
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(
    ['--address', `127.0.0.1:${port}`, '--data-dir', dataDir, '--site-root', '../target/site', '--sign-ins-per-minute', '1000'],
    base,
  );
  return { server, dataDir, base };
}

type Fixtures = { consoleProblems: string[] };

export const test = base.extend<Fixtures>({
  consoleProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (message) => {
        const text = message.text();
        if (message.type() === 'error' || /hydrat/i.test(text)) {
          problems.push(`${message.type()}: ${text} @ ${page.url()}`);
        }
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      await use(problems);
      expect(problems, 'console errors and hydration warnings').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until the WebAssembly has hydrated the page. */
export async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
}

/** Runs axe-core against WCAG 2.2 A and AA and expects no violations. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary).toEqual([]);
}

/** Signs in as a demonstration person (they all share the demonstration password). */
export async function signIn(page: Page, username: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('jsp-demo-2017');
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Sign out');
}
