// A council starts from an empty database: the operator adds the first Business Improvement
// account with the command, and that person sets up a single-council plan in the browser (its
// title, its council, two themes, three outcomes and five outputs) and sees its map: their
// council's name in the header, no council filter, no other council anywhere.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { test, expect, hydrated, expectAccessible, emptyPlanServer } from './fixtures';
import type { Page } from '@playwright/test';

const password = 'harbourside-plan-2024';
let server: ChildProcess | undefined;
let dataDir = '';
let base = '';

test.beforeAll(async () => {
  ({ server, dataDir, base } = await emptyPlanServer(3104, {
    name: 'Morgan Reed', email: 'morgan.reed@harbourside.example', username: 'morgan.reed', password,
  }));
});

test.afterAll(() => {
  server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Fills the form `form` (its fields by label) and sends it, with a reason. */
async function send(page: Page, form: string, fields: Record<string, string>, button: string) {
  const scope = page.locator(`form#${form}`);
  for (const [label, value] of Object.entries(fields)) {
    const field = scope.getByLabel(label, { exact: true });
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') {
      await field.selectOption({ label: value });
    } else {
      await field.fill(value);
    }
  }
  await scope.getByLabel('Reason for the change').fill('Setting up our plan');
  await scope.getByRole('button', { name: button }).click();
  await expect(page.locator('.error-summary')).toHaveCount(0);
}

test('a council sets up its own plan from an empty database, in the browser', async ({ page }) => {
  // Before anything: a page that says there is no map yet, and no demonstration council.
  await page.goto(`${base}/`);
  await expect(page.getByText('This plan has no themes, outcomes or outputs yet')).toBeVisible();
  await expect(page.locator('body')).not.toContainText('Babergh');
  await expect(page.locator('body')).not.toContainText('demonstration data');

  // The first account signs in and is taken to set the plan up.
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Username').fill('morgan.reed');
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await expect(page).toHaveURL(`${base}/plan`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The plan');
  await expectAccessible(page);

  // Its financial year runs from July, and Cabinet hears every quarter.
  await send(
    page,
    'plan-details',
    { "The plan's title": 'Harbourside Plan 2024–28', 'The financial year starts in': 'July', 'Reports to Cabinet': 'Every quarter' },
    "Save the plan's details",
  );
  await send(page, 'add-council', { Name: 'Harbourside Borough Council', 'Short name': 'Harbourside' }, 'Add the council');
  await expect(page.locator('header')).toContainText('Harbourside Borough Council');
  for (const title of ['Clean and green', 'Homes for all']) {
    await send(page, 'add-theme', { Title: title }, 'Add the theme');
  }
  for (const [theme, title] of [
    ['Clean and green', 'Less waste'],
    ['Clean and green', 'Cleaner streets'],
    ['Homes for all', 'More homes'],
  ]) {
    await send(page, 'add-outcome', { Theme: theme, Title: title }, 'Add the outcome');
  }
  for (const [outcome, code, title] of [
    ['Clean and green – Less waste', 'C1', 'Waste collected and recycled'],
    ['Clean and green – Less waste', 'C2', 'Food waste collections'],
    ['Clean and green – Cleaner streets', 'C3', 'Streets kept clean'],
    ['Homes for all – More homes', 'H1', 'Affordable homes built'],
    ['Homes for all – More homes', 'H2', 'Homelessness prevented'],
  ]) {
    await send(page, 'add-output', { Outcome: outcome, Code: code, Title: title, 'Short title': title }, 'Add the output');
  }
  // A refusal says what is wrong and keeps the plan as it was.
  const outputs = page.locator('.plan-tree__outputs li');
  await expect(outputs).toHaveCount(5);
  const retire = page.locator('form#retire-part');
  await retire.getByLabel('Theme, outcome or output').selectOption({ label: 'Theme: Clean and green' });
  await retire.getByLabel('Reason for the change').fill('Trying it');
  await retire.getByRole('button', { name: 'Retire' }).click();
  await expect(page.locator('.error-summary')).toContainText('Clean and green still holds Less waste, Cleaner streets');
  await expect(outputs).toHaveCount(5);
  await expectAccessible(page);

  // A hexagon moves with the keyboard alone, and a layout file is checked whole.
  await page.getByRole('link', { name: 'Move hexagons or lay out the whole map' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("The map's layout");
  await expectAccessible(page);
  const place = page.locator('form#place-output');
  await place.getByLabel('Output').focus();
  await page.keyboard.type('C3');
  await page.keyboard.press('Tab');
  await page.keyboard.type('8');
  await page.keyboard.press('Tab');
  await page.keyboard.type('0');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Streets beside homes');
  await page.keyboard.press('Enter');
  await expect(page.locator('.error-summary')).toHaveCount(0);
  const c3 = page.getByRole('row', { name: /C3 Streets kept clean/ }).locator('td');
  await expect(c3).toHaveText(['8', '0']);

  // On the map itself, once hydrated: Tab to a hexagon, Enter, the arrow keys, Enter.
  await page.reload();
  await hydrated(page);
  const status = page.locator('.layout-editor__status');
  await page.getByLabel('Reason for moving hexagons').fill('Grouping the streets work');
  const hexC3 = page.locator('g.layout-hex[data-output="C3"]');
  await hexC3.focus();
  await page.keyboard.press('Enter');
  await expect(hexC3).toHaveAttribute('aria-pressed', 'true');
  await expect(status).toContainText('C3 to column 8, row 0');
  await page.keyboard.press('ArrowDown');
  await expect(status).toContainText('C3 to column 8, row 1: press Enter to place it');
  await page.keyboard.press('Enter');
  await expect(status).toHaveText('C3 moved to column 8, row 1');
  await expect(c3).toHaveText(['8', '1']);
  await expect(hexC3).toHaveAttribute('aria-label', /column 8, row 1/);
  // Dragged onto its neighbour, a hexagon is refused before anything is sent.
  const [hexC1, hexC2] = [page.locator('g.layout-hex[data-output="C1"]'), page.locator('g.layout-hex[data-output="C2"]')];
  await hexC1.scrollIntoViewIfNeeded();
  const [from, onto] = [(await hexC1.boundingBox())!, (await hexC2.boundingBox())!];
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(onto.x + onto.width / 2, onto.y + onto.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(status).toContainText("is C2's cell: C1 put back");
  await expect(hexC1).toHaveAttribute('aria-pressed', 'false');
  // By keys, a hexagon stays lifted until Enter places it or Escape puts it back.
  await hexC1.focus();
  await page.keyboard.press('Enter');
  await expect(status).toContainText('press Enter to place it');
  await page.keyboard.press('Escape');
  await expect(status).toHaveText('C1 put back');
  await expect(hexC1).toHaveAttribute('aria-pressed', 'false');
  await expect(c3).toHaveText(['8', '1']);
  await expectAccessible(page);
  const imported = page.locator('form#import-layout');
  await imported.getByLabel('HexJSON layout').fill('{"layout":"odd-r","hexes":{"ZZ9":{"q":0,"r":0}}}');
  await imported.getByLabel('Reason for the change').fill('Trying a file');
  await imported.getByRole('button', { name: 'Lay out the map' }).click();
  await expect(page.locator('.error-summary')).toContainText('"ZZ9" is not an output of this plan');
  await expect(c3).toHaveText(['8', '1']);

  // The map: five hexagons in two themes, the council's own name, no filter, no "joint".
  await page.goto(`${base}/`);
  await hydrated(page);
  await expect(page).toHaveTitle('Harbourside Plan 2024–28 map – Hexplan – Harbourside Borough Council');
  await expect(page.locator('a.hex')).toHaveCount(5);
  // A small plan's map keeps its hexagons at their own size, not stretched to the page.
  const hexagon = (await page.locator('a.hex').first().boundingBox())!;
  expect(hexagon.width).toBeLessThan(160);
  await expect(page.getByText("The plan's 2 themes and 5 outputs")).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Harbourside Plan 2024–28 performance');
  await expect(page.getByRole('navigation', { name: 'Council' })).toHaveCount(0);
  for (const other of ['Babergh', 'Mid Suffolk', 'joint', 'both councils']) {
    await expect(page.locator('body')).not.toContainText(other);
  }
  await expectAccessible(page);
  await page.locator('a.hex[data-output="H1"]').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Affordable homes built');
  await expect(page.getByText('This output has no indicators yet')).toBeVisible();
});

test('the new plan gets six indicators, a data owner and its first quarter of values, all in the browser', async ({ page }) => {
  test.setTimeout(240_000);
  const signInAs = async (username: string, secret: string) => {
    await page.context().clearCookies();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(secret);
    await page.getByLabel('Password').press('Enter');
    await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Sign out');
  };
  await signInAs('morgan.reed', password);

  // A data owner, added on the People page and given the role.
  await page.goto(`${base}/people`);
  const form = page.locator('#add-person');
  await form.getByLabel('Full name').fill('Dee Owen');
  await form.getByLabel('Job title').fill('Waste Data Officer');
  await form.getByLabel('Work email address').fill('dee.owen@harbourside.example');
  await form.getByLabel('Username').fill('dee.owen');
  await form.getByLabel('Password').fill('harbourside-returns');
  await form.getByLabel('Reason for the change').fill('Returns our figures');
  await form.getByRole('button', { name: 'Add the person' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dee Owen');
  const grant = page.locator('#grant-role');
  await grant.getByLabel('Give a role').selectOption({ label: 'Data owner' });
  await grant.getByLabel('Reason for the change').fill('Returns our figures');
  await grant.getByRole('button', { name: 'Give the role' }).click();
  await expect(page.locator('.link-list').first()).toContainText('Data owner');

  // Six indicators, each proposed on its output, confirmed and given its data owner.
  const indicators: [string, string, string][] = [
    ['C1', 'Household waste recycled', 'Percentage (%)'],
    ['C1', 'Residual waste per household', 'Kilograms (kg)'],
    ['C2', 'Food waste collected', 'Kilograms (kg)'],
    ['C3', 'Streets meeting the cleanliness standard', 'Percentage (%)'],
    ['H1', 'Affordable homes completed', 'Number'],
    ['H2', 'Households prevented from homelessness', 'Number'],
  ];
  const addresses: string[] = [];
  for (const [output, title, unit] of indicators) {
    await page.goto(`${base}/`);
    await page.locator(`a.hex[data-output="${output}"]`).click();
    await page.getByRole('link', { name: 'Propose a new indicator for this output' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Definition').fill(`${title}, counted each quarter from the service's own records`);
    await page.getByLabel('Unit').selectOption({ label: unit });
    await page.getByLabel('Reason for the change').fill('Agreed with the Portfolio Holder');
    await page.getByRole('button', { name: 'Propose the indicator' }).click();
    await expect(page).toHaveURL(/\/indicators\/\d+$/);
    const address = page.url();
    addresses.push(address);
    await page.goto(`${address}/manage`);
    const confirm = page.locator('form#confirm');
    await confirm.getByLabel('Reason for the change').fill('Agreed by leaders');
    await confirm.getByRole('button', { name: 'Confirm the indicator' }).click();
    await page.goto(`${address}/manage`);
    const owner = page.locator('form#data-owner');
    await owner.getByLabel('Data owner').selectOption({ label: 'Dee Owen' });
    await owner.getByLabel('Reason for the change').fill('Dee returns it');
    await owner.getByRole('button', { name: 'Save the data owner' }).click();
    await expect(page.getByText('Dee Owen returns its values each quarter.')).toBeVisible();
  }
  await expectAccessible(page);

  // Business Improvement opens the quarter for returns.
  await page.goto(`${base}/returns/completeness`);
  const opening = (await page.getByRole('heading', { name: /^Open .* for returns$/ }).textContent()) ?? '';
  const quarter = opening.replace(/^Open /, '').replace(/ for returns$/, '');
  const open = page.locator('form#open-period');
  await open.getByLabel('Reason for the change').fill('The quarter is over');
  await open.getByRole('button', { name: 'Open the quarter' }).click();
  await expect(page.locator('.error-summary')).toHaveCount(0);

  // The data owner enters the quarter's six values.
  await signInAs('dee.owen', 'harbourside-returns');
  await page.getByRole('link', { name: 'My returns' }).click();
  await hydrated(page);
  await expect(page.locator('.caption')).toContainText(quarter);
  const empties = page.locator('.return__slot input[name^="value["][value=""]');
  await expect(empties).toHaveCount(6);
  const ids: string[] = [];
  for (let entered = 0; entered < 6; entered++) {
    const empty = empties.nth(entered);
    ids.push((await empty.getAttribute('id')) ?? '');
    await empty.fill(String(40 + entered));
    await empty.press('Tab');
    await page.keyboard.type('From the service records');
  }
  await page.getByRole('button', { name: 'Save all' }).click();
  await expect(page.locator('#saved')).toContainText('✓ Saved 6 values for');
  for (const [entered, id] of ids.entries()) {
    await expect(page.locator(`#${id}`)).toHaveValue(String(40 + entered));
  }
  await expect(empties).toHaveCount(0);
  await expectAccessible(page);

  // Everyone sees the map for that quarter, an indicator's chart, and the change summary.
  await page.context().clearCookies();
  await page.goto(`${base}/`);
  await hydrated(page);
  await expect(page.locator('.map-lead')).toContainText(quarter);
  // The plan's year runs from July: its first quarter is July to September.
  const firstMonth = ['July', 'October', 'January', 'April'][Number(quarter.slice(-1)) - 1];
  await expect(page.locator('.map-lead')).toContainText(`${quarter} (1 ${firstMonth} `);
  await expect(page.locator('a.hex[data-output="C1"]')).toHaveAttribute('aria-label', /2 indicators;/);
  await expect(page.locator('a.hex[data-output="H2"]')).toHaveAttribute('aria-label', /1 indicator;/);
  await page.goto(addresses[0]);
  await hydrated(page);
  await expect(page.locator('#indicator-chart canvas').first()).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('body')).not.toContainText('Babergh');
  await page.goto(`${base}/changes`);
  await expect(page.locator('table.change-summary')).toContainText('Clean and green');

  // Business Improvement drafts the quarter's update: this council alone.
  await signInAs('morgan.reed', password);
  await page.goto(`${base}/reports`);
  const choice = page.getByLabel('What the report covers');
  const label = (await choice.locator('option').filter({ hasText: quarter }).first().textContent()) ?? '';
  await choice.selectOption({ label: label.trim() });
  await page.getByRole('button', { name: 'Create the draft' }).click();
  await expect(page.getByRole('heading', { name: 'Draft' })).toBeVisible();
  await expect(page.locator('main')).toContainText('Harbourside');
  await expect(page.locator('main')).toContainText('Household waste recycled');
  for (const other of ['Babergh', 'Mid Suffolk', 'Joint', 'Both councils']) {
    await expect(page.locator('main')).not.toContainText(other);
  }
  await expectAccessible(page);
});
