import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFlow, releaseWaiting, waiting } from '../../test-support/blocks.js';
import { startTestTriggers } from '../../test-support/start-run.js';
import { waitUntil, type LogLine } from '../../test-support/wait.js';
import type { Flow } from '../flow/flow-schema.js';
import type { Trigger } from '../flow/trigger-schema.js';

let root: string;
let folder: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'kuryr-triggers-'));
  folder = join(root, 'data');
  await mkdir(join(folder, 'inbox'), { recursive: true });
  waiting.clear();
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const everyTenSeconds: Trigger = { type: 'schedule', cron: '*/10 * * * * *', timeZone: 'UTC' };

function flowWith(blocks: Parameters<typeof buildFlow>[0], triggers: Trigger[]): Flow {
  return { ...buildFlow(blocks, []), id: 'flow', triggers };
}

const setUp = (flow: Flow) => startTestTriggers(flow, folder);

const messages = (lines: LogLine[], message: string) =>
  lines.filter((line) => line.message === message);

describe('TriggerManager', () => {
  it('starts real runs on a schedule', async () => {
    const flow = flowWith([['source', 'test.generate', { count: 3 }]], [everyTenSeconds]);
    const { clock, manager, runs } = await setUp(flow);
    for (let step = 0; step < 3; step++) {
      await clock.advanceBy(10_000);
      await manager.idle();
    }

    expect(runs.map((run) => run.trigger)).toEqual(
      ['08:00:10', '08:00:20', '08:00:30'].map((time) => ({
        type: 'schedule',
        triggerKey: 'schedule */10 * * * * * UTC',
        plannedAt: `2026-06-01T${time}.000Z`,
        catchUp: false,
      })),
    );
    await manager.stop();
  });

  it('skips scheduled runs while one is going', async () => {
    const flow = flowWith([['wait', 'test.wait', { key: 'slow' }]], [everyTenSeconds]);
    const { clock, manager, runs, logger } = await setUp(flow);
    await clock.advanceBy(10_000);
    await waitUntil(() => waiting.get('slow')?.length === 1);
    await clock.advanceBy(20_000);

    expect(runs).toHaveLength(1);
    expect(messages(logger.lines, 'trigger skipped, the flow is still running')).toHaveLength(2);
    releaseWaiting('slow');
    await manager.stop();
  });

  it('keeps other triggers going past an invalid schedule', async () => {
    const flow = flowWith(
      [['source', 'test.generate', { count: 1 }]],
      [{ type: 'schedule', cron: '0 0 25 * * *', timeZone: 'UTC' }, everyTenSeconds],
    );
    const { clock, manager, runs, logger } = await setUp(flow);
    await clock.advanceBy(10_000);
    await manager.idle();

    expect(runs).toHaveLength(1);
    const [error] = messages(logger.lines, 'trigger could not start');
    expect(error!.fields).toMatchObject({
      flowId: 'flow',
      trigger: 'schedule 0 0 25 * * * UTC',
      code: 'SCHEDULE_INVALID',
    });
    await manager.stop();
  });

  it('offers a file again when the overlap policy skipped its run', async () => {
    const flow = flowWith(
      [['wait', 'test.wait', { key: 'file' }]],
      [{ type: 'folder', path: 'inbox', pattern: '*', stableSeconds: 1 }],
    );
    await writeFile(join(folder, 'inbox', 'a.txt'), 'a');
    await writeFile(join(folder, 'inbox', 'b.txt'), 'b');
    const { clock, manager, runs } = await setUp(flow);
    await clock.advanceBy(2000);
    await waitUntil(() => waiting.get('file')?.length === 1);
    await clock.advanceBy(4000);
    expect(runs).toHaveLength(1);

    releaseWaiting('file');
    await manager.idle();
    await clock.advanceBy(2000);
    await waitUntil(() => waiting.get('file')?.length === 1);
    releaseWaiting('file');
    await manager.idle();

    expect(runs.map((run) => run.trigger.type === 'folder' && run.trigger.path).sort()).toEqual([
      'inbox/a.txt',
      'inbox/b.txt',
    ]);
    await manager.stop();
  });

  it('stops the triggers of a removed flow', async () => {
    const flow = flowWith([['source', 'test.generate', { count: 1 }]], [everyTenSeconds]);
    const { clock, manager, runs } = await setUp(flow);
    await clock.advanceBy(10_000);
    manager.removeFlow('flow');
    await clock.advanceBy(60_000);
    await manager.idle();

    expect(runs).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
    await manager.stop();
  });

  it('replaces the triggers of a saved flow', async () => {
    const flow = flowWith([['source', 'test.generate', { count: 1 }]], [everyTenSeconds]);
    const { clock, manager, runs } = await setUp(flow);
    await manager.setFlow({
      ...flow,
      triggers: [{ type: 'schedule', cron: '0 * * * * *', timeZone: 'UTC' }],
    });
    await clock.advanceBy(60_000);
    await manager.idle();

    expect(runs.map((run) => run.trigger.type === 'schedule' && run.trigger.plannedAt)).toEqual([
      '2026-06-01T08:01:00.000Z',
    ]);
    await manager.stop();
  });
});
