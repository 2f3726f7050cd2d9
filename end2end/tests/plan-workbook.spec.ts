// A whole plan in one workbook: Business Improvement downloads the demonstration plan, and a
// council's empty server is set up by uploading it, history included: the map, an indicator's
// chart and the change summary show the same plan. A file that is no workbook is refused
// with its problem listed, and nothing is written.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, hydrated, expectAccessible, emptyPlanServer, signIn } from './fixtures';

const password = 'moving-our-plan-2024';
let server: ChildProcess | undefined;
let dataDir = '';
let base = '';

test.beforeAll(async () => {
  ({ server, dataDir, base } = await emptyPlanServer(3105, {
    name: 'Sam Porter', email: 'sam.porter@council.example', username: 'sam.porter', password,
  }));
});

test.afterAll(() => {
  server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a downloaded plan sets an empty plan up in one step, history included', async ({ page }) => {
  // The demonstration's Business Improvement downloads the whole plan.
  await signIn(page, 'claire.whitby');
  await page.goto('/plan');
  await expect(page.getByRole('heading', { name: 'The whole plan in one workbook' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Set the plan up from a workbook' })).toHaveCount(0);
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the plan (XLSX)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('plan.xlsx');
  const workbook = join(dataDir, 'plan.xlsx');
  await download.saveAs(workbook);

  // On the council's empty server, its first account uploads it.
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Username').fill('sam.porter');
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await expect(page).toHaveURL(`${base}/plan`);
  await hydrated(page);
  const upload = page.locator('form#plan-import-form');

  // First a file that is no workbook: refused, its problem listed, nothing written.
  const notes = join(dataDir, 'notes.csv');
  writeFileSync(notes, 'Code,Title\nW1,Waste\n');
  await upload.getByLabel('Plan workbook (XLSX, at most 10 MB)').setInputFiles(notes);
  await upload.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.getByRole('heading', { name: 'Nothing was written' })).toBeVisible();
  await expect(page.getByRole('table')).toContainText('upload it as an XLSX file');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Back to the plan' }).click();

  await upload.getByLabel('Plan workbook (XLSX, at most 10 MB)').setInputFiles(workbook);
  await upload.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.getByRole('heading', { name: 'The plan is set up' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('status')).toContainText('2 councils');
  await expectAccessible(page);

  // The same plan: its map of 28 hexagons, an indicator's chart, the change summary.
  await page.getByRole('link', { name: 'See the map' }).click();
  await hydrated(page);
  await expect(page).toHaveTitle(/^Joint Strategic Plan 2016–20 map – Hexplan/);
  await expect(page.locator('a.hex')).toHaveCount(28);
  await expect(page.getByRole('navigation', { name: 'Council' })).toBeVisible();
  await expect(page.locator('body')).not.toContainText('demonstration data');
  await page.locator('a.hex[data-output="W1"]').click();
  await expect(page).toHaveURL(/\/outputs\/\d+/);
  const first = page.locator('table.indicator-table tbody th a').first();
  const title = (await first.textContent()) ?? '';
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await hydrated(page);
  await expect(page.locator('#indicator-chart canvas').first()).toBeVisible({ timeout: 20_000 });
  // The history came too: the change summary between the June 2017 report and the bulletin.
  await page.goto(`${base}/changes?from=2017-06-12&to=2017-12-15`);
  await expect(page.locator('table.change-summary')).toContainText('Enabled & Efficient Organisation');
  await expectAccessible(page);

  // Set up now, the plan offers no second upload.
  await page.goto(`${base}/plan`);
  await expect(page.getByRole('heading', { name: 'Set the plan up from a workbook' })).toHaveCount(0);
});
