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
