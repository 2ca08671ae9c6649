// The editor in Debian's Chromium against a real `kuryr start`, with the live WebSocket routed
// through Playwright so the test can drop it. While the connection is down the editor says so,
// and a run that finished meanwhile shows its result once the connection is back.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, WebSocketRoute } from 'playwright-core';
import { writeDemoItemsDbf } from '@kuryr/nodes';
import {
  callApi,
  openEditorSession,
  openFlow,
  screenshot,
  signIn,
  storeEshopFlow,
  type EditorSession,
} from './support/editor-page.js';

const PASSWORD = 'editor-reconnect-password-1';
const FLOW_NAME = 'Sklad po výpadku';

let session: EditorSession;
let page: Page;
/** Whether the routed WebSocket rejects new connections, as a stopped service would. */
let serviceDown = false;
const openSockets = new Set<WebSocketRoute>();

beforeAll(async () => {
  session = await openEditorSession(PASSWORD, async (data) => {
    await mkdir(join(data, 'eshop'));
    await writeDemoItemsDbf(join(data, 'items.dbf'), '852');
  });
  page = session.page;
  await page.routeWebSocket(/\/api\/v1\/live$/, (socket) => {
    if (serviceDown) {
      void socket.close();
      return;
    }
    openSockets.add(socket);
    socket.connectToServer();
    socket.onClose(() => openSockets.delete(socket));
  });
  await signIn(page, session.kuryr.url, PASSWORD);

  const created = await storeEshopFlow(page, 'stock-after-outage', FLOW_NAME);
  expect(created.status).toBe(201);
  await page.reload();
  await page.locator('.palette-entry').first().waitFor();
  await openFlow(page, FLOW_NAME, 5);
});

afterAll(async () => {
  await session?.close();
});

async function dropLiveConnection() {
  serviceDown = true;
  await Promise.all([...openSockets].map((socket) => socket.close()));
}

describe('live connection in the browser', () => {
  it('shows that the live connection is lost', async () => {
    expect(await page.locator('.live-lost').count()).toBe(0);
    await dropLiveConnection();

    await page.locator('.live-lost').waitFor();
    expect(await page.locator('.live-lost').textContent()).toContain('reconnecting');
    await screenshot(page, '41-live-connection-lost');
  });

  it('shows a run that finished while disconnected', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.locator('[data-run-status="running"]').waitFor();
    const storedStatus = () =>
      callApi(page, 'GET', 'runs?flow=stock-after-outage').then(
        (response) => (response.json as { runs: { status: string }[] }).runs[0]?.status,
      );
    await expect.poll(storedStatus, { timeout: 30_000 }).toBe('succeeded');

    serviceDown = false;
    await page.locator('.live-lost').waitFor({ state: 'detached' });
    await page.locator('[data-run-status="succeeded"]').waitFor();
    expect(await page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).toBe(true);
    await screenshot(page, '42-run-after-reconnect');
  });
});
