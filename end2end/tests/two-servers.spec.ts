// Two Hexplan servers sharing one PostgreSQL database, as behind a load balancer: the
// facilitator of a live peer review session is on one, a Cabinet member on the other, and
// each sees the other's doing without a reload.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser, Page } from '@playwright/test';
import { test, expect, expectAccessible } from './fixtures';

const database = process.env.HEXPLAN_TEST_POSTGRES;
const binary = process.env.HEXPLAN_SERVER ?? '../target/release/hexplan';
const servers: ChildProcess[] = [];
const first = 'http://127.0.0.1:3101';
const second = 'http://127.0.0.1:3102';

async function serve(base: string) {
  const server = spawn(
    binary,
    ['--address', base.replace('http://', ''), '--demo', '--sign-ins-per-minute', '1000', '--database-url', database ?? '', '--site-root', '../target/site'],
    { stdio: 'ignore' },
  );
  servers.push(server);
  for (let tries = 0; tries < 300; tries++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server at ${base} did not start`);
}

test.beforeAll(async () => {
  // `make e2e` starts a throwaway PostgreSQL and names it here.
  if (!database) throw new Error('HEXPLAN_TEST_POSTGRES must name a PostgreSQL server (make e2e starts one)');
  await serve(first); // creates the tables and the demonstration data
  await serve(second);
});

test.afterAll(() => {
  for (const server of servers) server.kill();
});

/** A person in their own browser, signed in on the server at `base`. */
async function personAt(browser: Browser, base: string, username: string, problems: string[]): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('jsp-demo-2017');
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Sign out');
  return page;
}

test('the facilitator on one server and a member on another review together, live', async ({ browser }) => {
  const problems: string[] = [];
  const facilitator = await personAt(browser, first, 'claire.whitby', problems);
  await facilitator.goto(`${first}/reviews`);
  await facilitator.getByLabel('Title').fill('Waste indicators across two servers');
  await facilitator.getByLabel('Day', { exact: true }).fill('5');
  await facilitator.getByLabel('Month', { exact: true }).fill('3');
  await facilitator.getByLabel('Year', { exact: true }).fill('2018');
  await facilitator.getByLabel('What it reviews').selectOption('indicators');
  await facilitator.getByLabel('Indicators', { exact: true }).fill('WE01, WE02');
  await facilitator.getByRole('group', { name: 'Invite' }).getByLabel(/^Cllr Mary Finch/).check();
  await facilitator.getByRole('button', { name: 'Set up the session' }).click();
  await facilitator.getByRole('button', { name: 'Start the session' }).click();
  await expect(facilitator.locator('#now')).toContainText('Being reviewed now');
  const path = new URL(facilitator.url()).pathname;

  const member = await personAt(browser, second, 'mary.finch', problems);
  await member.goto(`${second}${path}`);
  // Each sees who is present through either server.
  for (const page of [facilitator, member]) {
    await expect(page.locator('#present')).toHaveText(/Claire Whitby\s*Cllr Mary Finch/);
  }
  await expect(member.getByRole('heading', { level: 2, name: /^WE01/ })).toBeVisible();

  // The member's verdict, made on the second server, reaches the facilitator's tally on the first.
  await member.getByLabel('Your verdict').selectOption('adequate');
  await member.getByRole('button', { name: 'Record my verdict' }).click();
  await expect(facilitator.getByRole('row', { name: /^Adequate/ })).toContainText('1');

  // The facilitator moves on through the first; the member follows on the second.
  await facilitator.getByRole('button', { name: 'Next indicator' }).click();
  await expect(member.getByRole('heading', { level: 2, name: /^WE02/ })).toBeVisible();
  await expect(member.locator('#review-live')).toContainText('Now reviewing WE02');
  await expectAccessible(member);
  expect(problems, 'console errors and hydration warnings').toEqual([]);
});
