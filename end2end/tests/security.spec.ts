// What a person sees of the defences: a sign-in slowed down after repeated failures, a live
// session that stops following once they sign out elsewhere, and no message a link brings.
import { test, expect, expectAccessible, signIn } from './fixtures';

test('repeated failures at one username ask the person to wait, in words', async ({ page }) => {
  // An account no one has, so the wait holds up no other test signing in from this address.
  for (let attempt = 1; attempt <= 6; attempt++) {
    await page.goto('/sign-in');
    await page.getByLabel('Username').fill('no.such.person');
    await page.getByLabel('Password').fill(`guess number ${attempt}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  const summary = page.getByRole('alert');
  await expect(summary).toContainText(/Too many sign-in attempts from here\. Wait \d+ seconds before trying again\./);
  await expectAccessible(page);
});

test('a live session stops following when its person signs out in another tab', async ({ page }) => {
  await signIn(page, 'claire.whitby');
  await page.goto('/reviews');
  await page.getByLabel('Title').fill('Security check session');
  await page.getByLabel('Day', { exact: true }).fill('5');
  await page.getByLabel('Month', { exact: true }).fill('3');
  await page.getByLabel('Year', { exact: true }).fill('2018');
  await page.getByLabel('What it reviews').selectOption('plan');
  await page.getByRole('button', { name: 'Set up the session' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Security check session');
  await expect(page.locator('#present')).toContainText('Claire Whitby');

  const other = await page.context().newPage();
  await other.goto('/');
  await other.getByRole('button', { name: 'Sign out' }).click();
  await expect(other.getByRole('navigation', { name: 'Main' })).toContainText('Sign in');

  const live = page.locator('#review-live');
  await expect(live).toHaveText('You are no longer signed in to this session: sign in again to follow it.');
  await expect(live).toHaveAttribute('data-state', 'ended');
  await expectAccessible(page);
});

test('a link cannot put its own message on a page', async ({ page }) => {
  await signIn(page, 'claire.whitby');
  // What a refused form's address looks like (the error as JSON in URL-safe base64, padded),
  // with a message of the link's own making.
  const message = Buffer.from(
    JSON.stringify({ Invalid: { field: 'name', message: 'Your account is suspended: ring 0800 000 000' } }),
  )
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
  await page.goto(`/people?__path=%2Fapi%2Fadd-person&__err=${encodeURIComponent(message)}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('People and roles');
  await expect(page.locator('body')).not.toContainText('0800 000 000');
  await expect(page.getByRole('alert')).toHaveCount(0);
});
