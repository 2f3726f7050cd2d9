// The indicator lifecycle and people management, driven through the real forms.
import { test, expect, expectAccessible, signIn } from './fixtures';

test('a Portfolio Holder proposes, refines and deletes an indicator, and its history tells the story', async ({ page }) => {
  await signIn(page, 'jan.osborne');
  await page.goto('/outputs/1');
  await page.getByRole('link', { name: 'Propose a new indicator for this output' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Propose an indicator');
  await expectAccessible(page);

  // Sent without a reason, the form comes back with the message beside the field.
  await page.getByLabel('Title').fill('Food waste collected per household');
  await page.getByLabel('Definition').fill('Kilograms of food waste collected separately, per household');
  await page.getByLabel('Unit').selectOption({ label: 'Kilograms (kg)' });
  await page.getByLabel('Reason for the change').fill('   ');
  await page.getByRole('button', { name: 'Propose the indicator' }).click();
  await expect(page.getByRole('alert')).toContainText('Give a reason for the change');
  await expect(page.getByLabel('Reason for the change')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);

  await page.getByLabel('Title').fill('Food waste collected per household');
  await page.getByLabel('Definition').fill('Kilograms of food waste collected separately, per household');
  await page.getByLabel('Reason for the change').fill('Agreed at the portfolio briefing');
  await page.getByLabel('Reason for the change').press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Food waste collected per household');
  await expect(page.getByText('To be confirmed by leaders').first()).toBeVisible();

  await page.getByRole('navigation', { name: 'Indicator pages' }).getByRole('link', { name: 'Manage' }).click();
  await expectAccessible(page);
  const refine = page.locator('#refine');
  await refine.getByLabel('Definition').fill('Kilograms of food waste collected separately per household, from weighbridge tickets');
  await refine.getByLabel('Reason for the change').fill('Name the data source');
  await refine.getByRole('button', { name: 'Save the refinement' }).click();

  // Saved changes land on the History tab, newest first.
  await expect(page.getByRole('link', { name: 'History' })).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('table tbody tr').first()).toContainText('Refined');
  await expect(page.locator('table tbody tr').first()).toContainText('Name the data source');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Manage' }).click();
  const remove = page.locator('#delete');
  await remove.getByLabel('Reason for the change').fill('Replaced by the county measure');
  await remove.getByRole('button', { name: 'Delete the indicator' }).click();
  await expect(page.locator('table tbody tr').first()).toContainText('Deleted');
  await page.goto('/outputs/1');
  await expect(page.getByRole('link', { name: 'Food waste collected per household' })).toHaveCount(0);
});

test('Business Improvement adds a person and makes them a Portfolio Holder', async ({ page }) => {
  await signIn(page, 'claire.whitby');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('People and roles');
  await expectAccessible(page);
  const form = page.locator('#add-person');
  await form.getByLabel('Full name').fill('Cllr Ann Reeve');
  await form.getByLabel('Job title').fill('Cabinet Member for Waste');
  await form.getByLabel('Work email address').fill('ann.reeve@example.gov.uk');
  await form.getByLabel('Username').fill('ann.reeve');
  await form.getByLabel('Password').fill('a long demo passphrase');
  await form.getByLabel('Reason for the change').fill('New Cabinet member');
  await form.getByRole('button', { name: 'Add the person' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cllr Ann Reeve');

  const grant = page.locator('#grant-role');
  await grant.getByLabel('Give a role').selectOption({ label: 'Portfolio Holder' });
  await grant.getByLabel('Reason for the change').fill('Cabinet appointment');
  await grant.getByRole('button', { name: 'Give the role' }).click();
  const add = page.locator('#add-output');
  await add.getByLabel('Portfolio', { exact: true }).fill('Environment');
  await add.getByLabel('Reason for the change').fill('Shares waste');
  await add.getByRole('button', { name: 'Add to the portfolio' }).click();
  await expect(page.locator('.link-list').first()).toContainText('Portfolio Holder');
  await expect(page.locator('.link-list').last()).toContainText('(Environment)');
  await expectAccessible(page);
});

test('a Scrutiny member is offered none of this, and the server refuses it', async ({ page }) => {
  await signIn(page, 'rosa.hart');
  await page.goto('/outputs/1');
  await expect(page.getByRole('link', { name: 'Propose a new indicator for this output' })).toHaveCount(0);
  await page.goto('/indicators/1');
  await expect(page.getByRole('link', { name: 'Manage' })).toHaveCount(0);
  // Asked for by address, the page is refused (fetched, as Chromium logs every 403 it shows).
  const manage = await page.request.get('/indicators/1/manage');
  expect(manage.status()).toBe(403);
  expect(await manage.text()).toContain('<h1 class="heading-l">Forbidden</h1>');
  const refused = await page.request.post('/api/delete-indicator', {
    form: { indicator_id: '1', reason: 'x' },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(await refused.text()).toBe('"Forbidden"');
});
