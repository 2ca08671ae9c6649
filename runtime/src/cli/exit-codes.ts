import type { RunStatus } from '../executor/run-report.js';

/** Exit codes of the kuryr command. */
export const ExitCode = {
  succeeded: 0,
  failed: 1,
  usage: 2,
  completedWithErrors: 3,
} as const;

/** Maps how a run ended to the exit code. A cancelled run counts as failed. */
export function exitCodeOf(status: RunStatus): number {
  if (status === 'succeeded') return ExitCode.succeeded;
  if (status === 'completed_with_errors') return ExitCode.completedWithErrors;
  return ExitCode.failed;
}

/** A problem with the command line itself; printed with the usage hint, exit code 2. */
export class UsageError extends Error {}
