// The editor in Debian's Chromium against a real `kuryr start`. The test signs in and draws the
// e-shop stock flow on an empty canvas. It configures, saves and runs the flow on the demo items
// table, then reads the counts, the output table and the written file. Templates, JSONata
// errors, the clipboard, the run history and a failed block follow. The steps share one browser
// page and run in order, each from where the previous one left the editor.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeDemoItemsDbf } from '@kuryr/nodes';
import type { KuryrProcess } from '../../scripts/editor-browser.mjs';
import { repositoryRoot } from '../support/kuryr.js';
import {
  blockNamed,
  drawWire,
  dropBlock,
  openEditorSession,
  parameterField,
  portOf,
  screenshot,
  typeExpression,
  type EditorSession,
} from './support/editor-page.js';

const PASSWORD = 'editor-test-password-1';

/** The e-shop stock flow's expressions, as flows/eshop-stock-csv.json has them. */
const reference = JSON.parse(
  await readFile(join(repositoryRoot, 'flows/eshop-stock-csv.json'), 'utf8'),
) as { blocks: { id: string; parameters: Record<string, unknown> }[] };
const referenceParameter = (block: string, parameter: string) =>
  reference.blocks.find((entry) => entry.id === block)?.parameters[parameter] as string;

let session: EditorSession;
let work: string;
let dataDir: string;
let kuryr: KuryrProcess;
let page: Page;

beforeAll(async () => {
  session = await openEditorSession(PASSWORD, async (data) => {
    await mkdir(join(data, 'eshop'));
    await writeDemoItemsDbf(join(data, 'items.dbf'), '852');
  });
  ({ work, dataDir, kuryr, page } = session);
});

afterAll(async () => {
  await session?.close();
});

async function selectBlock(name: string) {
  await blockNamed(page, name).locator('.block-header').click();
  await page.getByRole('tab', { name: 'Settings' }).click();
}

describe('editor in the browser', () => {
  it('rejects a wrong password and signs in', async () => {
    await page.goto(kuryr.url);
    await page.getByLabel('Language').selectOption('cs');
    await page.getByRole('heading', { name: 'Přihlášení do Kurýra' }).waitFor();
    await page.getByLabel('Jazyk').selectOption('en');
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('wrong-password-123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong user name');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.palette-entry').first().waitFor();
    await screenshot(page, '01-empty-canvas');
    expect(await page.locator('.palette-entry').count()).toBeGreaterThanOrEqual(6);
  });

  it('draws the e-shop flow by dragging and wiring', async () => {
    await dropBlock(page, 'dbf.read', { x: 120, y: 100 });
    await dropBlock(page, 'transform.map', { x: 400, y: 100 });
    await dropBlock(page, 'transform.filter', { x: 680, y: 100 });
    await dropBlock(page, 'csv.write', { x: 400, y: 330 });
    await dropBlock(page, 'file.write', { x: 680, y: 330 });
    expect(await page.locator('.react-flow__node').count()).toBe(5);
    await screenshot(page, '02-blocks-dropped');

    const read = blockNamed(page, 'Read DBF');
    const map = blockNamed(page, 'Map');
    const filter = blockNamed(page, 'Filter');
    const csv = blockNamed(page, 'Write CSV');
    const save = blockNamed(page, 'Write File');
    await drawWire(page, portOf(read, 'records', 'source'), portOf(map, 'records', 'target'));
    await drawWire(page, portOf(map, 'records', 'source'), portOf(filter, 'records', 'target'));
    await drawWire(page, portOf(filter, 'kept', 'source'), portOf(csv, 'records', 'target'));
    await drawWire(page, portOf(csv, 'file', 'source'), portOf(save, 'file', 'target'));
    expect(await page.locator('.react-flow__edge').count()).toBe(4);
  });

  it('rejects a wire from a files output into a records input', async () => {
    const csv = blockNamed(page, 'Write CSV');
    const map = blockNamed(page, 'Map');
    await drawWire(page, portOf(csv, 'file', 'source'), portOf(map, 'records', 'target'));

    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('the output File carries files, but the input Records takes records');
    expect(await page.locator('.react-flow__edge').count()).toBe(4);
    await screenshot(page, '03-wire-rejected');
  });

  it('marks unconfigured blocks and refuses to save them', async () => {
    expect(await blockNamed(page, 'Read DBF').locator('.block-invalid').count()).toBe(1);
    await page.getByLabel('Flow name').fill('Stock for the e-shop');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('The flow has invalid blocks: Read DBF');
  });

  it('configures every block from its schema form', async () => {
    await selectBlock('Read DBF');
    await parameterField(page, 'path')
      .getByRole('button', { name: 'Choose in the data folder' })
      .click();
    await parameterField(page, 'path')
      .getByRole('button', { name: /items\.dbf/ })
      .click();
    expect(await parameterField(page, 'path').locator('input').inputValue()).toBe('items.dbf');
    await selectBlock('Map');
    await typeExpression(
      page,
      parameterField(page, 'expression'),
      referenceParameter('map-stock', 'expression'),
    );
    await selectBlock('Filter');
    await typeExpression(
      page,
      parameterField(page, 'condition'),
      referenceParameter('keep-in-stock', 'condition'),
    );
    await screenshot(page, '04-jsonata-editor');

    await selectBlock('Write CSV');
    await parameterField(page, 'fileName').locator('input').fill('stock.csv');
    await parameterField(page, 'columns')
      .locator('textarea')
      .fill(['code', 'ean', 'name', 'price_vat', 'stock', 'unit'].join('\n'));
    // The Shoptet preset gives `;`, CRLF, windows-1250 and no formula guard; the e-shop file
    // also wants decimal commas.
    await parameterField(page, 'preset').locator('select').selectOption('shoptet-upgates');
    await parameterField(page, 'decimalComma').locator('input').check();
    await selectBlock('Write File');
    await parameterField(page, 'path').locator('input').fill('eshop/stock.csv');
    await parameterField(page, 'rejectEmpty').locator('input').check();

    expect(await page.locator('.block-invalid').count()).toBe(0);
    await screenshot(page, '05-configured');
  });

  it('saves the flow', async () => {
    await page.keyboard.press('Control+S');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Saved');
    const flows = await page.evaluate(async () => {
      const response = await fetch('api/v1/flows');
      return ((await response.json()) as { flows: { name: string }[] }).flows;
    });
    expect(flows.map((flow) => flow.name)).toEqual(['Stock for the e-shop']);
  });

  it('runs the flow and shows counts, output table and file', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('[data-run-status="succeeded"]').waitFor({ timeout: 30_000 });

    const counts = (name: string) => blockNamed(page, name).locator('.block-counts').textContent();
    await expect.poll(() => counts('Read DBF')).toBe('0 in · 25 out');
    expect(await counts('Map')).toBe('25 in · 25 out');
    expect(await counts('Filter')).toBe('25 in · 18 out');
    expect(await counts('Write CSV')).toBe('18 in · 1 out');
    expect(await blockNamed(page, 'Filter').locator('.block-warnings').textContent()).toBe(
      'Warnings: 1',
    );

    await selectBlock('Map');
    await page.getByRole('tab', { name: 'Output' }).click();
    const table = page.locator('.output-table');
    await table.waitFor();
    const headers = await table.locator('th').allTextContents();
    expect(headers).toEqual(['code', 'ean', 'name', 'price_vat', 'stock', 'unit', 'active']);
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, '06-run-output');

    await selectBlock('Write CSV');
    await page.getByRole('tab', { name: 'Output' }).click();
    const file = page.locator('.output-port[data-port="file"] .file-details');
    await file.waitFor();
    expect(await file.textContent()).toContain('stock.csv');
    await screenshot(page, '07-file-output');

    await selectBlock('Map');
    const preview = parameterField(page, 'expression').locator('.jsonata-result');
    await expect.poll(() => preview.textContent()).toContain('"code": "A100"');

    const written = await readFile(join(dataDir, 'eshop/stock.csv'));
    const expected = await readFile(
      join(repositoryRoot, 'flows/fixtures/eshop-stock-csv/demo-expected.csv'),
    );
    expect(written.equals(expected)).toBe(true);
  });

  it('exports a template and imports it under another name', async () => {
    await page.getByRole('button', { name: 'Export template' }).click();
    const dialog = page.getByRole('form', { name: 'Export a template' });
    await dialog
      .locator('.template-candidate', { hasText: '"items.dbf"' })
      .getByRole('checkbox')
      .check();
    await dialog
      .locator('.template-candidate', { hasText: '"eshop/stock.csv"' })
      .getByRole('checkbox')
      .check();
    await screenshot(page, '08-template-export');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const templatePath = join(work, 'stock.template.json');
    expect(download.suggestedFilename()).toMatch(
      /^stock-for-the-e-shop-[0-9a-f]{4}\.template\.json$/,
    );
    await download.saveAs(templatePath);
    const template = JSON.parse(await readFile(templatePath, 'utf8'));
    expect(template.format).toBe('kuryr-template');
    expect(Object.keys(template.flow.variables).sort()).toEqual([
      'READ_DBF_PATH',
      'WRITE_FILE_PATH',
    ]);
    expect(JSON.stringify(template)).not.toContain('items.dbf');

    await page.getByTestId('template-file').setInputFiles(templatePath);
    const importing = page.getByRole('form', { name: 'Import a template' });
    const submit = importing.getByRole('button', { name: 'Import', exact: true });
    await importing.getByLabel('Name of the new flow').fill('Stock for the second shop');
    expect(await submit.isDisabled()).toBe(true);
    await importing.getByLabel('READ_DBF_PATH').fill('items.dbf');
    await importing.getByLabel('WRITE_FILE_PATH').fill('eshop/second.csv');
    await screenshot(page, '09-template-import');
    await submit.click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Flow "Stock for the second shop" imported.');
    expect(await page.getByLabel('Flow name').inputValue()).toBe('Stock for the second shop');

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const run = page.getByRole('form', { name: 'Variables of the run' });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('id')))
      .toBe(await run.getByLabel('READ_DBF_PATH').getAttribute('id'));
    await page.keyboard.press('Escape');
    await expect.poll(() => run.count()).toBe(0);
    expect(await page.locator('[data-run-status]').count()).toBe(0);

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => run.getByLabel('READ_DBF_PATH').inputValue()).toBe('items.dbf');
    await run.getByRole('button', { name: 'Start' }).click();
    await page.locator('[data-run-status="succeeded"]').waitFor({ timeout: 30_000 });
    const written = await readFile(join(dataDir, 'eshop/second.csv'));
    expect(written.equals(await readFile(join(dataDir, 'eshop/stock.csv')))).toBe(true);
  });

  it('creates a missing credential while importing a template', async () => {
    const template = JSON.parse(await readFile(join(work, 'stock.template.json'), 'utf8'));
    template.flow.credentials = ['shop-ftp'];
    const templatePath = join(work, 'with-credential.template.json');
    await writeFile(templatePath, JSON.stringify(template));

    await page.getByTestId('template-file').setInputFiles(templatePath);
    const importing = page.getByRole('form', { name: 'Import a template' });
    await importing.getByLabel('Name of the new flow').fill('Stock for the third shop');
    await importing.getByLabel('READ_DBF_PATH').fill('items.dbf');
    await importing.getByLabel('WRITE_FILE_PATH').fill('eshop/third.csv');
    await importing.getByLabel('Kind of shop-ftp').selectOption('ftp');
    const submit = importing.getByRole('button', { name: 'Import', exact: true });
    expect(await submit.isDisabled()).toBe(true);
    expect(
      await importing
        .locator('[data-credential-field]')
        .evaluateAll((fields) =>
          fields.map((field) => field.getAttribute('data-credential-field')),
        ),
    ).toEqual(['host', 'port', 'user', 'password', 'verifyCertificate', 'caCertificate']);
    await importing.getByLabel('Server of shop-ftp').fill('127.0.0.1');
    await importing.getByLabel('User name of shop-ftp').fill('eshop');
    await importing.getByLabel('Password of shop-ftp').fill('s3cret-pass');
    expect(await importing.getByLabel('Password of shop-ftp').getAttribute('type')).toBe(
      'password',
    );
    await submit.click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Flow "Stock for the third shop" imported.');

    const credentials = await page.evaluate(async () => {
      const response = await fetch('api/v1/credentials');
      return (await response.json()) as { credentials: { name: string; kind: string }[] };
    });
    expect(credentials.credentials).toEqual([
      expect.objectContaining({ name: 'shop-ftp', kind: 'ftp' }),
    ]);
    expect(JSON.stringify(credentials)).not.toContain('s3cret-pass');
  });

  it('marks a broken JSONata expression at its position', async () => {
    await selectBlock('Filter');
    const condition = parameterField(page, 'condition');
    await typeExpression(page, condition, 'active = true and (stock > 0');

    const error = condition.locator('.jsonata-error[data-position]');
    await error.waitFor();
    expect(await error.getAttribute('data-position')).toBe('28');
    expect(await error.textContent()).toMatch(/^Position 28: /);
    expect(await condition.locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    expect(await blockNamed(page, 'Filter').locator('.block-invalid').count()).toBe(1);
    await screenshot(page, '10-jsonata-error');
  });

  it('copies, pastes and undoes blocks with the keyboard', async () => {
    await blockNamed(page, 'Map').locator('.block-header').click();
    await page.keyboard.press('Control+C');
    await page.keyboard.press('Control+V');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(6);
    await page.keyboard.press('Control+Z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(5);
    await page.keyboard.press('Control+Y');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(6);
  });

  it('shows a past run from the history on the canvas', async () => {
    // The pasted block is unsaved, so the editor asks before it opens another flow.
    const discard = page.waitForEvent('dialog').then(async (dialog) => {
      await dialog.accept();
      return dialog.message();
    });
    await page.getByLabel('Flow', { exact: true }).selectOption({ label: 'Stock for the e-shop' });
    expect(await discard).toContain('Unsaved changes');
    await expect.poll(() => page.getByLabel('Flow name').inputValue()).toBe('Stock for the e-shop');
    expect(await page.locator('.block-counts').count()).toBe(0);

    await page.getByRole('tab', { name: 'Runs' }).click();
    const cells = page.locator('.runs tbody tr').first().locator('td');
    expect(await cells.nth(0).textContent()).toBe('succeeded');
    expect(await cells.nth(1).textContent()).toBe('By hand');
    expect(await cells.nth(2).textContent()).toMatch(/^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2}$/);
    await page.getByLabel('Language').selectOption('cs');
    expect(await cells.nth(1).textContent()).toBe('Ručně');
    expect(await cells.nth(2).textContent()).toMatch(
      /^\d{1,2}\. ?\d{1,2}\. ?\d{2,4} \d{1,2}:\d{2}:\d{2}$/,
    );
    await page.getByLabel('Jazyk').selectOption('en');
    await page.getByRole('button', { name: 'Show on canvas' }).click();
    await expect
      .poll(() => blockNamed(page, 'Filter').locator('.block-counts').textContent())
      .toBe('25 in · 18 out');
    await screenshot(page, '11-run-history');
  });

  it('shows a failed block with its error and record', async () => {
    await selectBlock('Map');
    await typeExpression(page, parameterField(page, 'expression'), '{ "price": $number(NAME) }');
    await page.keyboard.press('Control+S');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Saved');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('[data-run-status="failed"]').waitFor({ timeout: 30_000 });

    const map = blockNamed(page, 'Map');
    expect(await map.locator('.block').getAttribute('data-status')).toBe('failed');
    expect(await map.locator('.block-error').textContent()).toMatch(/number/i);
    await page.getByRole('tab', { name: 'Output' }).click();
    const error = page.locator('.output-error');
    await error.waitFor();
    expect(await error.locator('pre').textContent()).toContain('"CODE": "A100"');
    await screenshot(page, '12-failed-block');
  });
});
