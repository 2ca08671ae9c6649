import { silentLogger, toKuryrError, type DataFolder, type Logger } from '@kuryr/nodes';
import type { Flow } from '../flow/flow-schema.js';
import { resolveRunPolicy, type Trigger } from '../flow/trigger-schema.js';
import { fileVariableOf } from '../flow/validate-triggers.js';
import type { Clock } from './clock.js';
import { FolderWatcher } from './folder-watcher.js';
import { RunGate } from './run-gate.js';
import { ScheduledTrigger } from './scheduled-trigger.js';
import type { StartRun, TriggerInfo } from './start-run.js';
import type { TriggerStore } from './trigger-store.js';

export type TriggerManagerOptions = {
  /** Starts a run; the service implements it with its run history and runFlow. */
  startRun: StartRun;
  store: TriggerStore;
  dataFolder: DataFolder;
  /** Default systemClock; tests pass a ManualClock. */
  clock: Clock;
  logger?: Logger;
  /** Time between two looks at a watched folder; default 2000 ms. */
  pollIntervalMs?: number;
  /** How late a schedule may fire and still count as on time; default 60 000 ms. */
  scheduleGraceMs?: number;
  /** Longest wait before a schedule looks at the clock again; default 60 000 ms. */
  scheduleWakeIntervalMs?: number;
};

type ActiveTrigger = { stop(): void; idle?(): Promise<void> };

/** Identifies a trigger of a flow across restarts: its type and settings. */
export function triggerKey(trigger: Trigger): string {
  if (trigger.type === 'schedule') return `schedule ${trigger.cron} ${trigger.timeZone}`;
  if (trigger.type === 'folder') return `folder ${trigger.path} ${trigger.pattern}`;
  return 'manual';
}

/**
 * Runs the triggers of the flows it is given: schedules and watched folders, with each flow's
 * overlap policy applied by one RunGate. A trigger that cannot start (an invalid cron expression,
 * say) is logged and left out; it never stops the other triggers.
 *
 * @example
 * const triggers = new TriggerManager({ startRun, store, dataFolder, clock: systemClock, logger });
 * await triggers.setFlow(flow); // again after every save; removeFlow(flow.id) after a delete
 * await triggers.gate.fire({ flowId, trigger: { type: 'manual' }, variables }, 'parallel');
 * await triggers.stop();
 */
export class TriggerManager {
  /** Applies overlap policies; the service may start manual runs through it too. */
  readonly gate: RunGate;
  private readonly active = new Map<string, ActiveTrigger[]>();
  private readonly logger: Logger;

  constructor(private readonly options: TriggerManagerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.gate = new RunGate({ startRun: options.startRun, logger: this.logger });
  }

  /** Starts the triggers of a flow, replacing those of an earlier version of it. */
  async setFlow(flow: Flow): Promise<void> {
    this.removeFlow(flow.id);
    const started: ActiveTrigger[] = [];
    this.active.set(flow.id, started);
    for (const trigger of flow.triggers ?? []) {
      try {
        const active = await this.startTrigger(flow, trigger);
        if (active !== undefined) started.push(active);
      } catch (error) {
        const failure = toKuryrError(error);
        this.logger.error('trigger could not start', {
          flowId: flow.id,
          trigger: triggerKey(trigger),
          error: failure.message,
          code: failure.code,
        });
      }
    }
  }

  /** Stops a flow's triggers; its runs that already started go on. */
  removeFlow(flowId: string): void {
    for (const trigger of this.active.get(flowId) ?? []) trigger.stop();
    this.active.delete(flowId);
  }

  /** Stops every trigger and waits for started runs and file archiving to finish. */
  async stop(): Promise<void> {
    const triggers = [...this.active.values()].flat();
    for (const flowId of [...this.active.keys()]) this.removeFlow(flowId);
    await this.gate.close();
    await Promise.all(triggers.map((trigger) => trigger.idle?.()));
  }

  /** Resolves when no run started by a trigger is going and no file waits to be archived. */
  async idle(): Promise<void> {
    await this.gate.idle();
    await Promise.all([...this.active.values()].flat().map((trigger) => trigger.idle?.()));
  }

  private async startTrigger(flow: Flow, trigger: Trigger): Promise<ActiveTrigger | undefined> {
    const policy = resolveRunPolicy(flow.runPolicy);
    const key = triggerKey(trigger);
    const fire = (info: TriggerInfo, variables: Record<string, string> = {}) =>
      this.gate.fire({ flowId: flow.id, trigger: info, variables }, policy.overlap);
    const shared = {
      flowId: flow.id,
      triggerKey: key,
      clock: this.options.clock,
      store: this.options.store,
      logger: this.logger,
    };

    if (trigger.type === 'schedule') {
      const scheduled = new ScheduledTrigger({
        ...shared,
        trigger,
        missedRuns: policy.missedRuns,
        graceMs: this.options.scheduleGraceMs,
        wakeIntervalMs: this.options.scheduleWakeIntervalMs,
        onDue: async (plannedAt, catchUp) => {
          // Not awaited: a queued run must not hold the schedule's timer back.
          void fire({
            type: 'schedule',
            triggerKey: key,
            plannedAt: plannedAt.toISOString(),
            catchUp,
          });
        },
      });
      await scheduled.start();
      return scheduled;
    }
    if (trigger.type === 'folder') {
      const variable = fileVariableOf(flow, trigger);
      const watcher = new FolderWatcher({
        ...shared,
        trigger,
        dataFolder: this.options.dataFolder,
        pollIntervalMs: this.options.pollIntervalMs,
        onArrived: async (file) => {
          const result = await fire(
            { type: 'folder', triggerKey: key, ...file },
            variable === undefined ? {} : { [variable]: file.path },
          );
          return result.started ? result : undefined;
        },
      });
      watcher.start();
      return watcher;
    }
    return undefined;
  }
}
