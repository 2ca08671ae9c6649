import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFlow, releaseWaiting, waiting } from '../../test-support/blocks.js';
import { testRunOptions } from '../../test-support/run-options.js';
import { waitUntil } from '../../test-support/wait.js';
import type { Flow } from '../flow/flow-schema.js';
import { ManualClock } from '../triggers/manual-clock.js';
import { runFlow } from './executor.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-limit-'));
  waiting.clear();
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function start(flow: Flow, clock: ManualClock) {
  return runFlow({
    flow,
    ...(await testRunOptions(folder)),
    clock,
  });
}

const waitingFlow = (maxRunSeconds: number): Flow => ({
  ...buildFlow(
    [
      ['wait', 'test.wait', { key: 'limit' }],
      ['sink', 'test.collect', { key: 'sink' }],
    ],
    ['wait.records>sink.records'],
  ),
  runPolicy: { overlap: 'skip', missedRuns: 'skip', maxRunSeconds },
});

describe('maximum run time', () => {
  it('cancels a run that exceeds it', async () => {
    const clock = new ManualClock(0);
    const running = start(waitingFlow(30), clock);
    await waitUntil(() => (waiting.get('limit')?.length ?? 0) === 1);
    await clock.advanceBy(29_999);
    expect(waiting.get('limit')).toHaveLength(1);
    await clock.advanceBy(1);
    const report = await running;

    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'RUN_TIMED_OUT', kind: 'environment' });
    expect(report.error!.message).toBe(
      'the run exceeded its maximum run time of 30 s and was cancelled',
    );
    expect(report.blocks.find((block) => block.id === 'wait')!.status).toBe('cancelled');
  });

  it('lets a run within it finish', async () => {
    const clock = new ManualClock(0);
    const running = start(waitingFlow(30), clock);
    await waitUntil(() => (waiting.get('limit')?.length ?? 0) === 1);
    await clock.advanceBy(20_000);
    releaseWaiting('limit');
    const report = await running;

    expect(report.status).toBe('succeeded');
    expect(clock.pendingTimers).toBe(0);
  });
});
