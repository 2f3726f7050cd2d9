// The hexagon map as a person sees it at a laptop's, a committee-room screen's and a phone's
// size: every label inside its own hexagon, the map on the first screen, words legible on a
// phone, summaries beside the hexagon, zoom by keyboard, and the full-screen view.
import { test, expect, hydrated, expectAccessible } from './fixtures';
import type { Page } from '@playwright/test';

/** What the page measures of the map: labels outside their hexagon, the smallest text drawn
 * (in CSS pixels), and the map's top. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const outside: string[] = [];
    let smallest = Infinity;
    for (const cell of Array.from(document.querySelectorAll('.hex-cell'))) {
      const shape = cell.querySelector('.hex__shape') as SVGPolygonElement;
      const ctm = shape.getScreenCTM()!;
      const corners = Array.from(shape.points).map((p) => new DOMPoint(p.x, p.y).matrixTransform(ctm));
      // Inside a convex polygon listed clockwise: on the inner side of every edge (0.5 px slack).
      const inside = (x: number, y: number) =>
        corners.every((a, i) => {
          const b = corners[(i + 1) % corners.length];
          const cross = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x);
          return cross / Math.hypot(b.x - a.x, b.y - a.y) >= -0.5;
        });
      for (const span of Array.from(cell.querySelectorAll('.hex__text tspan'))) {
        const box = span.getBoundingClientRect();
        const size = parseFloat(getComputedStyle(span).fontSize) * ctm.a;
        smallest = Math.min(smallest, size);
        const ok = [[box.left, box.top], [box.right, box.top], [box.left, box.bottom], [box.right, box.bottom]]
          .every(([x, y]) => inside(x, y));
        if (!ok) outside.push(`${cell.querySelector('a')?.getAttribute('data-output')}: ${span.textContent}`);
      }
    }
    const top = document.querySelector('.hexmap__svg')!.getBoundingClientRect().top + window.scrollY;
    const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    return { outside, smallest, top, overflow };
  });
}

for (const [width, height] of [[1366, 768], [1920, 1080], [375, 812]]) {
  test.describe(`at ${width}×${height}`, () => {
    test.use({ viewport: { width, height } });

    test('every label lies inside its hexagon, and the map reads at this size', async ({ page }) => {
      await page.goto('/');
      await hydrated(page);
      const measured = await measure(page);
      expect(measured.outside, 'text outside its hexagon').toEqual([]);
      expect(measured.overflow, 'nothing wider than the screen').toBeLessThanOrEqual(0);
      if (width >= 1366) {
        expect(measured.top, 'the map starts on the first screen').toBeLessThan(height * 0.5);
      } else {
        expect(measured.smallest, 'no word on a phone under 12 pixels').toBeGreaterThanOrEqual(12);
      }
      // Each outcome is named on the map, under its theme.
      await expect(page.locator('svg text.hexmap__outcomes').first()).toContainText('1 Less waste and more recycling');
      await expectAccessible(page);
    });

    test('hover and focus show the summary beside the hexagon, not over its name', async ({ page }) => {
      await page.goto('/');
      await hydrated(page);
      const hexagon = page.locator('a.hex[data-output="W2"]');
      await hexagon.scrollIntoViewIfNeeded();
      await hexagon.hover();
      const tip = page.locator('.hex-tip[data-for="W2"]');
      await expect(tip).toBeVisible();
      const words = await tip.evaluate((e) => Array.from(e.querySelectorAll('tspan')).map((t) => t.textContent).join(' '));
      expect(words).toContain('Increase reuse, recycling and composting');
      expect(words).toContain('Outcome: Less waste and more recycling');
      const tipBox = (await tip.locator('rect').boundingBox())!;
      const labelBox = (await page.locator('.hex-cell:has(a[data-output="W2"]) .hex__label').boundingBox())!;
      const overlaps = tipBox.x < labelBox.x + labelBox.width && labelBox.x < tipBox.x + tipBox.width
        && tipBox.y < labelBox.y + labelBox.height && labelBox.y < tipBox.y + tipBox.height;
      expect(overlaps, 'the summary sits beside the name').toBe(false);
      await page.mouse.move(0, 0);
      await expect(tip).toBeHidden();
      await page.locator('a.hex[data-output="H4"]').focus();
      await expect(page.locator('.hex-tip[data-for="H4"]')).toBeVisible();
      await expect(page.locator('.hex-tip--shown')).toHaveCount(1);
    });
  });
}

test('the map zooms with + and − from the keyboard, and back to fit with 0', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto('/');
  await hydrated(page);
  const map = page.locator('.hexmap__svg');
  const region = page.getByRole('region', { name: /Hexagon map/ });
  const before = (await map.boundingBox())!.width;
  await region.focus();
  await page.keyboard.press('+');
  await expect.poll(async () => (await map.boundingBox())!.width).toBeGreaterThan(before * 1.2);
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await expect.poll(async () => (await map.boundingBox())!.width).toBeLessThan(before);
  // 0 fits the whole map to the screen's width.
  await page.keyboard.press('0');
  const fitted = await region.evaluate((e) => e.clientWidth);
  await expect.poll(async () => (await map.boundingBox())!.width).toBeLessThanOrEqual(fitted + 1);
  // Zoomed in again, the arrow keys scroll the map within its region.
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(async () => (await map.boundingBox())!.width).toBeGreaterThan(fitted * 1.4);
  await region.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => region.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);
});

test('the full-screen view keeps the view and leads back', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/?council=babergh&period=2016-17-q4');
  await hydrated(page);
  await page.getByRole('link', { name: 'Full screen' }).click();
  await expect(page).toHaveURL(/\/map\/full\?council=babergh&period=2016-17-q4/);
  await hydrated(page);
  const box = (await page.locator('.hexmap__svg').boundingBox())!;
  expect(box.width, 'the map uses the width of the screen').toBeGreaterThan(1700);
  expect((await measure(page)).outside).toEqual([]);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Back to the plan' }).click();
  await expect(page).toHaveURL(/\/\?council=babergh&period=2016-17-q4/);
});

test('the map as shown downloads as SVG and PNG for a committee paper', async ({ page }) => {
  await page.goto('/?council=mid-suffolk&period=2017-18-q1');
  await hydrated(page);
  for (const [name, type] of [['SVG', 'image/svg+xml'], ['PNG', 'image/png']]) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name, exact: true }).first().click(),
    ]);
    expect(download.suggestedFilename()).toBe(`jsp-map-2017-18-q1-mid-suffolk.${name.toLowerCase()}`);
    const response = await page.request.get(download.url());
    expect(response.headers()['content-type']).toBe(type);
    const body = await response.body();
    if (name === 'SVG') {
      const svg = body.toString();
      expect(svg).toContain('Joint Strategic Plan 2016–20, 2017/18 Q1 (1 April to 30 June 2017), Mid Suffolk');
      expect(svg.match(/class="hex"/g)?.length).toBe(28);
    } else {
      expect(body.subarray(1, 4).toString()).toBe('PNG');
      expect(body.length).toBeGreaterThan(50_000);
    }
  }
});

test('the site\'s own files come compressed and are kept for good; the page is not', async ({ page }) => {
  const response = await page.goto('/');
  expect(response!.headers()['cache-control']).toBe('no-cache, private');
  const wasm = await page.locator('link[rel="preload"][href$=".wasm"]').getAttribute('href');
  expect(wasm, 'named by its content').toMatch(/^\/pkg\/hexplan\.[A-Za-z0-9_-]{10,}\.wasm$/);
  const file = await page.request.get(wasm!, { headers: { 'accept-encoding': 'br, gzip' } });
  expect(file.headers()['content-encoding']).toBe('br');
  expect(file.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
});
