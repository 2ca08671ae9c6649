import { silentLogger, toKuryrError, type Logger } from '@kuryr/nodes';
import type { ScheduleTrigger } from '../flow/trigger-schema.js';
import type { Clock, ClockTimer } from './clock.js';
import { compileSchedule, type CompiledSchedule } from './schedule.js';
import type { TriggerStore } from './trigger-store.js';

type DueTimes = { count: number; first: Date; latest: Date; beforeLatest: Date | undefined };

/** Missed planned times counted one by one; beyond this the count says "at least". */
export const MAX_COUNTED_MISSED_RUNS = 1000;

export type ScheduledTriggerOptions = {
  flowId: string;
  triggerKey: string;
  trigger: ScheduleTrigger;
  missedRuns: 'catch-up-once' | 'skip';
  clock: Clock;
  store: TriggerStore;
  /** Starts a run for a planned time; the scheduler does not wait for the run. */
  onDue(plannedAt: Date, catchUp: boolean): Promise<void>;
  logger?: Logger;
  /**
   * How late a timer may fire and still count as on time; a planned time further back is a missed
   * run. Default 60 000 ms.
   */
  graceMs?: number;
  /**
   * Longest wait before the scheduler looks at the clock again, so that a clock changed by hand or
   * a machine that slept is noticed within this time. Default 60 000 ms.
   */
  wakeIntervalMs?: number;
};

/**
 * Fires one schedule trigger of a flow on its planned times. It keeps a mark in the store up to
 * which planned times were handled, set before each run starts, so a restart or a clock turned back
 * never fires a planned time twice. Planned times that passed unfired (the runtime was down, the
 * machine slept, the clock jumped forward) are recorded as one missed run, and the flow's policy
 * decides whether one run catches them up. Errors are logged and never stop the schedule.
 */
export class ScheduledTrigger {
  private readonly schedule: CompiledSchedule;
  private readonly logger: Logger;
  private timer: ClockTimer | undefined;
  private stopped = false;
  private mark = 0;

  /** Throws FlowAuthorError SCHEDULE_INVALID for an invalid cron expression or time zone. */
  constructor(private readonly options: ScheduledTriggerOptions) {
    this.schedule = compileSchedule(options.trigger);
    this.logger = (options.logger ?? silentLogger).child({
      flowId: options.flowId,
      trigger: options.triggerKey,
    });
  }

  /** Reads the mark, handles planned times missed while stopped, and arms the timer. */
  async start(): Promise<void> {
    const { store, flowId, triggerKey, clock } = this.options;
    const now = clock.now();
    try {
      const stored = await store.getScheduleMark(flowId, triggerKey);
      if (stored === undefined) {
        this.mark = now;
        await store.setScheduleMark(flowId, triggerKey, new Date(now));
      } else {
        this.mark = stored.getTime();
        await this.handleDue(now);
      }
    } catch (error) {
      this.logError('schedule could not read or update its mark', error);
      this.mark = Math.max(this.mark, now);
    }
    this.arm();
  }

  /** Stops the timer; runs already started go on. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** The next planned time after the mark, or undefined when the schedule has none left. */
  nextPlannedAt(): Date | undefined {
    return this.schedule.nextRun(new Date(this.mark));
  }

  private arm(): void {
    if (this.stopped) return;
    const now = this.options.clock.now();
    const next = this.nextPlannedAt();
    const wake = this.options.wakeIntervalMs ?? 60_000;
    const delay = next === undefined ? wake : Math.min(Math.max(next.getTime() - now, 0), wake);
    this.timer = this.options.clock.setTimer(delay, () => this.tick());
  }

  private async tick(): Promise<void> {
    try {
      await this.handleDue(this.options.clock.now());
    } catch (error) {
      this.logError('schedule failed to handle a planned time', error);
    }
    this.arm();
  }

  /** Fires or records every planned time in (mark, now]. */
  private async handleDue(now: number): Promise<void> {
    const due = this.collectDue(now);
    if (due === undefined) return;
    const graceMs = this.options.graceMs ?? 60_000;
    const onTime = now - due.latest.getTime() <= graceMs ? due.latest : undefined;
    const missedCount = due.count - (onTime === undefined ? 0 : 1);
    const { store, flowId, triggerKey } = this.options;

    this.mark = now;
    await store.setScheduleMark(flowId, triggerKey, new Date(now));

    if (missedCount > 0) {
      const missedLatest = onTime === undefined ? due.latest : due.beforeLatest!;
      const catchUp = this.options.missedRuns === 'catch-up-once' && onTime === undefined;
      this.logger.warn('schedule missed planned runs', {
        plannedAt: missedLatest.toISOString(),
        firstPlannedAt: due.first.toISOString(),
        count: missedCount,
        catchUp,
      });
      await store.recordMissedRun({
        flowId,
        triggerKey,
        plannedAt: missedLatest,
        firstPlannedAt: due.first,
        count: missedCount,
        action: catchUp ? 'caught-up' : 'skipped',
        detectedAt: new Date(now),
      });
      if (catchUp) await this.options.onDue(missedLatest, true);
    }
    if (onTime !== undefined) await this.options.onDue(onTime, false);
  }

  /** Planned times in (mark, now]: the first, the latest, the one before it, and how many. */
  private collectDue(now: number): DueTimes | undefined {
    const first = this.schedule.nextRun(new Date(this.mark));
    if (first === undefined || first.getTime() > now) return undefined;
    let count = 1;
    let latest = first;
    let beforeLatest: Date | undefined;
    for (;;) {
      const next = this.schedule.nextRun(latest);
      if (next === undefined || next.getTime() > now) break;
      if (count >= MAX_COUNTED_MISSED_RUNS) {
        // Too many to walk one by one (a per-second schedule after a long stop): take the last.
        latest = this.schedule.previousRun(new Date(now + 1)) ?? next;
        beforeLatest = this.schedule.previousRun(latest) ?? first;
        break;
      }
      beforeLatest = latest;
      latest = next;
      count++;
    }
    return { count, first, latest, beforeLatest };
  }

  private logError(message: string, error: unknown): void {
    const failure = toKuryrError(error);
    this.logger.error(message, { error: failure.message, code: failure.code });
  }
}
