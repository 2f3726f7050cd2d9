// The change summary reproduces the December 2017 bulletin's table, and each number opens
// the changes behind it.
import { readFileSync } from 'node:fs';
import { test, expect, expectAccessible } from './fixtures';

const BULLETIN = [
  ['Waste & Environment', '10', '4', '2', '0', '21'],
  ['Enabled & Efficient Organisation', '16 + 5 (to be confirmed by leaders)', '2', '0', '2', '33'],
  ['Housing Delivery', '3', '2', '3', '1', '25'],
  ['Community Capacity Building & Engagement', '2', '0', '0', '0', '19'],
  ['Business Growth & Productivity', '0', '0', '0', '0', '0'],
  ['Assets & Investments', '6', '0', '0', '1', '15'],
];

test('June to December 2017 shows the bulletin, cell for cell', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Change summary' }).click();
  await page.getByLabel('Changes after', { exact: true }).fill('2017-06-12');
  await page.getByLabel('Up to and including', { exact: true }).fill('2017-12-15');
  await page.getByRole('button', { name: 'Show changes' }).click();
  await expect(page).toHaveURL(/from=2017-06-12&to=2017-12-15/);

  const rows = page.locator('table.change-summary tbody tr');
  await expect(rows).toHaveCount(6);
  for (const [index, expected] of BULLETIN.entries()) {
    const cells = rows.nth(index).locator('th, td');
    await expect(cells.first()).toContainText(expected[0]);
    for (let column = 1; column < expected.length; column++) {
      await expect(cells.nth(column)).toHaveText(expected[column]);
    }
  }
  await expect(rows.nth(5).locator('th')).toContainText('Housing-related indicators only so far');
  await expectAccessible(page);

  await page.getByRole('link', { name: '16 new indicators: Enabled & Efficient Organisation' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enabled & Efficient Organisation: new indicators');
  await expect(page.locator('.change-list__item')).toHaveCount(16);
  await expectAccessible(page);

  const download = page.waitForEvent('download');
  await page.goBack();
  await page.getByRole('link', { name: 'Download this table (CSV)' }).click();
  const csv = await download;
  expect(csv.suggestedFilename()).toBe('change-summary-2017-06-12-to-2017-12-15.csv');
  const text = readFileSync((await csv.path())!, 'utf8');
  expect(text).toContain('Enabled & Efficient Organisation,16,5,2,0,2,33,');
});

test('a date that does not exist gets a message beside it', async ({ page }) => {
  await page.goto('/changes?from=2017-02-30&to=2017-12-15');
  await expect(page.locator('#from-error')).toContainText('Enter the start date as a real date');
  await expect(page.getByLabel('Changes after', { exact: true })).toHaveAttribute('aria-describedby', 'from-error');
  await expect(page.locator('table.change-summary')).toHaveCount(0);
  await expectAccessible(page);
});
