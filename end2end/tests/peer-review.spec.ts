// Setting up a peer review session in the browser, and an invited Cabinet member finding it.
import type { Browser, WebSocketRoute } from '@playwright/test';
import { test, expect, expectAccessible, signIn } from './fixtures';

test('an Assistant Director sets up a session and an invited Portfolio Holder finds it on the home page', async ({ page }) => {
  await signIn(page, 'helen.marsh');
  await page.getByRole('link', { name: 'Peer review' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Peer review sessions');
  await expectAccessible(page);
  await page.getByLabel('Title').fill('Peer review of the waste indicators');
  await page.getByLabel('Day', { exact: true }).fill('5');
  await page.getByLabel('Month', { exact: true }).fill('3');
  await page.getByLabel('Year', { exact: true }).fill('2018');
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

test('a facilitator invites all Cabinet at once and someone else from behind "Someone else", with the keyboard', async ({ page }) => {
  await signIn(page, 'helen.marsh');
  await page.goto('/reviews');
  const invite = page.getByRole('group', { name: 'Invite' });
  // Cabinet members and Assistant Directors are listed; everyone else waits behind a closed
  // "Someone else", and the facilitator is not offered to themselves.
  await expect(invite.getByLabel('All Cabinet members')).toBeVisible();
  await expect(invite.getByLabel(/^Cllr Jan Osborne/)).toBeVisible();
  await expect(invite.getByLabel(/^Priya Nandra/)).toBeVisible();
  await expect(invite.getByLabel(/^Mark Ellis/)).toBeHidden();
  await expect(invite.getByLabel(/^Helen Marsh/)).toHaveCount(0);
  await page.getByLabel('Title').fill('Quarterly review with all Cabinet');
  await page.getByLabel('Day', { exact: true }).fill('12');
  await page.getByLabel('Month', { exact: true }).fill('3');
  await page.getByLabel('Year', { exact: true }).fill('2018');
  await invite.getByLabel('All Cabinet members').focus();
  await page.keyboard.press('Space');
  await invite.getByText('Someone else').focus();
  await page.keyboard.press('Enter');
  await invite.getByLabel(/^Mark Ellis/).focus();
  await page.keyboard.press('Space');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Set up the session' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quarterly review with all Cabinet');
  // Every Cabinet member is invited, and Mark Ellis; no one else.
  const invited = page.locator('#invited ~ ul .link-list__label');
  await expect(invited.filter({ hasText: 'Cllr Jan Osborne' })).toHaveCount(1);
  await expect(invited.filter({ hasText: 'Cllr Mary Finch' })).toHaveCount(1);
  await expect(invited.filter({ hasText: 'Mark Ellis' })).toHaveCount(1);
  await expect(invited.filter({ hasText: 'Priya Nandra' })).toHaveCount(0);
  await expectAccessible(page);
});

/** A person in their own browser, whose live connection passes through the test so it can be cut. */
async function participant(browser: Browser, problems: string[]) {
  const page = await (await browser.newContext()).newPage();
  let offline = false;
  const connections: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/live$/, (socket) => {
    if (offline) {
      socket.close();
      return;
    }
    socket.connectToServer();
    connections.push(socket);
  });
  // A refused reconnection while cut off is the test's doing, not the page's.
  page.on('console', (m) => {
    if ((m.type() === 'error' && !/WebSocket/.test(m.text())) || /hydrat/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return {
    page,
    cut: async () => {
      offline = true;
      for (const connection of connections.splice(0)) await connection.close();
    },
    restore: () => {
      offline = false;
    },
  };
}

test('a facilitator, a Cabinet member and an Assistant Director review together, live', async ({ browser }) => {
  const problems: string[] = [];
  const { page: facilitator } = await participant(browser, problems);
  const { page: member } = await participant(browser, problems);
  const director = await participant(browser, problems);
  const ad = director.page;

  await signIn(facilitator, 'claire.whitby');
  await facilitator.goto('/reviews');
  await facilitator.getByLabel('Title').fill('Housing indicators');
  await facilitator.getByLabel('Day', { exact: true }).fill('5');
  await facilitator.getByLabel('Month', { exact: true }).fill('3');
  await facilitator.getByLabel('Year', { exact: true }).fill('2018');
  await facilitator.getByLabel('What it reviews').selectOption('indicators');
  await facilitator.getByLabel('Indicators', { exact: true }).fill('HD01, HD02');
  await facilitator.getByRole('group', { name: 'Invite' }).getByLabel(/^Cllr Mary Finch/).check();
  await facilitator.getByRole('group', { name: 'Invite' }).getByLabel(/^Priya Nandra/).check();
  await facilitator.getByRole('button', { name: 'Set up the session' }).click();
  await facilitator.getByRole('button', { name: 'Start the session' }).click();
  await expect(facilitator.locator('#now')).toContainText('Being reviewed now');
  const address = facilitator.url().replace(/#.*$/, '');

  await signIn(member, 'mary.finch');
  await member.goto(address);
  await signIn(ad, 'priya.nandra');
  await ad.goto(address);
  // Everyone sees who is present, and the indicator with its latest figures.
  for (const page of [facilitator, member, ad]) {
    await expect(page.locator('#present')).toHaveText(/Claire Whitby\s*Cllr Mary Finch\s*Priya Nandra/);
  }
  await expect(ad.getByRole('heading', { level: 2, name: /^HD01/ })).toBeVisible();
  await expect(ad.getByRole('table', { name: 'Latest figures' })).toContainText('Babergh');

  // The member's verdict, made with the keyboard, reaches the others' tallies without a reload.
  await member.getByLabel('Your verdict').focus();
  await member.keyboard.press('End'); // the last choice: amend the target
  await member.getByLabel('Proposed target').fill('150');
  await member.getByLabel('Comment').fill('Stretch it');
  await member.getByLabel('Comment').press('Enter');
  await expect(member.locator('#now')).toContainText('Your verdict: Amend the target.');
  await expect(facilitator.getByRole('row', { name: /^Amend the target/ })).toContainText('1');
  await expect(ad.getByRole('row', { name: /^Amend the target/ })).toContainText('1');
  await ad.getByLabel('Your verdict').selectOption('refine');
  await ad.getByRole('button', { name: 'Record my verdict' }).click();
  await expect(member.getByRole('row', { name: /^Refine/ })).toContainText('1');
  await expect(facilitator.locator('#now')).toContainText('Priya Nandra: Refine');
  await expectAccessible(ad);

  // The facilitator records what was agreed and moves on; the others follow, and a screen
  // reader hears where the session went.
  await facilitator.getByLabel('Agreed outcome').fill('Name the data source in the definition');
  await facilitator.getByLabel('Change agreed').selectOption('refine');
  await facilitator.getByRole('button', { name: 'Record the agreed outcome' }).click();
  await facilitator.getByRole('button', { name: 'Next indicator' }).click();
  for (const page of [member, ad]) {
    await expect(page.getByRole('heading', { level: 2, name: /^HD02/ })).toBeVisible();
    await expect(page.locator('#review-live')).toContainText('Now reviewing HD02');
  }

  // The Assistant Director looks back at HD01, then returns to live with one key.
  await ad.getByRole('link', { name: /^HD01/ }).click();
  await expect(ad.locator('#now')).toContainText('You are looking ahead or back');
  await ad.keyboard.press('Escape');
  await expect(ad.getByRole('heading', { level: 2, name: /^HD02/ })).toBeVisible();
  await expect(ad.locator('#now')).toContainText('Being reviewed now');

  // Cut off and back: the director's page says so, reconnects and catches up with the
  // verdict and the move made meanwhile; nothing is lost.
  await director.cut();
  await expect(ad.locator('#review-live')).toContainText('reconnecting');
  await member.getByLabel('Your verdict').selectOption('delete');
  await member.getByRole('button', { name: 'Record my verdict' }).click();
  await expect(facilitator.getByRole('row', { name: /^Delete/ })).toContainText('1');
  await facilitator.getByRole('button', { name: 'Previous indicator' }).click();
  director.restore();
  await expect(ad.getByRole('heading', { level: 2, name: /^HD01/ })).toBeVisible({ timeout: 20_000 });
  await expect(ad.getByRole('row', { name: /^Refine/ })).toContainText('1');
  await expect(ad.getByRole('row', { name: /^Amend the target/ })).toContainText('1');
  await expect(ad.locator('#now')).toContainText('Your verdict: Refine.');

  // Someone not invited is refused.
  const outsider = await (await browser.newContext()).newPage();
  await signIn(outsider, 'rosa.hart');
  const refused = await outsider.goto(address);
  expect(refused?.status()).toBe(403);
  await expect(outsider.locator('main')).toContainText('You do not have permission');

  // After the session: the summary, and Business Improvement makes the agreed change.
  await facilitator.getByRole('link', { name: 'Summary of the session' }).click();
  const hd01 = facilitator.getByRole('row', { name: /^1\. HD01/ });
  await expect(hd01).toContainText('Amend the target: 1');
  await expect(hd01).toContainText('Refine the definition: Name the data source in the definition');
  await expect(facilitator.getByRole('link', { name: 'XLSX' })).toHaveAttribute('href', /\/summary\.xlsx$/);
  await expectAccessible(facilitator);
  await hd01.getByRole('link', { name: /^Make this change/ }).click();
  await expect(facilitator.getByRole('heading', { name: /^Make the agreed change to HD01/ })).toBeVisible();
  await expectAccessible(facilitator);
  const definition = facilitator.getByLabel('Definition');
  await definition.fill(`${await definition.inputValue()} Source: the housing register.`);
  await facilitator.getByRole('button', { name: 'Refine the indicator' }).click();
  await expect(facilitator.getByRole('row', { name: /^1\. HD01/ })).toContainText('Made');
  await facilitator.getByRole('row', { name: /^1\. HD01/ }).getByRole('link', { name: "In the indicator's history" }).click();
  await expect(facilitator.getByRole('row', { name: /Agreed at the peer review session “Housing indicators”/ })).toContainText('Source: the housing register.');

  expect(problems, 'console errors and hydration warnings').toEqual([]);
  for (const page of [facilitator, member, ad, outsider]) await page.context().close();
});
