import type { Flow } from '../flow/flow-schema.js';
import type { RunEvent } from '../executor/run-events.js';
import type { BlockReport, ErrorReport, WarningSummary } from '../executor/run-report.js';

/** Warning examples kept per code in the live state. */
const WARNING_EXAMPLES = 5;

/** Latest items kept per output port in the live state, for the samples of a running run. */
const LIVE_SAMPLES = 100;

/** The current state of a running run, built from its events; what a reconnecting client gets. */
export type LiveRunState = {
  runId: string;
  flowId: string;
  flowName: string;
  trigger: string;
  startedAt: string;
  blocks: LiveBlockState[];
};

export type LiveBlockState = BlockReport & {
  rate: number;
  /** The last item each output port sent, from the latest progress event. */
  latest: Record<string, unknown>;
};

/** Folds a run's events into its current state. */
export class LiveRun {
  private readonly blocks = new Map<string, LiveBlockState>();
  /** The latest distinct items of each block's output ports, oldest first, by block and port. */
  private readonly recent = new Map<
    string,
    Record<string, { items: unknown[]; lastJson: string }>
  >();
  /** True when the state changed since it was last stored. */
  dirty = false;

  constructor(
    readonly runId: string,
    readonly flow: Flow,
    readonly trigger: string,
    readonly startedAt: string,
  ) {
    for (const block of flow.blocks) {
      this.blocks.set(block.id, {
        id: block.id,
        name: block.name || block.id,
        type: block.type,
        status: 'pending',
        recordsIn: 0,
        recordsOut: 0,
        filesIn: 0,
        filesOut: 0,
        errors: 0,
        warnings: [],
        routedErrors: [],
        samples: {},
        expressions: [],
        rate: 0,
        latest: {},
      });
    }
  }

  apply(event: RunEvent): void {
    if (!('blockId' in event)) return;
    const block = this.blocks.get(event.blockId);
    if (block === undefined) return;
    this.dirty = true;
    switch (event.type) {
      case 'block.started':
        block.status = 'running';
        block.startedAt = event.at;
        return;
      case 'block.progress':
        Object.assign(block, event.counts);
        block.rate = event.rate;
        block.durationMs = event.elapsedMs;
        block.latest = event.latest;
        this.keepRecent(block.id, event.latest);
        return;
      case 'block.warning':
        addWarning(block.warnings, event.code, event.message, event.details);
        return;
      case 'block.finished':
        Object.assign(block, event.counts);
        block.status = 'succeeded';
        block.rate = event.rate;
        block.durationMs = event.elapsedMs;
        return;
      case 'block.failed':
        Object.assign(block, event.counts);
        block.status = event.error.code === 'RUN_ABORTED' ? 'cancelled' : 'failed';
        block.durationMs = event.elapsedMs;
        block.error = event.error as ErrorReport;
        return;
    }
  }

  state(): LiveRunState {
    return {
      runId: this.runId,
      flowId: this.flow.id,
      flowName: this.flow.name,
      trigger: this.trigger,
      startedAt: this.startedAt,
      blocks: [...this.blocks.values()].map((block) => structuredClone(block)),
    };
  }

  /**
   * Returns the block states in the history's form, with the latest items of each output port as
   * samples; kept as the last known state if the process dies.
   */
  reports(): BlockReport[] {
    return [...this.blocks.values()].map(({ rate: _rate, latest: _latest, ...report }) => {
      const ports = this.recent.get(report.id) ?? {};
      return {
        ...structuredClone(report),
        samples: Object.fromEntries(
          Object.entries(ports).map(([port, recent]) => [port, [...recent.items]]),
        ),
      };
    });
  }

  /**
   * Adds each port's latest item to its recent items. A progress event repeats the latest item
   * until the port sends another, so an item equal to the last one kept is skipped.
   */
  private keepRecent(blockId: string, latest: Record<string, unknown>): void {
    let ports = this.recent.get(blockId);
    if (ports === undefined) {
      ports = {};
      this.recent.set(blockId, ports);
    }
    for (const [port, item] of Object.entries(latest)) {
      const json = JSON.stringify(item);
      const recent = (ports[port] ??= { items: [], lastJson: '' });
      if (json === recent.lastJson) continue;
      recent.lastJson = json;
      recent.items.push(item);
      if (recent.items.length > LIVE_SAMPLES) recent.items.shift();
    }
  }
}

function addWarning(
  warnings: WarningSummary[],
  code: string,
  message: string,
  details: Record<string, unknown> | undefined,
): void {
  let summary = warnings.find((warning) => warning.code === code);
  if (summary === undefined) {
    summary = { code, count: 0, examples: [] };
    warnings.push(summary);
  }
  summary.count++;
  if (summary.examples.length < WARNING_EXAMPLES) {
    summary.examples.push(details === undefined ? { message } : { message, details });
  }
}
