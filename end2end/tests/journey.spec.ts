// The journey a councillor takes: the map, an output, an indicator and its chart.
import { test, expect, hydrated, expectAccessible } from './fixtures';

const THEMES = [
  'Waste & Environment',
  'Enabled & Efficient Organisation',
  'Housing Delivery',
  'Community Capacity Building & Engagement',
  'Business Growth & Productivity',
  'Assets & Investments',
];

test('the map shows every theme and output, and passes an accessibility scan', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto('/');
  await hydrated(page);
  await expect(page).toHaveTitle('Joint Strategic Plan 2016–20 map – Hexplan – Babergh and Mid Suffolk District Councils');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Joint Strategic Plan 2016–20 performance');

  const map = page.locator('svg.hexmap__svg');
  for (const theme of THEMES) {
    await expect(map.locator('text.hexmap__theme-label').filter({ hasText: theme.split(' ')[0] })).toHaveCount(1);
    await expect(page.getByRole('heading', { level: 3, name: theme })).toBeVisible();
  }
  await expect(map.locator('a.hex')).toHaveCount(28);
  await expect(page.locator('#map-list a')).toHaveCount(28);
  // Business Growth & Productivity says honestly that it has no indicators.
  await expect(map.locator('g.hex-cell--none')).toHaveCount(4);
  await expect(page.getByText('This theme has no indicators yet.')).toBeVisible();
  // Status never by colour alone: each hexagon has a name with its counts.
  await expect(map.getByRole('link', { name: /^Less residual waste – Reduce residual household waste \(outcome: Less waste and more recycling\): 5 indicators; / })).toHaveCount(1);

  await expectAccessible(page);
  expect(requests.filter((url) => url.includes('echarts')), 'no chart library on the map page').toEqual([]);
});

test('Tab to a hexagon, Enter, read the indicators, open one and click its chart', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);

  // Tab until a hexagon has focus, then check it shows its summary.
  let focusedHex = false;
  for (let presses = 0; presses < 60 && !focusedHex; presses++) {
    await page.keyboard.press('Tab');
    focusedHex = await page.evaluate(() => document.activeElement?.classList.contains('hex') ?? false);
  }
  expect(focusedHex, 'a hexagon takes focus from the keyboard').toBe(true);
  const focused = page.locator('a.hex:focus');
  const code = (await focused.getAttribute('data-output')) ?? '';
  await expect(page.locator(`.hex-tip[data-for="${code}"]`)).toBeVisible();
  await expect(page.locator('a.hex:focus + .hex__ring')).toBeVisible();
  const name = (await focused.getAttribute('aria-label')) ?? '';
  const outputTitle = name.split(' (outcome:')[0].split(' – ').pop()!;
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/outputs\/\d+/);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(outputTitle);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('Joint Strategic Plan');
  const table = page.locator('table.indicator-table');
  await expect(table.locator('thead th')).toHaveText([
    'Code', 'Indicator', 'Kind', 'Council', 'Value', 'Target and status', 'Trend', 'Last 8 quarters', 'Data owner',
  ]);
  const firstIndicator = table.locator('tbody th a').first();
  const indicatorTitle = (await firstIndicator.textContent()) ?? '';
  await expectAccessible(page);

  await firstIndicator.click();
  await expect(page).toHaveURL(/\/indicators\/\d+/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(indicatorTitle);
  await hydrated(page);

  // The chart is drawn, and its figures are in a table too.
  const chart = page.locator('#indicator-chart');
  await expect(chart.locator('canvas').first()).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('table.data-table').first()).toBeVisible();
  await expectAccessible(page);

  // Click the first point of the first series and read its commentary.
  await chart.scrollIntoViewIfNeeded();
  const point = await page.evaluate(() => {
    const el = document.getElementById('indicator-chart')!;
    const chart = (window as any).echarts.getInstanceByDom(el);
    const option = chart.getOption();
    const data = option.series[0].data as Array<number | string>;
    const index = data.findIndex((value) => typeof value === 'number');
    const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [index, data[index]]);
    return { x, y, quarter: option.xAxis[0].data[index] as string };
  });
  const box = (await chart.boundingBox())!;
  await page.mouse.click(box.x + point.x, box.y + point.y);
  const panel = page.locator('.commentary-panel');
  const [year, q] = point.quarter.split(' ');
  const [from, to] = year.split('/');
  const label = `20${from}/${to} ${q}`;
  await expect(panel.getByRole('heading')).toContainText(label);
  const text = (await panel.locator('.commentary-panel__text').textContent()) ?? '';
  expect(text.length).toBeGreaterThan(10);
  // The same commentary is in the commentary history, which needs no JavaScript.
  await expect(page.locator('.commentary-history')).toContainText(text);
});

test('the council filter and period picker change the map without a full reload', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await page.evaluate(() => ((window as any).__sameDocument = true));
  const lead = page.locator('.map-lead');
  await expect(lead).toContainText('2017/18 Q2');
  await expect(lead).toContainText('both councils');

  await page.getByRole('navigation', { name: 'Council' }).getByRole('link', { name: 'Babergh' }).click();
  await expect(page).toHaveURL(/council=babergh/);
  await expect(lead).toContainText('Babergh');
  await expect(page.getByRole('link', { name: 'Babergh', exact: true })).toHaveAttribute('aria-current', 'true');

  await page.getByLabel('Quarter').selectOption({ label: '2016/17 Q4' });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/period=2016-17-q4/);
  await expect(page).toHaveURL(/council=babergh/);
  await expect(lead).toContainText('2016/17 Q4 (1 January to 31 March 2017)');
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  const q4 = page.url();

  // Back returns to the previous view, still in place.
  await page.goBack();
  await expect(page).toHaveURL(/council=babergh&period=2017-18-q2/);
  await expect(lead).toContainText('2017/18 Q2');
  await expect(page.getByLabel('Quarter')).toHaveValue('2017-18-q2');
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  // The address can be pasted into a committee paper: it opens the same view.
  await page.goto(q4);
  await expect(lead).toContainText('2016/17 Q4');
  await expect(lead).toContainText('Babergh');
});
