import type { RunReport } from '../executor/run-report.js';

/** Why a run started, as the run history records it. */
export type TriggerInfo =
  | { type: 'manual' }
  | {
      type: 'schedule';
      triggerKey: string;
      /** ISO time the schedule planned this run for. */
      plannedAt: string;
      /** True for the one run that catches up missed planned times. */
      catchUp: boolean;
    }
  | {
      type: 'folder';
      triggerKey: string;
      /** The file that arrived, relative to the data folder. */
      path: string;
      size: number;
      mtimeMs: number;
    };

/** How a run ended; a RunReport has these fields, so the service may resolve with the report. */
export type RunOutcome = Pick<RunReport, 'runId' | 'status' | 'error'>;

/**
 * A run that has started, or waits with status `queued` for a free slot of the service: its id,
 * and a promise of its outcome that never rejects.
 */
export type StartedRun = { runId: string; finished: Promise<RunOutcome>; queued?: boolean };

/**
 * Starts a run of a stored flow; the service implements it (load the flow, resolve variables,
 * record the run, call runFlow). It rejects only when the run could not start at all.
 */
export type StartRun = (request: {
  flowId: string;
  trigger: TriggerInfo;
  /** Values for declared variables that the trigger fills, e.g. the arrived file's path. */
  variables: Readonly<Record<string, string>>;
  /** Id of a run recorded as queued, which this start turns into a running run. */
  runId?: string;
}) => Promise<StartedRun>;
