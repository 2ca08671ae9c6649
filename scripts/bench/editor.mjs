// `pnpm bench editor`: the browser editor in Debian's Chromium against `kuryr start`. It prints
// the time to open a 300-block flow, frame times while panning the canvas and dragging a block,
// and the share of time the page's main thread is busy while 50 blocks of a run report progress.
//
// Usage: node scripts/bench/editor.mjs [--opens N] [--records N]
//
// Exits 0 whether the figures are good or bad, because it measures and does not test. Exits 1
// when a step fails and 2 for bad usage.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { setTimeout } from 'node:timers';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium, startKuryr } from '../editor-browser.mjs';
import { ensureItemsTable } from './items-table.mjs';

const PASSWORD = 'bench-admin-password-1';
const BIG_BLOCKS = 300;
const PROGRESS_BLOCKS = 50;
const GESTURE_MS = 3000;
const IDLE_MS = 3000;

const { values: options } = parseArgs({
  options: {
    opens: { type: 'string', default: '5' },
    records: { type: 'string', default: '40000' },
  },
});
const opens = Number(options.opens);
const records = Number(options.records);
if (!Number.isInteger(opens) || opens < 1 || !Number.isInteger(records) || records < 1) {
  console.error('usage: editor.mjs [--opens N] [--records N], whole numbers > 0');
  process.exit(2);
}

/** Returns a flow of Read DBF followed by a chain of Map blocks that pass records on. */
function chainFlow(id, blocks) {
  const columns = 20;
  const flowBlocks = Array.from({ length: blocks }, (_, index) => ({
    id: `b${index}`,
    type: index === 0 ? 'dbf.read' : 'transform.map',
    version: 1,
    name: index === 0 ? 'Read items' : `Map ${index}`,
    position: { x: (index % columns) * 260, y: Math.floor(index / columns) * 180 },
    parameters: index === 0 ? { path: 'items.dbf' } : { expression: '$' },
  }));
  const wires = flowBlocks.slice(1).map((block, index) => ({
    from: { block: `b${index}`, port: 'records' },
    to: { block: block.id, port: 'records' },
  }));
  return {
    schemaVersion: 1,
    id,
    name: id,
    variables: {},
    credentials: [],
    blocks: flowBlocks,
    wires,
  };
}

async function signIn(page, url) {
  await page.goto(url);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.palette-entry').first().waitFor();
}

async function storeFlow(page, flow) {
  const status = await page.evaluate(async (body) => {
    const session = await (await fetch('api/v1/session')).json();
    const response = await fetch('api/v1/flows', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: JSON.stringify(body),
    });
    return response.status;
  }, flow);
  if (status !== 201) throw new Error(`storing flow ${flow.id} failed with HTTP ${status}`);
}

/** Opens a stored flow from the picker; resolves with the ms until its blocks are drawn. */
async function openFlow(page, id, blocks) {
  const started = performance.now();
  await page.getByLabel('Flow', { exact: true }).selectOption(id);
  await page.waitForFunction(
    (count) =>
      document.querySelectorAll('.react-flow__node').length === count &&
      document.querySelectorAll('.react-flow__node:not([style*="visibility: hidden"])').length ===
        count,
    blocks,
    { polling: 'raf' },
  );
  // One more frame, so the drawn blocks have been painted.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
  return performance.now() - started;
}

/** Records the time between animation frames while `gesture` runs. */
async function frameTimes(page, gesture) {
  await page.evaluate(() => {
    const state = { times: [], last: performance.now(), running: true };
    window.__frames = state;
    const tick = (now) => {
      state.times.push(now - state.last);
      state.last = now;
      if (state.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await gesture();
  return page.evaluate(() => {
    window.__frames.running = false;
    return window.__frames.times.slice(1);
  });
}

/** Holds the mouse button at `from` and moves back and forth along a diagonal for `durationMs`. */
async function dragFor(page, from, durationMs) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const started = Date.now();
  for (let step = 0; Date.now() - started < durationMs; step++) {
    const phase = (step % 120) / 120;
    const offset = phase < 0.5 ? phase * 2 : 2 - phase * 2;
    await page.mouse.move(from.x + offset * 300, from.y + offset * 150);
  }
  await page.mouse.up();
}

function percentile(values, share) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
}

const median = (values) => percentile(values, 0.5);

/** Busy time of the page's main thread (ms) from the DevTools protocol's Performance domain. */
async function taskDuration(session) {
  const { metrics } = await session.send('Performance.getMetrics');
  return (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0) * 1000;
}

async function measureProgress(page, session) {
  let progressMessages = 0;
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      if (String(payload).includes('"block.progress"')) progressMessages++;
    }),
  );
  await page.reload();
  await page.locator('.palette-entry').first().waitFor();
  await openFlow(page, 'progress', PROGRESS_BLOCKS);

  // The same page with nothing happening, to tell the run's cost from the page's own.
  const idleBefore = await taskDuration(session);
  const idleStarted = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const idleShare =
    ((await taskDuration(session)) - idleBefore) / (performance.now() - idleStarted);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator('[data-run-status="running"]').waitFor();
  await page
    .locator('.block[data-status="running"]')
    .nth(PROGRESS_BLOCKS - 1)
    .waitFor();
  const busyBefore = await taskDuration(session);
  const messagesBefore = progressMessages;
  const started = performance.now();
  await page.locator('[data-run-status="succeeded"]').waitFor({ timeout: 600_000 });
  const wallMs = performance.now() - started;
  const busyMs = (await taskDuration(session)) - busyBefore;
  return {
    wallMs,
    idleShare,
    busyShare: busyMs / wallMs,
    progressPerSecond: ((progressMessages - messagesBefore) / wallMs) * 1000,
  };
}

const work = await mkdtemp(join(tmpdir(), 'kuryr-bench-editor-'));
const dataDir = join(work, 'data');
await mkdir(dataDir, { recursive: true });
await ensureItemsTable(join(dataDir, 'items.dbf'), records);
const kuryr = await startKuryr({ dataDir, stateDir: join(work, 'state'), password: PASSWORD });
const browser = await launchChromium({ width: 1600, height: 900 });
const { page } = browser;
try {
  await signIn(page, kuryr.url);
  await storeFlow(page, chainFlow('big', BIG_BLOCKS));
  await storeFlow(page, chainFlow('small', 2));
  await storeFlow(page, chainFlow('progress', PROGRESS_BLOCKS));
  await page.reload();
  await page.locator('.palette-entry').first().waitFor();

  const openTimes = [];
  for (let run = 0; run < opens; run++) {
    await openFlow(page, 'small', 2);
    openTimes.push(await openFlow(page, 'big', BIG_BLOCKS));
  }

  const pane = await page.locator('.react-flow__pane').boundingBox();
  const panFrames = await frameTimes(page, () =>
    dragFor(page, { x: pane.x + 40, y: pane.y + pane.height - 60 }, GESTURE_MS),
  );
  const block = await page.locator('.react-flow__node .block-header').first().boundingBox();
  const dragFrames = await frameTimes(page, () =>
    dragFor(page, { x: block.x + 10, y: block.y + 5 }, GESTURE_MS),
  );

  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  const progress = await measureProgress(page, session);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Machine: ${availableParallelism()} cores, ${cpu}, Node.js ${process.version}`);
  console.log(`Chromium: ${await browser.context.browser()?.version()}`);
  console.log(
    `Open a ${BIG_BLOCKS}-block flow: median ${median(openTimes).toFixed(0)} ms over ${opens} ` +
      `(${openTimes.map((time) => time.toFixed(0)).join(', ')})`,
  );
  for (const [name, frames] of [
    ['Pan the canvas', panFrames],
    ['Drag a block', dragFrames],
  ]) {
    console.log(
      `${name} (${BIG_BLOCKS} blocks, ${frames.length} frames): p50 ${median(frames).toFixed(1)} ms, ` +
        `p95 ${percentile(frames, 0.95).toFixed(1)} ms`,
    );
  }
  console.log(
    `Run of ${PROGRESS_BLOCKS} blocks on ${records} records: ${(progress.wallMs / 1000).toFixed(1)} s, ` +
      `${progress.progressPerSecond.toFixed(0)} progress messages/s, main thread busy ` +
      `${(progress.busyShare * 100).toFixed(1)} % (idle page: ${(progress.idleShare * 100).toFixed(1)} %)`,
  );
} catch (error) {
  console.error(error);
  console.error(kuryr.log());
  process.exitCode = 1;
} finally {
  await browser.close();
  await kuryr.stop();
  await rm(work, { recursive: true, force: true });
}
