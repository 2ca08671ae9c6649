import { setTimeout as delay } from 'node:timers/promises';
import { EnvironmentError } from '../../contract/errors.js';
import type { Logger } from '../../contract/logger.js';

export type RetryOptions = {
  /** Attempts after the first one. */
  retries: number;
  /** Wait before the first retry; each further wait doubles. */
  firstDelayMs: number;
  signal: AbortSignal;
  logger: Logger;
  /** Name of the attempted action for the log, e.g. `download`. */
  action: string;
  details?: Record<string, unknown>;
};

/**
 * Runs `attempt` until it succeeds, retrying an EnvironmentError (a dropped connection, a
 * timeout) up to `retries` times with doubling waits. Other errors fail at once.
 *
 * TODO: replace this loop with the executor's retry policy, in which blocks declare the errors
 * worth retrying. Until the executor has one, each transfer block retries its own network calls.
 */
export async function withRetry<T>(
  options: RetryOptions,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      const isLast = attemptNumber > options.retries;
      if (!(error instanceof EnvironmentError) || isLast || options.signal.aborted) throw error;
      const waitMs = options.firstDelayMs * 2 ** (attemptNumber - 1);
      options.logger.warn('remote call failed, retrying', {
        action: options.action,
        attempt: attemptNumber,
        waitMs,
        error: error.message,
        ...options.details,
      });
      await delay(waitMs, undefined, { signal: options.signal });
    }
  }
}
