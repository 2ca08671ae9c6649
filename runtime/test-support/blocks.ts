import { z } from 'zod';
import {
  blockDefinitions,
  defineBlock,
  EnvironmentError,
  FlowAuthorError,
  networkParameters,
  type BlockDefinition,
  type DataRecord,
} from '@kuryr/nodes';
import { createCatalog } from '../src/catalog.js';
import type { Flow } from '../src/flow/flow-schema.js';

/** Emits `count` records `{ n }` in batches of `batchSize`; records what it sent. */
export const generateBlock = defineBlock({
  type: 'test.generate',
  version: 1,
  title: 'Generate',
  category: 'Test',
  icon: 'test',
  help: { summary: 'Emits numbered records.' },
  inputs: [],
  outputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  parameters: z.object({
    count: z.number().int().default(10),
    batchSize: z.number().int().default(5),
    prefix: z.string().default(''),
    failAfter: z.number().int().optional(),
  }),
  async run(context) {
    const { count, batchSize, prefix, failAfter } = context.params;
    for (let start = 0; start < count; start += batchSize) {
      if (failAfter !== undefined && start >= failAfter) {
        throw new FlowAuthorError('TEST_FAILURE', `generator failed after ${start} records`);
      }
      const batch: DataRecord[] = [];
      for (let n = start; n < Math.min(count, start + batchSize); n++)
        batch.push({ n, id: `${prefix}${n}` });
      await context.outputs.records!.send(batch);
    }
  },
});

/** Collected records of each `test.collect` block, by the block's `key` parameter. */
export const collected = new Map<string, DataRecord[]>();

/** Keeps every record it receives in `collected`; may read slowly to test backpressure. */
export const collectBlock = defineBlock({
  type: 'test.collect',
  version: 1,
  title: 'Collect',
  category: 'Test',
  icon: 'test',
  help: { summary: 'Keeps records for the test.' },
  inputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  outputs: [],
  parameters: z.object({ key: z.string(), delayMs: z.number().default(0) }),
  async run(context) {
    const into: DataRecord[] = [];
    collected.set(context.params.key, into);
    for await (const batch of context.inputs.records!) {
      if (context.params.delayMs > 0)
        await new Promise((resolve) => setTimeout(resolve, context.params.delayMs));
      into.push(...(batch as DataRecord[]));
    }
  },
});

/** Runs of `test.wait` that wait for the test, by the block's `key` parameter, oldest first. */
export const waiting = new Map<string, (() => void)[]>();

/** Lets the oldest waiting `test.wait` run of `key` go on; false when none waits. */
export function releaseWaiting(key: string): boolean {
  const release = waiting.get(key)?.shift();
  release?.();
  return release !== undefined;
}

/** Waits until the test releases it (or the run stops), then emits one record. */
export const waitBlock = defineBlock({
  type: 'test.wait',
  version: 1,
  title: 'Wait',
  category: 'Test',
  icon: 'test',
  help: { summary: 'Waits for the test to release it.' },
  inputs: [],
  outputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  parameters: z.object({ key: z.string() }),
  async run(context) {
    const { signal } = context;
    await new Promise<void>((resolve, reject) => {
      const queue = waiting.get(context.params.key) ?? [];
      waiting.set(context.params.key, queue);
      const release = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        queue.splice(queue.indexOf(release), 1);
        reject(signal.reason);
      };
      queue.push(release);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    await context.outputs.records!.send([{ released: context.params.key }]);
  },
});

/**
 * Fetches a URL through `context.network.call`, as a network block would: a refused connection
 * and HTTP 5xx or 429 are retryable, other HTTP errors are not. Emits `{ status, body }`.
 */
export const fetchBlock = defineBlock({
  type: 'test.fetch',
  version: 1,
  title: 'Fetch',
  category: 'Test',
  icon: 'test',
  help: { summary: 'Fetches a URL with retries.' },
  inputs: [],
  outputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  parameters: z.object({
    url: z.string(),
    timeout: z.enum(['call', 'idle']).default('call'),
    ...networkParameters.shape,
  }),
  async run(context) {
    const { url, timeout } = context.params;
    const record = await context.network.call(
      `GET ${url}`,
      async (signal) => {
        let response: Response;
        try {
          response = await fetch(url, { signal });
        } catch (error) {
          if (signal.aborted) throw error;
          throw new EnvironmentError('HTTP_UNREACHABLE', `GET ${url} failed: ${String(error)}`, {
            cause: error,
            retryable: true,
          });
        }
        const body = await response.text();
        if (response.ok) return { status: response.status, body };
        throw new EnvironmentError(
          `HTTP_${response.status}`,
          `GET ${url} answered ${response.status}`,
          { retryable: response.status >= 500 || response.status === 429 },
        );
      },
      { timeout },
    );
    await context.outputs.records!.send([record]);
  },
});

export const testCatalog = createCatalog([
  ...blockDefinitions,
  generateBlock as unknown as BlockDefinition,
  collectBlock as unknown as BlockDefinition,
  waitBlock as unknown as BlockDefinition,
  fetchBlock as unknown as BlockDefinition,
]);

type BlockSpec = [id: string, type: string, parameters?: Record<string, unknown>];

/** Builds a flow from `[id, type, parameters]` triples and `a.port>b.port` wire strings. */
export function buildFlow(
  blocks: BlockSpec[],
  wires: string[],
  variables: Flow['variables'] = {},
): Flow {
  return {
    schemaVersion: 1,
    id: 'test',
    name: 'Test',
    description: '',
    variables,
    credentials: [],
    blocks: blocks.map(([id, type, parameters = {}]) => ({
      id,
      type,
      version: 1,
      name: id,
      position: { x: 0, y: 0 },
      parameters,
    })),
    wires: wires.map((wire) => {
      const [from, to] = wire.split('>') as [string, string];
      const [fromBlock, fromPort] = from.split('.') as [string, string];
      const [toBlock, toPort] = to.split('.') as [string, string];
      return { from: { block: fromBlock, port: fromPort }, to: { block: toBlock, port: toPort } };
    }),
  };
}

/** Builds a flow `key` whose `test.wait` block waits until the test releases it. */
export function waitFlow(key: string, overlap: string) {
  return {
    ...buildFlow(
      [
        ['wait', 'test.wait', { key }],
        ['sink', 'test.collect', { key: `${key}-sink` }],
      ],
      ['wait.records>sink.records'],
    ),
    id: key,
    name: key,
    runPolicy: { overlap },
  };
}

/** Waits until `count` runs of the `test.wait` block with this key wait for the test. */
export async function waitForWaiting(key: string, count = 1): Promise<void> {
  while ((waiting.get(key)?.length ?? 0) < count) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
