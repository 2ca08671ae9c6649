// The editor in Debian's Chromium against a real `kuryr start`, switched to Czech. Each main screen
// is scanned for English UI words in its text, aria-labels, titles and placeholders: the login,
// the palette and canvas, every tab of the panel before and after a run, the run dialog and the
// template dialogs. The flow is the e-shop stock flow with Czech names and descriptions, so the
// only English left would be the editor's own. The steps share one page and run in order.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeDemoItemsDbf } from '@kuryr/nodes';
import { repositoryRoot } from '../support/kuryr.js';
import {
  blockNamed,
  callApi,
  openEditorSession,
  screenshot,
  type EditorSession,
} from './support/editor-page.js';

const PASSWORD = 'editor-test-password-9';

/**
 * English words of the editor's own texts. A Czech text contains none of them as a whole word.
 * Data (flow names, file names, column names in capitals) is Czech or matches none of them.
 */
const ENGLISH_WORDS = new RegExp(
  // No letter or digit may touch a match. `\b` would split Czech words at letters such as é.
  '(?<![\\p{L}\\p{N}])(the|and|of|from|with|or|is|Edge|Wire|Zoom|Save|Run|Runs|Cancel|' +
    'Settings|Output|Flow|Block|Blocks|Input|Search|Loading|Details|Template|' +
    'Variables?|Credentials?|Add|Remove|Close|Select|None|Name|Value|Press|Help|' +
    'records|files|running|finished|failed|succeeded|cancelled)(?![\\p{L}\\p{N}])',
  'u',
);

/** Returns the English-looking texts shown on the page, each with where it was found. */
async function englishTexts(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const found: string[] = [];
    // React Flow's attribution link names the library, which stays in English on purpose.
    const skipped = '.react-flow__attribution, script, style';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      if (text !== '' && node.parentElement?.closest(skipped) === null) found.push(`text: ${text}`);
    }
    for (const element of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (element.closest(skipped) !== null) continue;
      for (const name of ['aria-label', 'title', 'placeholder']) {
        const value = element.getAttribute(name);
        if (value !== null && value !== '') found.push(`${name}: ${value}`);
      }
    }
    return found;
  });
  return [...new Set(texts)].filter((text) => ENGLISH_WORDS.test(text));
}

/** Builds the e-shop stock flow with Czech names and variable descriptions, without English. */
async function czechEshopFlow() {
  const path = join(repositoryRoot, 'flows/eshop-stock-csv.json');
  const flow = JSON.parse(await readFile(path, 'utf8')) as {
    id: string;
    name: string;
    description?: string;
    variables: Record<string, { description?: string; default?: string }>;
    blocks: { id: string; name: string }[];
  };
  const names: Record<string, string> = {
    'read-items': 'Číst zboží',
    'map-stock': 'Řádky skladu',
    'keep-in-stock': 'Jen skladem',
    'write-csv': 'Zapsat sklad',
    'write-file': 'Uložit sklad',
  };
  return {
    ...flow,
    id: 'sklad-eshop',
    name: 'Sklad pro e-shop',
    description: 'Sklad pro e-shop z tabulky zboží.',
    variables: {
      SOURCE_DBF: { description: 'Tabulka zboží', default: 'items.dbf' },
      TARGET_CSV: { description: 'Soubor skladu', default: 'eshop/stock.csv' },
      CODE_PAGE: { description: 'Kódová stránka tabulky', default: '852' },
    },
    blocks: flow.blocks.map((block) => ({ ...block, name: names[block.id] ?? block.name })),
  };
}

let session: EditorSession;
let page: Page;

beforeAll(async () => {
  session = await openEditorSession(PASSWORD, async (dataDir) => {
    await writeDemoItemsDbf(join(dataDir, 'items.dbf'), '852');
  });
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

/** Opens a stored flow from the toolbar's Czech picker and waits until its blocks are drawn. */
async function openFlow(name: string, blocks: number) {
  await page.locator('select[aria-label="Tok"]').selectOption({ label: name });
  await page.waitForFunction(
    ({ name, blocks }) =>
      document.querySelector<HTMLInputElement>('input[aria-label="Název toku"]')?.value === name &&
      document.querySelectorAll('.react-flow__node').length === blocks,
    { name, blocks },
  );
}

async function openTab(name: string) {
  await page.getByRole('tab', { name, exact: true }).click();
}

describe('Czech editor without English texts', () => {
  it('shows the login in Czech', async () => {
    await page.goto(session.kuryr.url);
    await page.evaluate(() => localStorage.setItem('kuryr.language', 'cs'));
    await page.reload();
    await page.getByLabel('Uživatelské jméno').waitFor();
    expect(await englishTexts(page)).toEqual([]);
  });

  it('shows the canvas in Czech', async () => {
    await page.getByLabel('Uživatelské jméno').fill('admin');
    await page.getByLabel('Heslo').fill(PASSWORD);
    await page.getByRole('button', { name: 'Přihlásit' }).click();
    await page.locator('.palette-entry').first().waitFor();
    expect((await callApi(page, 'POST', 'flows', await czechEshopFlow())).status).toBe(201);
    await page.reload();
    await page.locator('.palette-entry').first().waitFor();
    await openFlow('Sklad pro e-shop', 5);
    expect(await englishTexts(page)).toEqual([]);
  });

  it('shows every panel tab in Czech', async () => {
    await blockNamed(page, 'Číst zboží').locator('.block-header').click();
    for (const tab of ['Nastavení', 'Výstup', 'Běhy', 'Tok']) {
      await openTab(tab);
      expect(await englishTexts(page), tab).toEqual([]);
    }
  });

  it('shows the run dialog in Czech', async () => {
    await page.getByRole('button', { name: 'Spustit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Proměnné běhu' });
    await dialog.waitFor();
    expect(await englishTexts(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Spustit', exact: true }).click();
    await page.locator('[data-run-status="succeeded"]').waitFor({ timeout: 30_000 });
  });

  it('shows a finished run in Czech', async () => {
    await blockNamed(page, 'Číst zboží').locator('.block-header').click();
    for (const tab of ['Výstup', 'Běhy']) {
      await openTab(tab);
      await page.waitForLoadState('networkidle');
      expect(await englishTexts(page), tab).toEqual([]);
    }
    await screenshot(page, '60-czech-scan-runs');
  });

  it('shows the template dialogs in Czech', async () => {
    await page.getByRole('button', { name: 'Exportovat šablonu' }).click();
    const exporting = page.getByRole('dialog', { name: 'Export šablony' });
    await exporting.waitFor();
    expect(await englishTexts(page), 'export').toEqual([]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exporting.getByRole('button', { name: 'Exportovat', exact: true }).click(),
    ]);
    const templatePath = join(session.work, 'sklad.template.json');
    await download.saveAs(templatePath);

    await page.getByTestId('template-file').setInputFiles(templatePath);
    const importing = page.getByRole('dialog', { name: 'Import šablony' });
    await importing.waitFor();
    expect(await englishTexts(page), 'import').toEqual([]);
    await importing.getByRole('button', { name: 'Zavřít' }).click();
    await importing.waitFor({ state: 'detached' });
  });
});
