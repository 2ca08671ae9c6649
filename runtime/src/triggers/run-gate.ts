import { silentLogger, toKuryrError, type Logger } from '@kuryr/nodes';
import type { RunPolicy } from '../flow/trigger-schema.js';
import type { StartRun, StartedRun } from './start-run.js';

type RunRequest = Parameters<StartRun>[0];

/** Result of a trigger firing: the started run, or the reason none started. */
export type FireResult =
  | ({ started: true } & StartedRun)
  | { started: false; reason: 'overlap' | 'queue-full' | 'closed' | 'cancelled' }
  /** `error` is what startRun rejected with, e.g. an unknown flow or a missing variable. */
  | { started: false; reason: 'start-failed'; error: unknown };

export type RunGateOptions = {
  startRun: StartRun;
  logger?: Logger;
  /** Runs of one flow that may wait in its queue; further ones are skipped. Default 100. */
  maxQueued?: number;
};

/** Outcome of a queued firing when it leaves the queue: its run may start, or it is dropped. */
type Release = 'start' | 'closed' | 'cancelled';

/** A queued firing, with the id its run will get when the request gave one. */
type QueuedFiring = { runId?: string; release(outcome: Release): void };

/** Runs going, and the queued firings in firing order. */
type FlowState = { running: number; queue: QueuedFiring[] };

/**
 * Applies a flow's overlap policy when a trigger fires while a run of the flow is going: `skip`
 * starts nothing, `queue` starts the run when the earlier ones have finished, in firing order, and
 * `parallel` starts it at once.
 */
export class RunGate {
  private readonly flows = new Map<string, FlowState>();
  private readonly active = new Set<Promise<unknown>>();
  private closed = false;
  private readonly logger: Logger;

  constructor(private readonly options: RunGateOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Starts the run now, later or never by `overlap`; resolves once the run has started or not. */
  fire(request: RunRequest, overlap: RunPolicy['overlap']): Promise<FireResult> {
    // Tracked from the start, so idle() also waits for runs that are still starting or queued.
    return this.track(this.admit(request, overlap));
  }

  private async admit(request: RunRequest, overlap: RunPolicy['overlap']): Promise<FireResult> {
    if (this.closed) return { started: false, reason: 'closed' };
    const state = this.stateOf(request.flowId);
    const busy = this.isBusy(request.flowId);
    const fields = { flowId: request.flowId, trigger: request.trigger.type };
    if (busy && overlap === 'skip') {
      this.logger.warn('trigger skipped, the flow is still running', fields);
      return { started: false, reason: 'overlap' };
    }
    if (busy && overlap === 'queue') {
      if (this.isQueueFull(request.flowId)) {
        this.logger.warn('trigger skipped, the run queue of the flow is full', fields);
        return { started: false, reason: 'queue-full' };
      }
      this.logger.info('run queued until the running one finishes', fields);
      const outcome = await new Promise<Release>((release) =>
        state.queue.push({
          ...(request.runId === undefined ? {} : { runId: request.runId }),
          release,
        }),
      );
      if (outcome !== 'start') return { started: false, reason: outcome };
      // finish() counted this run as running when it released it, so nothing starts in between.
      return this.start(request, state);
    }
    state.running++;
    return this.start(request, state);
  }

  /** True when a run of the flow is going or waits in its queue, so a firing now would overlap. */
  isBusy(flowId: string): boolean {
    const state = this.flows.get(flowId);
    return state !== undefined && (state.running > 0 || state.queue.length > 0);
  }

  /** True when the flow's queue has no room for another run. */
  isQueueFull(flowId: string): boolean {
    return (this.flows.get(flowId)?.queue.length ?? 0) >= (this.options.maxQueued ?? 100);
  }

  /** Number of runs of a flow that this gate started and that have not finished. */
  runningCount(flowId: string): number {
    return this.flows.get(flowId)?.running ?? 0;
  }

  /**
   * Removes the queued firing of the run `runId` from the flow's queue, so that its fire() resolves
   * with reason `cancelled`. Returns false when no firing with that run id waits in the queue.
   */
  cancelQueued(flowId: string, runId: string): boolean {
    const queue = this.flows.get(flowId)?.queue ?? [];
    const index = queue.findIndex((firing) => firing.runId === runId);
    if (index < 0) return false;
    const [firing] = queue.splice(index, 1);
    firing!.release('cancelled');
    return true;
  }

  /**
   * Removes every queued firing of the flow, so that their fire() calls resolve with reason
   * `cancelled`. Returns the run ids the firings carried, undefined for firings without one.
   */
  cancelAllQueued(flowId: string): (string | undefined)[] {
    const firings = this.flows.get(flowId)?.queue.splice(0) ?? [];
    for (const firing of firings) firing.release('cancelled');
    return firings.map((firing) => firing.runId);
  }

  /** Starts no more runs and drops queued ones; resolves when the started runs have finished. */
  async close(): Promise<void> {
    this.closed = true;
    for (const state of this.flows.values()) {
      for (const firing of state.queue.splice(0)) firing.release('closed');
    }
    await this.idle();
  }

  /** Resolves when no run started by this gate is going and no queued run waits. */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.all(this.active);
  }

  /** Starts a run that `state.running` already counts. */
  private async start(request: RunRequest, state: FlowState): Promise<FireResult> {
    let run: StartedRun;
    try {
      run = await this.options.startRun(request);
    } catch (error) {
      const failure = toKuryrError(error);
      this.logger.error('run could not start', {
        flowId: request.flowId,
        trigger: request.trigger.type,
        error: failure.message,
        code: failure.code,
      });
      this.finish(state);
      return { started: false, reason: 'start-failed', error };
    }
    void this.track(
      run.finished
        .catch((error: unknown) => {
          this.logger.error('run ended with an unexpected error', {
            flowId: request.flowId,
            runId: run.runId,
            error: toKuryrError(error).message,
          });
        })
        .finally(() => this.finish(state)),
    );
    return { started: true, ...run };
  }

  /** Keeps `task` in the set idle() waits for until it settles. */
  private track<T>(task: Promise<T>): Promise<T> {
    const tracked = task.finally(() => this.active.delete(tracked));
    this.active.add(tracked);
    return tracked;
  }

  private finish(state: FlowState): void {
    state.running--;
    if (state.running > 0) return;
    const next = state.queue.shift();
    if (next === undefined) return;
    state.running++;
    next.release('start');
  }

  private stateOf(flowId: string): FlowState {
    let state = this.flows.get(flowId);
    if (state === undefined) {
      state = { running: 0, queue: [] };
      this.flows.set(flowId, state);
    }
    return state;
  }
}
