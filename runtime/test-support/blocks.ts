import { z } from 'zod';
import {
  blockDefinitions,
  defineBlock,
  FlowAuthorError,
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

export const testCatalog = createCatalog([
  ...blockDefinitions,
  generateBlock as unknown as BlockDefinition,
  collectBlock as unknown as BlockDefinition,
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
