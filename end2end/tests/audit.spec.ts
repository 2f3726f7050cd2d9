// Business Improvement checks the audit trail.
import { test, expect, expectAccessible, signIn } from './fixtures';

test('Business Improvement sees that the audit trail verifies', async ({ page }) => {
  await signIn(page, 'claire.whitby');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit trail' }).click();
  await expect(page.getByRole('heading', { name: 'The audit trail verifies' })).toBeVisible();
  // The newest records, of every kind, newest first.
  await expect(page.getByRole('table', { name: /newest records, newest first/ })).toBeVisible();
  await expect(page.locator('code.hash')).toHaveText(/^[0-9a-f]{64}$/);
  await expectAccessible(page);
});
