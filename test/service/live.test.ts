import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  LiveConnection,
  startTestService,
  writeItemsTable,
  type Json,
  type TestService,
} from '../support/service.js';

let service: TestService;
let api: ApiClient;

beforeAll(async () => {
  service = await startTestService();
  api = await service.login();
  await api.createEshopFlow();
  await writeItemsTable(join(service.dataDir, 'large.dbf'), 60_000);
});

afterAll(async () => {
  await service?.stop();
});

const blockIds = ['read-items', 'map-stock', 'keep-in-stock', 'write-csv', 'write-file'];

describe('live status', () => {
  it('streams the events of a run', async () => {
    const live = await LiveConnection.open(api);
    const started = await api.post('/api/v1/flows/eshop-stock-csv/runs', {
      variables: { SOURCE_DBF: 'items.dbf', TARGET_CSV: 'eshop/live.csv' },
    });
    const runId = started.body.runId;
    const finished = await live.next(
      (message) => message.type === 'run.finished' && message.runId === runId,
    );
    expect(finished.status).toBe('succeeded');
    const events = live.messages.filter((message) => message.runId === runId);
    expect(events[0].type).toBe('run.started');
    expect(events[0].flowId).toBe('eshop-stock-csv');
    for (const blockId of blockIds) {
      const types = events
        .filter((event: Json) => event.blockId === blockId)
        .map((event: Json) => event.type);
      expect(types[0], blockId).toBe('block.started');
      expect(types.at(-1), blockId).toBe('block.finished');
    }
    const mapped = events.find(
      (event: Json) => event.type === 'block.finished' && event.blockId === 'map-stock',
    );
    expect(mapped.counts.recordsOut).toBeGreaterThan(0);
    await live.close();
  });

  it('stores the report before run.finished', async () => {
    const live = await LiveConnection.open(api);
    // Reads the run at the moment the event arrives, before anything else can happen.
    let detail: Promise<Json> | undefined;
    const started = await api.post('/api/v1/flows/eshop-stock-csv/runs', {
      variables: { SOURCE_DBF: 'items.dbf', TARGET_CSV: 'eshop/stored.csv' },
    });
    const runId = started.body.runId;
    live.socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'run.finished' && message.runId === runId) {
        detail = api.get(`/api/v1/runs/${runId}`);
      }
    });
    await live.next((message) => message.type === 'run.finished' && message.runId === runId);
    const { body } = await detail!;
    expect(body.run.status).toBe('succeeded');
    expect(body.run.finishedAt).toBeDefined();
    const writer = body.run.blocks.find((block: Json) => block.id === 'write-file');
    expect(writer.status).toBe('succeeded');
    expect(body.run.artifacts).toHaveLength(1);
    await live.close();
  });

  it('gives a reconnecting client the state of running runs first', async () => {
    const first = await LiveConnection.open(api);
    const started = await api.post('/api/v1/flows/eshop-stock-csv/runs', {
      variables: { SOURCE_DBF: 'large.dbf', TARGET_CSV: 'eshop/large.csv' },
    });
    const runId = started.body.runId;
    await first.next(
      (message) =>
        message.type === 'block.progress' &&
        message.runId === runId &&
        message.blockId === 'read-items' &&
        message.counts.recordsOut > 0,
    );
    await first.close();

    const second = await LiveConnection.open(api);
    const snapshot = await second.next(() => true);
    expect(snapshot.type).toBe('snapshot');
    const run = snapshot.runs.find((candidate: Json) => candidate.runId === runId);
    expect(run.flowId).toBe('eshop-stock-csv');
    const reader = run.blocks.find((block: Json) => block.id === 'read-items');
    expect(reader.status).toBe('running');
    expect(reader.recordsOut).toBeGreaterThan(0);

    expect((await api.post(`/api/v1/runs/${runId}/cancel`)).status).toBe(202);
    const finished = await second.next(
      (message) => message.type === 'run.finished' && message.runId === runId,
    );
    expect(finished.status).toBe('cancelled');
    const detail = await api.waitForRun(runId);
    expect(detail.status).toBe('cancelled');
    expect((await api.post(`/api/v1/runs/${runId}/cancel`)).status).toBe(409);
    await second.close();
  });

  it('sends progress with samples, ten a second at most', async () => {
    const live = await LiveConnection.open(api);
    const started = await api.post('/api/v1/flows/eshop-stock-csv/runs', {
      variables: { SOURCE_DBF: 'large.dbf', TARGET_CSV: 'eshop/large.csv' },
    });
    const runId = started.body.runId;
    await live.next((message) => message.type === 'run.finished' && message.runId === runId);
    const reader = live.messages.filter(
      (message) =>
        message.runId === runId &&
        message.blockId === 'read-items' &&
        message.type === 'block.progress',
    );
    const finished = live.messages.find(
      (message) =>
        message.runId === runId &&
        message.blockId === 'read-items' &&
        message.type === 'block.finished',
    );
    const sampled = reader.find((message) => message.counts.recordsOut > 0);
    expect(sampled.latest.records).toHaveProperty('CODE');
    expect(sampled.rate).toBeGreaterThan(0);
    // At most one progress per started 100 ms of the block's time, plus the first one.
    expect(reader.length).toBeGreaterThan(0);
    expect(reader.length).toBeLessThanOrEqual(Math.floor(finished.elapsedMs / 100) + 2);
    await live.close();
  });

  it('finishes a run while one client reads nothing', async () => {
    const stalled = await LiveConnection.open(api);
    const tcp = (stalled.socket as unknown as { _socket: { pause(): void; resume(): void } })
      ._socket;
    tcp.pause();
    const watcher = await LiveConnection.open(api);
    const started = await api.post('/api/v1/flows/eshop-stock-csv/runs', {
      variables: { SOURCE_DBF: 'large.dbf', TARGET_CSV: 'eshop/stalled.csv' },
    });
    const runId = started.body.runId;
    const finished = await watcher.next(
      (message) => message.type === 'run.finished' && message.runId === runId,
    );
    expect(finished.status).toBe('succeeded');
    const hub = service.service.hub as unknown as { clients: Set<{ waiting: number }> };
    expect(hub.clients.size).toBe(2);
    for (const client of hub.clients) expect(client.waiting).toBeLessThanOrEqual(1000);

    tcp.resume();
    // A client that fell too far behind gets a new snapshot instead of the events it missed.
    const caughtUp = await stalled.next(
      (message) =>
        (message.type === 'run.finished' && message.runId === runId) ||
        (message.type === 'snapshot' && message.dropped > 0),
    );
    expect(['run.finished', 'snapshot']).toContain(caughtUp.type);
    await stalled.close();
    await watcher.close();
  });
});
