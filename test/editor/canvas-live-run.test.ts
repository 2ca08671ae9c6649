// The editor in Debian's Chromium against a real `kuryr start`, on a flow that runs for a few
// seconds: 300,000 generated items pass a Map whose expression runs on the jsonata library.
// The test watches the live counts and rate, cancels a run from the toolbar, then works the
// canvas with the mouse and the keyboard. The steps share one page and run in order.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import {
  block,
  blockCounts,
  blockNamed,
  blockPosition,
  callApi,
  openEditorSession,
  openFlow,
  screenshot,
  signIn,
  wire,
  writeGeneratedItemsDbf,
  type EditorSession,
} from './support/editor-page.js';

const PASSWORD = 'editor-test-password-2';
const RECORDS = 300_000;
const GRID = 20;

/**
 * Read → Map (on the jsonata library, because of the regular expression) → Filter → CSV in
 * windows-1250 → file, and a Read File of the table whose output is a binary file.
 */
const liveFlow = {
  schemaVersion: 1,
  id: 'live-items',
  name: 'Live items',
  variables: {},
  credentials: [],
  blocks: [
    block('read', 'dbf.read', 'Read items', 0, { path: 'items.dbf' }),
    block('label', 'transform.map', 'Label', 300, {
      expression: '{ "code": CODE, "label": $replace(NAME, /[aeiouy]/, "*"), "stock": STOCK }',
    }),
    block('stocked', 'transform.filter', 'Keep stocked', 600, { condition: 'stock > 0' }),
    block('csv', 'csv.write', 'Stock CSV', 900, {
      fileName: 'stock.csv',
      encoding: 'windows-1250',
    }),
    block('save', 'file.write', 'Save', 1200, { path: 'out/stock.csv' }),
    {
      ...block('raw', 'file.read', 'Table file', 0, { path: 'items.dbf' }),
      position: { x: 0, y: 400 },
    },
  ],
  wires: [
    wire('read', 'records', 'label', 'records'),
    wire('label', 'records', 'stocked', 'records'),
    wire('stocked', 'kept', 'csv', 'records'),
    wire('csv', 'file', 'save', 'file'),
  ],
};

let session: EditorSession;
let page: Page;

beforeAll(async () => {
  session = await openEditorSession(PASSWORD, async (dataDir) => {
    await mkdir(join(dataDir, 'out'));
    await writeGeneratedItemsDbf(join(dataDir, 'items.dbf'), RECORDS);
  });
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

const countsOf = (name: string) => blockCounts(page, name);

/** Waits until Label runs and has taken some but not all records. */
async function waitForLabelMidRun(): Promise<void> {
  await expect
    .poll(
      async () => {
        const status = await blockNamed(page, 'Label')
          .locator('.block')
          .getAttribute('data-status');
        const counts = await countsOf('Label');
        return status === 'running' && counts !== undefined && counts.in > 0;
      },
      { timeout: 30_000, interval: 50 },
    )
    .toBe(true);
}

const positionOf = (name: string) => blockPosition(page, name);

async function viewportTransform(): Promise<string> {
  return page
    .locator('.react-flow__viewport')
    .evaluate((element) => (element as HTMLElement).style.transform);
}

async function boxOf(locator: Locator) {
  const box = await locator.boundingBox();
  if (box === null) throw new Error('the element is not visible');
  return box;
}

const nodeCount = () => page.locator('.react-flow__node').count();
const edgeCount = () => page.locator('.react-flow__edge').count();
const selectedCount = () => page.locator('.react-flow__node.selected').count();

/** Selects a block by its header and opens a tab of the side panel. */
async function selectBlock(name: string, tab: string): Promise<void> {
  await blockNamed(page, name).locator('.block-header').click();
  await page.getByRole('tab', { name: tab }).click();
}

/** Clicks an empty part of the canvas, which clears the selection. */
async function clickEmptyCanvas(): Promise<void> {
  const canvas = await boxOf(page.locator('.react-flow'));
  await page.mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height - 40);
  await expect.poll(selectedCount).toBe(0);
}

describe('live run and canvas in the browser', () => {
  it('opens the stored flow', async () => {
    await signIn(page, session.kuryr.url, PASSWORD);
    const stored = await callApi(page, 'POST', 'flows', liveFlow);
    expect(stored.status).toBe(201);
    await page.reload();
    await page.locator('.palette-entry').first().waitFor();
    await openFlow(page, 'Live items', 6);
    await expect.poll(edgeCount).toBe(4);
  });

  it('shows records in, out and a rate while running', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForLabelMidRun();
    const label = blockNamed(page, 'Label');
    await expect.poll(() => label.locator('.block-rate').textContent()).toMatch(/^ · [1-9]\d*\/s$/);
    const during = await countsOf('Label');
    expect(during?.in).toBeLessThan(RECORDS);
    await screenshot(page, '20-live-progress');

    await page.locator('[data-run-status="succeeded"]').waitFor({ timeout: 120_000 });
    await expect.poll(() => countsOf('Label')).toEqual({ in: RECORDS, out: RECORDS });
    expect(await countsOf('Read items')).toEqual({ in: 0, out: RECORDS });
    expect(await label.locator('.block-rate').count()).toBe(0);
  });

  it('lists how each expression ran', async () => {
    await selectBlock('Label', 'Output');
    const expression = page.locator('.output-expressions li[data-parameter="expression"]');
    await expression.waitFor();
    expect(await expression.getAttribute('data-compiled')).toBe('false');
    expect(await expression.textContent()).toBe(
      'Expression: runs on the jsonata library (the regex construct)',
    );

    await selectBlock('Keep stocked', 'Output');
    const condition = page.locator('.output-expressions li[data-parameter="condition"]');
    await condition.waitFor();
    expect(await condition.getAttribute('data-compiled')).toBe('true');
    expect(await condition.textContent()).toBe('Condition: runs compiled');
  });

  it('reads the stored samples of a chosen port', async () => {
    const detail = (await callApi(page, 'GET', 'runs?flow=live-items')).json as {
      runs: { id: string }[];
    };
    const runId = detail.runs[0]?.id ?? '';
    const stored = (await callApi(page, 'GET', `runs/${runId}/blocks/stocked/samples?port=kept`))
      .json as { items: { code: string }[] };
    // More than the 20 items per port of the run detail, so the rows come from the samples route.
    expect(stored.items.length).toBeGreaterThan(20);

    await page.getByLabel('Port', { exact: true }).selectOption('error');
    await page
      .locator('.output-port[data-port="error"]')
      .getByText('The port sent nothing.')
      .waitFor();
    await page.getByLabel('Port', { exact: true }).selectOption('kept');
    expect(
      await page.getByLabel('Port', { exact: true }).locator('option').allTextContents(),
    ).toEqual(['Kept', 'Discarded', 'Errors']);
    const kept = page.locator('.output-port[data-port="kept"] .output-table tbody tr');
    await expect.poll(() => kept.count()).toBe(Math.min(stored.items.length, 100));
    expect(await kept.first().locator('td').first().textContent()).toBe(stored.items[0]?.code);
    await screenshot(page, '25-port-samples');
  });

  it('shows a text file decoded and a binary file in hex', async () => {
    await selectBlock('Stock CSV', 'Output');
    const head = page.locator('.output-port[data-port="file"] .file-head');
    await head.waitFor();
    const lines = (await head.textContent())?.split('\n') ?? [];
    expect(lines[0]).toBe('code,label,stock');
    // windows-1250 bytes decoded as such: Czech letters, no replacement characters.
    expect(lines.slice(1).join('\n')).toMatch(/[ČŽŠŘĎÚčžšřďúý]/);
    expect(lines.join('\n')).not.toContain('\uFFFD');

    await selectBlock('Table file', 'Output');
    const hex = page.locator('.output-port[data-port="file"] .file-hex');
    await hex.waitFor();
    expect(await page.locator('.output-port[data-port="file"] .file-head').count()).toBe(0);
    expect(await hex.isVisible()).toBe(true);
    const first = (await hex.textContent())?.split('\n')[0] ?? '';
    // A dBase III table starts with the version byte 03; offset, 16 bytes, then ASCII.
    expect(first).toMatch(/^00000000 {2}03( [0-9a-f]{2}){15} {2}.{16}$/);
    await screenshot(page, '26-binary-file-hex');
  });

  it('reads the samples route while a run goes', async () => {
    const samplesRequests: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (/\/runs\/[^/]+\/blocks\/label\/samples\?port=records$/.test(request.url())) {
        samplesRequests.push(request.url());
      }
    };
    page.on('request', onRequest);
    try {
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await waitForLabelMidRun();
      await selectBlock('Label', 'Output');
      await page.getByLabel('Port', { exact: true }).selectOption('records');
      // The table fills from the route or, until it has the running run's samples, the live items.
      const rows = page.locator('.output-port[data-port="records"] .output-table tbody tr');
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await screenshot(page, '27-samples-while-running');
      await page.locator('[data-run-status="succeeded"]').waitFor({ timeout: 120_000 });
      // A finished run's samples are read once, so a second request came while the run went.
      await expect.poll(() => samplesRequests.length).toBeGreaterThanOrEqual(2);
    } finally {
      page.off('request', onRequest);
    }
  });

  it('cancels a run from the toolbar', async () => {
    const cancel = page.getByRole('button', { name: 'Cancel run' });
    expect(await cancel.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForLabelMidRun();
    await cancel.click();

    await page.locator('[data-run-status="cancelled"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-run-status]').textContent()).toBe('cancelled');
    const label = blockNamed(page, 'Label').locator('.block');
    await expect.poll(() => label.getAttribute('data-status')).toBe('cancelled');
    expect(await label.locator('.block-status').textContent()).toBe('cancelled');
    const counts = await countsOf('Label');
    expect(counts?.in).toBeLessThan(RECORDS);
    expect(await blockNamed(page, 'Save').locator('.block').getAttribute('data-status')).not.toBe(
      'succeeded',
    );
    await screenshot(page, '21-run-cancelled');
  });

  it('zooms in and back to fit the flow', async () => {
    const canvas = await boxOf(page.locator('.react-flow'));
    const zoomIn = page.getByRole('button', { name: 'Zoom in' });
    for (let step = 0; step < 4; step++) await zoomIn.click();
    const outside = async () => {
      let count = 0;
      for (const node of await page.locator('.react-flow__node').all()) {
        const box = await boxOf(node);
        const inside =
          box.x >= canvas.x &&
          box.y >= canvas.y &&
          box.x + box.width <= canvas.x + canvas.width &&
          box.y + box.height <= canvas.y + canvas.height;
        if (!inside) count++;
      }
      return count;
    };
    await expect.poll(outside).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    await expect.poll(outside).toBe(0);
    await screenshot(page, '22-zoom-to-fit');
  });

  it('shows a minimap that centres the canvas on a click', async () => {
    const minimap = page.locator('.react-flow__minimap');
    expect(await minimap.isVisible()).toBe(true);
    expect(await minimap.locator('.react-flow__minimap-node').count()).toBe(6);
    expect(await minimap.locator('title').textContent()).toContain('Minimap');

    const before = await viewportTransform();
    const scale = /scale\(([\d.]+)\)/.exec(before)?.[1];
    const map = await boxOf(minimap.locator('svg'));
    await page.mouse.click(map.x + map.width * 0.9, map.y + map.height * 0.9);
    await expect.poll(viewportTransform).not.toBe(before);
    expect(/scale\(([\d.]+)\)/.exec(await viewportTransform())?.[1]).toBe(scale);
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
  });

  it('snaps a dragged block to the grid', async () => {
    const before = await positionOf('Keep stocked');
    const header = await boxOf(blockNamed(page, 'Keep stocked').locator('.block-header'));
    const start = { x: header.x + header.width / 2, y: header.y + header.height / 2 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + 37, start.y + 53, { steps: 8 });
    await page.mouse.up();

    const after = await positionOf('Keep stocked');
    expect(after).not.toEqual(before);
    expect(after.x % GRID).toBe(0);
    expect(after.y % GRID).toBe(0);
  });

  it('selects all blocks with Ctrl+A', async () => {
    await clickEmptyCanvas();
    await page.keyboard.press('Control+A');
    await expect.poll(selectedCount).toBe(6);
    await clickEmptyCanvas();
  });

  it('adds a block to the selection with Shift+click', async () => {
    await blockNamed(page, 'Read items').locator('.block-header').click();
    await blockNamed(page, 'Save')
      .locator('.block-header')
      .click({ modifiers: ['Shift'] });
    await expect.poll(selectedCount).toBe(2);
    expect(await blockNamed(page, 'Read items').getAttribute('class')).toContain('selected');
    expect(await blockNamed(page, 'Save').getAttribute('class')).toContain('selected');
    await clickEmptyCanvas();
  });

  it('selects blocks with a Shift-drawn box and deletes them', async () => {
    const first = await boxOf(blockNamed(page, 'Read items'));
    const second = await boxOf(blockNamed(page, 'Label'));
    await page.keyboard.down('Shift');
    await page.mouse.move(first.x - 15, Math.min(first.y, second.y) - 15);
    await page.mouse.down();
    await page.mouse.move(
      second.x + second.width + 15,
      Math.max(first.y + first.height, second.y + second.height) + 15,
      {
        steps: 10,
      },
    );
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(selectedCount).toBe(2);
    await screenshot(page, '23-box-selection');

    await page.keyboard.press('Delete');
    await expect.poll(nodeCount).toBe(4);
    await expect.poll(edgeCount).toBe(2);
    expect(await blockNamed(page, 'Read items').count()).toBe(0);
  });

  it('undoes and redoes the delete', async () => {
    await page.keyboard.press('Control+Z');
    await expect.poll(nodeCount).toBe(6);
    await expect.poll(edgeCount).toBe(4);
    expect(await blockNamed(page, 'Label').count()).toBe(1);

    await page.keyboard.press('Control+Y');
    await expect.poll(nodeCount).toBe(4);
    await expect.poll(edgeCount).toBe(2);

    await page.keyboard.press('Control+Z');
    await expect.poll(nodeCount).toBe(6);
    await expect.poll(edgeCount).toBe(4);
  });

  it('cuts a block with Ctrl+X and pastes it back', async () => {
    await clickEmptyCanvas();
    await blockNamed(page, 'Keep stocked').locator('.block-header').click();
    await page.keyboard.press('Control+X');
    await expect.poll(nodeCount).toBe(5);
    expect(await blockNamed(page, 'Keep stocked').count()).toBe(0);
    await expect.poll(edgeCount).toBe(2);

    await page.keyboard.press('Control+V');
    await expect.poll(nodeCount).toBe(6);
    expect(await blockNamed(page, 'Keep stocked').count()).toBe(1);
    await screenshot(page, '24-cut-and-paste');
  });
});
