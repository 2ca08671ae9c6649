// The editor in Debian's Chromium against a real `kuryr start`, in Czech. A Read DBF block reads
// a table cut short. Read strictly, the run fails and the block's error is Czech, with context
// labels and the English message under "Podrobnosti". Read leniently, the damage is a Czech
// warning. The code page select shows Czech value labels while the flow stores the raw value.
// The fields of a Write DBF block's list items are Czech, and so are a flow problem that stops
// saving and a choice in the template export dialog. The steps share one page and run in order.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeDemoItemsDbf } from '@kuryr/nodes';
import {
  blockNamed,
  callApi,
  dropBlock,
  openEditorSession,
  openFlow,
  parameterField,
  screenshot,
  signIn,
  type EditorSession,
} from './support/editor-page.js';

const PASSWORD = 'editor-test-password-8';

/** Bytes cut off the end of the demo table, so that its last records are incomplete. */
const CUT_BYTES = 150;

const brokenFlow = {
  schemaVersion: 1,
  id: 'broken-table',
  name: 'Broken table',
  variables: {},
  credentials: [],
  blocks: [
    {
      id: 'read',
      type: 'dbf.read',
      version: 1,
      name: 'Read items',
      position: { x: 100, y: 100 },
      parameters: { path: 'broken.dbf', codePage: '852' },
    },
  ],
  wires: [],
};

let session: EditorSession;
let page: Page;

beforeAll(async () => {
  session = await openEditorSession(PASSWORD, async (dataDir) => {
    const whole = join(dataDir, 'items.dbf');
    await writeDemoItemsDbf(whole, '852');
    const bytes = await readFile(whole);
    await writeFile(join(dataDir, 'broken.dbf'), bytes.subarray(0, bytes.length - CUT_BYTES));
  });
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

async function selectRead(tab: string) {
  await blockNamed(page, 'Read items').locator('.block-header').click();
  await page.getByRole('tab', { name: tab }).click();
}

async function runFlow(status: 'failed' | 'succeeded') {
  await page.getByRole('button', { name: 'Spustit', exact: true }).click();
  await page.locator(`[data-run-status="${status}"]`).waitFor({ timeout: 30_000 });
}

describe('runtime texts in Czech in the browser', () => {
  it('opens the flow in Czech', async () => {
    await signIn(page, session.kuryr.url, PASSWORD);
    expect((await callApi(page, 'POST', 'flows', brokenFlow)).status).toBe(201);
    await page.reload();
    await page.locator('.palette-entry').first().waitFor();
    await openFlow(page, 'Broken table', 1);
    await page.getByLabel('Language').selectOption('cs');
  });

  it('shows Czech value labels in a select', async () => {
    await selectRead('Nastavení');
    const select = parameterField(page, 'codePage').locator('select');
    expect(await select.inputValue()).toBe('852');
    expect(await select.locator('option[value="852"]').textContent()).toBe(
      '852 – DOS, střední Evropa (Latin 2)',
    );
    expect(await select.locator('option[value="auto"]').textContent()).toBe('Automaticky');
    expect(await select.locator('option[value="kamenicky"]').textContent()).toBe('Kamenický (DOS)');
    await select.selectOption({ label: '1250 – Windows, střední Evropa' });
    expect(await select.inputValue()).toBe('1250');
    await select.selectOption('852');
  });

  it('shows a failed run in Czech', async () => {
    await runFlow('failed');
    expect(await page.locator('[data-run-status="failed"]').getAttribute('title')).toMatch(
      /^Tabulka DBF je zkrácená: .* \(blok Read items, soubor broken\.dbf, bajt \d+\) \(Podrobnosti: truncated: /,
    );
    const read = blockNamed(page, 'Read items');
    expect(await read.locator('.block-error').textContent()).toMatch(
      /^Tabulka DBF je zkrácená: hlavička udává 25 záznamů, soubor jich obsahuje \d+\.$/,
    );
    await selectRead('Výstup');
    const error = page.locator('.output-error .runtime-message');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('DBF_TRUNCATED');
    expect(await error.locator('.runtime-message-text').textContent()).toMatch(
      /^Tabulka DBF je zkrácená: hlavička udává 25 záznamů, soubor jich obsahuje \d+\.$/,
    );
    const labels = await error.locator('.runtime-message-where dt').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['blok', 'soubor', 'bajt']));
    const block = error.locator('.runtime-message-where div', { hasText: 'blok' }).locator('dd');
    expect(await block.textContent()).toBe('Read items');
    const file = error.locator('.runtime-message-where div', { hasText: 'soubor' }).locator('dd');
    expect(await file.textContent()).toContain('broken.dbf');
    expect(await error.textContent()).toContain(
      'Co dělat: Zkopírujte soubor znovu, nebo zapněte Číst poškozené tabulky',
    );

    await error.locator('summary', { hasText: 'Podrobnosti' }).click();
    expect(await error.locator('.runtime-message-detail').textContent()).toMatch(
      /DBF_TRUNCATED: truncated: header says 25 records, file holds \d+/,
    );
    await screenshot(page, '50-run-error-czech');
  });

  it('shows a warning in Czech', async () => {
    await selectRead('Nastavení');
    await parameterField(page, 'lenient').locator('input').check();
    await page.keyboard.press('Control+S');
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Uloženo');
    const stored = (await callApi(page, 'GET', 'flows/broken-table')).json as {
      flow: { blocks: { parameters: Record<string, unknown> }[] };
    };
    expect(stored.flow.blocks[0]!.parameters).toMatchObject({ codePage: '852', lenient: true });
    await runFlow('succeeded');
    await selectRead('Výstup');
    const warning = page.locator('.output .runtime-message[data-code="DBF_TRUNCATED"]');
    await warning.waitFor();
    expect(await warning.locator('.runtime-message-text').textContent()).toMatch(
      /^Tabulka DBF je zkrácená: hlavička udává 25 záznamů, soubor jich obsahuje \d+\.$/,
    );
    const labels = await warning.locator('.runtime-message-where dt').allTextContents();
    expect(labels).toEqual(['soubor', 'bajt']);
    expect(await blockNamed(page, 'Read items').locator('.block-warnings').textContent()).toBe(
      'varování: 1',
    );
    await screenshot(page, '51-warning-czech');

    await page.getByLabel('Jazyk').selectOption('en');
    expect(await warning.locator('.runtime-message-text').textContent()).toMatch(
      /^truncated: header says 25 records, file holds \d+$/,
    );
    expect(await warning.locator('.runtime-message-where dt').allTextContents()).toEqual([
      'file',
      'byte',
    ]);
    expect(await warning.locator('.runtime-message-detail').count()).toBe(0);
    await page.getByLabel('Language').selectOption('cs');
  });

  it('shows nested list fields in Czech', async () => {
    await dropBlock(page, 'dbf.write', { x: 450, y: 150 });
    await blockNamed(page, 'Zapsat DBF').locator('.block-header').click();
    await page.getByRole('tab', { name: 'Nastavení' }).click();
    const fields = parameterField(page, 'fields');
    await fields.getByRole('button', { name: 'Přidat' }).click();
    const item = fields.locator('.object-list-item').first();
    expect(await item.locator('legend').textContent()).toBe('Položka 1');
    const name = item.locator('[data-field="name"]');
    expect(await name.locator('label').textContent()).toBe('Název *');
    expect(await name.locator('.help').textContent()).toContain('Název pole, např. PRICE');
    await name.locator('input').fill('PRICE');
    const type = item.locator('[data-field="type"]');
    expect(await type.locator('label').textContent()).toContain('Typ');
    await type.locator('select').selectOption({ label: 'N – číslo' });
    expect(await item.locator('[data-field="decimals"] label').textContent()).toBe(
      'Desetinná místa',
    );
    const format = parameterField(page, 'format').locator('select');
    expect(await format.locator('option[value="visual-foxpro"]').textContent()).toBe(
      'Visual FoxPro',
    );
    await screenshot(page, '52-nested-fields-czech');

    await page.keyboard.press('Control+S');
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toMatch(
        /^Uložení selhalo: blok „Zapsat DBF“ vstup „Záznamy“: K tomuto vstupu nevede žádné spojení, takže by blok nic nedostal\.$/,
      );
    await screenshot(page, '53-save-problem-czech');

    await page.getByRole('button', { name: 'Exportovat šablonu' }).click();
    const codePage = page.locator('.template-candidate', { hasText: 'Kódová stránka' });
    expect((await codePage.textContent())?.trim()).toBe(
      'Read items – Kódová stránka: 852 – DOS, střední Evropa (Latin 2)',
    );
    await page.getByRole('button', { name: 'Zavřít' }).click();

    expect(await type.locator('select').inputValue()).toBe('N');
  });
});
