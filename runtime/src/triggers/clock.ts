/** A pending timer of a Clock; `cancel` stops it if it has not fired yet. */
export type ClockTimer = { cancel(): void };

/**
 * Time as the scheduler, the folder watcher and the executor's retries and run-time limits see
 * it. Production uses systemClock; tests use ManualClock and move time on by hand.
 */
export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
  /** Calls `callback` once, `delayMs` from now; a returned promise is awaited by test clocks. */
  setTimer(delayMs: number, callback: () => void | Promise<void>): ClockTimer;
}

/** setTimeout accepts at most 2^31 - 1 ms (about 24.8 days); longer delays are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The machine's clock with Node.js timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    let handle: NodeJS.Timeout;
    const arm = (remaining: number) => {
      const step = Math.min(Math.max(remaining, 0), MAX_TIMEOUT_MS);
      handle = setTimeout(() => {
        if (remaining > step) arm(remaining - step);
        else void callback();
      }, step);
    };
    arm(delayMs);
    return { cancel: () => clearTimeout(handle) };
  },
};

/**
 * Waits `delayMs` on `clock`. Rejects with the signal's reason when `signal` aborts first.
 */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(signal!.reason);
    };
    const timer = clock.setTimer(delayMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
