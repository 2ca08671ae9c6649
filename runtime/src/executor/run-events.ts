import type { BlockCounts, ErrorReport, RunStatus } from './run-report.js';

/** Events a run emits while it goes; the CLI draws progress from them, the service streams them. */
export type RunEvent =
  | { type: 'run.started'; runId: string; flowId: string; at: string }
  | { type: 'block.started'; runId: string; blockId: string; at: string }
  | {
      type: 'block.progress';
      runId: string;
      blockId: string;
      counts: BlockCounts;
      /** Records (or files, for a file block) per second since the block started. */
      rate: number;
      elapsedMs: number;
      /** The last item each output port sent so far, by port name. */
      latest: Record<string, unknown>;
    }
  | {
      type: 'block.warning';
      runId: string;
      blockId: string;
      code: string;
      message: string;
      details?: Record<string, unknown>;
    }
  | {
      type: 'block.finished';
      runId: string;
      blockId: string;
      counts: BlockCounts;
      rate: number;
      elapsedMs: number;
    }
  | {
      type: 'block.failed';
      runId: string;
      blockId: string;
      error: ErrorReport;
      /** True when the error went to the block's wired error port. */
      routed: boolean;
      counts: BlockCounts;
      elapsedMs: number;
    }
  | {
      type: 'run.finished';
      runId: string;
      status: RunStatus;
      durationMs: number;
      error?: ErrorReport;
    };

export type OnRunEvent = (event: RunEvent) => void;
