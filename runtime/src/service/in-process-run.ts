import { toKuryrError, type DataFolder, type Logger, type ProcessedFileLedger } from '@kuryr/nodes';
import type { BlockCatalog } from '../catalog.js';
import { createCredentialAccess } from '../executor/credentials.js';
import { runFlow } from '../executor/executor.js';
import type { RunEvent } from '../executor/run-events.js';
import { reportError } from '../executor/run-report.js';
import type { Flow } from '../flow/flow-schema.js';
import { resolveRunPolicy } from '../flow/trigger-schema.js';
import { runTimedOutError } from '../executor/run-time-limit.js';
import type { Clock } from '../triggers/clock.js';
import type { FlowRun, WorkerRunResult } from './worker-run.js';

export type InProcessRunOptions = {
  catalog: BlockCatalog;
  runId: string;
  flow: Flow;
  variables: Record<string, string>;
  credentials: Record<string, Record<string, string>>;
  sampleSize: number;
  dataFolder: DataFolder;
  tempParent: string;
  ledger: ProcessedFileLedger;
  logger: Logger;
  clock: Clock;
  onEvent(event: RunEvent): void;
};

/**
 * One run of a flow on the service's own thread. The service uses it only with a block catalog
 * passed in by its caller (tests pass blocks that share state with the test), because such a
 * catalog cannot be loaded in a worker thread. A block stuck in one synchronous call stops the
 * whole service here; see WorkerRun for the normal case.
 */
export class InProcessRun implements FlowRun {
  readonly result: Promise<WorkerRunResult>;
  private readonly controller = new AbortController();

  constructor(options: InProcessRunOptions) {
    const { flow } = options;
    // The maximum run time follows the service's clock, as in a worker run. Network retries wait
    // on the system clock, because runFlow's clock would also drive them.
    const { maxRunSeconds } = resolveRunPolicy(flow.runPolicy);
    const deadline =
      maxRunSeconds === undefined
        ? undefined
        : options.clock.setTimer(maxRunSeconds * 1000, () =>
            this.controller.abort(runTimedOutError(maxRunSeconds)),
          );
    this.result = runFlow({
      flow,
      catalog: options.catalog,
      variables: options.variables,
      dataFolder: options.dataFolder,
      tempParent: options.tempParent,
      logger: options.logger,
      runId: options.runId,
      signal: this.controller.signal,
      limitRunTime: false,
      credentials: createCredentialAccess(flow, async (name) => options.credentials[name]),
      ledger: options.ledger,
      sampleSize: options.sampleSize,
      onEvent: options.onEvent,
    })
      .then(
        (report): WorkerRunResult => ({ kind: 'done', report }),
        (error: unknown): WorkerRunResult => ({
          kind: 'start-failed',
          error: reportError(toKuryrError(error)),
        }),
      )
      .finally(() => deadline?.cancel());
  }

  cancel(reason: string): void {
    this.controller.abort(reason);
  }
}
