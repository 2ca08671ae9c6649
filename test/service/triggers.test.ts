import { copyFile, mkdir, readFile, readdir, rename } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@kuryr/runtime';
import {
  buildFlow,
  releaseWaiting,
  testCatalog,
  waitFlow,
  waitForWaiting,
} from '../../runtime/test-support/blocks.js';
import {
  ApiClient,
  LiveConnection,
  eshopFlowPath,
  startTestService,
  type Json,
  type TestService,
} from '../support/service.js';

const clock = new ManualClock(new Date('2026-03-02T05:00:00Z'));
let service: TestService;
let api: ApiClient;
let server: Server;
let baseUrl: string;
/** Requests the HTTP server received, by path. */
const requests = new Map<string, number>();

/** `/flaky/N/KEY` responds 503 to the first N requests, then 200 `ok`. */
beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    const count = (requests.get(path) ?? 0) + 1;
    requests.set(path, count);
    const failures = Number(/^\/flaky\/(\d+)\//.exec(path)?.[1] ?? 0);
    response.writeHead(count <= failures ? 503 : 200).end(count <= failures ? 'busy' : 'ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  service = await startTestService({ clock, catalog: testCatalog, folderPollIntervalMs: 1000 });
  api = await service.login();
});

afterAll(async () => {
  await service?.stop();
  await new Promise((resolve) => server.close(resolve));
});

/** Stores the e-shop flow under `id` with extra fields and stored variable values. */
async function createEshopFlow(
  client: ApiClient,
  id: string,
  extra: Record<string, unknown>,
  values: Record<string, string>,
): Promise<void> {
  const flow = JSON.parse(await readFile(eshopFlowPath, 'utf8'));
  const created = await client.post('/api/v1/flows', { ...flow, id, ...extra });
  expect(created.status, created.text).toBe(201);
  const stored = await client.put(`/api/v1/flows/${id}/variables`, { values });
  expect(stored.status, stored.text).toBe(200);
}

async function listRuns(client: ApiClient, query: string): Promise<Json[]> {
  const response = await client.get(`/api/v1/runs?${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body.runs;
}

/** Moves a manual clock on in steps, letting each poll's runs finish before the next step. */
async function advanceInSteps(
  steps: number,
  stepMs: number,
  target: { service: TestService; clock: ManualClock } = { service, clock },
): Promise<void> {
  for (let step = 0; step < steps; step++) {
    await target.clock.advanceBy(stepMs);
    await target.service.service.context.triggers.idle();
  }
}

describe('scheduled trigger in the service', () => {
  it('fires at the planned time and records it', async () => {
    await createEshopFlow(
      api,
      'morning',
      { triggers: [{ type: 'schedule', cron: '0 0 7 * * *', timeZone: 'Europe/Prague' }] },
      { SOURCE_DBF: 'items.dbf', TARGET_CSV: 'eshop/morning.csv' },
    );
    await clock.advanceTo(new Date('2026-03-02T05:59:59Z'));
    await service.service.context.triggers.idle();
    expect(await listRuns(api, 'flow=morning')).toEqual([]);

    await clock.advanceTo(new Date('2026-03-02T06:00:00Z'));
    await service.service.context.triggers.idle();
    const runs = await listRuns(api, 'flow=morning');
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('succeeded');
    expect(runs[0].trigger).toBe('schedule');
    expect(runs[0].triggerDetail).toEqual({
      type: 'schedule',
      triggerKey: 'schedule 0 0 7 * * * Europe/Prague',
      plannedAt: '2026-03-02T06:00:00.000Z',
      catchUp: false,
    });
    const detail = (await api.get(`/api/v1/runs/${runs[0].id}`)).body.run;
    expect(detail.triggerDetail.plannedAt).toBe('2026-03-02T06:00:00.000Z');
  });

  it('follows a changed schedule once saved', async () => {
    const flow = (await api.get('/api/v1/flows/morning')).body.flow;
    const triggers = [{ type: 'schedule', cron: '0 0 8 * * *', timeZone: 'Europe/Prague' }];
    expect((await api.put('/api/v1/flows/morning', { ...flow, triggers })).status).toBe(200);
    await clock.advanceTo(new Date('2026-03-02T06:59:59Z'));
    await service.service.context.triggers.idle();
    expect(await listRuns(api, 'flow=morning')).toHaveLength(1);

    await clock.advanceTo(new Date('2026-03-02T07:00:00Z'));
    await service.service.context.triggers.idle();
    const runs = await listRuns(api, 'flow=morning');
    expect(runs).toHaveLength(2);
    expect(runs[0].triggerDetail.plannedAt).toBe('2026-03-02T07:00:00.000Z');
  });

  it('starts a restored schedule afresh', async () => {
    await clock.advanceTo(new Date('2026-03-03T07:30:00Z'));
    await service.service.context.triggers.idle();
    expect(await listRuns(api, 'flow=morning')).toHaveLength(3);

    const flow = (await api.get('/api/v1/flows/morning')).body.flow;
    const triggers = [{ type: 'schedule', cron: '0 0 7 * * *', timeZone: 'Europe/Prague' }];
    expect((await api.put('/api/v1/flows/morning', { ...flow, triggers })).status).toBe(200);
    await service.service.context.triggers.idle();

    expect(await listRuns(api, 'flow=morning&status=missed')).toEqual([]);
    expect(await listRuns(api, 'flow=morning')).toHaveLength(3);
  });

  it('stops firing once the flow is deleted', async () => {
    expect((await api.delete('/api/v1/flows/morning')).status).toBe(204);
    await clock.advanceTo(new Date('2026-03-05T07:00:01Z'));
    await service.service.context.triggers.idle();
    expect(await listRuns(api, 'flow=morning')).toHaveLength(3);
  });
});

describe('missed runs', () => {
  it('records the planned times missed while the service was down', async () => {
    // Days before today, so the run history's retention (30 days) keeps the entries.
    const day = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const at = (daysAgo: number, hour: number) =>
      new Date(day - daysAgo * 86_400_000 + hour * 3_600_000);
    const firstClock = new ManualClock(at(5, 5));
    const first = await startTestService({ clock: firstClock });
    const before = await first.login();
    await createEshopFlow(
      before,
      'nightly',
      {
        triggers: [{ type: 'schedule', cron: '0 0 6 * * *', timeZone: 'UTC' }],
        runPolicy: { missedRuns: 'catch-up-once' },
      },
      { SOURCE_DBF: 'items.dbf', TARGET_CSV: 'eshop/nightly.csv' },
    );
    expect(firstClock.pendingTimers).toBe(1);
    await first.service.stop();
    expect(firstClock.pendingTimers).toBe(0);

    const second = await startTestService({
      clock: new ManualClock(at(2, 12)),
      stateDir: first.stateDir,
      dataDir: first.dataDir,
    });
    try {
      const after = await second.login();
      await second.service.context.triggers.idle();
      const missed = await listRuns(after, 'flow=nightly&status=missed');
      expect(missed).toHaveLength(1);
      expect(missed[0].trigger).toBe('schedule');
      expect(missed[0].startedAt).toBe(at(2, 6).toISOString());
      expect(missed[0].triggerDetail).toEqual({
        type: 'schedule',
        triggerKey: 'schedule 0 0 6 * * * UTC',
        plannedAt: at(2, 6).toISOString(),
        firstPlannedAt: at(5, 6).toISOString(),
        count: 4,
        action: 'caught-up',
      });
      expect(second.logText()).toContain('schedule missed planned runs');

      const caughtUp = await listRuns(after, 'flow=nightly&status=succeeded');
      expect(caughtUp).toHaveLength(1);
      expect(caughtUp[0].triggerDetail).toMatchObject({
        plannedAt: at(2, 6).toISOString(),
        catchUp: true,
      });
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});

describe('folder trigger in the service', () => {
  it('takes each arriving file once and archives it', async () => {
    await mkdir(join(service.dataDir, 'inbox'));
    await createEshopFlow(
      api,
      'inbox',
      {
        triggers: [
          {
            type: 'folder',
            path: 'inbox',
            pattern: '*.dbf',
            stableSeconds: 2,
            archivePath: 'archive',
            fileVariable: 'SOURCE_DBF',
          },
        ],
        runPolicy: { overlap: 'queue' },
      },
      { TARGET_CSV: 'eshop/inbox.csv' },
    );
    await copyFile(join(service.dataDir, 'items.dbf'), join(service.dataDir, 'inbox/a.dbf'));
    await copyFile(join(service.dataDir, 'items.dbf'), join(service.dataDir, 'inbox/b.dbf'));
    await advanceInSteps(6, 1000);

    const runs = await listRuns(api, 'flow=inbox');
    expect(runs.map((run: Json) => run.status)).toEqual(['succeeded', 'succeeded']);
    expect(runs.map((run: Json) => run.trigger)).toEqual(['folder', 'folder']);
    const paths = runs.map((run: Json) => run.triggerDetail.path).sort();
    expect(paths).toEqual(['inbox/a.dbf', 'inbox/b.dbf']);
    expect((await readdir(join(service.dataDir, 'archive'))).sort()).toEqual(['a.dbf', 'b.dbf']);
    expect(await readdir(join(service.dataDir, 'inbox'))).toEqual([]);

    // Moved back unchanged, the file is the one already taken.
    await rename(join(service.dataDir, 'archive/a.dbf'), join(service.dataDir, 'inbox/a.dbf'));
    await advanceInSteps(6, 1000);
    expect(await listRuns(api, 'flow=inbox')).toHaveLength(2);
    expect(await readdir(join(service.dataDir, 'inbox'))).toEqual(['a.dbf']);
    expect(api.bodies.join('')).not.toContain('"status":"failed"');
  });
});

describe('folder trigger across a restart', () => {
  it('does not take a file again', async () => {
    const firstClock = new ManualClock(new Date('2026-03-02T05:00:00Z'));
    const first = await startTestService({ clock: firstClock, folderPollIntervalMs: 1000 });
    const before = await first.login();
    await mkdir(join(first.dataDir, 'drop'));
    const trigger = { type: 'folder', path: 'drop', stableSeconds: 2, fileVariable: 'SOURCE_DBF' };
    await createEshopFlow(
      before,
      'drop',
      { triggers: [trigger] },
      { TARGET_CSV: 'eshop/drop.csv' },
    );
    await copyFile(join(first.dataDir, 'items.dbf'), join(first.dataDir, 'drop/items.dbf'));
    await advanceInSteps(6, 1000, { service: first, clock: firstClock });
    expect(await listRuns(before, 'flow=drop')).toHaveLength(1);
    expect(firstClock.pendingTimers).toBe(1);
    await first.service.stop();
    expect(firstClock.pendingTimers).toBe(0);

    const secondClock = new ManualClock(new Date('2026-03-02T06:00:00Z'));
    const second = await startTestService({
      clock: secondClock,
      folderPollIntervalMs: 1000,
      stateDir: first.stateDir,
      dataDir: first.dataDir,
    });
    try {
      const after = await second.login();
      await advanceInSteps(6, 1000, { service: second, clock: secondClock });
      const runs = await listRuns(after, 'flow=drop');
      expect(runs).toHaveLength(1);
      expect(runs[0].triggerDetail.path).toBe('drop/items.dbf');
      expect(await readdir(join(second.dataDir, 'drop'))).toEqual(['items.dbf']);
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});

describe('overlap policy on API starts', () => {
  it('answers 409 for a start that the skip policy skips', async () => {
    expect((await api.post('/api/v1/flows', waitFlow('skipping', 'skip'))).status).toBe(201);
    const first = await api.post('/api/v1/flows/skipping/runs', {});
    expect(first.status).toBe(202);
    await waitForWaiting('skipping');

    const second = await api.post('/api/v1/flows/skipping/runs', {});
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('RUN_SKIPPED');
    expect(second.body.error.message).toBe(
      'run not started: flow "skipping" is running and its overlap policy is skip',
    );
    expect(await listRuns(api, 'flow=skipping')).toHaveLength(1);

    releaseWaiting('skipping');
    expect((await api.waitForRun(first.body.runId)).status).toBe('succeeded');
    await service.service.context.triggers.idle();
    const third = await api.post('/api/v1/flows/skipping/runs', {});
    expect(third.status).toBe(202);
    await waitForWaiting('skipping');
    releaseWaiting('skipping');
    expect((await api.waitForRun(third.body.runId)).status).toBe('succeeded');
  });

  it('queues a start behind the running run', async () => {
    expect((await api.post('/api/v1/flows', waitFlow('queueing', 'queue'))).status).toBe(201);
    const first = await api.post('/api/v1/flows/queueing/runs', {});
    expect(first.status).toBe(202);
    await waitForWaiting('queueing');

    const second = await api.post('/api/v1/flows/queueing/runs', {});
    expect(second.status).toBe(202);
    expect(second.body).toEqual({ runId: expect.any(String), queued: true });
    const waiting = await listRuns(api, 'flow=queueing');
    // Both runs start at the same time of the manual clock, so the list order is the ids'.
    const statuses = Object.fromEntries(waiting.map((run: Json) => [run.id, run.status]));
    expect(statuses).toEqual({ [first.body.runId]: 'running', [second.body.runId]: 'queued' });

    releaseWaiting('queueing');
    await waitForWaiting('queueing');
    const runs = await listRuns(api, 'flow=queueing');
    expect(runs).toHaveLength(2);
    const queued = runs.find((run: Json) => run.id === second.body.runId);
    expect(queued.status).toBe('running');
    releaseWaiting('queueing');
    await service.service.context.triggers.idle();
    const finished = await listRuns(api, 'flow=queueing');
    expect(finished.map((run: Json) => run.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('answers 404 for an unknown flow', async () => {
    const response = await api.post('/api/v1/flows/nothing-here/runs', {});
    expect(response.status).toBe(404);
  });
});

describe('network retries in a service run', () => {
  it('shows the retries in the run detail, the live status and the log', async () => {
    const url = `${baseUrl}/flaky/2/service`;
    const flow = {
      ...buildFlow(
        [
          ['fetch', 'test.fetch', { url, retries: 3, retryDelaySeconds: 0.01 }],
          ['sink', 'test.collect', { key: 'retry-sink' }],
        ],
        ['fetch.records>sink.records'],
      ),
      id: 'flaky',
      name: 'flaky',
    };
    expect((await api.post('/api/v1/flows', flow)).status).toBe(201);
    const live = await LiveConnection.open(api);
    try {
      const run = await api.runToEnd('flaky');
      expect(run.status).toBe('succeeded');
      expect(requests.get('/flaky/2/service')).toBe(3);
      const fetch = run.blocks.find((block: Json) => block.id === 'fetch');
      expect(fetch.warnings).toMatchObject([{ code: 'NETWORK_RETRY', count: 2 }]);
      expect(fetch.warnings[0].examples).toHaveLength(2);

      const started = await live.next((message) => message.type === 'run.started');
      expect(started).toMatchObject({ runId: run.id, flowId: 'flaky' });
      const warning = await live.next(
        (message) => message.type === 'block.warning' && message.runId === run.id,
      );
      expect(warning).toMatchObject({ blockId: 'fetch', code: 'NETWORK_RETRY' });

      const retries = service
        .logText()
        .split('\n')
        .filter((line) => line.includes('network call failed, retrying'))
        .map((line) => JSON.parse(line));
      expect(retries).toHaveLength(2);
      expect(retries[0]).toMatchObject({ runId: run.id, blockId: 'fetch', code: 'HTTP_503' });
    } finally {
      await live.close();
    }
  });
});
