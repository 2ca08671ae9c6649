import type { RunEvent } from '../executor/run-events.js';
import type { ErrorReport, RunReport } from '../executor/run-report.js';
import type { Flow } from '../flow/flow-schema.js';

/** Settings of a run worker, which serves the runs of one state folder and data folder. */
export type RunWorkerData = { stateDir: string; dataDir: string; tempParent: string };

export type LogLevelName = 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Messages from the main thread to a run worker. */
export type ToRunWorker =
  | {
      type: 'run';
      runId: string;
      flow: Flow;
      variables: Record<string, string>;
      /** Decrypted values of the credentials the flow lists, by name; a missing one is absent. */
      credentials: Record<string, Record<string, string>>;
      sampleSize: number;
    }
  /** Stops the running run: cancelled by `reason`, or failed as timed out with `maxRunSeconds`. */
  | { type: 'abort'; reason: string; maxRunSeconds?: number };

/** Messages from a run worker to the main thread. */
export type FromRunWorker =
  | { type: 'event'; event: RunEvent }
  | { type: 'log'; level: LogLevelName; message: string; fields: Record<string, unknown> }
  /** An absolute path the run resolved for writing; staged files lie beside it. */
  | { type: 'write-target'; path: string }
  | { type: 'done'; report: RunReport }
  /** runFlow threw before running, e.g. for an invalid flow. */
  | { type: 'start-failed'; error: ErrorReport };
