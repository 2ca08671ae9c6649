import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TriggerContext, TriggerFactory } from '@kuryr/runtime';
import {
  ApiClient,
  startTestService,
  writeItemsTable,
  type TestService,
} from '../support/service.js';

/** Trigger sources this factory started and not yet stopped, by flow id. */
const runningSources = new Map<string, number>();
let triggerContext: TriggerContext | undefined;

/** A trigger kind for the test: one source per flow, rejecting flows named "no triggers". */
const recordingFactory: TriggerFactory = {
  validate: (flow) =>
    flow.name === 'no triggers' ? [{ field: 'name', message: 'rejected by the trigger' }] : [],
  start(flow, context) {
    triggerContext = context;
    runningSources.set(flow.id, (runningSources.get(flow.id) ?? 0) + 1);
    return [{ stop: () => void runningSources.set(flow.id, runningSources.get(flow.id)! - 1) }];
  },
};

let service: TestService;
let api: ApiClient;

beforeAll(async () => {
  service = await startTestService({ triggerFactories: [recordingFactory] });
  api = await service.login();
  await writeItemsTable(join(service.dataDir, 'large.dbf'), 30_000);
});

afterAll(async () => {
  await service?.stop();
});

describe('trigger host', () => {
  it('starts one source per saved flow and stops it on delete', async () => {
    await api.createEshopFlow('triggered');
    expect(runningSources.get('triggered')).toBe(1);
    const flow = (await api.get('/api/v1/flows/triggered')).body.flow;
    await api.put('/api/v1/flows/triggered', { ...flow, description: 'changed' });
    expect(runningSources.get('triggered')).toBe(1);
    await api.delete('/api/v1/flows/triggered');
    expect(runningSources.get('triggered')).toBe(0);
  });

  it('rejects a flow that the trigger rejects', async () => {
    await api.createEshopFlow('checked');
    const flow = (await api.get('/api/v1/flows/checked')).body.flow;
    const response = await api.put('/api/v1/flows/checked', { ...flow, name: 'no triggers' });
    expect(response.status).toBe(422);
    expect(response.body.error.problems).toEqual([
      { field: 'name', message: 'rejected by the trigger' },
    ]);
  });

  it('starts runs with a trigger name and a maximum time', async () => {
    await api.createEshopFlow('scheduled');
    const runId = await triggerContext!.startRun('scheduled', {
      trigger: 'schedule',
      variables: { SOURCE_DBF: 'items.dbf', TARGET_CSV: 'eshop/scheduled.csv' },
    });
    const run = await api.waitForRun(runId);
    expect(run.trigger).toBe('schedule');
    expect(run.status).toBe('succeeded');

    const limited = await triggerContext!.startRun('scheduled', {
      trigger: 'schedule',
      variables: { SOURCE_DBF: 'large.dbf', TARGET_CSV: 'eshop/limited.csv' },
      maxRunTimeMs: 1,
    });
    const cancelled = await api.waitForRun(limited);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error.message).toContain('maximum time');
  });
});

describe('editor files', () => {
  it('serves the built editor when its folder exists', async () => {
    const dist = join(service.work, 'editor-dist');
    await mkdir(dist);
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>Kurýr</title>');
    const withEditor = await startTestService({ editorDist: dist });
    try {
      const page = await fetch(`${withEditor.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Kurýr');
      const deepLink = await fetch(`${withEditor.url}/flows/abc`);
      expect(await deepLink.text()).toContain('Kurýr');
      expect((await fetch(`${withEditor.url}/api/v1/flows`)).status).toBe(401);
    } finally {
      await withEditor.stop();
    }
    expect((await fetch(`${service.url}/`)).status).toBe(404);
  });
});
