// Two plans served by one process, each on its own host name with its own database: north on
// 127.0.0.1 and south on localhost, both holding the demonstration data (the same people,
// passwords and ids). Signing in to one signs nobody in to the other, and a target amended in
// one is not amended in the other.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, hydrated, expectAccessible, startServer } from './fixtures';

const port = 3103;
const north = `http://127.0.0.1:${port}`;
const south = `http://localhost:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'hexplan-plans-'));
let server: ChildProcess | undefined;

test.beforeAll(async () => {
  // Each plan's database is an SQLite file of its own in the data directory.
  const plans = join(dataDir, 'plans.toml');
  writeFileSync(
    plans,
    [
      '[[plan]]', 'slug = "north"', 'hosts = ["127.0.0.1"]', 'demo = true', '',
      '[[plan]]', 'slug = "south"', 'hosts = ["localhost"]', 'demo = true', '',
    ].join('\n'),
  );
  // Every plan's database is ready before the process listens.
  server = await startServer(
    ['--address', `127.0.0.1:${port}`, '--plans', plans, '--sign-ins-per-minute', '1000', '--data-dir', dataDir, '--site-root', '../target/site'],
    north,
  );
});

test.afterAll(() => {
  server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

test('each plan on its own host keeps its own sign-in and its own targets', async ({ page }) => {
  // Both plans' maps hydrate and pass the accessibility scan.
  for (const base of [north, south]) {
    await page.goto(`${base}/`);
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(page);
  }

  // Jan signs in to north.
  await page.goto(`${north}/sign-in`);
  await page.getByLabel('Username').fill('jan.osborne');
  await page.getByLabel('Password').fill('jsp-demo-2017');
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Sign out');

  // South does not know the session: the same browser is signed out there.
  await page.goto(`${south}/outputs/1?council=babergh&period=2017-18-q2`);
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Sign in');
  await expect(page.getByRole('link', { name: /^Change the/ })).toHaveCount(0);
  const before = await page.locator('.target-editor__target').first().innerText();
  expect(before).not.toContain('96.5');

  // Jan amends a target on north with the keyboard.
  await page.goto(`${north}/outputs/1?council=babergh&period=2017-18-q2`);
  await hydrated(page);
  const change = page.getByRole('link', { name: /^Change the 2017\/18 target, now / }).first();
  await change.focus();
  await page.keyboard.press('Enter');
  const cell = page.locator('.target-editor').first();
  await cell.getByLabel('2017/18 target', { exact: true }).fill('96.5');
  await cell.getByLabel('Reason for the change').fill('Agreed for the north plan only');
  await cell.getByLabel('Reason for the change').press('Enter');
  await expect(cell).toContainText('Saved: target 96.5 kg');

  // South's target is as it was.
  await page.goto(`${south}/outputs/1?council=babergh&period=2017-18-q2`);
  await hydrated(page);
  await expect(page.locator('.target-editor__target').first()).toHaveText(before);
  await expectAccessible(page);

  // A host no plan lists is told so.
  const unknown = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', headers: { host: 'elsewhere.example' } }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
  expect(unknown.status).toBe(404);
  expect(unknown.body).toContain('Hexplan serves no plan at this address');
});
