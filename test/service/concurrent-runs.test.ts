import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  releaseWaiting,
  testCatalog,
  waitFlow,
  waitForWaiting,
  waiting,
} from '../../runtime/test-support/blocks.js';
import {
  LiveConnection,
  startTestService,
  type ApiClient,
  type Json,
  type TestService,
} from '../support/service.js';

// The service bounds the runs that execute at once across all flows. Runs beyond the bound wait
// with status `queued` and start in request order when a run ends.

const MAX_CONCURRENT_RUNS = 2;

let service: TestService;
let api: ApiClient;
let live: LiveConnection;

beforeAll(async () => {
  service = await startTestService({
    catalog: testCatalog,
    maxConcurrentRuns: MAX_CONCURRENT_RUNS,
  });
  api = await service.login();
  live = await LiveConnection.open(api);
});

afterAll(async () => {
  await live?.close();
  await service?.stop();
});

async function createFlow(client: ApiClient, key: string, overlap: string): Promise<void> {
  const created = await client.post('/api/v1/flows', waitFlow(key, overlap));
  expect(created.status, created.text).toBe(201);
}

/** Counts the runs of a flow by status. */
async function statusCounts(client: ApiClient, flowId: string): Promise<Record<string, number>> {
  const response = await client.get(`/api/v1/runs?flow=${flowId}`);
  expect(response.status, response.text).toBe(200);
  const counts: Record<string, number> = {};
  for (const run of response.body.runs as Json[]) {
    counts[run.status] = (counts[run.status] ?? 0) + 1;
  }
  return counts;
}

/** Waits until `count` runs of the flow have succeeded. */
async function waitForSucceeded(client: ApiClient, flowId: string, count: number): Promise<void> {
  while (((await statusCounts(client, flowId)).succeeded ?? 0) < count) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('max concurrent runs', () => {
  it('runs at most the bound at once', async () => {
    await createFlow(api, 'bounded', 'parallel');
    const starts = await Promise.all(
      Array.from({ length: 6 }, () => api.post('/api/v1/flows/bounded/runs', {})),
    );
    for (const start of starts) expect(start.status, start.text).toBe(202);
    const queuedStarts = starts.filter((start) => start.body.queued === true);
    expect(queuedStarts).toHaveLength(6 - MAX_CONCURRENT_RUNS);
    const runIds = starts.map((start) => start.body.runId as string);
    expect(new Set(runIds).size).toBe(6);

    await waitForWaiting('bounded', MAX_CONCURRENT_RUNS);
    expect(await statusCounts(api, 'bounded')).toEqual({ running: 2, queued: 4 });
    const health = await api.get('/api/v1/health');
    expect(health.body.runningRuns).toBe(MAX_CONCURRENT_RUNS);

    // Cancel one waiting run: it ends at once, without taking a slot.
    const cancelledId = queuedStarts[0]!.body.runId as string;
    const cancel = await api.post(`/api/v1/runs/${cancelledId}/cancel`);
    expect(cancel.status, cancel.text).toBe(202);
    const cancelled = await api.waitForRun(cancelledId);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error.code).toBe('RUN_ABORTED');
    expect(cancelled.blocks).toEqual([]);
    const event = await live.next(
      (message: Json) => message.type === 'run.finished' && message.runId === cancelledId,
    );
    expect(event.status).toBe('cancelled');
    expect(await statusCounts(api, 'bounded')).toEqual({
      running: 2,
      queued: 3,
      cancelled: 1,
    });

    // Release the runs one at a time: a queued run starts only when a running one has ended.
    for (let succeeded = 0; succeeded < 5; succeeded++) {
      const unfinished = 5 - succeeded;
      const executing = Math.min(MAX_CONCURRENT_RUNS, unfinished);
      await waitForWaiting('bounded', executing);
      const counts = await statusCounts(api, 'bounded');
      expect(counts.running).toBe(executing);
      expect(counts.queued ?? 0).toBe(unfinished - executing);
      expect((await api.get('/api/v1/health')).body.runningRuns).toBe(executing);
      expect(releaseWaiting('bounded')).toBe(true);
      await waitForSucceeded(api, 'bounded', succeeded + 1);
    }
    await service.service.context.triggers.idle();
    expect(await statusCounts(api, 'bounded')).toEqual({ succeeded: 5, cancelled: 1 });
    for (const runId of runIds.filter((id) => id !== cancelledId)) {
      expect((await api.waitForRun(runId)).status).toBe('succeeded');
    }
  });

  it('rejects a cancel of a finished queued run', async () => {
    const runs = await api.get('/api/v1/runs?flow=bounded&status=cancelled');
    const [cancelled] = runs.body.runs as Json[];
    const again = await api.post(`/api/v1/runs/${cancelled.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('RUN_NOT_RUNNING');
  });

  it('sends the live event of a cancelled run in a flow queue', async () => {
    await createFlow(api, 'flow-queue', 'queue');
    const first = await api.post('/api/v1/flows/flow-queue/runs', {});
    expect(first.status, first.text).toBe(202);
    await waitForWaiting('flow-queue', 1);
    const second = await api.post('/api/v1/flows/flow-queue/runs', {});
    expect(second.body).toEqual({ runId: expect.any(String), queued: true });

    const cancel = await api.post(`/api/v1/runs/${second.body.runId}/cancel`);
    expect(cancel.status, cancel.text).toBe(202);
    const event = await live.next(
      (message: Json) => message.type === 'run.finished' && message.runId === second.body.runId,
    );
    expect(event.status).toBe('cancelled');
    expect(event.error.code).toBe('RUN_ABORTED');

    expect(releaseWaiting('flow-queue')).toBe(true);
    expect((await api.waitForRun(first.body.runId)).status).toBe('succeeded');
    await service.service.context.triggers.idle();
  });

  it('keeps a skip flow skipping while its run waits for a slot', async () => {
    await createFlow(api, 'holder', 'parallel');
    const holders = await Promise.all([
      api.post('/api/v1/flows/holder/runs', {}),
      api.post('/api/v1/flows/holder/runs', {}),
    ]);
    await waitForWaiting('holder', 2);
    await createFlow(api, 'skipper', 'skip');
    const first = await api.post('/api/v1/flows/skipper/runs', {});
    expect(first.body).toEqual({ runId: expect.any(String), queued: true });
    const second = await api.post('/api/v1/flows/skipper/runs', {});
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('RUN_SKIPPED');

    expect(releaseWaiting('holder')).toBe(true);
    await waitForWaiting('skipper', 1);
    expect(releaseWaiting('holder')).toBe(true);
    expect(releaseWaiting('skipper')).toBe(true);
    for (const start of [...holders, first]) {
      expect((await api.waitForRun(start.body.runId)).status).toBe('succeeded');
    }
    await service.service.context.triggers.idle();
  });
});

describe('max concurrent runs and flow deletion', () => {
  it('cancels a waiting run of a force-deleted flow', async () => {
    await createFlow(api, 'blocker', 'parallel');
    const blockers = await Promise.all([
      api.post('/api/v1/flows/blocker/runs', {}),
      api.post('/api/v1/flows/blocker/runs', {}),
    ]);
    await waitForWaiting('blocker', 2);
    await createFlow(api, 'doomed', 'parallel');
    const doomed = await api.post('/api/v1/flows/doomed/runs', {});
    expect(doomed.body).toEqual({ runId: expect.any(String), queued: true });

    const refused = await api.delete('/api/v1/flows/doomed');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('FLOW_RUNNING');
    const deleted = await api.delete('/api/v1/flows/doomed?force=true');
    expect(deleted.status, deleted.text).toBe(204);
    const run = await api.waitForRun(doomed.body.runId);
    expect(run.status).toBe('cancelled');
    expect(run.error.code).toBe('RUN_ABORTED');
    const event = await live.next(
      (message: Json) => message.type === 'run.finished' && message.runId === doomed.body.runId,
    );
    expect(event.status).toBe('cancelled');

    expect(releaseWaiting('blocker')).toBe(true);
    expect(releaseWaiting('blocker')).toBe(true);
    for (const start of blockers) {
      expect((await api.waitForRun(start.body.runId)).status).toBe('succeeded');
    }
    expect(waiting.get('doomed') ?? []).toEqual([]);
    await service.service.context.triggers.idle();
  });
});

describe('max concurrent runs at shutdown', () => {
  it('cancels the runs that wait for a slot', async () => {
    const first = await startTestService({
      catalog: testCatalog,
      maxConcurrentRuns: 1,
      shutdownGraceMs: 100,
    });
    try {
      const client = await first.login();
      await createFlow(client, 'stopping', 'parallel');
      const running = await client.post('/api/v1/flows/stopping/runs', {});
      expect(running.status, running.text).toBe(202);
      await waitForWaiting('stopping', 1);
      const queued = await client.post('/api/v1/flows/stopping/runs', {});
      expect(queued.body).toEqual({ runId: expect.any(String), queued: true });

      await first.service.stop();

      const second = await startTestService({
        catalog: testCatalog,
        stateDir: first.stateDir,
        dataDir: first.dataDir,
      });
      try {
        const after = await second.login();
        const dropped = (await after.get(`/api/v1/runs/${queued.body.runId}`)).body.run;
        expect(dropped.status).toBe('cancelled');
        expect(dropped.error.code).toBe('SERVICE_STOPPING');
        const cancelled = (await after.get(`/api/v1/runs/${running.body.runId}`)).body.run;
        expect(cancelled.status).toBe('cancelled');
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });
});
