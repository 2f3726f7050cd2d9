// Pages render fully on the server: everything but the chart canvas works without JavaScript,
// and the layout holds on a 320-pixel-wide screen.
import { test, expect } from '@playwright/test';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the map, its list and the period picker work', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('svg.hexmap__svg a.hex')).toHaveCount(28);
    await expect(page.locator('#map-list a')).toHaveCount(28);
    await page.getByLabel('Quarter').selectOption({ label: '2016/17 Q1' });
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page.locator('.map-lead')).toContainText('2016/17 Q1');
    // Controls that need JavaScript are not offered without it.
    await expect(page.getByRole('button', { name: 'Zoom in' })).toHaveCount(0);
  });

  test('an indicator shows its table and commentary', async ({ page }) => {
    await page.goto('/indicators/1');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Residual household waste per household');
    await expect(page.locator('table.data-table')).toHaveCount(2);
    await expect(page.locator('.commentary-history li').first()).toBeVisible();
    // The chart's space shows the chart, drawn on the server, and promises no clicking.
    const chart = page.getByRole('img', { name: /^Line chart of Residual household waste per household/ });
    await expect(chart).toBeVisible();
    expect((await chart.boundingBox())!.height).toBeGreaterThan(200);
    await expect(page.locator('.commentary-panel')).toContainText('Every quarter\'s figures and commentary are in the tables below.');
    await expect(page.locator('.commentary-panel')).not.toContainText('Select a point');
  });
});

test.describe('on a 320-pixel-wide screen', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  for (const path of ['/', '/outputs/1', '/indicators/1', '/changes', '/reports/1', '/reports']) {
    test(`${path} needs no sideways scrolling`, async ({ page }) => {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }

  test('a peer review session needs no sideways scrolling', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Username').fill('helen.marsh');
    await page.getByLabel('Password').fill('jsp-demo-2017');
    await page.getByLabel('Password').press('Enter');
    await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Sign out');
    for (const path of ['/reviews', '/reviews/1']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
  test("a data owner's returns and Business Improvement's completeness need no sideways scrolling", async ({ page }) => {
    for (const [username, path] of [['mark.ellis', '/returns'], ['claire.whitby', '/returns/completeness']]) {
      await page.context().clearCookies();
      await page.goto('/sign-in');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill('jsp-demo-2017');
      await page.getByLabel('Password').press('Enter');
      await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Sign out');
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    // Save all stays in view at the foot of the screen as the return scrolls.
    await page.context().clearCookies();
    await page.goto('/sign-in');
    await page.getByLabel('Username').fill('mark.ellis');
    await page.getByLabel('Password').fill('jsp-demo-2017');
    await page.getByLabel('Password').press('Enter');
    await page.goto('/returns');
    await page.mouse.wheel(0, 4000);
    await expect(page.getByRole('button', { name: 'Save all' })).toBeInViewport();
  });
});

test('an address that leads nowhere says so with a 404', async ({ page }) => {
  const response = await page.goto('/outputs/99999');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});
