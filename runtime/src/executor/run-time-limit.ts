import { EnvironmentError } from '@kuryr/nodes';
import type { Flow } from '../flow/flow-schema.js';
import { resolveRunPolicy } from '../flow/trigger-schema.js';
import type { Clock, ClockTimer } from '../triggers/clock.js';

/**
 * Arms the flow's maximum run time, if its run policy sets one: when it passes, `onTimeout`
 * receives a RUN_TIMED_OUT error to fail the run with. Cancel the returned timer when the run ends.
 */
export function limitRunTime(
  flow: Flow,
  clock: Clock,
  onTimeout: (error: EnvironmentError) => void,
): ClockTimer | undefined {
  const { maxRunSeconds } = resolveRunPolicy(flow.runPolicy);
  if (maxRunSeconds === undefined) return undefined;
  return clock.setTimer(maxRunSeconds * 1000, () => onTimeout(runTimedOutError(maxRunSeconds)));
}

/** Builds the RUN_TIMED_OUT error of a run that exceeded `maxRunSeconds`. */
export function runTimedOutError(maxRunSeconds: number): EnvironmentError {
  return new EnvironmentError(
    'RUN_TIMED_OUT',
    `the run exceeded its maximum run time of ${maxRunSeconds} s and was cancelled`,
    {
      hint: "The run report shows which blocks were still running; make them faster, or raise maxRunSeconds in the flow's run policy.",
    },
  );
}
