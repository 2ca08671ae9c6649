import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFlow, releaseWaiting, waiting } from '../../test-support/blocks.js';
import { createTestStartRun } from '../../test-support/start-run.js';
import { waitUntil } from '../../test-support/wait.js';
import type { Flow } from '../flow/flow-schema.js';
import type { RunPolicy } from '../flow/trigger-schema.js';
import { RunGate, type FireResult } from './run-gate.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-gate-'));
  waiting.clear();
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function setUp() {
  const flow: Flow = { ...buildFlow([['wait', 'test.wait', { key: 'gate' }]], []), id: 'held' };
  const { startRun, runs } = createTestStartRun(new Map([[flow.id, flow]]), folder);
  const gate = new RunGate({ startRun });
  const fire = (overlap: RunPolicy['overlap']) =>
    gate.fire({ flowId: 'held', trigger: { type: 'manual' }, variables: {} }, overlap);
  const waitingRuns = () => waiting.get('gate')?.length ?? 0;
  return { gate, fire, runs, waitingRuns };
}

async function outcomeOf(result: FireResult) {
  if (!result.started) throw new Error(`no run started: ${result.reason}`);
  return result.finished;
}

describe('RunGate', () => {
  it('skips a run while one is going', async () => {
    const { gate, fire, runs, waitingRuns } = setUp();
    const first = await fire('skip');
    await waitUntil(() => waitingRuns() === 1);

    expect(await fire('skip')).toEqual({ started: false, reason: 'overlap' });
    releaseWaiting('gate');
    expect((await outcomeOf(first)).status).toBe('succeeded');
    await gate.idle();
    const third = await fire('skip');
    await waitUntil(() => waitingRuns() === 1);
    releaseWaiting('gate');
    expect((await outcomeOf(third)).status).toBe('succeeded');
    expect(runs.map((run) => run.runId)).toEqual(['run-1', 'run-2']);
  });

  it('queues runs and starts them one after another', async () => {
    const { gate, fire, runs, waitingRuns } = setUp();
    const results = [fire('queue'), fire('queue'), fire('queue')];
    await waitUntil(() => waitingRuns() === 1);
    expect(runs).toHaveLength(1);

    releaseWaiting('gate');
    await waitUntil(() => runs.length === 2 && waitingRuns() === 1);
    expect(gate.runningCount('held')).toBe(1);
    releaseWaiting('gate');
    await waitUntil(() => runs.length === 3 && waitingRuns() === 1);
    releaseWaiting('gate');
    const outcomes = await Promise.all(results.map(async (result) => outcomeOf(await result)));

    expect(outcomes.map((outcome) => outcome.runId)).toEqual(['run-1', 'run-2', 'run-3']);
    expect(outcomes.every((outcome) => outcome.status === 'succeeded')).toBe(true);
  });

  it('starts runs in parallel', async () => {
    const { fire, runs, waitingRuns, gate } = setUp();
    const results = await Promise.all([fire('parallel'), fire('parallel'), fire('parallel')]);
    await waitUntil(() => waitingRuns() === 3);

    expect(gate.runningCount('held')).toBe(3);
    for (let i = 0; i < 3; i++) releaseWaiting('gate');
    const outcomes = await Promise.all(results.map(outcomeOf));
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(runs).toHaveLength(3);
  });

  it('goes on after a run could not start', async () => {
    const gate = new RunGate({
      startRun: async () => {
        throw new Error('flow not found');
      },
    });
    const request = { flowId: 'gone', trigger: { type: 'manual' as const }, variables: {} };

    expect(await gate.fire(request, 'queue')).toEqual({
      started: false,
      reason: 'start-failed',
      error: new Error('flow not found'),
    });
    expect(gate.runningCount('gone')).toBe(0);
  });

  it('drops queued runs when closed', async () => {
    const { gate, fire, runs, waitingRuns } = setUp();
    const first = fire('queue');
    await waitUntil(() => waitingRuns() === 1);
    const queued = fire('queue');
    const closing = gate.close();

    expect(await queued).toEqual({ started: false, reason: 'closed' });
    releaseWaiting('gate');
    await closing;
    expect((await outcomeOf(await first)).status).toBe('succeeded');
    expect(runs).toHaveLength(1);
  });

  it('cancels a queued run by its id', async () => {
    const { gate, runs, waitingRuns } = setUp();
    const fireWithId = (runId: string) =>
      gate.fire({ flowId: 'held', trigger: { type: 'manual' }, variables: {}, runId }, 'queue');
    const first = fireWithId('first');
    await waitUntil(() => waitingRuns() === 1);
    const second = fireWithId('second');
    const third = fireWithId('third');

    expect(gate.cancelQueued('held', 'second')).toBe(true);
    expect(await second).toEqual({ started: false, reason: 'cancelled' });
    expect(gate.cancelQueued('held', 'second')).toBe(false);
    expect(gate.cancelQueued('held', 'first')).toBe(false);
    releaseWaiting('gate');
    expect((await outcomeOf(await first)).status).toBe('succeeded');
    await waitUntil(() => waitingRuns() === 1);
    releaseWaiting('gate');
    expect((await outcomeOf(await third)).status).toBe('succeeded');
    expect(runs).toHaveLength(2);
  });

  it('cancels all queued runs of a flow', async () => {
    const { gate, fire, runs, waitingRuns } = setUp();
    const first = fire('queue');
    await waitUntil(() => waitingRuns() === 1);
    const second = gate.fire(
      { flowId: 'held', trigger: { type: 'manual' }, variables: {}, runId: 'second' },
      'queue',
    );
    const third = fire('queue');

    expect(gate.cancelAllQueued('held')).toEqual(['second', undefined]);
    expect(await second).toEqual({ started: false, reason: 'cancelled' });
    expect(await third).toEqual({ started: false, reason: 'cancelled' });
    expect(gate.isBusy('held')).toBe(true);
    releaseWaiting('gate');
    expect((await outcomeOf(await first)).status).toBe('succeeded');
    await gate.idle();
    expect(runs).toHaveLength(1);
    expect(gate.isBusy('held')).toBe(false);
  });
});
