import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  flowBlock,
  flowWire,
  startTestService,
  type ApiClient,
  type TestService,
} from '../support/service.js';

// A run whose Filter is stuck in a regular expression that backtracks catastrophically runs in a
// worker thread. The service's own thread keeps serving and ends the run.

let service: TestService;
let api: ApiClient;

/** 40 letters a and a final "!" take /(a+)+$/ about 2^40 steps: the evaluation never ends. */
const BACKTRACKING_TEXT = 'a'.repeat(40) + '!';

/**
 * A flow with two branches: one copies a small file (staged by Write File until the run ends), the
 * other reads a CSV whose last row makes its Filter backtrack.
 */
function backtrackingFlow(id: string, maxRunSeconds?: number) {
  const block = flowBlock;
  const wire = flowWire;
  return {
    schemaVersion: 1,
    id,
    name: id,
    variables: {},
    credentials: [],
    ...(maxRunSeconds === undefined ? {} : { runPolicy: { maxRunSeconds } }),
    blocks: [
      block('read-small', 'file.read', { path: `${id}/small.txt` }),
      block('copy', 'file.write', { path: `${id}/copy.txt` }),
      block('read-big', 'file.read', { path: `${id}/big.csv` }),
      block('parse', 'csv.read', { delimiter: ';', header: 'yes' }),
      block('backtrack', 'transform.filter', { condition: '$count($match(s, /(a+)+$/)) = 0' }),
      block('write-csv', 'csv.write', { fileName: 'out.csv' }),
      block('write-out', 'file.write', { path: `${id}/out.csv` }),
    ],
    wires: [
      wire('read-small', 'file', 'copy', 'file'),
      wire('read-big', 'file', 'parse', 'file'),
      wire('parse', 'records', 'backtrack', 'records'),
      wire('backtrack', 'kept', 'write-csv', 'records'),
      wire('write-csv', 'file', 'write-out', 'file'),
    ],
  };
}

/**
 * Writes the flow's input files: a small file, and a CSV of 300 rows with 100 kB of padding each
 * (by default) and then the row that backtracks. Its reader needs many turns of the event loop, in which the
 * small file is staged, and it sends all rows in one batch, so it has finished when the Filter
 * gets stuck.
 */
async function writeInputs(id: string, paddingLength = 100_000): Promise<string> {
  const folder = join(service.dataDir, id);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'small.txt'), 'a small file\n');
  const padding = 'x'.repeat(paddingLength);
  const quick = Array.from({ length: 300 }, (_, i) => `b${i};${padding}`);
  const rows = ['s;pad', ...quick, `${BACKTRACKING_TEXT};`];
  await writeFile(join(folder, 'big.csv'), rows.join('\n') + '\n');
  return folder;
}

/**
 * Waits until the run's CSV reader has sent every row, so that its Filter is on the last one,
 * and with `staged` until it has also staged the small file.
 */
async function waitUntilStuck(runId: string, { staged = false } = {}): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const detail = await api.get(`/api/v1/runs/${runId}`);
    const status = (id: string) =>
      detail.body.run.blocks.find((block: { id: string }) => block.id === id)?.status;
    if (status('parse') === 'succeeded' && (!staged || status('copy') === 'succeeded')) return;
    // A queued run starts a moment after the run before it ends.
    if (!['queued', 'running'].includes(detail.body.run.status)) {
      throw new Error(`run ended: ${detail.text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${runId} did not reach its stuck Filter within 20 s`);
}

beforeAll(async () => {
  service = await startTestService({ runStopGraceMs: 1000 });
  api = await service.login();
  await api.createEshopFlow();
});

afterAll(async () => {
  await service?.stop();
});

describe('runs in worker threads', () => {
  it('times out a run stuck in a regular expression', async () => {
    const folder = await writeInputs('timeout');
    const created = await api.post('/api/v1/flows', backtrackingFlow('timeout', 3));
    expect(created.status).toBe(201);

    const started = await api.post('/api/v1/flows/timeout/runs', {});
    expect(started.status).toBe(202);
    const runId = started.body.runId;
    await waitUntilStuck(runId, { staged: true });

    const health = await api.get('/api/v1/health');
    expect(health.status).toBe(200);
    const flows = await api.get('/api/v1/flows');
    expect(flows.status).toBe(200);
    const other = await api.runToEnd('eshop-stock-csv', {
      SOURCE_DBF: 'items.dbf',
      TARGET_CSV: 'eshop/stock.csv',
    });
    expect(other.status).toBe('succeeded');

    const run = await api.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.error.code).toBe('RUN_TIMED_OUT');
    expect(run.error.message).toBe(
      'the run did not stop within 1 s after it exceeded its maximum run time of 3 s and was terminated',
    );
    expect(run.error.hint).toMatch(/\/\(a\+\)\+\$\//);
    const backtrack = run.blocks.find((block: { id: string }) => block.id === 'backtrack');
    expect(backtrack.status).toBe('cancelled');

    expect((await readdir(folder)).sort()).toEqual(['big.csv', 'small.txt']);
    const temp = await readdir(join(service.stateDir, 'tmp')).catch(() => []);
    expect(temp.filter((name) => name.endsWith(runId))).toEqual([]);
    expect(service.logText()).toContain('run did not stop in time; terminating its worker');
    expect(service.logText()).toContain('staged files of a terminated run removed');
  });

  it('cancels a run stuck in a regular expression', async () => {
    const folder = await writeInputs('cancel');
    expect((await api.post('/api/v1/flows', backtrackingFlow('cancel'))).status).toBe(201);
    const started = await api.post('/api/v1/flows/cancel/runs', {});
    expect(started.status).toBe(202);
    const runId = started.body.runId;
    await waitUntilStuck(runId, { staged: true });

    const cancel = await api.post(`/api/v1/runs/${runId}/cancel`);
    expect(cancel.status).toBe(202);
    const run = await api.waitForRun(runId);
    expect(run.status).toBe('cancelled');
    expect(run.error.code).toBe('RUN_ABORTED');
    expect(run.error.message).toBe(
      'the run did not stop within 1 s after it was cancelled (cancelled by request) and was terminated',
    );
    expect((await readdir(folder)).sort()).toEqual(['big.csv', 'small.txt']);
    expect(service.logText()).toContain('staged files of a terminated run removed');

    const again = await api.runToEnd('eshop-stock-csv', {
      SOURCE_DBF: 'items.dbf',
      TARGET_CSV: 'eshop/stock.csv',
    });
    expect(again.status).toBe('succeeded');
  });

  it('serves the samples of a running run', async () => {
    await writeInputs('samples', 10);
    expect((await api.post('/api/v1/flows', backtrackingFlow('samples'))).status).toBe(201);
    const started = await api.post('/api/v1/flows/samples/runs', {});
    const runId = started.body.runId;
    await waitUntilStuck(runId);

    const detail = await api.get(`/api/v1/runs/${runId}`);
    expect(detail.body.run.status).toBe('running');
    const parse = detail.body.run.blocks.find((block: { id: string }) => block.id === 'parse');
    expect(parse.samples.records.length).toBeGreaterThan(0);
    // The reader's last record is the one its Filter is stuck on.
    expect(parse.samples.records.at(-1).s).toBe(BACKTRACKING_TEXT);
    const samples = await api.get(`/api/v1/runs/${runId}/blocks/parse/samples?port=records`);
    expect(samples.status).toBe(200);
    expect(samples.body.items).toEqual(parse.samples.records);

    await api.post(`/api/v1/runs/${runId}/cancel`);
    expect((await api.waitForRun(runId)).status).toBe('cancelled');
  });

  it('gives a queued run its id at once', async () => {
    await writeInputs('queue', 10);
    const flow = { ...backtrackingFlow('queue'), runPolicy: { overlap: 'queue' } };
    expect((await api.post('/api/v1/flows', flow)).status).toBe(201);
    const first = await api.post('/api/v1/flows/queue/runs', {});
    expect(first.status).toBe(202);
    await waitUntilStuck(first.body.runId);

    const second = await api.post('/api/v1/flows/queue/runs', {});
    expect(second.status).toBe(202);
    expect(second.body.queued).toBe(true);
    const queuedId = second.body.runId;
    expect(queuedId).toMatch(/^[0-9a-f-]{36}$/);
    const queued = await api.get(`/api/v1/runs/${queuedId}`);
    expect(queued.body.run.status).toBe('queued');
    expect(queued.body.run.flowId).toBe('queue');
    const listed = await api.get('/api/v1/runs?status=queued');
    expect(listed.body.runs.map((run: { id: string }) => run.id)).toEqual([queuedId]);

    await api.post(`/api/v1/runs/${first.body.runId}/cancel`);
    expect((await api.waitForRun(first.body.runId)).status).toBe('cancelled');
    await waitUntilStuck(queuedId);
    await api.post(`/api/v1/runs/${queuedId}/cancel`);
    const run = await api.waitForRun(queuedId);
    expect(run.status).toBe('cancelled');
    expect(run.blocks.find((block: { id: string }) => block.id === 'parse').recordsOut).toBe(301);
  });

  it('cancels a queued run before it starts', async () => {
    await writeInputs('queue-cancel', 10);
    const flow = { ...backtrackingFlow('queue-cancel'), runPolicy: { overlap: 'queue' } };
    expect((await api.post('/api/v1/flows', flow)).status).toBe(201);
    const first = await api.post('/api/v1/flows/queue-cancel/runs', {});
    await waitUntilStuck(first.body.runId);
    const second = await api.post('/api/v1/flows/queue-cancel/runs', {});
    const third = await api.post('/api/v1/flows/queue-cancel/runs', {});
    expect(second.body.queued).toBe(true);
    expect(third.body.queued).toBe(true);

    const cancel = await api.post(`/api/v1/runs/${second.body.runId}/cancel`);
    expect(cancel.status).toBe(202);
    const cancelled = await api.waitForRun(second.body.runId);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error.code).toBe('RUN_ABORTED');
    expect(cancelled.error.message).toBe('the queued run was cancelled before it started');
    expect(cancelled.blocks).toEqual([]);
    const again = await api.post(`/api/v1/runs/${second.body.runId}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('RUN_NOT_RUNNING');

    // The queue goes on with the run after the cancelled one.
    await api.post(`/api/v1/runs/${first.body.runId}/cancel`);
    expect((await api.waitForRun(first.body.runId)).status).toBe('cancelled');
    await waitUntilStuck(third.body.runId);
    await api.post(`/api/v1/runs/${third.body.runId}/cancel`);
    expect((await api.waitForRun(third.body.runId)).status).toBe('cancelled');
    const runs = await api.get('/api/v1/runs?flow=queue-cancel');
    const statuses = runs.body.runs.map((run: { status: string }) => run.status);
    expect(statuses).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('drops queued runs of a force-deleted flow', async () => {
    await writeInputs('queue-delete', 10);
    const flow = { ...backtrackingFlow('queue-delete'), runPolicy: { overlap: 'queue' } };
    expect((await api.post('/api/v1/flows', flow)).status).toBe(201);
    const first = await api.post('/api/v1/flows/queue-delete/runs', {});
    await waitUntilStuck(first.body.runId);
    const second = await api.post('/api/v1/flows/queue-delete/runs', {});
    expect(second.body.queued).toBe(true);

    const deleted = await api.delete('/api/v1/flows/queue-delete?force=true');
    expect(deleted.status).toBe(204);
    expect((await api.waitForRun(first.body.runId)).status).toBe('cancelled');
    const queued = await api.waitForRun(second.body.runId);
    expect(queued.status).toBe('cancelled');
    expect(queued.error.code).toBe('RUN_ABORTED');
    expect(queued.error.message).toBe('the queued run was cancelled before it started');
    expect(service.logText()).toContain('queued run dropped because its flow was deleted');
  });
});
