import { readdir, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import {
  EnvironmentError,
  processTag,
  toKuryrError,
  type KuryrError,
  type Logger,
} from '@kuryr/nodes';
import type { RunEvent } from '../executor/run-events.js';
import type { ErrorReport, RunReport } from '../executor/run-report.js';
import type { Flow } from '../flow/flow-schema.js';
import { resolveRunPolicy } from '../flow/trigger-schema.js';
import { tempAreaPath } from '../storage/temp-area.js';
import type { Clock, ClockTimer } from '../triggers/clock.js';
import type { FromRunWorker, RunWorkerData, ToRunWorker } from './run-worker-messages.js';

/** Time a run gets to stop after a cancel or its maximum run time before its worker is terminated. */
export const DEFAULT_STOP_GRACE_MS = 5000;

/** Idle run workers kept started for the next runs. */
const MAX_IDLE_WORKERS = 2;

/**
 * Default old-generation heap limit of a run worker in MB: the heap limit V8 chose for this
 * process. A worker without a limit of its own that fills the heap aborts the whole process,
 * while one with a limit is stopped alone (ERR_WORKER_OUT_OF_MEMORY).
 */
export function defaultRunHeapLimitMb(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20);
}

/**
 * Started run workers, so that a run does not wait for a new thread to load the blocks (an
 * estimated quarter of a second, as for the editor's expression worker). A worker that finished a run normally serves the next one; a terminated
 * or crashed one is dropped.
 */
export class RunWorkerPool {
  private readonly idle = new Set<Worker>();
  private closed = false;

  constructor(
    private readonly data: RunWorkerData,
    private readonly logger: Logger,
    /** Old-generation heap limit of each worker in MB. */
    readonly heapLimitMb: number,
  ) {
    this.release(this.spawn());
  }

  /**
   * Takes an idle worker, or starts one. The run manager's maxConcurrentRuns bounds the workers
   * taken at once.
   */
  take(): Worker {
    const [worker] = this.idle;
    if (worker === undefined) return this.spawn();
    this.idle.delete(worker);
    worker.ref();
    return worker;
  }

  /** Keeps a worker that finished its run for the next one, or ends it when enough are idle. */
  release(worker: Worker): void {
    if (this.closed || this.idle.size >= MAX_IDLE_WORKERS) {
      void worker.terminate();
      return;
    }
    // An idle worker must not keep the process alive.
    worker.unref();
    this.idle.add(worker);
  }

  /** Ends the idle workers; workers of running runs end with their runs. */
  async close(): Promise<void> {
    this.closed = true;
    const idle = [...this.idle];
    this.idle.clear();
    await Promise.all(idle.map((worker) => worker.terminate()));
  }

  private spawn(): Worker {
    // NOTE: Node.js (checked on 20.20) enforces the heap limit on a best-effort basis. Many
    // objects make it stop the worker alone. One array that grows past the limit in a single
    // allocation still aborts the whole process, and only a child process per run would contain it.
    const worker = new Worker(new URL('./run-worker.js', import.meta.url), {
      workerData: this.data,
      resourceLimits: { maxOldGenerationSizeMb: this.heapLimitMb },
    });
    worker.on('error', (error) => {
      this.logger.error('run worker failed', { error: toKuryrError(error).message });
    });
    worker.once('exit', () => this.idle.delete(worker));
    return worker;
  }
}

export type WorkerRunOptions = {
  pool: RunWorkerPool;
  runId: string;
  flow: Flow;
  variables: Record<string, string>;
  credentials: Record<string, Record<string, string>>;
  sampleSize: number;
  tempParent: string;
  logger: Logger;
  /** Clock of the maximum run time. */
  clock: Clock;
  stopGraceMs: number;
  onEvent(event: RunEvent): void;
};

/** A run of a flow that the run manager drives: its outcome, and a way to cancel it. */
export type FlowRun = {
  readonly result: Promise<WorkerRunResult>;
  cancel(reason: string): void;
};

/** Outcome of a run in a worker. */
export type WorkerRunResult =
  | { kind: 'done'; report: RunReport }
  | { kind: 'start-failed'; error: ErrorReport }
  /** The worker was terminated or stopped on its own; the run's files were cleaned up. */
  | { kind: 'terminated'; status: 'failed' | 'cancelled'; error: KuryrError };

/**
 * One run of a flow in a worker thread. The main thread keeps the maximum run time and cancel
 * working even when the worker's thread is stuck in one synchronous call. It requests the run to stop,
 * and terminates the worker when the run has not ended `stopGraceMs` later.
 */
export class WorkerRun implements FlowRun {
  readonly result: Promise<WorkerRunResult>;
  private readonly worker: Worker;
  private readonly writeTargets = new Set<string>();
  private deadline: ClockTimer | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  /** Reason of the stop request, for the error if the run must be terminated. */
  private stopRequest: { reason: string; maxRunSeconds?: number } | undefined;
  private settled = false;
  /** True when the worker was stopped because its heap reached the limit. */
  private outOfMemory = false;

  constructor(private readonly options: WorkerRunOptions) {
    const { pool, flow } = options;
    this.worker = pool.take();
    this.result = new Promise((resolve) => {
      const finish = (result: WorkerRunResult) => {
        if (this.settled) return;
        this.settled = true;
        this.deadline?.cancel();
        clearTimeout(this.graceTimer);
        this.worker.off('message', onMessage);
        this.worker.off('error', onError);
        this.worker.off('exit', onExit);
        resolve(result);
      };
      const onMessage = (message: FromRunWorker) => {
        switch (message.type) {
          case 'event':
            options.onEvent(message.event);
            return;
          case 'log':
            options.logger[message.level](message.message, message.fields);
            return;
          case 'write-target':
            this.writeTargets.add(message.path);
            return;
          case 'done':
            pool.release(this.worker);
            finish({ kind: 'done', report: message.report });
            return;
          case 'start-failed':
            pool.release(this.worker);
            finish({ kind: 'start-failed', error: message.error });
            return;
        }
      };
      const onError = (error: Error & { code?: string }) => {
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') this.outOfMemory = true;
      };
      const onExit = (code: number) => {
        this.worker.off('error', onError);
        void this.cleanUp().then(() => finish(this.terminatedResult(code)));
      };
      this.worker.on('message', onMessage);
      this.worker.on('error', onError);
      this.worker.once('exit', onExit);
    });

    const { maxRunSeconds } = resolveRunPolicy(flow.runPolicy);
    if (maxRunSeconds !== undefined) {
      this.deadline = options.clock.setTimer(maxRunSeconds * 1000, () =>
        this.stop({ reason: 'maximum run time', maxRunSeconds }),
      );
    }
    this.post({
      type: 'run',
      runId: options.runId,
      flow,
      variables: options.variables,
      credentials: options.credentials,
      sampleSize: options.sampleSize,
    });
  }

  /** Cancels the run; its worker is terminated if the run has not ended after the grace time. */
  cancel(reason: string): void {
    this.stop({ reason });
  }

  private stop(request: { reason: string; maxRunSeconds?: number }): void {
    if (this.settled || this.stopRequest !== undefined) return;
    this.stopRequest = request;
    this.post({ type: 'abort', ...request });
    this.graceTimer = setTimeout(() => {
      this.options.logger.warn('run did not stop in time; terminating its worker', {
        runId: this.options.runId,
        flowId: this.options.flow.id,
        graceMs: this.options.stopGraceMs,
        reason: request.reason,
      });
      void this.worker.terminate();
    }, this.options.stopGraceMs);
  }

  private post(message: ToRunWorker): void {
    this.worker.postMessage(message);
  }

  /** Builds the result of a worker that ended without reporting, after a terminate or a crash. */
  private terminatedResult(exitCode: number): WorkerRunResult {
    const request = this.stopRequest;
    const grace = this.options.stopGraceMs / 1000;
    const hint =
      'Check the expressions of Map and Filter for a regular expression with nested repetition, such as /(a+)+$/, which takes exponentially long on a long text, and for other endless work.';
    if (this.outOfMemory) {
      const limit = this.options.pool.heapLimitMb;
      return {
        kind: 'terminated',
        status: 'failed',
        error: new EnvironmentError(
          'RUN_OUT_OF_MEMORY',
          `the run ran out of memory: its worker thread reached the heap limit of ${limit} MB and was stopped`,
          {
            hint: 'Check the expressions for ranges and joins that build large arrays, such as [1..10000000], and for records that grow without bound; or start the service with a larger --run-heap-limit.',
          },
        ),
      };
    }
    if (request?.maxRunSeconds !== undefined) {
      const message = `the run did not stop within ${grace} s after it exceeded its maximum run time of ${request.maxRunSeconds} s and was terminated`;
      return {
        kind: 'terminated',
        status: 'failed',
        error: new EnvironmentError('RUN_TIMED_OUT', message, { hint }),
      };
    }
    if (request !== undefined) {
      const message = `the run did not stop within ${grace} s after it was cancelled (${request.reason}) and was terminated`;
      return {
        kind: 'terminated',
        status: 'cancelled',
        error: new EnvironmentError('RUN_ABORTED', message, { hint }),
      };
    }
    this.options.logger.error('run worker stopped unexpectedly', {
      runId: this.options.runId,
      flowId: this.options.flow.id,
      exitCode,
    });
    return {
      kind: 'terminated',
      status: 'failed',
      error: new EnvironmentError(
        'RUN_WORKER_STOPPED',
        `the run's worker thread stopped unexpectedly with exit code ${exitCode}`,
        {
          hint: 'The service log shows why; a run that needs more memory than is free can cause this.',
        },
      ),
    };
  }

  /**
   * Removes what the ended worker left: the run's temporary folder, and the staged files beside
   * every path it wrote to, so that no half-written file stays in the data folder.
   */
  private async cleanUp(): Promise<void> {
    const { logger, runId } = this.options;
    try {
      await rm(tempAreaPath(this.options.tempParent, runId), { recursive: true, force: true });
      for (const target of this.writeTargets) {
        const removed = await removeStagedFiles(target);
        if (removed.length > 0)
          logger.info('staged files of a terminated run removed', { runId, files: removed });
      }
    } catch (error) {
      logger.error('files of a terminated run could not be removed', {
        runId,
        error: toKuryrError(error).message,
      });
    }
  }
}

/**
 * Removes the staged files of this process beside `target` (hidden names
 * `.NAME.kuryr_HOST_PID_….tmp`, as Write File stages them); returns their paths.
 * NOTE: the names do not carry the run, so another run of this service that writes the same
 * target at the same moment loses its staged file too, and fails at its commit.
 */
async function removeStagedFiles(target: string): Promise<string[]> {
  const folder = dirname(target);
  const prefix = `.${basename(target)}.kuryr_${processTag()}_`;
  const names = await readdir(folder).catch(() => [] as string[]);
  const staged = names
    .filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'))
    .map((name) => join(folder, name));
  await Promise.all(staged.map((path) => unlink(path).catch(() => undefined)));
  return staged;
}
