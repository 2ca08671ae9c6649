// The editor in Debian's Chromium while its `kuryr start` is killed in the middle of a run and
// started again on the same port and state folder. The page must say that the connection is
// lost, keep Run disabled and the unsaved canvas intact while offline, then show the run as the
// service recorded it, keep the session (it is stored in the database) and start a new run.
// The steps share one page and one state folder and run in order.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeDemoItemsDbf } from '@kuryr/nodes';
import { startKuryr, type KuryrProcess } from '../../scripts/editor-browser.mjs';
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

const PASSWORD = 'editor-restart-password-1';
/** Enough items that the Map below, on the jsonata library, runs for several seconds. */
const RECORDS = 300_000;
const FLOW_NAME = 'Items through a restart';
/** The run history's label for the status `interrupted`. */
const INTERRUPTED = 'interrupted by a service stop';

const restartFlow = {
  schemaVersion: 1,
  id: 'items-restart',
  name: FLOW_NAME,
  variables: {
    SOURCE_DBF: { description: 'Items table inside the data folder', default: 'items.dbf' },
  },
  credentials: [],
  blocks: [
    block('read', 'dbf.read', 'Read items', 0, { path: { expression: '$vars.SOURCE_DBF' } }),
    block('label', 'transform.map', 'Label', 300, {
      expression: '{ "code": CODE, "label": $replace(NAME, /[aeiouy]/, "*") }',
    }),
    block('csv', 'csv.write', 'Items CSV', 600, { fileName: 'items.csv' }),
    block('save', 'file.write', 'Save', 900, { path: 'out/items.csv' }),
  ],
  wires: [
    wire('read', 'records', 'label', 'records'),
    wire('label', 'records', 'csv', 'records'),
    wire('csv', 'file', 'save', 'file'),
  ],
};

let session: EditorSession;
let page: Page;
/** The service now running; the first one is the session's own. */
let service: KuryrProcess;
let port: number;
/** Uncaught exceptions in the page. */
const pageErrors: string[] = [];

beforeAll(async () => {
  session = await openEditorSession(PASSWORD, async (dataDir) => {
    await mkdir(join(dataDir, 'out'));
    await writeDemoItemsDbf(join(dataDir, 'small.dbf'), '852');
    await writeGeneratedItemsDbf(join(dataDir, 'items.dbf'), RECORDS);
  });
  page = session.page;
  service = session.kuryr;
  port = Number(new URL(service.url).port);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await signIn(page, service.url, PASSWORD);
  expect((await callApi(page, 'POST', 'flows', restartFlow)).status).toBe(201);
  await page.reload();
  await page.locator('.palette-entry').first().waitFor();
  await openFlow(page, FLOW_NAME, 4);
  // The run history stays open, so the test sees it update.
  await page.getByRole('tab', { name: 'Runs' }).click();
});

afterAll(async () => {
  await service?.stop();
  await session?.close();
});

/** Starts `kuryr start` again on the same port, state and data folder. */
async function restartService(): Promise<void> {
  service = await startKuryr({
    dataDir: session.dataDir,
    stateDir: join(session.work, 'state'),
    password: PASSWORD,
    port,
    // A stop cancels running runs at once, so the SIGTERM case needs no long wait.
    args: ['--grace-seconds', '0'],
  });
}

const runButton = () => page.getByRole('button', { name: 'Run', exact: true });

const labelCounts = () => blockCounts(page, 'Label');

/**
 * Starts a run on `source` from the toolbar and waits until Label has taken some records and
 * the service has stored the run's block states at least once.
 */
async function startLongRun(source: string): Promise<void> {
  await runButton().click();
  await page.getByLabel('SOURCE_DBF').fill(source);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.locator('[data-run-status="running"]').waitFor();
  await expect
    .poll(async () => (await labelCounts())?.in ?? 0, { timeout: 30_000, interval: 50 })
    .toBeGreaterThan(0);
  const storedRecords = async () => {
    const { runs } = (await callApi(page, 'GET', 'runs?flow=items-restart')).json as {
      runs: { status: string; recordsOut: number }[];
    };
    return runs[0]?.status === 'running' ? runs[0].recordsOut : -1;
  };
  await expect.poll(storedRecords, { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);
}

/** Statuses in the run history panel, newest first. */
async function historyStatuses(): Promise<string[]> {
  return page.locator('table.runs tbody tr td:first-child').allTextContents();
}

/** Asserts what the page shows while the service is down. */
async function expectOfflineState(editedName: string): Promise<void> {
  await page.locator('.live-lost').waitFor();
  expect(await page.locator('.workspace').count()).toBe(1);
  expect(await page.locator('.react-flow__node').count()).toBe(4);
  await expect.poll(() => runButton().isDisabled()).toBe(true);
  expect(await runButton().getAttribute('title')).toContain('No connection to the service');
  expect(await page.locator('.live-lost').textContent()).toContain('does not respond');
  expect(await page.getByLabel('Flow name').inputValue()).toBe(editedName);
  expect(await page.locator('.status-bar.notice-error').count()).toBe(0);
}

describe('service restart during a run, in the browser', () => {
  it('shows a run killed with SIGKILL as interrupted', async () => {
    await startLongRun('items.dbf');
    // Unsaved edits, made while the run goes, that must outlive the outage.
    await page.getByLabel('Flow name').fill('Items after a crash');
    const header = await blockNamed(page, 'Save').locator('.block-header').boundingBox();
    await page.mouse.move(header!.x + 20, header!.y + 5);
    await page.mouse.down();
    await page.mouse.move(header!.x + 20, header!.y + 125, { steps: 5 });
    await page.mouse.up();
    const moved = await blockPosition(page, 'Save');
    expect(moved.y).toBeGreaterThan(100);

    await service.kill('SIGKILL');
    await expectOfflineState('Items after a crash');
    await screenshot(page, '43-service-killed');
    // The flow tab's code was never loaded, and the service that serves it is down.
    await page.getByRole('tab', { name: 'Flow', exact: true }).click();
    await page.locator('.side-panel .panel-load-failed').waitFor();
    expect(await page.locator('.workspace').count()).toBe(1);
    await page.getByRole('tab', { name: 'Runs' }).click();

    await restartService();
    await page.locator('.live-lost').waitFor({ state: 'detached' });
    await page.locator('[data-run-status="interrupted"]').waitFor({ timeout: 30_000 });
    expect((await labelCounts())?.in).toBeGreaterThan(0);
    // No block goes on running after its process was killed.
    expect(await page.locator('.block[data-status="running"]').count()).toBe(0);
    expect(await blockNamed(page, 'Label').locator('.block').getAttribute('data-status')).toBe(
      'cancelled',
    );
    await expect.poll(historyStatuses, { timeout: 10_000 }).toEqual([INTERRUPTED]);
    expect(await page.getByLabel('Flow name').inputValue()).toBe('Items after a crash');
    expect(await blockPosition(page, 'Save')).toEqual(moved);
    expect(await page.locator('.toolbar').textContent()).toContain('Unsaved changes');
    expect(await runButton().isEnabled()).toBe(true);
    expect(pageErrors).toEqual([]);
    await screenshot(page, '44-run-interrupted');

    // The flow tab that failed to load while the service was down loads now.
    await page.getByRole('tab', { name: 'Flow', exact: true }).click();
    await page.locator('.side-panel .flow-variable[data-variable="SOURCE_DBF"]').waitFor();
    await page.getByRole('tab', { name: 'Runs' }).click();
  });

  it('runs again after the restart without a new sign-in', async () => {
    await runButton().click();
    await page.getByLabel('SOURCE_DBF').fill('small.dbf');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.locator('[data-run-status="succeeded"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('.login').count()).toBe(0);
    // The run saved the edits first.
    expect(await page.locator('.toolbar').textContent()).not.toContain('Unsaved changes');
    const stored = await callApi(page, 'GET', 'flows/items-restart');
    const flow = (stored.json as { flow: { name: string; blocks: typeof restartFlow.blocks } })
      .flow;
    expect(flow.name).toBe('Items after a crash');
    expect(flow.blocks.find((candidate) => candidate.id === 'save')?.position.y).toBeGreaterThan(
      100,
    );
    await expect.poll(historyStatuses, { timeout: 10_000 }).toEqual(['succeeded', INTERRUPTED]);
  });

  it('shows a run stopped with SIGTERM as cancelled', async () => {
    await startLongRun('items.dbf');
    await page.getByLabel('Flow name').fill('Items after a stop');

    await service.kill('SIGTERM');
    await expectOfflineState('Items after a stop');

    await restartService();
    await page.locator('.live-lost').waitFor({ state: 'detached' });
    await page.locator('[data-run-status="cancelled"]').waitFor({ timeout: 30_000 });
    expect((await labelCounts())?.in).toBeGreaterThan(0);
    await expect
      .poll(historyStatuses, { timeout: 10_000 })
      .toEqual(['cancelled', 'succeeded', INTERRUPTED]);
    expect(await page.getByLabel('Flow name').inputValue()).toBe('Items after a stop');
    expect(await runButton().isEnabled()).toBe(true);
    expect(pageErrors).toEqual([]);
    await screenshot(page, '45-run-cancelled-by-stop');
  });
});
