import { randomUUID } from 'node:crypto';
import {
  AbortedError,
  Channel,
  ERROR_PORT,
  createExpressionEngine,
  emptyCredentialStore,
  missingLedger,
  silentLogger,
  KuryrError,
  toKuryrError,
  type BlockContext,
  type BlockDefinition,
  type CredentialStore,
  type DataFolder,
  type ExpressionLimits,
  type Logger,
  type PortItem,
  type ProcessedFileLedger,
  type RunTransaction,
  type WarningDetails,
} from '@kuryr/nodes';
import type { BlockCatalog } from '../catalog.js';
import type { Flow, FlowBlock } from '../flow/flow-schema.js';
import { InvalidFlowError } from '../flow/flow-problem.js';
import { errorPortSpec, validateFlow } from '../flow/validate-flow.js';
import { createRunDataFolder } from '../storage/run-data-folder.js';
import { createTempArea } from '../storage/temp-area.js';
import { systemClock, type Clock } from '../triggers/clock.js';
import { BlockTracker } from './block-tracker.js';
import { resolveParameters, withBlockContext } from './parameters.js';
import { createNetworkCalls } from './network-calls.js';
import { announcedColumns, createInputStream, createOutputPort } from './ports.js';
import { limitRunTime } from './run-time-limit.js';
import type { OnRunEvent } from './run-events.js';
import { reportError, type RunReport, type RunStatus } from './run-report.js';
import { Transaction } from './transaction.js';

export type RunFlowOptions = {
  flow: Flow;
  catalog: BlockCatalog;
  /** Values of all declared variables, e.g. from resolveVariables. */
  variables: Readonly<Record<string, string>>;
  dataFolder: DataFolder;
  /** Folder under which the run's temporary area is created and removed again. */
  tempParent: string;
  logger?: Logger;
  onEvent?: OnRunEvent;
  /**
   * Cancels the run; blocks stop and nothing is committed. A KuryrError as the abort reason, such
   * as RUN_TIMED_OUT, fails the run with that error; any other reason cancels it.
   */
  signal?: AbortSignal;
  runId?: string;
  /** Items kept per output port in the report; default 20. */
  sampleSize?: number;
  /** Minimum time between progress events of one block; default 100 ms. */
  progressIntervalMs?: number;
  /** Batches a wire queues before its producer waits; default 2. */
  wireCapacity?: number;
  expressionLimits?: Partial<ExpressionLimits>;
  /**
   * Clock of the maximum run time and of the waits between network retries; default the
   * system clock. Tests pass a ManualClock.
   */
  clock?: Clock;
  /**
   * Whether runFlow arms the flow's maximum run time itself; default true. The service passes
   * false because its main thread enforces the limit, which also works when the run's thread is
   * stuck.
   */
  limitRunTime?: boolean;
  /** Source of the retry jitter in [0, 1); default Math.random. */
  random?: () => number;
  /** Credentials the flow's blocks may resolve; default: none. */
  credentials?: CredentialStore;
  /** Processed-file ledger for download blocks; default: none, and using it fails. */
  ledger?: ProcessedFileLedger;
};

type RunState = {
  controller: AbortController;
  channels: Channel<PortItem>[];
  failure: KuryrError | undefined;
  routedErrors: number;
};

/**
 * Runs a flow to completion: every block at once, connected by bounded wires, so records stream
 * through in constant memory. A block's failure goes to its error port when that is wired, and the
 * run then ends `completed_with_errors`. An unrouted failure aborts the run, and nothing is
 * committed.
 * Throws InvalidFlowError before running anything when the flow is invalid.
 */
export async function runFlow(options: RunFlowOptions): Promise<RunReport> {
  const { flow, catalog } = options;
  const problems = validateFlow(flow, catalog, { checkExpressionSyntax: false });
  if (problems.length > 0) throw new InvalidFlowError(`"${flow.id}"`, problems);

  const runId = options.runId ?? randomUUID();
  const startedAt = new Date();
  const onEvent: OnRunEvent = options.onEvent ?? (() => {});
  const logger = (options.logger ?? silentLogger).child({ runId, flowId: flow.id });
  const state: RunState = {
    controller: new AbortController(),
    channels: flow.wires.map(() => new Channel<PortItem>(options.wireCapacity ?? 2)),
    failure: undefined,
    routedErrors: 0,
  };
  const cancel = () => abortRun(state, abortError(options.signal?.reason));
  options.signal?.addEventListener('abort', cancel, { once: true });
  if (options.signal?.aborted) cancel();
  const deadline =
    options.limitRunTime === false
      ? undefined
      : limitRunTime(flow, options.clock ?? systemClock, (error) => abortRun(state, error));

  logger.info('run started', { flowName: flow.name });
  onEvent({ type: 'run.started', runId, flowId: flow.id, at: startedAt.toISOString() });
  const temp = await createTempArea(options.tempParent, runId);
  const dataFolder = createRunDataFolder(options.dataFolder);
  const transaction = new Transaction();
  const artifacts: string[] = [];
  const trackers = new Map<string, BlockTracker>();

  try {
    await Promise.all(
      flow.blocks.map((block) => {
        const tracker = new BlockTracker({
          runId,
          id: block.id,
          name: block.name || block.id,
          type: block.type,
          onEvent,
          sampleSize: options.sampleSize ?? 20,
          progressIntervalMs: options.progressIntervalMs ?? 100,
          warningExamples: 5,
        });
        trackers.set(block.id, tracker);
        const definition = catalog.get(block.type)!;
        const blockLogger = logger.child({ blockId: block.id, blockType: block.type });
        const context = {
          runId,
          startedAt,
          temp,
          dataFolder,
          transaction: scopeTransaction(transaction, block, tracker),
          artifacts,
          logger: blockLogger,
        };
        return runBlock(options, state, block, definition, tracker, context);
      }),
    );
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    deadline?.cancel();
  }

  let status = finalStatus(state, options.signal);
  if (status === 'succeeded' || status === 'completed_with_errors') {
    try {
      await transaction.commit({ status });
    } catch (error) {
      state.failure = toKuryrError(error);
      status = 'failed';
      artifacts.length = 0;
    }
  } else {
    await transaction.rollback();
  }
  await releaseClaims(options.ledger, runId, logger);
  await temp.remove();

  const finishedAt = new Date();
  const durationMs = finishedAt.getTime() - startedAt.getTime();
  const error = state.failure === undefined ? undefined : reportError(state.failure);
  logger.info('run finished', { status, durationMs, ...(error ? { error: error.message } : {}) });
  onEvent({ type: 'run.finished', runId, status, durationMs, ...(error ? { error } : {}) });
  return {
    runId,
    flowId: flow.id,
    flowName: flow.name,
    status,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs,
    ...(error ? { error } : {}),
    blocks: flow.blocks.map((block) => trackers.get(block.id)!.report()),
    artifacts,
  };
}

type RunParts = {
  runId: string;
  startedAt: Date;
  temp: BlockContext<unknown>['temp'];
  dataFolder: DataFolder;
  transaction: RunTransaction;
  artifacts: string[];
  logger: Logger;
};

async function runBlock(
  options: RunFlowOptions,
  state: RunState,
  block: FlowBlock,
  definition: BlockDefinition,
  tracker: BlockTracker,
  parts: RunParts,
): Promise<void> {
  const { flow } = options;
  const wiresInto = (port: string) =>
    state.channels.filter(
      (_, i) => flow.wires[i]!.to.block === block.id && flow.wires[i]!.to.port === port,
    );
  const wiresFrom = (port: string) =>
    state.channels.filter(
      (_, i) => flow.wires[i]!.from.block === block.id && flow.wires[i]!.from.port === port,
    );
  const outgoing = [...definition.outputs, errorPortSpec].flatMap((port) => wiresFrom(port.name));
  const incoming = definition.inputs.flatMap((port) => wiresInto(port.name));
  const outputs = Object.fromEntries(
    definition.outputs.map((port) => [
      port.name,
      createOutputPort(port, wiresFrom(port.name), tracker),
    ]),
  );
  const errorOutput = createOutputPort(errorPortSpec, wiresFrom(ERROR_PORT), tracker);

  const reportItemError = async (error: unknown, item?: PortItem, details?: WarningDetails) => {
    const failure = withBlockContext(toKuryrError(error), block).withContext({ ...details });
    if (item !== undefined && failure.item === undefined) failure.item = describeItem(item);
    if (!errorOutput.isWired) throw failure;
    tracker.countError(failure);
    state.routedErrors++;
    await errorOutput.send([errorRecord(failure, block, item)]);
  };

  tracker.start();
  parts.logger.debug('block started');
  try {
    const expressions = createExpressionEngine({
      variables: options.variables,
      runStartedAt: parts.startedAt,
      limits: options.expressionLimits,
      onWarning: (message, record) =>
        tracker.warn('EXPRESSION_WARNING', message, record === undefined ? undefined : { record }),
      onPlan: (plan) => {
        tracker.noteExpression(plan);
        if (plan.isCompiled)
          parts.logger.info('expression runs compiled', { parameter: plan.parameter });
        else {
          parts.logger.info('expression runs on the jsonata library', {
            parameter: plan.parameter,
            reason: plan.reason,
          });
        }
      },
    });
    const params = await resolveParameters(block, definition, expressions);
    const context: BlockContext<unknown> = {
      params,
      inputs: Object.fromEntries(
        definition.inputs.map((port) => [
          port.name,
          createInputStream(port, wiresInto(port.name), tracker),
        ]),
      ),
      outputs,
      inputColumns: (port) => announcedColumns(wiresInto(port)),
      signal: state.controller.signal,
      logger: parts.logger,
      warn: (code, message, details) => tracker.warn(code, message, details),
      reportItemError,
      reportArtifact: (path) => parts.artifacts.push(path),
      expressions,
      files: parts.dataFolder,
      temp: parts.temp,
      network: createNetworkCalls({
        params,
        signal: state.controller.signal,
        clock: options.clock ?? systemClock,
        random: options.random ?? Math.random,
        logger: parts.logger,
        warn: (code, message, details) => tracker.warn(code, message, details),
      }),
      transaction: parts.transaction,
      variables: options.variables,
      runStartedAt: parts.startedAt,
      runId: parts.runId,
      flowId: flow.id,
      credentials: options.credentials ?? emptyCredentialStore,
      ledger: options.ledger ?? missingLedger,
    };
    if (state.controller.signal.aborted) throw state.controller.signal.reason;
    await definition.run(context as never);
    for (const channel of outgoing) channel.end();
    tracker.succeed();
    parts.logger.debug('block finished', { ...tracker.counts });
  } catch (error) {
    await handleBlockFailure(
      state,
      block,
      tracker,
      toKuryrError(error),
      errorOutput,
      outgoing,
      parts.logger,
    );
  } finally {
    for (const channel of incoming) channel.cancel();
  }
}

async function handleBlockFailure(
  state: RunState,
  block: FlowBlock,
  tracker: BlockTracker,
  error: KuryrError,
  errorOutput: ReturnType<typeof createOutputPort>,
  outgoing: Channel<PortItem>[],
  logger: Logger,
): Promise<void> {
  if (state.controller.signal.aborted) {
    // The run already failed or was cancelled; this block only stopped because of that.
    tracker.fail(new AbortedError(), false);
    return;
  }
  const failure = withBlockContext(error, block);
  if (errorOutput.isWired) {
    state.routedErrors++;
    tracker.countError(failure);
    tracker.fail(failure, true);
    logger.warn('block failed, error routed', { error: failure.message, code: failure.code });
    try {
      await errorOutput.send([errorRecord(failure, block)]);
    } finally {
      for (const channel of outgoing) channel.end();
    }
    return;
  }
  tracker.fail(failure, false);
  logger.error('block failed', { error: failure.message, code: failure.code });
  abortRun(state, failure);
}

/**
 * Returns a KuryrError abort reason as it is, and describes any other as a cancellation. A string
 * reason, such as a signal name, is added to the message.
 */
function abortError(reason: unknown): KuryrError {
  if (reason instanceof KuryrError) return reason;
  const by = typeof reason === 'string' ? ` (${reason})` : '';
  return new AbortedError(`the run was cancelled${by}`);
}

/**
 * Gives a block its view of the run's transaction: a failing commit action names the block and
 * marks it failed, so the report shows which block could not finish its work.
 */
function scopeTransaction(
  transaction: Transaction,
  block: FlowBlock,
  tracker: BlockTracker,
): RunTransaction {
  return {
    onCommit(action, phase) {
      transaction.onCommit(async (outcome) => {
        try {
          await action(outcome);
        } catch (error) {
          const failure = withBlockContext(toKuryrError(error), block);
          tracker.fail(failure, false);
          throw failure;
        }
      }, phase);
    },
    onRollback: (action) => transaction.onRollback(action),
  };
}

/** Fails the run with `failure` unless it already failed, and stops every block. */
function abortRun(state: RunState, failure: KuryrError): void {
  if (state.controller.signal.aborted) return;
  state.failure = failure;
  let reason = failure;
  if (!(failure instanceof AbortedError)) {
    const block = failure.context.block;
    reason = new AbortedError(
      block === undefined
        ? `the run was aborted: ${failure.message}`
        : `the run was aborted because block "${block}" failed`,
    );
  }
  state.controller.abort(reason);
  for (const channel of state.channels) channel.fail(reason);
}

function finalStatus(state: RunState, signal: AbortSignal | undefined): RunStatus {
  if (state.failure instanceof AbortedError || (signal?.aborted && state.failure === undefined)) {
    return 'cancelled';
  }
  if (state.failure !== undefined) return 'failed';
  return state.routedErrors > 0 ? 'completed_with_errors' : 'succeeded';
}

/** Builds the record an error port carries: what failed, where, and the item it failed on. */
function errorRecord(
  error: KuryrError,
  block: FlowBlock,
  item?: PortItem,
): Record<string, unknown> {
  return {
    block: block.id,
    blockName: block.name,
    blockType: block.type,
    ...reportError(error),
    ...(item === undefined ? {} : { item: describeItem(item) }),
  };
}

/** Returns a record as it is, and a file item without its content. */
function describeItem(item: PortItem): unknown {
  if (!('content' in item && 'mediaType' in item)) return item;
  const { content: _content, ...description } = item as Record<string, unknown>;
  return description;
}

/**
 * Releases the files that download blocks claimed, once the run committed or rolled back, so
 * the ledger already holds what the run consumed. A failure only logs: the claims of a process
 * that ended are taken over by the next run.
 */
async function releaseClaims(
  ledger: ProcessedFileLedger | undefined,
  runId: string,
  logger: Logger,
): Promise<void> {
  if (ledger === undefined) return;
  try {
    await ledger.releaseClaims(runId);
  } catch (error) {
    logger.warn('releasing the claimed files failed', { error: (error as Error).message });
  }
}
