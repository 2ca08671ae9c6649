// The editor in Debian's Chromium on a slow connection: the page's requests get 400 ms of extra
// latency and a low throughput from the DevTools protocol (Network.emulateNetworkConditions).
// Saving and running send one request however often the buttons are clicked, edits made during
// a slow save stay unsaved, panels show that they are loading, and a late response of the JSONata
// preview never replaces the result of a newer text. The steps share one page and run in order.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page, Request } from 'playwright-core';
import { writeDemoItemsDbf } from '@kuryr/nodes';
import {
  blockNamed,
  callApi,
  openEditorSession,
  openFlow,
  parameterField,
  screenshot,
  signIn,
  storeEshopFlow,
  typeExpression,
  type EditorSession,
} from './support/editor-page.js';

const PASSWORD = 'editor-slow-network-password-1';
const FLOW_ID = 'stock-slow-network';
const FLOW_NAME = 'Stock on a slow line';
/** The output panel's text for a port that sent nothing. */
const PORT_EMPTY = 'The port sent nothing.';

let session: EditorSession;
let page: Page;
let cdp: CDPSession;
/** Uncaught exceptions in the page. */
const pageErrors: string[] = [];

beforeAll(async () => {
  session = await openEditorSession(PASSWORD, async (data) => {
    await mkdir(join(data, 'eshop'));
    await writeDemoItemsDbf(join(data, 'items.dbf'), '852');
  });
  page = session.page;
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await signIn(page, session.kuryr.url, PASSWORD);

  const created = await storeEshopFlow(page, FLOW_ID, FLOW_NAME);
  expect(created.status).toBe(201);
  cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
});

afterAll(async () => {
  await session?.close();
});

/** Slows every request of the page: 400 ms latency, 64 KiB/s down and 32 KiB/s up. */
async function slowDown(): Promise<void> {
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 400,
    downloadThroughput: 64 * 1024,
    uploadThroughput: 32 * 1024,
  });
}

/** Collects the page's requests to the API whose method and path match. */
function recordRequests(method: string, path: RegExp): Request[] {
  const requests: Request[] = [];
  page.on('request', (request) => {
    if (request.method() === method && path.test(new URL(request.url()).pathname)) {
      requests.push(request);
    }
  });
  return requests;
}

/** Clicks a toolbar button `times` times in one task, before React can disable it. */
async function clickRepeatedly(name: string, times: number): Promise<void> {
  await page.evaluate(
    ({ name, times }) => {
      const button = [...document.querySelectorAll<HTMLButtonElement>('.toolbar button')].find(
        (candidate) => candidate.textContent === name,
      );
      if (button === undefined) throw new Error(`no toolbar button "${name}"`);
      for (let click = 0; click < times; click++) button.click();
    },
    { name, times },
  );
}

const saveButton = () => page.getByRole('button', { name: 'Save', exact: true });
const runButton = () => page.getByRole('button', { name: 'Run', exact: true });
const toolbarText = async () => (await page.locator('.toolbar').textContent()) ?? '';

describe('editor on a slow network', () => {
  it('shows the run history loading', async () => {
    await slowDown();
    await page.reload();
    await page.locator('.palette-entry').first().waitFor({ timeout: 60_000 });
    await openFlow(page, FLOW_NAME, 5);
    // The run list is held back until the panel has been checked, so the check does not depend
    // on how long the slowed request takes.
    let releaseRuns: () => void = () => undefined;
    const runsHeld = new Promise<void>((resolve) => (releaseRuns = resolve));
    await page.route('**/api/v1/runs?flow=*', async (route) => {
      await runsHeld;
      await route.continue();
    });
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.locator('.runs-loading').waitFor({ timeout: 60_000 });
    expect(await page.locator('.side-panel').textContent()).not.toContain('No runs yet');
    releaseRuns();
    await page.getByText('No runs yet').waitFor({ timeout: 30_000 });
    await page.unroute('**/api/v1/runs?flow=*');
  });

  it('saves once on repeated clicks', async () => {
    const puts = recordRequests('PUT', new RegExp(`/api/v1/flows/${FLOW_ID}$`));
    await page.getByLabel('Flow name').fill('Stock, slow save');
    await clickRepeatedly('Save', 3);
    await page.keyboard.press('Control+s');
    expect(await saveButton().isDisabled()).toBe(true);
    expect(await runButton().isDisabled()).toBe(true);
    expect(await toolbarText()).toContain('Saving…');

    await expect.poll(toolbarText, { timeout: 30_000 }).toContain('Saved');
    expect(await saveButton().isEnabled()).toBe(true);
    expect(puts).toHaveLength(1);
  });

  it('keeps edits made during a slow save', async () => {
    await page.getByLabel('Flow name').fill('Stock, first name');
    await saveButton().click();
    await expect.poll(toolbarText).toContain('Saving…');
    // Typed while the save is on its way, so the stored flow has the first name only.
    await page.getByLabel('Flow name').fill('Stock, second name');

    await expect.poll(() => saveButton().isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await toolbarText()).toContain('Unsaved changes');
    expect(await page.getByLabel('Flow name').inputValue()).toBe('Stock, second name');
    const stored = await callApi(page, 'GET', `flows/${FLOW_ID}`);
    expect((stored.json as { flow: { name: string } }).flow.name).toBe('Stock, first name');

    await saveButton().click();
    await expect.poll(toolbarText, { timeout: 30_000 }).toContain('Saved');
    const saved = await callApi(page, 'GET', `flows/${FLOW_ID}`);
    expect((saved.json as { flow: { name: string } }).flow.name).toBe('Stock, second name');
  });

  it('starts one run on repeated clicks and shows its counts', async () => {
    const starts = recordRequests('POST', new RegExp(`/api/v1/flows/${FLOW_ID}/runs$`));
    await runButton().click();
    await page.getByLabel('SOURCE_DBF').waitFor();
    await page.evaluate(() => {
      const start = [...document.querySelectorAll<HTMLButtonElement>('.dialog button')].find(
        (candidate) => candidate.textContent === 'Start',
      );
      start?.click();
      start?.click();
    });
    await clickRepeatedly('Run', 2);
    await page.locator('[data-run-status="succeeded"]').waitFor({ timeout: 60_000 });
    expect(starts).toHaveLength(1);
    const counts = await blockNamed(page, 'Write stock CSV').locator('.block-counts').textContent();
    expect(counts).toMatch(/^[1-9]\d* in · 1 out$/);
    await screenshot(page, '46-slow-network-run');
  });

  it('shows a port loading before it is empty', async () => {
    await blockNamed(page, 'Keep active items in stock').locator('.block-header').click();
    await page.getByRole('tab', { name: 'Output' }).click();
    await page.getByLabel('Port', { exact: true }).waitFor({ timeout: 30_000 });
    const samples = '**/api/v1/runs/*/blocks/keep-in-stock/samples?port=error';
    let releaseSamples: () => void = () => undefined;
    const samplesHeld = new Promise<void>((resolve) => (releaseSamples = resolve));
    await page.route(samples, async (route) => {
      await samplesHeld;
      await route.continue();
    });
    await page.getByLabel('Port', { exact: true }).selectOption('error');
    const port = page.locator('.output-port[data-port="error"]');
    await port.locator('.output-loading').waitFor();
    releaseSamples();
    await port.locator('.output-loading').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await port.locator('.output-table').count()).toBe(0);
    expect(await port.textContent()).toContain(PORT_EMPTY);
    await page.unroute(samples);
  });

  it('keeps the preview of the newest expression', async () => {
    await blockNamed(page, 'Map to stock lines').locator('.block-header').click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const field = parameterField(page, 'expression');
    await field.locator('.cm-content').waitFor({ timeout: 30_000 });

    // The response for the first text is held back until the second text has its result.
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let evaluations = 0;
    await page.route('**/api/v1/editor/evaluate', async (route) => {
      evaluations += 1;
      if (evaluations === 1) await firstHeld;
      await route.continue();
    });
    const evaluated = recordRequests('POST', /\/api\/v1\/editor\/evaluate$/);

    await typeExpression(page, field, '{ "first": CODE }');
    await expect.poll(() => evaluated.length, { timeout: 30_000 }).toBe(1);
    await field.locator('.jsonata-evaluating').waitFor();
    await typeExpression(page, field, '{ "second": CODE }');
    const preview = field.locator('.jsonata-result');
    await expect.poll(() => preview.textContent(), { timeout: 30_000 }).toContain('"second"');
    expect(await field.locator('.jsonata-evaluating').count()).toBe(0);

    const firstAnswer = page.waitForResponse(
      (response) => response.request() === evaluated[0] && response.ok(),
    );
    releaseFirst();
    await firstAnswer;
    // The late response had a frame to render in, and the newer result stays.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(await preview.textContent()).toContain('"second"');
    expect(await preview.textContent()).not.toContain('"first"');
    await page.unroute('**/api/v1/editor/evaluate');
    expect(pageErrors).toEqual([]);
  });
});
