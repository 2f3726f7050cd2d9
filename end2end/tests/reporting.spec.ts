// The reporting cycle in the browser: a data owner enters a quarter's returns with the
// keyboard, Business Improvement sees their completeness reach 100 %, publishes the H1 report
// and prints it to PDF.
import { test, expect, hydrated, expectAccessible, signIn } from './fixtures';
import type { Page } from '@playwright/test';

/** The text of each page of a PDF. */
async function pdfPages(pdf: Buffer): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: true }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' ').replace(/\s+/g, ' '));
  }
  return pages;
}

/** A plausible figure for a return: last quarter's value, or else the target, or else 50. */
async function plausible(slot: ReturnType<Page['locator']>): Promise<string> {
  for (const fact of [1, 0]) {
    const shown = await slot.locator('.return__facts dd').nth(fact).innerText();
    const number = shown.replace(/,/g, '').match(/\d+(\.\d+)?/);
    if (number) return number[0];
  }
  return '50';
}

/** The fields of the values not yet entered. */
function emptyValues(page: Page) {
  return page.locator('.return__slot input[name^="value["][value=""]');
}

/** Saves the page with its Save all, reached from the keyboard. */
async function saveAll(page: Page) {
  const save = page.getByRole('button', { name: 'Save all' });
  await save.focus();
  await expect(save).toBeInViewport();
  await page.keyboard.press('Enter');
}

/** Enters every missing value on the returns page with the keyboard, and saves them all at once. */
async function enterMissingValues(page: Page): Promise<number> {
  const empties = emptyValues(page);
  const count = await empties.count();
  const typed: [string, string][] = [];
  for (let at = 0; at < count; at++) {
    const empty = empties.nth(at);
    const id = (await empty.getAttribute('id')) ?? '';
    const figure = await plausible(page.locator('.return__slot').filter({ has: page.locator(`#${id}`) }));
    await empty.focus();
    await page.keyboard.type(figure);
    await page.keyboard.press('Tab'); // to the commentary
    await page.keyboard.type('Figures from the crew returns, checked by the team leader');
    typed.push([id, figure]);
  }
  await saveAll(page);
  // Saved is said above the form, where the page opens and focus lands, and beside each value.
  const saved = page.locator('#saved');
  await expect(saved).toContainText(`✓ Saved ${count} values for 2017/18 Q3`);
  await expect(saved).toBeFocused();
  for (const [id, figure] of typed) {
    await expect(page.locator(`#${id}`)).toHaveValue(figure);
    await expect(page.locator('.return__slot').filter({ has: page.locator(`#${id}`) }).locator('.panel--confirmation')).toContainText('Saved the 2017/18 Q3 value of');
  }
  return count;
}

test('a data owner enters the quarter by keyboard, Business Improvement sees 100 %, publishes H1 and prints it', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'mark.ellis');
  await page.getByRole('link', { name: 'My returns' }).click();
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My returns');
  await expect(page.locator('.caption')).toContainText('2017/18 Q3');
  await expectAccessible(page);

  // Each indicator's councils sit side by side; Save all stays in view as the page scrolls.
  const pair = page.locator('.return__councils').filter({ has: page.locator('.return__slot:nth-child(2)') }).first();
  const [left, right] = [await pair.locator('.return__slot').nth(0).boundingBox(), await pair.locator('.return__slot').nth(1).boundingBox()];
  expect(right!.y).toBe(left!.y);
  expect(right!.x).toBeGreaterThan(left!.x + left!.width);
  await page.mouse.wheel(0, 3000);
  await expect(page.getByRole('button', { name: 'Save all' })).toBeInViewport();

  // A bad value is refused, with the message beside the field and in the summary, as typed.
  const first = emptyValues(page).first();
  const id = await first.getAttribute('id');
  await first.focus();
  await page.keyboard.type('about half');
  await saveAll(page);
  await expect(page.locator('.error-summary')).toContainText('1 value was not saved');
  await expect(page.locator(`#${id}-error`)).toContainText('Enter the value as a number');
  await expect(page.locator(`#${id}`)).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator(`#${id}`)).toHaveValue('about half');
  await expectAccessible(page);
  // The summary's link takes the keyboard to the field.
  await page.locator('.error-summary a').first().click();
  await expect(page.locator(`#${id}`)).toBeFocused();

  // Nought, against recent figures well above it, asks for a second look before it is saved,
  // the typed figure and commentary kept; the data owner confirms it with the keyboard.
  const slot = page.locator('.return__slot').filter({ has: page.locator(`#${id}`) });
  const far = '0';
  await page.locator(`#${id}`).fill(far);
  await slot.locator('textarea').fill('A one-off clearance of fly-tipped waste');
  await saveAll(page);
  await expect(page.locator('.error-summary')).toContainText('Are you sure? You entered');
  await expect(page.locator(`#${id}`)).toHaveValue(far);
  await expect(slot.locator('textarea')).toHaveValue('A one-off clearance of fly-tipped waste');
  await expect(page.locator(`#${id}-error`)).toContainText('its recent figures');
  await expectAccessible(page);
  await page.getByLabel(`Yes, ${far} is right`).focus();
  await page.keyboard.press('Space');
  await saveAll(page);
  // One value saved: said in its own card, where the page opens, with focus there.
  const saved = slot.locator('.panel--confirmation');
  await expect(saved).toContainText('Saved the 2017/18 Q3 value of');
  await expect(saved).toBeFocused();
  await expect(page.locator(`#${id}`)).toHaveValue(far);

  expect(await enterMissingValues(page)).toBeGreaterThan(3);
  await expect(page.locator('main')).toContainText(/(\d+) of \1 indicators have all their values/);

  // Business Improvement sees Mark Ellis complete.
  await page.context().clearCookies();
  await signIn(page, 'claire.whitby');
  await page.getByRole('link', { name: 'Returns', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Completeness of returns');
  const mark = page.getByRole('row').filter({ hasText: 'Mark Ellis' });
  await expect(mark.getByRole('cell').nth(2)).toHaveText('100 %');
  await expect(mark).toContainText('Entered');
  await expectAccessible(page);

  // The H1 report: create the draft, check it, publish it.
  await page.getByRole('link', { name: 'Reports', exact: true }).click();
  await expectAccessible(page);
  await page.getByLabel('What the report covers').selectOption({ label: 'Half-yearly report, 2017/18 H1 (1 April to 30 September 2017), due' });
  await page.getByRole('button', { name: 'Create the draft' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Performance report to Cabinet, 2017/18 H1');
  await expect(page.getByRole('heading', { name: 'Draft' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Publish the report' }).click();
  const hash = (await page.locator('.report-bar code.hash').textContent()) ?? '';
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  await expectAccessible(page);

  // Printed to PDF: A4 pages, the title and every theme, the hash on every page, no navigation.
  const pages = await pdfPages(await page.pdf({ format: 'A4', printBackground: true }));
  expect(pages.length).toBeGreaterThanOrEqual(7);
  expect(pages[0]).toContain('Performance report to Cabinet, 2017/18 H1');
  expect(pages[0]).toContain('Summary of statuses by theme');
  const text = pages.join(' ');
  for (const theme of ['Waste & Environment', 'Enabled & Efficient Organisation', 'Housing Delivery', 'Community Capacity Building & Engagement', 'Business Growth & Productivity', 'Assets & Investments']) {
    expect(text).toContain(theme);
  }
  for (const [number, pageText] of pages.entries()) {
    expect(pageText, `page ${number + 1} has the running header`).toContain(`SHA-256 ${hash.slice(0, 16)}`);
  }
  expect(text).not.toContain('Back to the archive');
  expect(text).not.toContain('Publish the report');
  // The map of the period's last quarter is in print, its hexagons' words with it.
  expect(text).toContain('The plan on the map, 2017/18 Q2');
  expect(text).toContain('Less sickness absence');

  // The archive lists it with the same hash, for anyone.
  await page.context().clearCookies();
  await page.goto('/reports');
  await expect(page.getByRole('row').filter({ hasText: '2017/18 H1' })).toContainText(hash);
});

test('a spreadsheet upload shows its progress and then every problem, and saves nothing', async ({ page }) => {
  await signIn(page, 'mark.ellis');
  await page.goto('/returns');
  await page.getByLabel('Spreadsheet (CSV or XLSX, at most 10 MB)').setInputFiles({
    name: 'returns.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('Indicator,Council,Period,Value,Commentary\nWE01,Babergh,2017/18 Q3,lots,\nZZ99,Babergh,2017/18 Q3,1,\n'),
  });
  // Hold the upload's answer back a little, so the progress line can be read.
  await page.route('**/returns/import', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.locator('#import-progress')).toHaveText(/^(Uploading: \d+ %|Uploaded\. Checking every row…)$/);
  await expect(page.getByRole('button', { name: 'Upload and check' })).toBeDisabled();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Upload of returns.csv');
  await expect(page.getByRole('alert')).toContainText('Nothing was saved');
  await expect(page.getByRole('row').filter({ hasText: 'ZZ99' })).toContainText('3');
  await expectAccessible(page);
});

test('achievements and impacts are written by the theme\'s Assistant Director', async ({ page }) => {
  await signIn(page, 'helen.marsh');
  await page.goto('/achievements?half=2017-18-h2');
  await expectAccessible(page);
  const achievements = page.getByLabel('Achievements').first();
  await achievements.fill('Garden waste rounds extended to every parish');
  await page.getByLabel('Impacts').first().fill('Fewer trips to the recycling centre');
  await page.getByRole('button', { name: /^Save/ }).first().click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await expect(page.getByLabel('Achievements').first()).toHaveValue('Garden waste rounds extended to every parish');
});

test('a Scrutiny member reads a quarter\'s update and the archive', async ({ page }) => {
  await signIn(page, 'rosa.hart');
  await page.getByRole('link', { name: 'Reports', exact: true }).click();
  await expect(page.getByRole('row').filter({ hasText: '2016/17 H2' })).toContainText('12 June 2017');
  await expect(page.getByRole('button', { name: 'Create the draft' })).toHaveCount(0);
  await page.getByRole('link', { name: '2017/18 Q2', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quarterly performance update, 2017/18 Q2');
  await expectAccessible(page);
});

test('an archived report reads on a phone: wide tables scroll within their own region, not the page', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signIn(page, 'rosa.hart');
  await page.goto('/reports');
  await page.getByRole('link', { name: 'Performance report to Cabinet, 2016/17 H2' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('2016/17 H2');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const table = page.getByRole('region', { name: /^Indicators of / }).first();
  await expect(table).toBeVisible();
  await table.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => table.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);
});
