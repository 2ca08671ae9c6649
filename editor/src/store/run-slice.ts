import type { StateCreator } from 'zustand';
import type {
  BlockCounts,
  BlockStatus,
  ErrorReport,
  ExpressionReport,
  RunEvent,
  RunReport,
  RunStatus,
  WarningSummary,
} from '../api/types.js';
import type { EditorState } from './index.js';

/** What the canvas shows of one block during or after a run. */
export type BlockRunState = {
  status: BlockStatus;
  counts: BlockCounts;
  rate: number;
  warnings: WarningSummary[];
  error?: ErrorReport;
  /** The latest items per output port. */
  samples: Record<string, unknown[]>;
  /** Compiled or jsonata-library mode of each of the block's expressions, from the stored report. */
  expressions: ExpressionReport[];
};

/** The run shown on the canvas: a live one from the WebSocket or one opened from history. */
export type RunSlice = {
  runId?: string;
  runStatus?: RunStatus | 'running';
  runDurationMs?: number;
  runError?: ErrorReport;
  blockRuns: Record<string, BlockRunState>;
  applyRunEvent(event: RunEvent): void;
  /**
   * Applies events in their order, with the block events between two run events in one store
   * update, so a frame of progress from many blocks re-renders the canvas once.
   */
  applyRunEvents(events: readonly RunEvent[]): void;
  showRun(report: RunReport): void;
  startWatching(runId: string): void;
  clearRun(): void;
};

/** Latest items kept per port from progress events. */
const SAMPLES_KEPT = 20;

const zeroCounts: BlockCounts = { recordsIn: 0, recordsOut: 0, filesIn: 0, filesOut: 0, errors: 0 };

function blankState(): BlockRunState {
  return {
    status: 'pending',
    counts: zeroCounts,
    rate: 0,
    warnings: [],
    samples: {},
    expressions: [],
  };
}

/** Adds one warning to a block's summaries, counting repeats of a code. */
function addWarning(
  warnings: WarningSummary[],
  code: string,
  message: string,
  details?: Record<string, unknown>,
): WarningSummary[] {
  const existing = warnings.find((warning) => warning.code === code);
  if (existing === undefined)
    return [...warnings, { code, count: 1, examples: [{ message, details }] }];
  return warnings.map((warning) =>
    warning === existing
      ? {
          ...warning,
          count: warning.count + 1,
          examples:
            warning.examples.length < 5
              ? [...warning.examples, { message, details }]
              : warning.examples,
        }
      : warning,
  );
}

/** Adds the latest item of each port to the samples, newest first, keeping a few. */
function latestSamples(samples: Record<string, unknown[]>, latest: Record<string, unknown>) {
  const next = { ...samples };
  for (const [port, item] of Object.entries(latest)) {
    const kept = (next[port] ?? []).filter((earlier) => earlier !== item);
    next[port] = [item, ...kept].slice(0, SAMPLES_KEPT);
  }
  return next;
}

/** Returns the block states after one run event; pure, so the store and tests share it. */
export function reduceBlockRuns(
  blockRuns: Record<string, BlockRunState>,
  event: RunEvent,
): Record<string, BlockRunState> {
  if (event.type === 'run.started' || event.type === 'run.finished' || event.type === 'snapshot') {
    return blockRuns;
  }
  const current = blockRuns[event.blockId] ?? blankState();
  let next: BlockRunState;
  switch (event.type) {
    case 'block.started':
      next = { ...current, status: 'running' };
      break;
    case 'block.progress':
      next = { ...current, status: 'running', counts: event.counts, rate: event.rate };
      if (event.latest !== undefined) next.samples = latestSamples(current.samples, event.latest);
      break;
    case 'block.finished':
      next = { ...current, status: 'succeeded', counts: event.counts, rate: event.rate };
      break;
    case 'block.failed':
      next = { ...current, status: 'failed', counts: event.counts, error: event.error };
      break;
    case 'block.warning':
      next = {
        ...current,
        warnings: addWarning(current.warnings, event.code, event.message, event.details),
      };
      break;
  }
  return { ...blockRuns, [event.blockId]: next };
}

export const createRunSlice: StateCreator<EditorState, [], [], RunSlice> = (set, get) => ({
  blockRuns: {},

  applyRunEvent(event) {
    const { runId } = get();
    if (event.type === 'run.started') {
      // A run of the flow on the canvas, started here or by a trigger, replaces the shown one;
      // the event may arrive before the start request returns.
      if (event.flowId !== get().meta.id || event.runId === runId) return;
      set({ runId: event.runId, runStatus: 'running', blockRuns: {} });
      return;
    }
    if (event.type === 'snapshot') {
      const current = event.runs.find((run) => run.runId === runId);
      if (current !== undefined) get().showRun({ ...current, status: 'running', startedAt: '' });
      return;
    }
    if (event.runId !== runId) return;
    if (event.type === 'run.finished') {
      set({ runStatus: event.status, runDurationMs: event.durationMs, runError: event.error });
      return;
    }
    set({ blockRuns: reduceBlockRuns(get().blockRuns, event) });
  },

  applyRunEvents(events) {
    let blockRuns = get().blockRuns;
    const flush = () => {
      if (blockRuns !== get().blockRuns) set({ blockRuns });
    };
    for (const event of events) {
      const isBlockEvent =
        event.type !== 'run.started' && event.type !== 'run.finished' && event.type !== 'snapshot';
      if (isBlockEvent) {
        if (event.runId === get().runId) blockRuns = reduceBlockRuns(blockRuns, event);
        continue;
      }
      flush();
      get().applyRunEvent(event);
      blockRuns = get().blockRuns;
    }
    flush();
  },

  showRun(report) {
    const blockRuns: Record<string, BlockRunState> = {};
    for (const block of report.blocks) {
      const { id, status, warnings, error, samples, rate, expressions, ...rest } =
        block as typeof block & {
          rate?: number;
        };
      blockRuns[id] = {
        status,
        counts: {
          recordsIn: rest.recordsIn,
          recordsOut: rest.recordsOut,
          filesIn: rest.filesIn,
          filesOut: rest.filesOut,
          errors: rest.errors,
        },
        rate: rate ?? 0,
        warnings,
        error,
        samples,
        // Reports stored before the runtime recorded expressions have none.
        expressions: expressions ?? [],
      };
    }
    set({
      runId: report.runId,
      runStatus: report.status,
      runDurationMs: report.durationMs,
      runError: report.error,
      blockRuns,
    });
  },

  startWatching(runId) {
    if (get().runId === runId) return;
    set({
      runId,
      runStatus: 'running',
      runDurationMs: undefined,
      runError: undefined,
      blockRuns: {},
    });
  },
  clearRun: () => set({ runId: undefined, runStatus: undefined, blockRuns: {} }),
});
