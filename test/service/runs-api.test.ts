import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@kuryr/runtime';
import { repositoryRoot } from '../support/kuryr.js';
import iconv from 'iconv-lite';
import {
  ApiClient,
  startTestService,
  writeItemsTable,
  type Json,
  type TestService,
} from '../support/service.js';

const expectedCsv = join(repositoryRoot, 'flows/fixtures/eshop-stock-csv/expected.csv');
let service: TestService;
let api: ApiClient;

beforeAll(async () => {
  service = await startTestService({ retention: { maxAgeDays: 30, maxRunsPerFlow: 3 } });
  api = await service.login();
  await api.createEshopFlow();
});

afterAll(async () => {
  await service?.stop();
});

const good = { SOURCE_DBF: 'items.dbf', TARGET_CSV: 'eshop/stock.csv' };

describe('run API', () => {
  it('records a run with per-block counts, timings and samples', async () => {
    const run = await api.runToEnd('eshop-stock-csv', good);
    expect(run.status).toBe('succeeded');
    expect(run.trigger).toBe('manual');
    expect(run.triggerDetail).toBeUndefined();
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    const reader = run.blocks.find((block: Json) => block.id === 'read-items');
    expect(reader.recordsOut).toBeGreaterThan(0);
    expect(reader.startedAt).toBeDefined();
    expect(reader.samples.records[0]).toHaveProperty('CODE');
    const written = await readFile(join(service.dataDir, 'eshop/stock.csv'));
    expect(written.equals(await readFile(expectedCsv))).toBe(true);
  });

  it('returns up to 100 samples per port', async () => {
    await writeItemsTable(join(service.dataDir, 'many.dbf'), 150);
    const run = await api.runToEnd('eshop-stock-csv', {
      SOURCE_DBF: 'many.dbf',
      TARGET_CSV: 'eshop/many.csv',
    });
    expect(run.status).toBe('succeeded');
    const reader = run.blocks.find((block: Json) => block.id === 'read-items');
    expect(reader.recordsOut).toBe(150);
    expect(reader.samples.records).toHaveLength(20);

    const samples = await api.get(`/api/v1/runs/${run.id}/blocks/read-items/samples?port=records`);
    expect(samples.status).toBe(200);
    expect(samples.body.items).toHaveLength(100);
    expect(samples.body.items.slice(0, 20)).toEqual(reader.samples.records);

    const unknownPort = await api.get(`/api/v1/runs/${run.id}/blocks/read-items/samples?port=x`);
    expect(unknownPort.status).toBe(400);
    expect(unknownPort.body.error.hint).toBe('Use one of: records.');
    const unknownBlock = await api.get(`/api/v1/runs/${run.id}/blocks/nope/samples?port=records`);
    expect(unknownBlock.status).toBe(404);
  });

  it('samples a file with its first lines and bytes', async () => {
    const run = await api.runToEnd('eshop-stock-csv', good);
    const samples = await api.get(`/api/v1/runs/${run.id}/blocks/write-csv/samples?port=file`);
    expect(samples.status).toBe(200);
    const [file] = samples.body.items;
    const written = await readFile(join(service.dataDir, 'eshop/stock.csv'));
    expect(file).toMatchObject({ name: 'stock.csv', size: written.length, mediaType: 'text/csv' });
    expect(file).not.toHaveProperty('content');
    const lines = iconv.decode(written, 'win1250').split('\r\n');
    expect(file.head).toBe(lines.slice(0, 10).join('\n'));
    expect(file.head).toMatch(/[ěščřžýáíéůú]/);
    expect(file.hex).toBe(
      written
        .subarray(0, 64)
        .toString('hex')
        .replace(/(..)(?!$)/g, '$1 '),
    );
  });

  it('downloads a file the run produced', async () => {
    const run = await api.runToEnd('eshop-stock-csv', good);
    const files = await api.get(`/api/v1/runs/${run.id}/files`);
    expect(files.body.files).toEqual(['eshop/stock.csv']);
    const response = await fetch(
      `${service.url}/api/v1/runs/${run.id}/files?path=${encodeURIComponent('eshop/stock.csv')}`,
      { headers: { cookie: api.cookie! } },
    );
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(await readFile(expectedCsv))).toBe(true);
    const other = await api.get(`/api/v1/runs/${run.id}/files?path=items.dbf`);
    expect(other.status).toBe(404);
  });

  it('records a failed run with its error', async () => {
    const run = await api.runToEnd('eshop-stock-csv', { ...good, SOURCE_DBF: 'missing.dbf' });
    expect(run.status).toBe('failed');
    expect(run.error.context.block).toBe('read-items');
    expect(run.error.message).toContain('missing.dbf');
  });

  it('rejects a start with an undeclared variable', async () => {
    const response = await api.post('/api/v1/flows/eshop-stock-csv/runs', {
      variables: { ...good, TYPO: 'x' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VARIABLE_UNDECLARED');
    expect((await api.post('/api/v1/flows/no-such-flow/runs', {})).status).toBe(404);
  });

  it('lists runs filtered by flow, status and time', async () => {
    await api.createEshopFlow('second');
    const before = new Date().toISOString();
    await api.runToEnd('second', good);
    await api.runToEnd('second', { ...good, SOURCE_DBF: 'missing.dbf' });

    const ofSecond = await api.get('/api/v1/runs?flow=second');
    expect(ofSecond.body.runs).toHaveLength(2);
    const failed = await api.get('/api/v1/runs?flow=second&status=failed');
    expect(failed.body.runs.map((run: Json) => run.status)).toEqual(['failed']);
    const since = await api.get(`/api/v1/runs?since=${encodeURIComponent(before)}`);
    expect(since.body.runs.every((run: Json) => run.startedAt >= before)).toBe(true);
    expect(since.body.runs).toHaveLength(2);
    const until = await api.get(`/api/v1/runs?until=${encodeURIComponent(before)}`);
    expect(until.body.runs.every((run: Json) => run.flowId === 'eshop-stock-csv')).toBe(true);
    expect((await api.get('/api/v1/runs?status=bogus')).status).toBe(400);
  });

  it('keeps the configured number of runs per flow', async () => {
    await api.createEshopFlow('pruned');
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push((await api.runToEnd('pruned', good)).id);
    const kept = await api.get('/api/v1/runs?flow=pruned');
    expect(kept.body.runs.map((run: Json) => run.id)).toEqual(ids.slice(2).reverse());
    expect((await api.get(`/api/v1/runs/${ids[0]}`)).status).toBe(404);
  });
});

describe('run times on the service clock', () => {
  it('times runs and prunes them by the injected clock', async () => {
    const clock = new ManualClock(new Date('2026-03-02T05:00:00Z'));
    const clocked = await startTestService({
      clock,
      retention: { maxAgeDays: 1, maxRunsPerFlow: 100 },
    });
    try {
      const client = await clocked.login();
      await client.createEshopFlow();
      const first = await client.runToEnd('eshop-stock-csv', good);
      expect(first.status).toBe('succeeded');
      expect(first.startedAt).toBe('2026-03-02T05:00:00.000Z');
      expect(first.finishedAt).toBe('2026-03-02T05:00:00.000Z');
      expect(first.durationMs).toBe(0);

      await clock.advanceBy(2 * 86_400_000);
      const second = await client.runToEnd('eshop-stock-csv', good);
      expect(second.startedAt).toBe('2026-03-04T05:00:00.000Z');
      expect((await client.get(`/api/v1/runs/${first.id}`)).status).toBe(404);
      expect((await client.get(`/api/v1/runs/${second.id}`)).status).toBe(200);
    } finally {
      await clocked.stop();
    }
  });
});
