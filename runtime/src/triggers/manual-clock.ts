import type { Clock, ClockTimer } from './clock.js';

type PendingTimer = { at: number; order: number; callback: () => void | Promise<void> };

/**
 * A clock that moves only when told, for tests of schedules, folder watching, retries and run-time
 * limits. `advanceTo` fires every timer on the way at its own time, as a machine that stayed
 * awake would. `jumpTo` moves the time at once and then fires what is due, as after a sleep or a
 * clock change. Both await each timer's callback and let pending promise callbacks run.
 */
export class ManualClock implements Clock {
  private time: number;
  private order = 0;
  private readonly timers = new Set<PendingTimer>();

  /**
   * With `autoAdvance`, each timer fires by itself soon after it is set, at its own time, so
   * code that waits (retry delays, say) runs through while the test records the times.
   */
  constructor(
    start: Date | number,
    private readonly options: { autoAdvance?: boolean } = {},
  ) {
    this.time = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, callback: () => void | Promise<void>): ClockTimer {
    const timer = { at: this.time + Math.max(0, delayMs), order: this.order++, callback };
    this.timers.add(timer);
    if (this.options.autoAdvance === true) setImmediate(() => void this.advanceTo(timer.at));
    return { cancel: () => this.timers.delete(timer) };
  }

  /** Number of timers that have not fired. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Time of the earliest pending timer, or undefined when none is pending. */
  nextTimerAt(): number | undefined {
    return this.earliest()?.at;
  }

  /** Moves the time on by `ms`, firing each timer on the way at its own time. */
  async advanceBy(ms: number): Promise<void> {
    await this.advanceTo(this.time + ms);
  }

  /** Moves the time on to `target`, firing each timer on the way at its own time. */
  async advanceTo(target: Date | number): Promise<void> {
    const end = typeof target === 'number' ? target : target.getTime();
    await settle();
    for (;;) {
      const timer = this.earliest();
      if (timer === undefined || timer.at > end) break;
      this.time = Math.max(this.time, timer.at);
      await this.fire(timer);
    }
    this.time = Math.max(this.time, end);
  }

  /**
   * Sets the time to `target` at once, forwards or backwards, then fires the timers that are due
   * then, late. This is what a sleeping machine or a changed system clock looks like.
   */
  async jumpTo(target: Date | number): Promise<void> {
    this.time = typeof target === 'number' ? target : target.getTime();
    await this.advanceTo(this.time);
  }

  private earliest(): PendingTimer | undefined {
    let first: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (
        first === undefined ||
        timer.at < first.at ||
        (timer.at === first.at && timer.order < first.order)
      ) {
        first = timer;
      }
    }
    return first;
  }

  private async fire(timer: PendingTimer): Promise<void> {
    this.timers.delete(timer);
    await timer.callback();
    await settle();
  }
}

/** Lets pending promise callbacks and I/O callbacks that are ready run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}
