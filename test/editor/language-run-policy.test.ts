// The editor in Debian's Chromium against a real `kuryr start`. In Czech, the palette, the block
// settings, their validation details and a refused wire come from the runtime's catalogue in
// Czech. The Flow tab edits the run policy, refuses an invalid one and saves a valid one. The
// steps share one page and run in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  blockNamed,
  callApi,
  dropBlock,
  drawWire,
  openEditorSession,
  openFlow,
  parameterField,
  portOf,
  screenshot,
  signIn,
  typeExpression,
  type EditorSession,
} from './support/editor-page.js';

const PASSWORD = 'editor-test-password-5';

let session: EditorSession;
let page: Page;

beforeAll(async () => {
  session = await openEditorSession(PASSWORD, async () => {});
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

const status = () => page.getByRole('status').textContent();

describe('Czech catalogue and run policy in the browser', () => {
  it('shows the palette in Czech', async () => {
    await signIn(page, session.kuryr.url, PASSWORD);
    await page.getByLabel('Language').selectOption('cs');
    const groups = await page.locator('.palette-group h3').allTextContents();
    expect(groups).toEqual(expect.arrayContaining(['Soubory', 'Transformace', 'Přenos']));
    const entry = page.locator('.palette-entry[data-block-type="dbf.read"]');
    expect(await entry.locator('.palette-item span').textContent()).toBe('Číst DBF');
    await entry.getByText('Nápověda').click();
    expect(await entry.locator('.palette-help').textContent()).toContain('Čte tabulku dBase');

    await page.getByLabel('Hledat bloky').fill('mapovat');
    expect(await page.locator('.palette-entry').count()).toBe(1);
    await screenshot(page, '40-palette-czech');
    await page.getByLabel('Hledat bloky').fill('');
  });

  it('shows block settings and their problems in Czech', async () => {
    await dropBlock(page, 'dbf.read', { x: 150, y: 150 });
    const read = blockNamed(page, 'Číst DBF');
    expect(await read.locator('.block-invalid').textContent()).toBe(
      'Neplatné nastavení: Soubor – Povinné',
    );
    await read.locator('.block-header').click();
    await page.getByRole('tab', { name: 'Nastavení' }).click();
    const path = parameterField(page, 'path');
    expect(await path.locator('label').first().textContent()).toContain('Soubor');
    expect(await path.locator('.help').textContent()).toContain('Cesta k tabulce DBF');

    const batch = parameterField(page, 'batchSize');
    expect(await batch.locator('label').first().textContent()).toContain('Velikost dávky');
    await batch.locator('input').fill('0');
    await expect
      .poll(() => batch.locator('.field-problem').textContent())
      .toBe('Neplatná hodnota: musí být >= 1');
    await screenshot(page, '41-settings-czech');
    await batch.locator('input').fill('500');
    await expect.poll(() => batch.locator('.field-problem').count()).toBe(0);
  });

  it('refuses wires and marks JSONata in Czech', async () => {
    await dropBlock(page, 'file.write', { x: 500, y: 150 });
    const write = blockNamed(page, 'Zapsat soubor');
    await write.waitFor();
    expect(await write.locator('.port-label-target').first().textContent()).toBe('Soubor');
    await drawWire(
      page,
      portOf(blockNamed(page, 'Číst DBF'), 'records', 'source'),
      portOf(write, 'file', 'target'),
    );
    await expect
      .poll(status)
      .toBe('Spojení odmítnuto: výstup Záznamy nese záznamy, ale vstup Soubor přijímá soubory.');
    expect(await page.locator('.react-flow__edge').count()).toBe(0);

    await dropBlock(page, 'transform.filter', { x: 150, y: 400 });
    await blockNamed(page, 'Filtrovat').locator('.block-header').click();
    const condition = parameterField(page, 'condition');
    await typeExpression(page, condition, 'STOCK > 0 and )');
    await expect
      .poll(() => condition.locator('.jsonata-error').textContent())
      .toBe('Pozice 15: Symbol ) nelze použít jako unární operátor');
    expect(await blockNamed(page, 'Filtrovat').locator('.block-invalid').textContent()).toBe(
      'Neplatné nastavení: Podmínka – Chyba syntaxe JSONata na pozici 15: Symbol ) nelze použít jako unární operátor',
    );
    await screenshot(page, '44-jsonata-error-czech');

    // The run policy steps save the flow, which needs no block.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(0);
  });

  it('edits the run policy in the Flow tab', async () => {
    await page.getByLabel('Název toku').fill('Policy flow');
    await page.getByRole('tab', { name: 'Tok' }).click();
    expect(await page.locator('.flow-run-policy h3').textContent()).toBe('Pravidla běhu');
    await page.getByLabel('Jazyk').selectOption('en');
    expect(await page.locator('.flow-run-policy h3').textContent()).toBe('Run policy');
    const overlap = page.getByLabel('When a run is already going');
    expect(await overlap.inputValue()).toBe('skip');
    await overlap.selectOption('queue');
    await page.getByLabel('Missed schedule times').selectOption('catch-up-once');

    const maxRun = page.getByLabel('Maximum run time (seconds)');
    await maxRun.fill('0');
    const problem = page.locator('[data-policy-field="maxRunSeconds"] .field-problem');
    expect(await problem.textContent()).toBe(
      'Enter a number of seconds greater than 0, or leave it empty.',
    );
    await page.keyboard.press('Control+S');
    await expect.poll(status).toBe('Not saved: the run policy in the Flow tab is invalid.');
    expect((await callApi(page, 'GET', 'flows')).json).toEqual({ flows: [] });
    await screenshot(page, '42-run-policy-invalid');

    await maxRun.fill('90');
    expect(await problem.count()).toBe(0);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(status).toBe('Saved');
  });

  it('stores the run policy and shows it again', async () => {
    const listed = (await callApi(page, 'GET', 'flows')).json as { flows: { id: string }[] };
    expect(listed.flows).toHaveLength(1);
    const id = listed.flows[0]!.id;
    const stored = (await callApi(page, 'GET', `flows/${id}`)).json as {
      flow: { runPolicy?: unknown };
    };
    expect(stored.flow.runPolicy).toEqual({
      overlap: 'queue',
      maxRunSeconds: 90,
      missedRuns: 'catch-up-once',
    });

    await page.reload();
    await page.locator('.palette-entry').first().waitFor();
    await openFlow(page, 'Policy flow', 0);
    await page.getByRole('tab', { name: 'Flow' }).click();
    expect(await page.getByLabel('When a run is already going').inputValue()).toBe('queue');
    expect(await page.getByLabel('Maximum run time (seconds)').inputValue()).toBe('90');
    expect(await page.getByLabel('Missed schedule times').inputValue()).toBe('catch-up-once');
    await screenshot(page, '43-run-policy-saved');
  });
});
