// A Portfolio Holder amends a target in place with the keyboard; a Scrutiny member cannot.
import { test, expect, hydrated, expectAccessible, signIn } from './fixtures';

test('a Portfolio Holder amends a target with the keyboard and sees the status change', async ({ page }) => {
  await signIn(page, 'jan.osborne');
  await page.goto('/outputs/1?council=babergh&period=2017-18-q2');
  await hydrated(page);
  const change = page.getByRole('link', { name: /^Change the 2017\/18 target, now / }).first();
  const cell = page.locator('.target-editor').first();

  // Escape cancels and gives focus back.
  await change.focus();
  await page.keyboard.press('Enter');
  await expect(cell.getByLabel('2017/18 target', { exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(cell.locator('form')).toHaveCount(0);
  await expect(change).toBeFocused();

  // A bad value gets its message beside the field; nothing is saved.
  await page.keyboard.press('Enter');
  await page.keyboard.type('lots');
  await cell.getByLabel('Reason for the change').fill('Testing');
  await cell.getByLabel('Reason for the change').press('Enter');
  await expect(cell.locator('.error-message')).toContainText('Enter the target as a number');
  await expectAccessible(page);

  // Residual waste: lower is better, so a generous target is met. 500 kg is five times the
  // recent figures, so it asks for a second look, the figures side by side, before it is saved.
  await cell.getByLabel('2017/18 target', { exact: true }).fill('500');
  await cell.getByLabel('Reason for the change').fill('Agreed with the Portfolio Holder');
  await cell.getByLabel('Reason for the change').press('Enter');
  const doubt = cell.getByRole('alert');
  await expect(doubt).toContainText('Are you sure? You entered 500 kg; its recent figures (the last four quarters and the target) are');
  await expect(doubt).toContainText('That is more than three times the highest');
  await expect(cell.locator(':scope > .tag')).not.toHaveText(/On target/);
  await expectAccessible(page);
  await cell.getByRole('button', { name: 'Yes, save 500' }).click();
  await expect(cell.locator('form')).toHaveCount(0);
  await expect(cell.locator(':scope > .tag')).toHaveText(/On target/);
  await expect(cell.locator('.target-editor__saved')).toBeVisible();
  await expect(cell.locator('.target-editor__saved')).toHaveText('✓ Saved: target 500 kg, status now on target.');
  await expect(change).toBeFocused();

  // The indicator page offers the same editor, and the change is on its History tab, with
  // who and why.
  await page.goto('/indicators/1');
  await expect(page.getByRole('link', { name: 'Change the 2017/18 target, now 500 kg' }).first()).toBeVisible();
  await page.getByRole('navigation', { name: 'Indicator pages' }).getByRole('link', { name: 'History' }).click();
  const latest = page.locator('table tbody tr').first();
  await expect(latest).toContainText('Agreed with the Portfolio Holder');
  await expect(latest).toContainText('Jan Osborne');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the Change link leads to a plain form that saves the same, second look included', async ({ page }) => {
    await signIn(page, 'jan.osborne');
    await page.goto('/outputs/1?council=mid-suffolk&period=2017-18-q2');
    await page.getByRole('link', { name: /^Change the 2017\/18 target, now / }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Change the 2017/18 target for Mid Suffolk');
    await page.getByLabel('2017/18 target').fill('480');
    await page.getByLabel('Reason for the change').fill('Trade waste now counted');
    await page.getByRole('button', { name: 'Save the target' }).click();
    await expect(page.locator('.error-summary')).toContainText('Are you sure? You entered 480 kg');
    await expect(page.getByLabel('2017/18 target')).toHaveValue('480');
    await expect(page.getByLabel('Reason for the change')).toHaveValue('Trade waste now counted');
    await page.getByLabel('Yes, 480 is right').check();
    await page.getByRole('button', { name: 'Save the target' }).click();
    await expect(page.locator('.panel--confirmation')).toHaveText('Saved: the 2017/18 target for Mid Suffolk is now 480 kg.');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Residual household waste per household');
  });
});

test('a Scrutiny member sees no editor, and the server refuses them anyway', async ({ page }) => {
  await signIn(page, 'rosa.hart');
  await page.goto('/outputs/1?council=babergh&period=2017-18-q2');
  await expect(page.getByRole('link', { name: /^Change the/ })).toHaveCount(0);
  // Called directly, with the member's own session cookie.
  const response = await page.request.post('/api/amend-target', {
    form: { indicator_id: '1', council: 'babergh', year: '2017', value: '1', tolerance: '10', reason: 'x', version: '1' },
    headers: { origin: new URL(page.url()).origin },
  });
  // leptos answers a failed server function with 500 and the typed error as its body.
  expect(response.ok()).toBe(false);
  expect(await response.text()).toBe('"Forbidden"');
});

test('a Portfolio Holder lands on their portfolio and sets next year\'s target from it', async ({ page }) => {
  await signIn(page, 'jan.osborne');
  await page.goto('/');
  await hydrated(page);
  const portfolio = page.getByRole('region', { name: /^Your portfolio, / });
  await expect(portfolio).toBeVisible();
  await expect(portfolio.getByRole('heading', { name: /^Off or near target \(\d+\)$/ })).toBeVisible();
  await expect(portfolio.locator('li').filter({ hasText: 'against a target of' }).first()).toContainText(/(Off|Near) target/);
  await expect(portfolio.getByRole('heading', { name: /^Targets to set for 2018\/19/ })).toBeVisible();
  await expect(portfolio.getByRole('heading', { name: 'Your outputs' })).toBeVisible();
  await expectAccessible(page);

  // The rest of each long list is a click away, so the map stays near the top.
  await expect(portfolio.locator('details').first()).toContainText(/^Show the other \d+/);
  for (const more of await portfolio.locator('summary').all()) await more.click();
  // Straight from the list to the target's form, and back to the indicator, saved.
  const line = portfolio.locator('li').filter({ hasText: /^WE03 .*: set it for / });
  await line.getByRole('link', { name: 'Babergh' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set the 2018/19 target for Babergh');
  await page.getByLabel('2018/19 target').fill('92');
  await page.getByLabel('Reason for the change').fill('Agreed at the portfolio briefing');
  await page.getByRole('button', { name: 'Save the target' }).click();
  const saved = page.locator('#saved');
  await expect(saved).toHaveText('Saved: the 2018/19 target for Babergh. It is on this indicator\'s History tab.');
  await page.goto('/');
  await expect(page.getByRole('region', { name: /^Your portfolio, / }).locator('li').filter({ hasText: /^WE03 .*: set it for / })).toHaveText(/set it for Mid Suffolk$/);
});
