import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kuryrBin } from '../support/kuryr.js';
import {
  ADMIN_PASSWORD,
  ApiClient,
  eshopFlowPath,
  writeItemsTable,
  type Json,
} from '../support/service.js';

/** A `kuryr start` child process and what it logged. */
type ServiceProcess = {
  child: ChildProcess;
  url: string;
  log: () => string;
  exited: Promise<number | null>;
};

let work: string;
let stateDir: string;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kuryr-crash-'));
  stateDir = join(work, 'state');
  dataDir = join(work, 'data');
  await mkdir(join(dataDir, 'eshop'), { recursive: true });
  // Large enough that a run still goes when its first progress is stored (every second), also
  // on an idle machine where the flow reads about 250,000 records a second.
  await writeItemsTable(join(dataDir, 'items.dbf'), 600_000);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(work, { recursive: true, force: true });
});

/** Starts `kuryr start` on an ephemeral port and resolves once it logged its address. */
function startProcess(extra: string[] = []): Promise<ServiceProcess> {
  const child = spawn(
    kuryrBin,
    ['start', '--port', '0', '--state-dir', stateDir, '--data-dir', dataDir, ...extra],
    {
      env: { ...process.env, KURYR_ADMIN_PASSWORD: ADMIN_PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const url = /"url":"([^"]+)","stateDir"/.exec(output)?.[1];
      if (url !== undefined) resolve({ child, url, log: () => output, exited });
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    void exited.then((code) => reject(new Error(`kuryr start exited with ${code}: ${output}`)));
  });
}

/** Polls the run until its stored state shows records read, so a crash now keeps them. */
async function waitForStoredProgress(api: ApiClient, runId: string): Promise<Json> {
  for (;;) {
    const run = (await api.get(`/api/v1/runs/${runId}`)).body.run;
    const reader = run.blocks.find((block: Json) => block.id === 'read-items');
    if (run.status !== 'running') throw new Error(`the run ended before the test: ${run.status}`);
    if (reader.recordsOut > 0) return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls the run list until `test` accepts it; returns that list. */
async function waitForRuns(
  api: ApiClient,
  query: string,
  test: (runs: Json[]) => boolean,
): Promise<Json[]> {
  for (;;) {
    const runs = (await api.get(`/api/v1/runs?${query}`)).body.runs;
    if (test(runs)) return runs;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const variables = { SOURCE_DBF: 'items.dbf', TARGET_CSV: 'eshop/stock.csv' };

describe('crash safety', () => {
  it('shows a killed run as interrupted and runs the flow again', async () => {
    const first = await startProcess();
    const api = new ApiClient(first.url);
    await api.login('admin', ADMIN_PASSWORD);
    expect((await api.createEshopFlow()).status).toBe(201);
    const runId = (await api.post('/api/v1/flows/eshop-stock-csv/runs', { variables })).body.runId;
    await waitForStoredProgress(api, runId);
    first.child.kill('SIGKILL');
    await first.exited;

    expect((await readdir(join(dataDir, 'eshop'))).filter((name) => !name.startsWith('.'))).toEqual(
      [],
    );
    expect((await readdir(join(stateDir, 'tmp'))).length).toBe(1);

    const second = await startProcess();
    const again = new ApiClient(second.url);
    await again.login('admin', ADMIN_PASSWORD);
    expect(second.log()).toContain('run interrupted by a stop of the service');
    expect(await readdir(join(stateDir, 'tmp'))).toEqual([]);
    const interrupted = (await again.get(`/api/v1/runs/${runId}`)).body.run;
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.finishedAt).toBeDefined();
    const reader = interrupted.blocks.find((block: Json) => block.id === 'read-items');
    expect(reader.recordsOut).toBeGreaterThan(0);
    // It was running when the process died and will not finish.
    expect(reader.status).toBe('cancelled');

    const rerun = await again.runToEnd('eshop-stock-csv', variables);
    expect(rerun.status).toBe('succeeded');
    expect(await readdir(join(dataDir, 'eshop'))).toEqual(['stock.csv']);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.log()).toContain('service stopped');
  });

  it('cancels a running flow at SIGTERM after the grace time', async () => {
    const service = await startProcess(['--grace-seconds', '0']);
    const api = new ApiClient(service.url);
    await api.login('admin', ADMIN_PASSWORD);
    const runId = (
      await api.post('/api/v1/flows/eshop-stock-csv/runs', {
        variables: { ...variables, TARGET_CSV: 'eshop/at-stop.csv' },
      })
    ).body.runId;
    await waitForStoredProgress(api, runId);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.log()).toContain('run cancelled at shutdown');
    expect(service.log()).toContain('service stopped');
    expect(await readdir(join(dataDir, 'eshop'))).toEqual(['stock.csv']);

    const restarted = await startProcess();
    const client = new ApiClient(restarted.url);
    await client.login('admin', ADMIN_PASSWORD);
    expect((await client.get(`/api/v1/runs/${runId}`)).body.run.status).toBe('cancelled');
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
  });

  it('keeps a schedule going after kill -9 and records what it missed', async () => {
    await writeItemsTable(join(dataDir, 'small.dbf'), 20);
    const first = await startProcess();
    const api = new ApiClient(first.url);
    await api.login('admin', ADMIN_PASSWORD);
    const flow = JSON.parse(await readFile(eshopFlowPath, 'utf8'));
    const schedule = { type: 'schedule', cron: '*/2 * * * * *', timeZone: 'UTC' };
    expect(
      (await api.post('/api/v1/flows', { ...flow, id: 'ticker', triggers: [schedule] })).status,
    ).toBe(201);
    const values = { SOURCE_DBF: 'small.dbf', TARGET_CSV: 'ticks/ticker.csv' };
    expect((await api.put('/api/v1/flows/ticker/variables', { values })).status).toBe(200);
    await waitForRuns(api, 'flow=ticker&status=succeeded', (runs) => runs.length > 0);
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    // Down for more than two planned times, so one passes unfired besides the latest.
    await new Promise((resolve) => setTimeout(resolve, 5000));

    const second = await startProcess();
    const again = new ApiClient(second.url);
    await again.login('admin', ADMIN_PASSWORD);
    const beforeKill = (await again.get('/api/v1/runs?flow=ticker')).body.runs.filter(
      (run: Json) => run.status !== 'missed' && Date.parse(run.startedAt) < killedAt,
    );
    const lastPlanned = Math.max(
      ...beforeKill.map((run: Json) => Date.parse(run.triggerDetail.plannedAt)),
    );
    const missed = await waitForRuns(again, 'flow=ticker&status=missed', (runs) => runs.length > 0);
    expect(missed).toHaveLength(1);
    expect(missed[0].triggerDetail.count).toBeGreaterThanOrEqual(1);
    expect(missed[0].triggerDetail.action).toBe('skipped');
    expect(Date.parse(missed[0].triggerDetail.firstPlannedAt)).toBeGreaterThan(lastPlanned);

    const after = await waitForRuns(again, 'flow=ticker&status=succeeded', (runs) =>
      runs.some((run: Json) => Date.parse(run.triggerDetail.plannedAt) > lastPlanned),
    );
    const planned = after.map((run: Json) => run.triggerDetail.plannedAt);
    expect(new Set(planned).size).toBe(planned.length);
    const written = await readdir(join(dataDir, 'ticks'));
    expect(written.filter((name) => !name.startsWith('.'))).toEqual(['ticker.csv']);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('takes a watched file again after a killed run', async () => {
    await mkdir(join(dataDir, 'inbox'));
    await mkdir(join(dataDir, 'inbox-done'));
    const first = await startProcess();
    const api = new ApiClient(first.url);
    await api.login('admin', ADMIN_PASSWORD);
    const flow = JSON.parse(await readFile(eshopFlowPath, 'utf8'));
    flow.id = 'watched-items';
    flow.variables.TARGET_CSV.default = 'eshop/watched.csv';
    flow.triggers = [
      {
        type: 'folder',
        path: 'inbox',
        pattern: '*.dbf',
        stableSeconds: 1,
        archivePath: 'inbox-done',
        fileVariable: 'SOURCE_DBF',
      },
    ];
    expect((await api.post('/api/v1/flows', flow)).status).toBe(201);
    // Larger than items.dbf, so the run is still going when the test kills the service.
    await writeItemsTable(join(dataDir, 'inbox', '.items.part'), 600_000);
    await rename(join(dataDir, 'inbox', '.items.part'), join(dataDir, 'inbox', 'items.dbf'));
    const [taken] = await waitForRuns(api, 'flow=watched-items', (runs) => runs.length > 0);
    await waitForStoredProgress(api, taken.id);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startProcess();
    const again = new ApiClient(second.url);
    await again.login('admin', ADMIN_PASSWORD);
    const runs = await waitForRuns(again, 'flow=watched-items', (list) =>
      list.some((run: Json) => run.status === 'succeeded'),
    );
    expect(runs.map((run: Json) => run.status)).toContain('interrupted');
    // The watcher archives the file after the run is stored as succeeded.
    await expect
      .poll(() => readdir(join(dataDir, 'inbox-done')), { timeout: 10_000 })
      .toEqual(['items.dbf']);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);
});
