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

// A run that needs more memory than its worker thread may have ends as failed, and the service
// goes on serving. Without a heap limit on the worker, V8 aborts the whole process instead.

let service: TestService;
let api: ApiClient;

/** Heap limit of the run workers in this file, small so that the test allocates little. */
const HEAP_LIMIT_MB = 96;

/** Reads in.csv of `folder`, maps each record with `expression` and writes out.csv beside it. */
function mapFlow(id: string, folder: string, expression: string) {
  return {
    schemaVersion: 1,
    id,
    name: id,
    variables: {},
    credentials: [],
    blocks: [
      flowBlock('read', 'file.read', { path: `${folder}/in.csv` }),
      flowBlock('parse', 'csv.read', { delimiter: ';', header: 'yes' }),
      flowBlock('map', 'transform.map', { expression }),
      flowBlock('format', 'csv.write', { fileName: 'out.csv' }),
      flowBlock('write', 'file.write', { path: `${folder}/out.csv` }),
    ],
    wires: [
      flowWire('read', 'file', 'parse', 'file'),
      flowWire('parse', 'records', 'map', 'records'),
      flowWire('map', 'records', 'format', 'records'),
      flowWire('format', 'file', 'write', 'file'),
    ],
  };
}

beforeAll(async () => {
  service = await startTestService({ runHeapLimitMb: HEAP_LIMIT_MB });
  api = await service.login();
  const folder = join(service.dataDir, 'memory');
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'in.csv'), 'a;b\n1;2\n3;4\n');
});

afterAll(async () => {
  await service?.stop();
});

describe('run worker memory', () => {
  it('fails a run that runs out of memory', async () => {
    // 20,000 ranges of 10,000 numbers each hold about 160 MB. Many separate arrays make V8 ask
    // the worker's heap limit handler; see NOTE at RunWorkerPool about one huge array.
    const expression = '{"n": $count($map([1..20000], function($i) { [1..10000] }))}';
    const flow = mapFlow('memory', 'memory', expression);
    expect((await api.post('/api/v1/flows', flow)).status).toBe(201);

    const started = await api.post('/api/v1/flows/memory/runs', {});
    expect(started.status).toBe(202);
    const run = await api.waitForRun(started.body.runId);
    expect(run.status).toBe('failed');
    expect(run.error.code).toBe('RUN_OUT_OF_MEMORY');
    expect(run.error.message).toBe(
      `the run ran out of memory: its worker thread reached the heap limit of ${HEAP_LIMIT_MB} MB and was stopped`,
    );
    expect(run.error.hint).toContain('--run-heap-limit');
    const map = run.blocks.find((block: { id: string }) => block.id === 'map');
    expect(map.status).toBe('cancelled');
    expect(await readdir(join(service.dataDir, 'memory'))).toEqual(['in.csv']);
    expect(service.logText()).toContain('run terminated');

    const health = await api.get('/api/v1/health');
    expect(health.status).toBe(200);
    const small = mapFlow('small', 'memory', '{"a": a, "n": $count([1..1000])}');
    expect((await api.post('/api/v1/flows', small)).status).toBe(201);
    const next = await api.runToEnd('small');
    expect(next.status).toBe('succeeded');
    expect(next.blocks.find((block: { id: string }) => block.id === 'map').recordsOut).toBe(2);
  });
});
