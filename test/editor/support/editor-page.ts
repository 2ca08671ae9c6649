import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { createDbfWriter, demoItemFields, generateItems } from '@kuryr/nodes';
import {
  launchChromium,
  startKuryr,
  type BrowserSession,
  type KuryrProcess,
} from '../../../scripts/editor-browser.mjs';
import { requireSystemTool } from '../../../scripts/system-packages.mjs';
import { repositoryRoot } from '../../support/kuryr.js';

/** Gitignored folder for the screenshots the browser tests save. */
export const artifactsDir = join(repositoryRoot, 'test/artifacts');

/** A `kuryr start` on a temporary state and data folder, and a Chromium page to drive it. */
export type EditorSession = {
  work: string;
  dataDir: string;
  kuryr: KuryrProcess;
  browser: BrowserSession;
  page: Page;
  /** Stops the browser and the service and removes the temporary folders. */
  close(): Promise<void>;
};

/**
 * Creates a temporary folder, lets `prepareData` fill its `data` folder, then starts
 * `kuryr start` with the administrator password `password` and Chromium. On a failure it stops
 * what it started and throws.
 */
export async function openEditorSession(
  password: string,
  prepareData: (dataDir: string) => Promise<void>,
): Promise<EditorSession> {
  requireSystemTool('chromium');
  const work = await mkdtemp(join(tmpdir(), 'kuryr-editor-'));
  const dataDir = join(work, 'data');
  let kuryr: KuryrProcess | undefined;
  let browser: BrowserSession | undefined;
  const close = async () => {
    await browser?.close();
    await kuryr?.stop();
    await rm(work, { recursive: true, force: true });
  };
  try {
    await mkdir(dataDir, { recursive: true });
    await prepareData(dataDir);
    kuryr = await startKuryr({ dataDir, stateDir: join(work, 'state'), password });
    browser = await launchChromium();
  } catch (error) {
    await close();
    throw error;
  }
  return { work, dataDir, kuryr, browser, page: browser.page, close };
}

/** Writes `records` generated demo items (seed 852) to a DBF table in code page 852. */
export async function writeGeneratedItemsDbf(path: string, records: number): Promise<void> {
  const writer = await createDbfWriter(path, { fields: demoItemFields, codePage: '852' });
  try {
    for (const batch of generateItems(records, 852)) await writer.write(batch);
  } finally {
    await writer.close();
  }
}

/** Saves a full-page screenshot as test/artifacts/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`) });
}

/** Finds the canvas node of the block whose name is `name`. */
export function blockNamed(page: Page, name: string): Locator {
  return page.locator('.react-flow__node').filter({
    has: page.locator('.block-name', { hasText: new RegExp(`^${name}$`) }),
  });
}

/** Returns a block's position on the canvas, in flow coordinates, from its CSS transform. */
export async function blockPosition(page: Page, name: string): Promise<{ x: number; y: number }> {
  const transform = await blockNamed(page, name).evaluate(
    (element) => (element as HTMLElement).style.transform,
  );
  const match = /translate\((-?[\d.]+)px, ?(-?[\d.]+)px\)/.exec(transform);
  if (match === null) throw new Error(`no position in the transform "${transform}"`);
  return { x: Number(match[1]), y: Number(match[2]) };
}

/** Reads a block's "N in · M out" counts as numbers, or undefined while it shows none. */
export async function blockCounts(
  page: Page,
  name: string,
): Promise<{ in: number; out: number } | undefined> {
  const text = await blockNamed(page, name)
    .locator('.block-counts')
    .textContent({ timeout: 100 })
    .catch(() => null);
  const match = /^(\d+) in · (\d+) out$/.exec(text ?? '');
  return match === null ? undefined : { in: Number(match[1]), out: Number(match[2]) };
}

/** Builds a stored flow's block at (`x`, 100). */
export function block(id: string, type: string, name: string, x: number, parameters: object) {
  return { id, type, version: 1, name, position: { x, y: 100 }, parameters };
}

/** Builds a stored flow's wire from an output port to an input port. */
export function wire(from: string, fromPort: string, to: string, toPort: string) {
  return { from: { block: from, port: fromPort }, to: { block: to, port: toPort } };
}

/** Finds a port handle of a block: `source` for outputs, `target` for inputs. */
export function portOf(block: Locator, port: string, side: 'source' | 'target'): Locator {
  return block.locator(`.react-flow__handle.${side}[data-handleid="${port}"]`);
}

/** Drags a palette entry onto the canvas and drops it at `at`, relative to the canvas. */
export async function dropBlock(page: Page, type: string, at: { x: number; y: number }) {
  await page.dragAndDrop(`.palette-entry[data-block-type="${type}"] .palette-item`, '.canvas', {
    targetPosition: at,
  });
}

async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (box === null) throw new Error('the element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Draws a wire with the mouse from an output handle to an input handle. */
export async function drawWire(page: Page, from: Locator, to: Locator): Promise<void> {
  const start = await centreOf(from);
  const end = await centreOf(to);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 5 });
  await page.mouse.move(end.x, end.y, { steps: 5 });
  await page.mouse.up();
}

/** Finds a parameter field in the selected block's settings panel. */
export function parameterField(page: Page, name: string): Locator {
  return page.locator(`.parameters [data-parameter="${name}"]`);
}

/** Replaces the text of a JSONata editor (CodeMirror) inside `field`. */
export async function typeExpression(page: Page, field: Locator, text: string): Promise<void> {
  await field.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Signs in as `admin` and waits for the palette. */
export async function signIn(page: Page, url: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.palette-entry').first().waitFor();
}

/**
 * Sends an API request from the signed-in page with the session's CSRF token and returns the
 * status and the parsed body.
 */
export async function callApi(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('api/v1/session')).json()) as { csrfToken: string };
      const response = await fetch(`api/v1/${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
    },
    { method, path, body },
  );
}

/**
 * Stores the e-shop stock flow of flows/ under `id` and `name`, reading `items.dbf` and writing
 * `eshop/stock.csv` in the data folder, and returns the API's response.
 */
export async function storeEshopFlow(
  page: Page,
  id: string,
  name: string,
): Promise<{ status: number; json: unknown }> {
  const flow = JSON.parse(
    await readFile(join(repositoryRoot, 'flows/eshop-stock-csv.json'), 'utf8'),
  ) as { variables: Record<string, { description: string; default?: string }> };
  flow.variables.SOURCE_DBF!.default = 'items.dbf';
  flow.variables.TARGET_CSV!.default = 'eshop/stock.csv';
  return callApi(page, 'POST', 'flows', { ...flow, id, name });
}

/** Opens a stored flow from the toolbar's picker and waits until its blocks are drawn. */
export async function openFlow(page: Page, name: string, blocks: number): Promise<void> {
  await page.getByLabel('Flow', { exact: true }).selectOption({ label: name });
  await page.waitForFunction(
    ({ name, blocks }) =>
      document.querySelector<HTMLInputElement>('input[aria-label="Flow name"]')?.value === name &&
      document.querySelectorAll('.react-flow__node').length === blocks,
    { name, blocks },
  );
}
