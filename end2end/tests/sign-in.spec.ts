// Signing in and out with the keyboard, as a Portfolio Holder would.
import { test, expect, expectAccessible } from './fixtures';

test('a Portfolio Holder signs in and out', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveTitle(/^Sign in – Hexplan/);
  await expectAccessible(page);

  await page.getByLabel('Username').fill('jan.osborne');
  await page.getByLabel('Password').fill('not the password');
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByRole('alert')).toContainText('The username or password is not right');
  await expectAccessible(page);

  await page.getByLabel('Username').fill('jan.osborne');
  await page.getByLabel('Password').fill('jsp-demo-2017');
  await page.getByLabel('Password').press('Enter');
  await expect(page).toHaveURL(/\/$/);
  const main = page.getByRole('navigation', { name: 'Main' });
  await expect(main).toContainText('Cllr Jan Osborne (Portfolio Holder)');
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'hexplan_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');

  await main.getByRole('button', { name: 'Sign out' }).click();
  await expect(main.getByRole('link', { name: 'Sign in' })).toBeVisible();
});
