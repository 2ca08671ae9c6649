import { describe, expect, it } from 'vitest';
import type { ScheduleTrigger } from '../flow/trigger-schema.js';
import { ManualClock } from './manual-clock.js';
import { ScheduledTrigger, type ScheduledTriggerOptions } from './scheduled-trigger.js';
import { MemoryTriggerStore } from './trigger-store.js';

type Fired = { plannedAt: string; firedAt: string; catchUp: boolean };

const prague = (cron: string): ScheduleTrigger => ({
  type: 'schedule',
  cron,
  timeZone: 'Europe/Prague',
});

function setUp(
  trigger: ScheduleTrigger,
  start: string,
  options: Partial<ScheduledTriggerOptions> = {},
) {
  const clock = new ManualClock(new Date(start));
  const store = (options.store as MemoryTriggerStore | undefined) ?? new MemoryTriggerStore();
  const fired: Fired[] = [];
  const scheduled = new ScheduledTrigger({
    flowId: 'flow',
    triggerKey: 'key',
    trigger,
    missedRuns: 'skip',
    clock,
    store,
    onDue: async (plannedAt, catchUp) => {
      fired.push({
        plannedAt: plannedAt.toISOString(),
        firedAt: new Date(clock.now()).toISOString(),
        catchUp,
      });
    },
    ...options,
  });
  return { clock, store, fired, scheduled };
}

describe('ScheduledTrigger', () => {
  it('fires daily on time over six weeks across spring forward', async () => {
    const { clock, fired, scheduled } = setUp(prague('0 0 6 * * *'), '2026-03-10T12:00:00Z', {
      wakeIntervalMs: 3_600_000,
    });
    await scheduled.start();
    await clock.advanceTo(new Date('2026-04-21T12:00:00Z'));
    scheduled.stop();

    expect(fired).toHaveLength(42);
    for (const run of fired) expect(run.firedAt).toBe(run.plannedAt);
    expect(fired[0]!.plannedAt).toBe('2026-03-11T05:00:00.000Z');
    expect(fired.find((run) => run.plannedAt.startsWith('2026-03-28'))!.plannedAt).toBe(
      '2026-03-28T05:00:00.000Z',
    );
    expect(fired.find((run) => run.plannedAt.startsWith('2026-03-29'))!.plannedAt).toBe(
      '2026-03-29T04:00:00.000Z',
    );
    expect(fired.at(-1)!.plannedAt).toBe('2026-04-21T04:00:00.000Z');
  });

  it('runs 02:30 at 03:00 on the spring-forward day', async () => {
    const { clock, fired, scheduled } = setUp(prague('0 30 2 * * *'), '2026-03-28T12:00:00Z');
    await scheduled.start();
    await clock.advanceTo(new Date('2026-03-30T12:00:00Z'));

    expect(fired.map((run) => run.firedAt)).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('runs 02:30 once in the repeated autumn hour', async () => {
    const { clock, fired, scheduled } = setUp(prague('0 30 2 * * *'), '2026-10-24T12:00:00Z');
    await scheduled.start();
    await clock.advanceTo(new Date('2026-10-26T12:00:00Z'));

    expect(fired.map((run) => run.firedAt)).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('runs an hourly job in both repeated hours', async () => {
    const { clock, fired, scheduled } = setUp(prague('0 30 * * * *'), '2026-10-24T22:00:00Z');
    await scheduled.start();
    await clock.advanceTo(new Date('2026-10-25T03:00:00Z'));

    expect(fired.map((run) => run.firedAt)).toEqual([
      '2026-10-24T22:30:00.000Z',
      '2026-10-24T23:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
      '2026-10-25T02:30:00.000Z',
    ]);
  });

  it('records runs missed while the runtime was down', async () => {
    const store = new MemoryTriggerStore();
    await store.setScheduleMark('flow', 'key', new Date('2026-05-01T12:00:00Z'));
    const { fired, scheduled } = setUp(prague('0 0 6 * * *'), '2026-05-04T12:00:00Z', { store });
    await scheduled.start();

    expect(fired).toEqual([]);
    expect(store.missedRuns).toHaveLength(1);
    expect(store.missedRuns[0]).toMatchObject({
      flowId: 'flow',
      triggerKey: 'key',
      count: 3,
      action: 'skipped',
    });
    expect(store.missedRuns[0]!.firstPlannedAt.toISOString()).toBe('2026-05-02T04:00:00.000Z');
    expect(store.missedRuns[0]!.plannedAt.toISOString()).toBe('2026-05-04T04:00:00.000Z');
    expect((await store.getScheduleMark('flow', 'key'))!.toISOString()).toBe(
      '2026-05-04T12:00:00.000Z',
    );
  });

  it('catches up missed runs once when the policy says so', async () => {
    const store = new MemoryTriggerStore();
    await store.setScheduleMark('flow', 'key', new Date('2026-05-01T12:00:00Z'));
    const { fired, scheduled } = setUp(prague('0 0 6 * * *'), '2026-05-04T12:00:00Z', {
      store,
      missedRuns: 'catch-up-once',
    });
    await scheduled.start();

    expect(fired).toEqual([
      {
        plannedAt: '2026-05-04T04:00:00.000Z',
        firedAt: '2026-05-04T12:00:00.000Z',
        catchUp: true,
      },
    ]);
    expect(store.missedRuns[0]).toMatchObject({ count: 3, action: 'caught-up' });
  });

  it('records a run missed while the machine slept', async () => {
    const { clock, store, fired, scheduled } = setUp(
      prague('0 0 6 * * *'),
      '2026-05-01T12:00:00Z',
      { missedRuns: 'catch-up-once' },
    );
    await scheduled.start();
    await clock.advanceTo(new Date('2026-05-02T06:00:00Z'));
    await clock.jumpTo(new Date('2026-05-03T09:00:00Z'));

    expect(fired.map((run) => run.catchUp)).toEqual([false, true]);
    expect(fired[1]!.plannedAt).toBe('2026-05-03T04:00:00.000Z');
    expect(fired[1]!.firedAt).toBe('2026-05-03T09:00:00.000Z');
    expect(store.missedRuns).toHaveLength(1);
    expect(store.missedRuns[0]).toMatchObject({ count: 1, action: 'caught-up' });
  });

  it('fires a run only a little late as on time', async () => {
    const { clock, store, fired, scheduled } = setUp(prague('0 0 6 * * *'), '2026-05-01T12:00:00Z');
    await scheduled.start();
    await clock.advanceTo(new Date('2026-05-02T03:59:00Z'));
    await clock.jumpTo(new Date('2026-05-02T04:00:30Z'));

    expect(fired).toEqual([
      {
        plannedAt: '2026-05-02T04:00:00.000Z',
        firedAt: '2026-05-02T04:00:30.000Z',
        catchUp: false,
      },
    ]);
    expect(store.missedRuns).toEqual([]);
  });

  it('never fires a planned time twice when the clock goes back', async () => {
    const { clock, fired, scheduled } = setUp(prague('0 0 6 * * *'), '2026-05-01T12:00:00Z');
    await scheduled.start();
    await clock.advanceTo(new Date('2026-05-02T04:30:00Z'));
    await clock.jumpTo(new Date('2026-05-02T03:00:00Z'));
    await clock.advanceTo(new Date('2026-05-02T06:00:00Z'));

    expect(fired.map((run) => run.plannedAt)).toEqual(['2026-05-02T04:00:00.000Z']);
  });

  it('counts many missed runs of a per-second schedule', async () => {
    const store = new MemoryTriggerStore();
    await store.setScheduleMark('flow', 'key', new Date('2026-05-01T00:00:00Z'));
    const { fired, scheduled } = setUp(prague('* * * * * *'), '2026-05-02T00:00:00.500Z', {
      store,
    });
    await scheduled.start();

    expect(fired.map((run) => run.plannedAt)).toEqual(['2026-05-02T00:00:00.000Z']);
    expect(store.missedRuns[0]!.count).toBe(999);
    expect(store.missedRuns[0]!.plannedAt.toISOString()).toBe('2026-05-01T23:59:59.000Z');
  });

  it('keeps running when the store fails', async () => {
    const store = new MemoryTriggerStore();
    store.setScheduleMark = async () => {
      throw new Error('disk full');
    };
    const { clock, fired, scheduled } = setUp(prague('0 0 6 * * *'), '2026-05-01T12:00:00Z', {
      store,
    });
    await scheduled.start();
    await clock.advanceTo(new Date('2026-05-03T12:00:00Z'));

    expect(fired).toEqual([]);
    expect(clock.pendingTimers).toBe(1);
  });

  it('rejects an invalid cron expression', () => {
    expect(() => setUp(prague('0 61 * * * *'), '2026-05-01T12:00:00Z')).toThrow(
      /invalid cron expression "0 61 \* \* \* \*"/,
    );
  });
});
