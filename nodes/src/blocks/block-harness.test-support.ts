import { join } from 'node:path';
import type { z } from 'zod';
import type {
  BlockContext,
  BlockDefinition,
  OutputPort,
  PortItem,
  WarningDetails,
} from '../contract/block.js';
import { emptyCredentialStore } from '../contract/credentials.js';
import { missingLedger } from '../contract/ledger.js';
import { silentLogger } from '../contract/logger.js';
import { createExpressionEngine } from '../expressions/engine.js';
import { Channel } from '../streams/channel.js';

// TODO: replace this hand-made context with the runtime's executor once it offers a test
// harness. Until then the flow tests under test/ run blocks in the real executor.

/** A warning a block reported through its context. */
export type CapturedWarning = { code: string; message: string; details?: WarningDetails };

/** An output port that keeps everything sent to it. */
export class CollectingPort implements OutputPort<PortItem> {
  readonly items: PortItem[] = [];
  readonly isWired = true;
  /** The columns last announced on this port. */
  columns: readonly string[] | undefined;

  async send(batch: readonly PortItem[]): Promise<void> {
    this.items.push(...batch);
  }

  announceColumns(columns: readonly string[]): void {
    this.columns = [...columns];
  }
}

/**
 * Builds a BlockContext by hand for a block under test: its data folder and temporary area are
 * `folder`, warnings go to `warnings`, and network calls, credentials and the processed-file
 * ledger fail, because the file blocks tested this way use none of them.
 */
export function createTestContext<P>(options: {
  params: P;
  folder: string;
  inputs: BlockContext<P>['inputs'];
  outputs: BlockContext<P>['outputs'];
  warnings: CapturedWarning[];
  signal?: AbortSignal;
  /** Columns announced to each input port by name. */
  inputColumns?: Readonly<Record<string, readonly string[]>>;
}): BlockContext<P> {
  const { folder, warnings } = options;
  let tempFiles = 0;
  const runStartedAt = new Date('2026-01-01T00:00:00Z');
  return {
    params: options.params,
    inputs: options.inputs,
    outputs: options.outputs,
    inputColumns: (port) => options.inputColumns?.[port],
    signal: options.signal ?? new AbortController().signal,
    logger: silentLogger,
    warn: (code, message, details) => warnings.push({ code, message, details }),
    reportItemError: async (error) => {
      throw error;
    },
    reportArtifact: () => {},
    expressions: createExpressionEngine({ variables: {}, runStartedAt, onWarning: () => {} }),
    files: { root: folder, resolve: async (path) => join(folder, path) },
    temp: { newPath: (suffix = '') => join(folder, `spool-${++tempFiles}${suffix}`) },
    network: {
      call: async () => {
        throw new Error('the test context makes no network calls');
      },
    },
    transaction: { onCommit: () => {}, onRollback: () => {} },
    credentials: emptyCredentialStore,
    ledger: missingLedger,
    variables: {},
    runStartedAt,
    runId: 'test-run',
    flowId: 'test-flow',
  };
}

/**
 * Runs a block with one input port fed from `batches` and collecting output ports, in a
 * context whose data folder and temporary area are `folder`. Resolves with what each output
 * port received, the columns announced on each, and the warnings, once the block's run has
 * ended; rejects with its error.
 */
export async function runBlock<S extends z.ZodObject>(
  block: BlockDefinition<S>,
  options: {
    parameters: z.input<S>;
    folder: string;
    input: string;
    batches: readonly (readonly PortItem[])[];
    outputs: readonly string[];
  },
) {
  const input = new Channel<PortItem>();
  const outputs = Object.fromEntries(options.outputs.map((name) => [name, new CollectingPort()]));
  const warnings: CapturedWarning[] = [];
  const context = createTestContext<z.infer<S>>({
    params: block.parameters.parse(options.parameters),
    folder: options.folder,
    inputs: { [options.input]: input },
    outputs,
    warnings,
  });

  const running = block.run(context);
  const sending = (async () => {
    for (const batch of options.batches) await input.send(batch);
    input.end();
  })();
  await Promise.all([running, sending]);
  const items = Object.fromEntries(
    Object.entries(outputs).map(([name, port]) => [name, port.items]),
  );
  const columns = Object.fromEntries(
    Object.entries(outputs).map(([name, port]) => [name, port.columns]),
  );
  return { outputs: items, columns, warnings };
}
