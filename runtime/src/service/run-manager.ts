import { randomUUID } from 'node:crypto';
import { EnvironmentError, toKuryrError, type DataFolder, type Logger } from '@kuryr/nodes';
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
import type { RunOutcome, StartRun, StartedRun, TriggerInfo } from '../triggers/start-run.js';
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
   * Receives every event of every run, after the live state took it in. run.finished comes after
   * the run's report is stored, and also ends a queued run that never started.
   */
  onEvent(event: RunEvent): void;
  /** Old-generation heap limit of each run worker in MB; default the heap limit of the process. */
  runHeapLimitMb?: number;
  /** Runs of all flows that execute at once; default DEFAULT_MAX_CONCURRENT_RUNS. */
  maxConcurrentRuns?: number;
  /** How often the last known state of running runs is stored; default 1000 ms. */
  persistIntervalMs?: number;
};

/** Items kept per output port in the run history, for the API's samples route. */
export const STORED_SAMPLES = 100;

/**
 * Default bound of the runs that execute at once, an estimate for a small server with 2 cores and a
 * few GB of memory. Each run has a worker thread of up to the run heap limit: a small CSV flow's
 * worker took about 30 MB (60 runs at once held about 1.9 GB), one that joins large tables far
 * more. A larger machine raises the bound with --max-concurrent-runs.
 */
export const DEFAULT_MAX_CONCURRENT_RUNS = 4;

/** Builds the error stored for a queued run that was cancelled before it started. */
export function queuedRunCancelledError(): EnvironmentError {
  return new EnvironmentError('RUN_ABORTED', 'the queued run was cancelled before it started', {
    hint: 'Start the run again if it is still needed.',
  });
}

/** Builds the error stored for a queued run that the stopping service dropped. */
export function queuedRunStoppedError(): EnvironmentError {
  return new EnvironmentError(
    'SERVICE_STOPPING',
    'the service stopped before the queued run started',
    { hint: 'Start the run again once the service runs.' },
  );
}

/** Status of a queued run that ends before it starts: cancelled, or failed when it could not start. */
function droppedStatus(error: ErrorReport): 'cancelled' | 'failed' {
  const cancelled = error.code === 'SERVICE_STOPPING' || error.code === 'RUN_ABORTED';
  return cancelled ? 'cancelled' : 'failed';
}

/** Builds the run history entry of a run with no block states yet. */
function historyEntry(
  runId: string,
  flow: Flow,
  trigger: TriggerInfo,
  variables: Record<string, string>,
  startedAt: string,
) {
  return {
    id: runId,
    flowId: flow.id,
    flowName: flow.name,
    trigger: trigger.type,
    ...(trigger.type === 'manual' ? {} : { triggerDetail: trigger }),
    startedAt,
    blocks: [],
    artifacts: [],
    variables,
  };
}

/** A run that waits for a free slot: `release` starts it, or ends it with the error. */
type WaitingRun = { runId: string; flowId: string; release(outcome: 'start' | ErrorReport): void };

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
  private readonly maxConcurrentRuns: number;
  /** Runs that have a slot: being recorded, running, or storing their report. */
  private slotsTaken = 0;
  /** Runs that wait for a slot, oldest first. */
  private readonly waiting: WaitingRun[] = [];

  constructor(private readonly options: RunManagerOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxConcurrentRuns = options.maxConcurrentRuns ?? DEFAULT_MAX_CONCURRENT_RUNS;
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
   * that run. When maxConcurrentRuns runs execute, the run is stored as queued and resolves with
   * `queued: true`; it starts when a slot frees, in request order.
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
    // Checked again after the awaits above, so that no run waits for a slot after stop() began.
    if (!this.accepting) throw new HttpError(503, 'SERVICE_STOPPING', 'the service is stopping');
    if (this.slotsTaken >= this.maxConcurrentRuns || this.waiting.length > 0) {
      return this.waitForSlot(runId, flow, trigger, variables);
    }
    this.slotsTaken++;
    try {
      return await this.begin(runId, control, flow, trigger, variables);
    } catch (error) {
      this.releaseSlot();
      throw error;
    }
  }

  /** Records a run that has a slot as running, and starts it. */
  private async begin(
    runId: string,
    control: RunControl,
    flow: Flow,
    trigger: TriggerInfo,
    variables: Record<string, string>,
  ): Promise<StartedRun> {
    const startedAt = new Date(this.clock.now()).toISOString();
    const live = new LiveRun(runId, flow, trigger.type, startedAt);
    await this.options.history.insert({
      ...historyEntry(runId, flow, trigger, variables, startedAt),
      status: 'running',
      blocks: live.reports(),
    });
    // execute() reaches this.active only after its first await, so setting it afterwards is safe.
    const done = this.execute(flow, variables, live, control);
    this.active.set(runId, { live, done, control });
    return { runId, finished: done };
  }

  /**
   * Stores the run as queued and starts it once a slot is free. A cancel or the service's stop
   * ends it as cancelled before it starts.
   */
  private async waitForSlot(
    runId: string,
    flow: Flow,
    trigger: TriggerInfo,
    variables: Record<string, string>,
  ): Promise<StartedRun> {
    // Queued before the history entry is stored, so that the order of the slots is the order of
    // the requests. history.insert turns the queued entry into the running one.
    const admitted = new Promise<'start' | ErrorReport>((release) =>
      this.waiting.push({ runId, flowId: flow.id, release }),
    );
    try {
      const queuedAt = new Date(this.clock.now()).toISOString();
      await this.options.history.insertQueued({
        ...historyEntry(runId, flow, trigger, variables, queuedAt),
        status: 'queued',
      });
    } catch (error) {
      // The caller gets the error, so the run must not start: leave the line, or pass on the
      // slot that the run got meanwhile.
      const index = this.waiting.findIndex((run) => run.runId === runId);
      if (index >= 0) this.waiting.splice(index, 1);
      else void admitted.then((outcome) => outcome === 'start' && this.releaseSlot());
      throw error;
    }
    this.options.logger.info('run queued until a run slot is free', {
      runId,
      flowId: flow.id,
      maxConcurrentRuns: this.maxConcurrentRuns,
    });
    const finished = admitted.then(async (outcome): Promise<RunOutcome> => {
      if (outcome !== 'start') return this.endWaiting(runId, outcome);
      // Kept in `starting` while it is recorded, so that a cancel meanwhile reaches it.
      const control: RunControl = {};
      this.starting.set(runId, control);
      try {
        return await (
          await this.begin(runId, control, flow, trigger, variables)
        ).finished;
      } catch (error) {
        this.releaseSlot();
        const failure = reportError(toKuryrError(error));
        this.options.logger.error('queued run could not start', {
          runId,
          flowId: flow.id,
          error: failure.message,
        });
        return this.endWaiting(runId, failure);
      } finally {
        this.starting.delete(runId);
      }
    });
    return { runId, finished, queued: true };
  }

  /** Ends a run that waited for a slot and will not start; resolves also when storing fails. */
  private async endWaiting(runId: string, error: ErrorReport): Promise<RunOutcome> {
    try {
      return await this.dropQueued(runId, error);
    } catch (failure) {
      this.options.logger.error('queued run could not be ended in the history', {
        runId,
        error: toKuryrError(failure).message,
      });
      return { runId, status: droppedStatus(error), error };
    }
  }

  /** Passes a freed slot to the oldest waiting run, or frees it. */
  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.slotsTaken--;
    else next.release('start');
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

  /**
   * Ends a queued run that will not start, with the reason in its error, and sends its
   * run.finished event.
   */
  async dropQueued(runId: string, error: ErrorReport): Promise<RunOutcome> {
    const status = droppedStatus(error);
    const at = new Date(this.clock.now()).toISOString();
    await this.options.history.dropQueued(runId, status, at, error);
    this.options.onEvent({ type: 'run.finished', runId, status, durationMs: 0, error });
    return { runId, status, error };
  }

  /**
   * Cancels a running or starting run, or one that waits for a slot; returns false when no run
   * with that id is here.
   */
  cancel(runId: string, reason = 'cancelled by request'): boolean {
    const index = this.waiting.findIndex((run) => run.runId === runId);
    if (index >= 0) {
      const [waiting] = this.waiting.splice(index, 1);
      waiting!.release(reportError(queuedRunCancelledError()));
      return true;
    }
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

  /**
   * Returns the ids of the runs of a flow that run here or wait for a slot, the waiting ones
   * first, so that cancelling them in order frees no slot for one of them.
   */
  runningIds(flowId: string): string[] {
    const waiting = this.waiting.filter((run) => run.flowId === flowId).map((run) => run.runId);
    const running = [...this.active.entries()]
      .filter(([, run]) => run.live.flow.id === flowId)
      .map(([runId]) => runId);
    return [...waiting, ...running];
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
    for (const waiting of this.waiting.splice(0)) {
      this.options.logger.warn('queued run cancelled at shutdown', { runId: waiting.runId });
      waiting.release(reportError(queuedRunStoppedError()));
    }
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
        else this.options.onEvent(event);
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
      this.releaseSlot();
    }
    const { runId, status, error, durationMs } = report;
    this.options.onEvent(
      finished ?? { type: 'run.finished', runId, status, durationMs, ...(error ? { error } : {}) },
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
