// Business Improvement checks the audit trail.
import { test, expect, expectAccessible } from './fixtures';

test('Business Improvement sees that the audit trail verifies', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Username').fill('claire.whitby');
  await page.getByLabel('Password').fill('jsp-demo-2017');
  await page.getByLabel('Password').press('Enter');
  await page.goto('/audit');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('The audit trail verifies');
  await expect(page.locator('code.hash')).toHaveText(/^[0-9a-f]{64}$/);
  await expectAccessible(page);
});
