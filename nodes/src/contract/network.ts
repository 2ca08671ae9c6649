import { z } from 'zod';

/**
 * Parameters common to network blocks: the timeout of one network call and how retryable
 * failures are retried. Spread them into a block's schema: `z.object({ url, ...networkParameters.shape })`.
 * The delay before retry n is `retryDelaySeconds * 2^(n-1)`, at most `retryMaxDelaySeconds`, of
 * which a random part (jitter) is taken away so that many runs do not retry in step.
 */
export const networkParameters = z.object({
  timeoutSeconds: z
    .number()
    .positive()
    .default(30)
    .meta({ title: 'Timeout (s)', description: 'Seconds one network call may take; default 30.' }),
  retries: z.number().int().min(0).max(20).default(3).meta({
    title: 'Retries',
    description: 'How often a failed call that may succeed later is tried again; default 3.',
  }),
  retryDelaySeconds: z.number().min(0).default(1).meta({
    title: 'First retry delay (s)',
    description: 'Seconds before the first retry, doubled for each further one; default 1.',
  }),
  retryMaxDelaySeconds: z.number().min(0).default(60).meta({
    title: 'Maximum retry delay (s)',
    description: 'Upper limit of the delay between retries; default 60.',
  }),
});

export type NetworkParameters = z.infer<typeof networkParameters>;

/** Settings of one network call. */
export type NetworkCallOptions = {
  /**
   * `call` (the default) ends the whole call after the block's `timeoutSeconds`. `idle` leaves
   * the timeout to the operation, which must end itself when its connection stays silent that
   * long: a file transfer may rightly take longer than any timeout of the whole call.
   */
  timeout?: 'call' | 'idle';
};

/**
 * Network calls of a block, with the block's timeout and retries applied. A block makes every
 * call to a remote server through `call`.
 */
export interface NetworkCalls {
  /**
   * Runs `operation` with a signal that aborts at the block's timeout (unless `options.timeout`
   * is `idle`) or when the run stops.
   * A failure whose KuryrError is `retryable` (a timeout is) is retried with exponential backoff
   * and jitter. Each retry is logged and counted as a `NETWORK_RETRY` warning. When no retry is
   * left, the last error is thrown with the number of attempts added to its message.
   * `description` names the call in logs and errors, e.g. `GET https://shop.example/orders`.
   *
   * @example
   * const response = await context.network.call(`GET ${url}`, (signal) => fetch(url, { signal }));
   */
  call<T>(
    description: string,
    operation: (signal: AbortSignal) => Promise<T>,
    options?: NetworkCallOptions,
  ): Promise<T>;
}
