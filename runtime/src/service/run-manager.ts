import { randomUUID } from 'node:crypto';
import { toKuryrError, type DataFolder, type Logger, type ProcessedFileLedger } from '@kuryr/nodes';
import type { BlockCatalog } from '../catalog.js';
import { runFlow } from '../executor/executor.js';
import type { RunEvent } from '../executor/run-events.js';
import { reportError, type RunReport } from '../executor/run-report.js';
import { InvalidFlowError } from '../flow/flow-problem.js';
import type { Flow } from '../flow/flow-schema.js';
import { validateFlow } from '../flow/validate-flow.js';
import { resolveVariables } from '../flow/variables.js';
import type { VaultCredentials } from '../storage/credential-store.js';
import type { FlowStore } from '../storage/flow-store.js';
import type { RetentionPolicy, RunHistory } from '../storage/run-history.js';
import type { VariableStore } from '../storage/variable-store.js';
import { createCredentialAccess } from '../executor/credentials.js';
import { HttpError } from './http-error.js';
import { LiveRun, type LiveRunState } from './live-run.js';

/** Request to start a run; triggers call `startRun` with it. */
export type StartRunRequest = {
  /** Origin of the run: `manual`, `api`, or a trigger's name such as `schedule`. */
  trigger?: string;
  /** Values for declared variables; they override stored per-flow and global values. */
  variables?: Record<string, string>;
  /** Cancels the run after this many milliseconds. */
  maxRunTimeMs?: number;
};

/** Starts a run of a stored flow and returns its id once the run is recorded. */
export type StartFlowRun = (flowId: string, request?: StartRunRequest) => Promise<string>;

export type RunManagerOptions = {
  flows: FlowStore;
  history: RunHistory;
  variables: VariableStore;
  credentials: VaultCredentials;
  /** Remembers the remote files that committed runs consumed, across runs and restarts. */
  ledger: ProcessedFileLedger;
  catalog: BlockCatalog;
  dataFolder: DataFolder;
  tempParent: string;
  logger: Logger;
  retention: RetentionPolicy;
  /** Receives every event of every run, after the live state took it in. */
  onEvent(event: RunEvent, run: LiveRun): void;
  /** How often the last known state of running runs is stored; default 1000 ms. */
  persistIntervalMs?: number;
};

type ActiveRun = {
  live: LiveRun;
  controller: AbortController;
  done: Promise<void>;
};

/** Runs stored flows in this process, records them in the history and tracks the running ones. */
export class RunManager {
  private readonly active = new Map<string, ActiveRun>();
  private readonly persistTimer: NodeJS.Timeout;
  private accepting = true;

  constructor(private readonly options: RunManagerOptions) {
    this.persistTimer = setInterval(
      () => void this.persistRunning(),
      options.persistIntervalMs ?? 1000,
    );
    this.persistTimer.unref();
  }

  /**
   * Starts a run of the stored flow `flowId`. Resolves with the run id once the run is recorded
   * and started; the run goes on in the background. Rejects with an HttpError for an unknown
   * flow, an invalid flow or missing variables.
   */
  readonly startRun: StartFlowRun = async (flowId, request = {}) => {
    if (!this.accepting) throw new HttpError(503, 'SERVICE_STOPPING', 'the service is stopping');
    const flow = await this.options.flows.read(flowId);
    if (flow === undefined) throw HttpError.notFound('flow', flowId);
    const problems = validateFlow(flow, this.options.catalog, { checkExpressionSyntax: false });
    if (problems.length > 0) throw new InvalidFlowError(`"${flow.id}"`, problems);
    const stored = await this.options.variables.forRun(flow.id, Object.keys(flow.variables));
    const variables = resolveVariables(flow, { ...stored, ...request.variables });

    const runId = randomUUID();
    const trigger = request.trigger ?? 'manual';
    const startedAt = new Date().toISOString();
    const live = new LiveRun(runId, flow, trigger, startedAt);
    await this.options.history.insert({
      id: runId,
      flowId: flow.id,
      flowName: flow.name,
      trigger,
      status: 'running',
      startedAt,
      blocks: live.reports(),
      artifacts: [],
      variables,
    });
    const controller = new AbortController();
    const active: ActiveRun = { live, controller, done: Promise.resolve() };
    this.active.set(runId, active);
    active.done = this.execute(flow, variables, active, request.maxRunTimeMs);
    return runId;
  };

  /** Cancels a running run; returns false when no run with that id is running here. */
  cancel(runId: string, reason = 'cancelled by request'): boolean {
    const run = this.active.get(runId);
    if (run === undefined) return false;
    run.controller.abort(reason);
    return true;
  }

  /** Returns the current state of every running run. */
  runningStates(): LiveRunState[] {
    return [...this.active.values()].map((run) => run.live.state());
  }

  /** Counts the runs of `flowId` (or all) running now, e.g. for the triggers' overlap policies. */
  runningCount(flowId?: string): number {
    return [...this.active.values()].filter(
      (run) => flowId === undefined || run.live.flow.id === flowId,
    ).length;
  }

  /** Resolves when the run is no longer running here. */
  async waitFor(runId: string): Promise<void> {
    await this.active.get(runId)?.done;
  }

  /**
   * Stops accepting runs and lets running ones finish for up to `graceMs`, then cancels the
   * rest and waits until they have rolled back.
   */
  async stop(graceMs: number): Promise<void> {
    this.accepting = false;
    const all = () => Promise.all([...this.active.values()].map((run) => run.done));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace over'>((resolve) => {
      timer = setTimeout(() => resolve('grace over'), graceMs);
    });
    const outcome = await Promise.race([all(), graceOver]);
    clearTimeout(timer);
    if (outcome === 'grace over') {
      for (const [runId, run] of this.active) {
        this.options.logger.warn('run cancelled at shutdown', { runId, flowId: run.live.flow.id });
        run.controller.abort('the service is stopping');
      }
      await all();
    }
    clearInterval(this.persistTimer);
  }

  private async execute(
    flow: Flow,
    variables: Record<string, string>,
    active: ActiveRun,
    maxRunTimeMs: number | undefined,
  ): Promise<void> {
    const { live, controller } = active;
    const logger = this.options.logger.child({ trigger: live.trigger });
    const timeout =
      maxRunTimeMs === undefined
        ? undefined
        : setTimeout(
            () => controller.abort(`the run exceeded its maximum time of ${maxRunTimeMs} ms`),
            maxRunTimeMs,
          );
    let report: RunReport;
    try {
      report = await runFlow({
        flow,
        catalog: this.options.catalog,
        variables,
        dataFolder: this.options.dataFolder,
        tempParent: this.options.tempParent,
        logger,
        runId: live.runId,
        signal: controller.signal,
        credentials: createCredentialAccess(flow, (name) => this.options.credentials.values(name)),
        ledger: this.options.ledger,
        onEvent: (event) => {
          live.apply(event);
          this.options.onEvent(event, live);
        },
      });
    } catch (error) {
      report = this.failedReport(live, error);
      logger.error('run could not start', {
        runId: live.runId,
        flowId: flow.id,
        error: report.error?.message,
      });
      this.options.onEvent(
        {
          type: 'run.finished',
          runId: live.runId,
          status: 'failed',
          durationMs: report.durationMs,
          error: report.error!,
        },
        live,
      );
    } finally {
      clearTimeout(timeout);
    }
    try {
      await this.options.history.finish(report);
      const pruned = await this.options.history.prune(this.options.retention, new Date(), flow.id);
      if (pruned > 0) logger.info('run history pruned', { flowId: flow.id, deleted: pruned });
    } catch (error) {
      logger.error('run history could not be stored', {
        runId: live.runId,
        error: toKuryrError(error).message,
      });
    } finally {
      this.active.delete(live.runId);
    }
  }

  private failedReport(live: LiveRun, error: unknown): RunReport {
    const failure = toKuryrError(error);
    const finishedAt = new Date();
    return {
      runId: live.runId,
      flowId: live.flow.id,
      flowName: live.flow.name,
      status: 'failed',
      startedAt: live.startedAt,
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - Date.parse(live.startedAt),
      error: reportError(failure),
      blocks: live.reports(),
      artifacts: [],
    };
  }

  private async persistRunning(): Promise<void> {
    for (const run of this.active.values()) {
      if (!run.live.dirty) continue;
      run.live.dirty = false;
      try {
        await this.options.history.updateBlocks(run.live.runId, run.live.reports());
      } catch (error) {
        this.options.logger.error('run state could not be stored', {
          runId: run.live.runId,
          error: toKuryrError(error).message,
        });
      }
    }
  }
}
