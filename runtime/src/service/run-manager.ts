import { randomUUID } from 'node:crypto';
import { toKuryrError, type DataFolder, type Logger } from '@kuryr/nodes';
import type { BlockCatalog } from '../catalog.js';
import type { RunEvent } from '../executor/run-events.js';
import {
  reportError,
  type BlockReport,
  type ErrorReport,
  type RunReport,
} from '../executor/run-report.js';
import { InvalidFlowError } from '../flow/flow-problem.js';
import type { Flow } from '../flow/flow-schema.js';
import { validateFlow } from '../flow/validate-flow.js';
import { resolveVariables } from '../flow/variables.js';
import type { VaultCredentials } from '../storage/credential-store.js';
import type { FlowStore } from '../storage/flow-store.js';
import type { RetentionPolicy, RunHistory } from '../storage/run-history.js';
import type { VariableStore } from '../storage/variable-store.js';
import { systemClock, type Clock } from '../triggers/clock.js';
import type { RunOutcome, StartRun, StartedRun } from '../triggers/start-run.js';
import { HttpError } from './http-error.js';
import { LiveRun, type LiveRunState } from './live-run.js';
import { InProcessRun } from './in-process-run.js';
import {
  DEFAULT_STOP_GRACE_MS,
  defaultRunHeapLimitMb,
  RunWorkerPool,
  WorkerRun,
  type FlowRun,
  type WorkerRunResult,
} from './worker-run.js';
import { openLazyLedger, type LazyLedger } from '../storage/lazy-ledger.js';

export type RunManagerOptions = {
  flows: FlowStore;
  history: RunHistory;
  variables: VariableStore;
  credentials: VaultCredentials;
  catalog: BlockCatalog;
  /**
   * True when `catalog` is the standard one, which run workers load themselves. Any other catalog
   * runs flows on the service's own thread (InProcessRun).
   */
  standardCatalog: boolean;
  /** State folder; run workers open its database for the processed-file ledger. */
  stateDir: string;
  dataFolder: DataFolder;
  tempParent: string;
  logger: Logger;
  retention: RetentionPolicy;
  /** Time of run starts and ends, history pruning and the maximum run time; default systemClock. */
  clock?: Clock;
  /**
   * Time a run gets to stop after a cancel or its maximum run time before its worker thread is
   * terminated; default 5000 ms.
   */
  stopGraceMs?: number;
  /**
   * Receives every event of every run, after the live state took it in; run.finished comes after
   * the run's report is stored.
   */
  onEvent(event: RunEvent, run: LiveRun): void;
  /** Old-generation heap limit of each run worker in MB; default the heap limit of the process. */
  runHeapLimitMb?: number;
  /** How often the last known state of running runs is stored; default 1000 ms. */
  persistIntervalMs?: number;
};

/** Items kept per output port in the run history, for the API's samples route. */
export const STORED_SAMPLES = 100;

/** The run once it is started, or a cancel that came before. */
type RunControl = { run?: FlowRun; cancelReason?: string };

type ActiveRun = { live: LiveRun; done: Promise<RunOutcome>; control: RunControl };

/**
 * Runs stored flows, each in a worker thread, records them in the history and tracks the running
 * ones.
 */
export class RunManager {
  private readonly active = new Map<string, ActiveRun>();
  /** Runs that startRun is recording, by id, with a cancel that came meanwhile. */
  private readonly starting = new Map<string, RunControl>();
  private readonly persistTimer: NodeJS.Timeout;
  /** Workers for the runs of the standard catalog. */
  private readonly workers: RunWorkerPool | undefined;
  /** The processed-file ledger of runs on this thread. */
  private readonly ledger: LazyLedger | undefined;
  private readonly clock: Clock;
  private accepting = true;

  constructor(private readonly options: RunManagerOptions) {
    this.clock = options.clock ?? systemClock;
    if (options.standardCatalog) {
      const { stateDir, dataFolder, tempParent } = options;
      this.workers = new RunWorkerPool(
        { stateDir, dataDir: dataFolder.root, tempParent },
        options.logger,
        options.runHeapLimitMb ?? defaultRunHeapLimitMb(),
      );
    } else {
      this.ledger = openLazyLedger(options.stateDir);
    }
    this.persistTimer = setInterval(
      () => void this.persistRunning(),
      options.persistIntervalMs ?? 1000,
    );
    this.persistTimer.unref();
  }

  /**
   * Starts a run of a stored flow. Resolves once the run is recorded and started, with its id and
   * a promise of its outcome; the run goes on in the background. Rejects with an HttpError for an
   * unknown flow, an invalid flow or missing variables. The service starts every run through its
   * RunGate, so the flow's overlap policy applies. A request with the id of a queued run starts
   * that run.
   */
  readonly startRun: StartRun = async (request) => {
    if (!this.accepting) throw new HttpError(503, 'SERVICE_STOPPING', 'the service is stopping');
    const runId = request.runId ?? randomUUID();
    // A cancel that comes while the run is being recorded (a queued run that its queue has just
    // released) is kept in `control` and applied once the run has started.
    const control: RunControl = {};
    this.starting.set(runId, control);
    try {
      return await this.record(runId, control, request);
    } finally {
      this.starting.delete(runId);
    }
  };

  private async record(
    runId: string,
    control: RunControl,
    { flowId, trigger, variables: given }: Parameters<StartRun>[0],
  ): Promise<StartedRun> {
    const flow = await this.options.flows.read(flowId);
    if (flow === undefined) throw HttpError.notFound('flow', flowId);
    const problems = validateFlow(flow, this.options.catalog, { checkExpressionSyntax: false });
    if (problems.length > 0) throw new InvalidFlowError(`"${flow.id}"`, problems);
    const stored = await this.options.variables.forRun(flow.id, Object.keys(flow.variables));
    const variables = resolveVariables(flow, { ...stored, ...given });

    const startedAt = new Date(this.clock.now()).toISOString();
    const live = new LiveRun(runId, flow, trigger.type, startedAt);
    await this.options.history.insert({
      id: runId,
      flowId: flow.id,
      flowName: flow.name,
      trigger: trigger.type,
      ...(trigger.type === 'manual' ? {} : { triggerDetail: trigger }),
      status: 'running',
      startedAt,
      blocks: live.reports(),
      artifacts: [],
      variables,
    });
    // execute() reaches this.active only after its first await, so setting it afterwards is safe.
    const done = this.execute(flow, variables, live, control);
    this.active.set(runId, { live, done, control });
    return { runId, finished: done };
  }

  /**
   * Records a run that waits in the flow's queue, so that it has an id and shows in the history
   * at once. startRun with that id starts it later.
   */
  async recordQueued(flow: Flow, runId: string, variables: Record<string, string>) {
    await this.options.history.insertQueued({
      id: runId,
      flowId: flow.id,
      flowName: flow.name,
      trigger: 'manual',
      status: 'queued',
      startedAt: new Date(this.clock.now()).toISOString(),
      blocks: [],
      artifacts: [],
      variables,
    });
  }

  /** Ends a queued run that will not start, with the reason in its error. */
  async dropQueued(runId: string, error: ErrorReport): Promise<void> {
    const cancelled = error.code === 'SERVICE_STOPPING' || error.code === 'RUN_ABORTED';
    const status = cancelled ? 'cancelled' : 'failed';
    const at = new Date(this.clock.now()).toISOString();
    await this.options.history.dropQueued(runId, status, at, error);
  }

  /** Cancels a running or starting run; returns false when no run with that id is either here. */
  cancel(runId: string, reason = 'cancelled by request'): boolean {
    const control = this.active.get(runId)?.control ?? this.starting.get(runId);
    if (control === undefined) return false;
    if (control.run === undefined) control.cancelReason ??= reason;
    else control.run.cancel(reason);
    return true;
  }

  /** Returns the current state of every running run. */
  runningStates(): LiveRunState[] {
    return [...this.active.values()].map((run) => run.live.state());
  }

  /** Returns the block states of a run while it runs here, with its latest samples. */
  liveBlocks(runId: string): BlockReport[] | undefined {
    return this.active.get(runId)?.live.reports();
  }

  /** Returns the ids of the runs of a flow that are running here. */
  runningIds(flowId: string): string[] {
    return [...this.active.entries()]
      .filter(([, run]) => run.live.flow.id === flowId)
      .map(([runId]) => runId);
  }

  /** Counts the runs of `flowId` (or all) running now, as the flow list and health show them. */
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
   * rest and waits until they have rolled back or their workers were terminated.
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
        this.cancel(runId, 'the service is stopping');
      }
      await all();
    }
    clearInterval(this.persistTimer);
    await this.workers?.close();
    await this.ledger?.close();
  }

  private async execute(
    flow: Flow,
    variables: Record<string, string>,
    live: LiveRun,
    control: RunControl,
  ): Promise<RunOutcome> {
    const logger = this.options.logger.child({ trigger: live.trigger });
    // run.finished goes out only after the report is stored, so a client that reads the run on
    // that event gets the final report.
    let finished: RunEvent | undefined;
    let report: RunReport;
    try {
      const credentials = await this.openCredentials(flow);
      const onEvent = (event: RunEvent) => {
        live.apply(event);
        if (event.type === 'run.finished') finished = event;
        else this.options.onEvent(event, live);
      };
      const common = {
        runId: live.runId,
        flow,
        variables,
        credentials,
        sampleSize: STORED_SAMPLES,
        tempParent: this.options.tempParent,
        logger,
        clock: this.clock,
        onEvent,
      };
      const run: FlowRun =
        this.workers === undefined
          ? new InProcessRun({
              ...common,
              catalog: this.options.catalog,
              dataFolder: this.options.dataFolder,
              ledger: this.ledger!,
            })
          : new WorkerRun({
              ...common,
              pool: this.workers,
              stopGraceMs: this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
            });
      control.run = run;
      if (control.cancelReason !== undefined) run.cancel(control.cancelReason);
      report = this.reportOf(live, await run.result, logger);
    } catch (error) {
      report = this.failedReport(live, reportError(toKuryrError(error)));
      logger.error('run could not start', {
        runId: live.runId,
        flowId: flow.id,
        error: report.error?.message,
      });
    }
    try {
      await this.options.history.finish(report);
      const pruned = await this.options.history.prune(
        this.options.retention,
        new Date(this.clock.now()),
        flow.id,
      );
      if (pruned > 0) logger.info('run history pruned', { flowId: flow.id, deleted: pruned });
    } catch (error) {
      logger.error('run history could not be stored', {
        runId: live.runId,
        error: toKuryrError(error).message,
      });
    } finally {
      this.active.delete(live.runId);
    }
    const { runId, status, error, durationMs } = report;
    this.options.onEvent(
      finished ?? { type: 'run.finished', runId, status, durationMs, ...(error ? { error } : {}) },
      live,
    );
    return { runId, status, ...(error === undefined ? {} : { error }) };
  }

  /** Turns how the worker ended into the run's report, timed by the service's clock. */
  private reportOf(live: LiveRun, result: WorkerRunResult, logger: Logger): RunReport {
    if (result.kind === 'start-failed') {
      logger.error('run could not start', {
        runId: live.runId,
        flowId: live.flow.id,
        error: result.error.message,
      });
      return this.failedReport(live, result.error);
    }
    if (result.kind === 'terminated') {
      const { error, status } = result;
      logger.error('run terminated', {
        runId: live.runId,
        flowId: live.flow.id,
        status,
        code: error.code,
        error: error.message,
      });
      return { ...this.failedReport(live, reportError(error)), status };
    }
    return { ...result.report, ...this.times(live) };
  }

  /** Decrypts the credentials the flow lists, and no others, for its run's worker. */
  private async openCredentials(flow: Flow): Promise<Record<string, Record<string, string>>> {
    const opened: Record<string, Record<string, string>> = {};
    for (const name of flow.credentials) {
      const values = await this.options.credentials.values(name);
      if (values !== undefined) opened[name] = values;
    }
    return opened;
  }

  private times(live: LiveRun): Pick<RunReport, 'startedAt' | 'finishedAt' | 'durationMs'> {
    const finishedAt = this.clock.now();
    return {
      startedAt: live.startedAt,
      finishedAt: new Date(finishedAt).toISOString(),
      durationMs: finishedAt - Date.parse(live.startedAt),
    };
  }

  /** Builds the report of a run that failed or was terminated outside runFlow's own report. */
  private failedReport(live: LiveRun, error: ErrorReport): RunReport {
    return {
      runId: live.runId,
      flowId: live.flow.id,
      flowName: live.flow.name,
      status: 'failed',
      ...this.times(live),
      error,
      blocks: live
        .reports()
        .map((block) =>
          block.status === 'running' || block.status === 'pending'
            ? { ...block, status: 'cancelled' }
            : block,
        ),
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
