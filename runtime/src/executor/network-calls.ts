import {
  EnvironmentError,
  networkParameters,
  toKuryrError,
  type KuryrError,
  type Logger,
  type NetworkCalls,
  type NetworkParameters,
} from '@kuryr/nodes';
import { sleep, type Clock } from '../triggers/clock.js';

export type NetworkCallsOptions = {
  /** The block's parameters; network parameters it does not declare take their defaults. */
  params: unknown;
  /** The run's signal: a cancelled run stops the call and its retries. */
  signal: AbortSignal;
  /** Waits between retries; the call's own timeout uses real timers. */
  clock: Clock;
  /** Jitter source in [0, 1); tests pass a seeded one. */
  random: () => number;
  logger: Logger;
  warn(code: string, message: string, details?: Record<string, unknown>): void;
};

/** Reads the network parameters of a block, with defaults for those it does not declare. */
export function readNetworkParameters(params: unknown): NetworkParameters {
  const values = typeof params === 'object' && params !== null ? params : {};
  const known = Object.fromEntries(
    Object.keys(networkParameters.shape)
      .filter((name) => name in values)
      .map((name) => [name, (values as Record<string, unknown>)[name]]),
  );
  return networkParameters.parse(known);
}

/**
 * Returns the delay before retry `retry` (1 for the first) in milliseconds: exponential backoff
 * capped at the maximum, less a random part of up to half (jitter).
 */
export function retryDelayMs(
  retry: number,
  parameters: NetworkParameters,
  random: () => number,
): number {
  const backoff = parameters.retryDelaySeconds * 1000 * 2 ** (retry - 1);
  const capped = Math.min(backoff, parameters.retryMaxDelaySeconds * 1000);
  return Math.round(capped * (1 - random() / 2));
}

/** Creates the `context.network` of one block in one run. */
export function createNetworkCalls(options: NetworkCallsOptions): NetworkCalls {
  const parameters = readNetworkParameters(options.params);
  return {
    async call(description, operation, callOptions = {}) {
      for (let attempt = 1; ; attempt++) {
        let failure: KuryrError;
        try {
          return callOptions.timeout === 'idle'
            ? await operation(options.signal)
            : await callWithTimeout(description, operation, parameters, options.signal);
        } catch (error) {
          failure = toKuryrError(error);
        }
        if (options.signal.aborted) throw options.signal.reason;
        if (!failure.retryable || attempt > parameters.retries) {
          if (attempt > 1) failure.message += ` (failed ${attempt} attempts)`;
          throw failure;
        }
        const delayMs = retryDelayMs(attempt, parameters, options.random);
        const details = { call: description, attempt, delayMs, code: failure.code };
        options.logger.warn('network call failed, retrying', {
          ...details,
          error: failure.message,
        });
        options.warn(
          'NETWORK_RETRY',
          `${description} failed, retrying: ${failure.message}`,
          details,
        );
        await sleep(options.clock, delayMs, options.signal);
      }
    },
  };
}

async function callWithTimeout<T>(
  description: string,
  operation: (signal: AbortSignal) => Promise<T>,
  parameters: NetworkParameters,
  runSignal: AbortSignal,
): Promise<T> {
  const timeout = AbortSignal.timeout(parameters.timeoutSeconds * 1000);
  const signal = AbortSignal.any([runSignal, timeout]);
  let onAbort: (() => void) | undefined;
  // An operation that ignores its signal still ends at the timeout, because the race rejects.
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([operation(signal), aborted]);
  } catch (error) {
    if (!timeout.aborted || runSignal.aborted) throw error;
    throw new EnvironmentError(
      'NETWORK_TIMEOUT',
      `${description} timed out after ${parameters.timeoutSeconds} s`,
      {
        hint: "Check that the server is reachable, or raise the block's timeout.",
        cause: error,
        retryable: true,
      },
    );
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}
