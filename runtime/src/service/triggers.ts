import type { DataFolder, Logger } from '@kuryr/nodes';
import type { Flow } from '../flow/flow-schema.js';
import type { FlowProblem } from '../flow/flow-problem.js';
import type { ServiceDatabase } from '../storage/database.js';
import type { StartRun } from './run-manager.js';

/** A running trigger source of one flow, e.g. its schedule or its folder watch. */
export interface TriggerSource {
  stop(): void | Promise<void>;
}

/** Services a trigger source may use. */
export type TriggerContext = {
  /** Starts a run of a stored flow with a trigger name and variables; returns the run id. */
  startRun: StartRun;
  /** Runs of a flow running now, for overlap policies (skip, queue, parallel). */
  runningCount(flowId: string): number;
  dataFolder: DataFolder;
  db: ServiceDatabase;
  logger: Logger;
};

/** One kind of trigger (schedule, folder watch, ...): checks a flow's settings and starts them. */
export interface TriggerFactory {
  /** Checks the flow's settings for this trigger when the flow is saved. */
  validate?(flow: Flow): FlowProblem[];
  /** Starts the sources that the flow declares for this trigger; none when it declares none. */
  start(flow: Flow, context: TriggerContext): TriggerSource[] | Promise<TriggerSource[]>;
}

/**
 * Starts and stops the trigger sources of every stored flow: all at service start, a flow's again
 * when it is saved, and none once it is deleted or the service stops. Manual and API runs need no
 * source; schedules and folder watches come as TriggerFactory objects.
 */
export class TriggerHost {
  private readonly sources = new Map<string, TriggerSource[]>();

  constructor(
    private readonly factories: readonly TriggerFactory[],
    private readonly context: TriggerContext,
  ) {}

  validate(flow: Flow): FlowProblem[] {
    return this.factories.flatMap((factory) => factory.validate?.(flow) ?? []);
  }

  async startAll(flows: readonly Flow[]): Promise<void> {
    for (const flow of flows) await this.restart(flow);
  }

  /** Stops the flow's sources and starts them from its saved version. */
  async restart(flow: Flow): Promise<void> {
    await this.stopFlow(flow.id);
    const started: TriggerSource[] = [];
    for (const factory of this.factories) {
      try {
        started.push(...(await factory.start(flow, this.context)));
      } catch (error) {
        this.context.logger.error('trigger could not start', {
          flowId: flow.id,
          error: (error as Error).message,
        });
      }
    }
    if (started.length > 0) this.sources.set(flow.id, started);
  }

  async stopFlow(flowId: string): Promise<void> {
    const sources = this.sources.get(flowId) ?? [];
    this.sources.delete(flowId);
    for (const source of sources) await source.stop();
  }

  async stopAll(): Promise<void> {
    for (const flowId of [...this.sources.keys()]) await this.stopFlow(flowId);
  }
}
