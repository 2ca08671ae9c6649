// `pnpm bench editor`: the browser editor in Debian's Chromium against `kuryr start`. It prints
// the time to open a 300-block flow, frame times while panning the canvas and dragging a block,
// and the share of time the page's main thread is busy while 50 blocks of a run report progress.
//
// Wall-clock figures spread widely on a loaded machine, so each measurement is repeated and
// printed with its range. Beside them stand the page's main-thread time from the DevTools
// protocol (Performance.getMetrics TaskDuration and ScriptDuration), which other processes
// disturb less, and the whole machine's CPU use and load average while the script ran.
//
// Usage: node scripts/bench/editor.mjs [--opens N] [--rounds N] [--records N] [--seconds N]
//   --opens   openings of the 300-block flow (default 9)
//   --rounds  repetitions of the pan, drag and progress measurements (default 3)
//   --records items in the table that the progress run reads (default: sized by calibration
//             runs from 40,000 items up, so that the measured part of a run lasts --seconds)
//   --seconds the measured part of the progress run that the calibration aims at (default 5)
//
// Exits 0 whether the figures are good or bad, because it measures and does not test. Exits 1
// when a step fails and 2 for bad usage.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { setTimeout } from 'node:timers';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
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
    opens: { type: 'string', default: '9' },
    rounds: { type: 'string', default: '3' },
    records: { type: 'string' },
    seconds: { type: 'string', default: '5' },
  },
});
const opens = Number(options.opens);
const rounds = Number(options.rounds);
const givenRecords = options.records === undefined ? undefined : Number(options.records);
const targetSeconds = Number(options.seconds);
if (
  ![opens, rounds, givenRecords ?? 1, targetSeconds].every(
    (value) => Number.isInteger(value) && value > 0,
  )
) {
  console.error(
    'usage: editor.mjs [--opens N] [--rounds N] [--records N] [--seconds N], whole numbers > 0',
  );
  process.exit(2);
}

/** Items in the table of the 300-block flow, which is opened but never run. */
const BIG_FLOW_RECORDS = 1000;
/** Items in the table of the first calibration run, which sizes the table of the measured runs. */
const CALIBRATION_RECORDS = 40_000;
/** Calibration runs at most; each grows the table between 2 and 10 times. */
const CALIBRATION_STEPS = 4;
/** Maximum items of the sized table: at about 150 bytes an item, a table of 750 MB. */
const MAX_RECORDS = 5_000_000;

/** Returns a flow of Read DBF of `path` followed by a chain of Map blocks that pass records on. */
function chainFlow(id, blocks, path = 'items.dbf') {
  const columns = 20;
  const flowBlocks = Array.from({ length: blocks }, (_, index) => ({
    id: `b${index}`,
    type: index === 0 ? 'dbf.read' : 'transform.map',
    version: 1,
    name: index === 0 ? 'Read items' : `Map ${index}`,
    position: { x: (index % columns) * 260, y: Math.floor(index / columns) * 180 },
    parameters: index === 0 ? { path } : { expression: '$' },
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

/** Returns the middle value, or the mean of the two middle values of an even count. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Formats a series as its median, its range and half the range's width relative to the median:
 * "812 ms (790–900, ±7 %, 5 runs)".
 */
function spread(values, unit, digits = 0) {
  const middle = median(values);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const relative = middle === 0 ? 0 : ((high - low) / 2 / middle) * 100;
  return (
    `${middle.toFixed(digits)} ${unit} (${low.toFixed(digits)}–${high.toFixed(digits)}, ` +
    `±${relative.toFixed(0)} %, ${values.length} runs)`
  );
}

/**
 * Main-thread time of the page so far (ms) from the DevTools protocol's Performance domain:
 * `task` is all its tasks, `script` the JavaScript among them.
 */
async function mainThreadTimes(session) {
  const { metrics } = await session.send('Performance.getMetrics');
  const value = (name) => (metrics.find((metric) => metric.name === name)?.value ?? 0) * 1000;
  return { task: value('TaskDuration'), script: value('ScriptDuration') };
}

async function taskDuration(session) {
  return (await mainThreadTimes(session)).task;
}

/** Sums the machine's CPU times over all cores (ms), as os.cpus() reports them. */
function machineCpuTimes() {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

/**
 * Runs `work` and returns its result with the page's main-thread task and script time and the
 * share of the machine's CPU time that all its processes used meanwhile.
 */
async function measured(session, work) {
  const threadBefore = await mainThreadTimes(session);
  const machineBefore = machineCpuTimes();
  const result = await work();
  const threadAfter = await mainThreadTimes(session);
  const machineAfter = machineCpuTimes();
  const total = machineAfter.total - machineBefore.total;
  const idle = machineAfter.idle - machineBefore.idle;
  return {
    result,
    taskMs: threadAfter.task - threadBefore.task,
    scriptMs: threadAfter.script - threadBefore.script,
    machineBusy: total === 0 ? 0 : 1 - idle / total,
  };
}

async function measureProgress(page, session, flowId) {
  let progressMessages = 0;
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      if (String(payload).includes('"block.progress"')) progressMessages++;
    }),
  );
  await page.reload();
  await page.locator('.palette-entry').first().waitFor();
  await openFlow(page, flowId, PROGRESS_BLOCKS);

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

/** Percentage with one decimal. */
const percent = (share) => `${(share * 100).toFixed(1)} %`;

/** Prints a gesture's frame times and main-thread time per round, with their spread. */
function printFrames(name, measurements) {
  const p50 = measurements.map(({ result }) => median(result));
  const p95 = measurements.map(({ result }) => percentile(result, 0.95));
  const frames = measurements.map(({ result }) => result.length);
  const taskPerFrame = measurements.map(({ result, taskMs }) => taskMs / result.length);
  const scriptPerFrame = measurements.map(({ result, scriptMs }) => scriptMs / result.length);
  console.log(
    `${name} (${BIG_BLOCKS} blocks, ${frames.join('/')} frames): p50 ${spread(p50, 'ms', 1)}, ` +
      `p95 ${spread(p95, 'ms', 1)}`,
  );
  console.log(
    `  main thread per frame: tasks ${spread(taskPerFrame, 'ms', 2)}, ` +
      `script ${spread(scriptPerFrame, 'ms', 2)}; machine CPU busy ` +
      measurements.map(({ machineBusy }) => percent(machineBusy)).join(', '),
  );
}

const work = await mkdtemp(join(tmpdir(), 'kuryr-bench-editor-'));
const dataDir = join(work, 'data');
await mkdir(dataDir, { recursive: true });
await ensureItemsTable(join(dataDir, 'items.dbf'), BIG_FLOW_RECORDS);
const kuryr = await startKuryr({ dataDir, stateDir: join(work, 'state'), password: PASSWORD });
const browser = await launchChromium({ width: 1600, height: 900 });
const { page } = browser;
const loadBefore = loadavg();
try {
  await signIn(page, kuryr.url);
  await storeFlow(page, chainFlow('big', BIG_BLOCKS));
  await storeFlow(page, chainFlow('small', 2));
  await page.reload();
  await page.locator('.palette-entry').first().waitFor();
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');

  const openings = [];
  for (let run = 0; run < opens; run++) {
    await openFlow(page, 'small', 2);
    openings.push(await measured(session, () => openFlow(page, 'big', BIG_BLOCKS)));
  }

  const pans = [];
  const drags = [];
  for (let round = 0; round < rounds; round++) {
    const pane = await page.locator('.react-flow__pane').boundingBox();
    pans.push(
      await measured(session, () =>
        frameTimes(page, () =>
          dragFor(page, { x: pane.x + 40, y: pane.y + pane.height - 60 }, GESTURE_MS),
        ),
      ),
    );
    const block = await page.locator('.react-flow__node .block-header').first().boundingBox();
    drags.push(
      await measured(session, () =>
        frameTimes(page, () => dragFor(page, { x: block.x + 10, y: block.y + 5 }, GESTURE_MS)),
      ),
    );
  }

  // The measured part of a run on 40,000 records lasts a fraction of a second, too short to
  // measure steadily, and a run's fixed costs make it grow less than in proportion to the
  // records. So the calibration grows the table until that part lasts 80 % of the target.
  const storedSizes = new Set();
  const progressFlow = async (size) => {
    const id = `progress-${size}`;
    if (storedSizes.has(size)) return id;
    const table = `items-${size}.dbf`;
    await ensureItemsTable(join(dataDir, table), size);
    await storeFlow(page, chainFlow(id, PROGRESS_BLOCKS, table));
    storedSizes.add(size);
    return id;
  };
  let records = givenRecords ?? CALIBRATION_RECORDS;
  for (let step = 0; givenRecords === undefined && step < CALIBRATION_STEPS; step++) {
    const { wallMs } = await measureProgress(page, session, await progressFlow(records));
    console.log(`Calibration: ${records} records, measured part ${(wallMs / 1000).toFixed(2)} s`);
    if (wallMs >= 0.8 * targetSeconds * 1000 || records >= MAX_RECORDS) break;
    const factor = Math.min(10, Math.max(2, (targetSeconds * 1000) / wallMs));
    records = Math.min(MAX_RECORDS, Math.round((records * factor) / 1000) * 1000);
  }
  const progressId = await progressFlow(records);

  const progressRuns = [];
  for (let round = 0; round < rounds; round++) {
    progressRuns.push(await measured(session, () => measureProgress(page, session, progressId)));
  }
  const loadAfter = loadavg();

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Machine: ${availableParallelism()} cores, ${cpu}, Node.js ${process.version}`);
  console.log(`Chromium: ${await browser.context.browser()?.version()}`);
  console.log(
    `Load average (1, 5, 15 min): before ${loadBefore.map((value) => value.toFixed(2)).join(', ')}; ` +
      `after ${loadAfter.map((value) => value.toFixed(2)).join(', ')}`,
  );
  console.log(
    `Open a ${BIG_BLOCKS}-block flow: ${spread(
      openings.map(({ result }) => result),
      'ms',
    )}`,
  );
  console.log(
    `  main thread: tasks ${spread(
      openings.map(({ taskMs }) => taskMs),
      'ms',
    )}, script ${spread(
      openings.map(({ scriptMs }) => scriptMs),
      'ms',
    )}; machine CPU busy ${spread(
      openings.map(({ machineBusy }) => machineBusy * 100),
      '%',
    )}`,
  );
  printFrames('Pan the canvas', pans);
  printFrames('Drag a block', drags);
  const progress = progressRuns.map(({ result }) => result);
  console.log(
    `Run of ${PROGRESS_BLOCKS} blocks on ${records} records: ` +
      `${spread(
        progress.map(({ wallMs }) => wallMs / 1000),
        's',
        1,
      )}, ` +
      `${spread(
        progress.map(({ progressPerSecond }) => progressPerSecond),
        'progress messages/s',
      )}`,
  );
  console.log(
    `  main thread busy ${spread(
      progress.map(({ busyShare }) => busyShare * 100),
      '%',
      1,
    )} (idle page: ${spread(
      progress.map(({ idleShare }) => idleShare * 100),
      '%',
      1,
    )}); machine CPU busy ${progressRuns.map(({ machineBusy }) => percent(machineBusy)).join(', ')}`,
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
