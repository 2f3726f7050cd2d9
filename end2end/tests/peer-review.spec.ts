// Setting up a peer review session in the browser, and an invited Cabinet member finding it.
import { test, expect, expectAccessible, signIn } from './fixtures';

test('an Assistant Director sets up a session and an invited Portfolio Holder finds it on the home page', async ({ page }) => {
  await signIn(page, 'helen.marsh');
  await page.getByRole('link', { name: 'Peer review' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Peer review sessions');
  await expectAccessible(page);
  await page.getByLabel('Title').fill('Peer review of the waste indicators');
  await page.getByLabel('Date').fill('2018-03-05');
  await page.getByLabel('What it reviews').selectOption('themes');
  await page.getByRole('group', { name: 'Themes' }).getByLabel('Waste & Environment').check();
  await page.getByRole('group', { name: 'Invite' }).getByLabel(/^Cllr Jan Osborne/).check();
  await page.getByRole('button', { name: 'Set up the session' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Peer review of the waste indicators');
  const first = page.locator('.agenda__item').first();
  const second = (await page.locator('.agenda__item').nth(1).locator('a').textContent()) ?? '';
  await page.getByRole('button', { name: `Move ${second} earlier` }).click();
  await expect(first.locator('a')).toHaveText(second);
  await expectAccessible(page);

  await page.context().clearCookies();
  await signIn(page, 'jan.osborne');
  await page.goto('/');
  const invitation = page.locator('.panel--invitation');
  await expect(invitation).toContainText('Your peer review sessions');
  await invitation.getByRole('link', { name: 'Peer review of the waste indicators' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Peer review of the waste indicators');
  await expect(page.getByRole('button', { name: /^Move / })).toHaveCount(0);
  await expectAccessible(page);
});

test('the facilitator starts a session, a member records a verdict and the tally counts it', async ({ browser }) => {
  // Two people in their own browsers.
  const facilitator = await (await browser.newContext()).newPage();
  const member = await (await browser.newContext()).newPage();
  // The member's live connection passes through the test, which can cut it.
  let offline = false;
  const connections: { close: () => Promise<void> }[] = [];
  await member.routeWebSocket(/\/live$/, (socket) => {
    if (offline) {
      socket.close();
      return;
    }
    socket.connectToServer();
    connections.push(socket);
  });
  const problems: string[] = [];
  for (const page of [facilitator, member]) {
    // A refused reconnection while cut off is the test's doing, not the page's.
    page.on('console', (m) => {
      if ((m.type() === 'error' && !/WebSocket/.test(m.text())) || /hydrat/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  }
  await signIn(facilitator, 'claire.whitby');
  await facilitator.goto('/reviews');
  await facilitator.getByLabel('Title').fill('Housing indicators');
  await facilitator.getByLabel('Date').fill('2018-03-05');
  await facilitator.getByLabel('What it reviews').selectOption('indicators');
  await facilitator.getByLabel('Indicators', { exact: true }).fill('HD01, HD02');
  await facilitator.getByRole('group', { name: 'Invite' }).getByLabel(/^Cllr Mary Finch/).check();
  await facilitator.getByRole('button', { name: 'Set up the session' }).click();
  await facilitator.getByRole('button', { name: 'Start the session' }).click();
  await expect(facilitator.locator('#now')).toContainText('Being reviewed now');
  const address = facilitator.url().replace(/#.*$/, '');

  await signIn(member, 'mary.finch');
  await member.goto(address);
  await expect(member.getByRole('heading', { level: 2, name: /^HD01/ })).toBeVisible();
  await member.getByLabel('Your verdict').selectOption('refine');
  await member.getByLabel('Comment').fill('Name the data source');
  await member.getByRole('button', { name: 'Record my verdict' }).click();
  await expect(member.locator('#now')).toContainText('Your verdict: Refine.');
  await expectAccessible(member);

  // The facilitator's page follows without a reload.
  await expect(facilitator.getByRole('row', { name: /^Refine/ })).toContainText('1');
  await expect(facilitator.locator('#now')).toContainText('Cllr Mary Finch: Refine – Name the data source');
  await expectAccessible(facilitator);
  await facilitator.getByRole('button', { name: 'Next indicator' }).click();
  // So does the member's, and a screen reader hears where the session went.
  await expect(member.getByRole('heading', { level: 2, name: /^HD02/ })).toBeVisible();
  await expect(member.locator('#review-live')).toContainText('Now reviewing HD02');

  // Cut off and back: the member's page says so, reconnects and catches up with what it missed.
  offline = true;
  for (const connection of connections) await connection.close();
  await expect(member.locator('#review-live')).toContainText('reconnecting');
  await facilitator.getByRole('button', { name: 'Previous indicator' }).click();
  offline = false;
  await expect(member.getByRole('heading', { level: 2, name: /^HD01/ })).toBeVisible({ timeout: 20_000 });
  await expect(member.locator('#now')).toContainText('Your verdict: Refine.');
  // The summary lists what each indicator got, and downloads.
  await facilitator.getByRole('link', { name: 'Summary of the session' }).click();
  await expect(facilitator.getByRole('row', { name: /^1\. HD01/ })).toContainText('Refine: 1');
  await expect(facilitator.getByRole('link', { name: 'XLSX' })).toHaveAttribute('href', /\/summary\.xlsx$/);
  await expectAccessible(facilitator);
  expect(problems, 'console errors and hydration warnings').toEqual([]);
  await facilitator.context().close();
  await member.context().close();
});
