import { Cron } from 'croner';
import { FlowAuthorError, isValidTimeZone } from '@kuryr/nodes';
import type { ScheduleTrigger } from '../flow/trigger-schema.js';

/** A validated schedule: computes its planned times in real time, across daylight-saving changes. */
export type CompiledSchedule = {
  /** The first planned time strictly after `after`, or undefined when there is none. */
  nextRun(after: Date): Date | undefined;
  /** The last planned time strictly before `before`, or undefined when there is none. */
  previousRun(before: Date): Date | undefined;
};

/**
 * Returns every reason a schedule cannot run: an unknown time zone, an invalid cron expression,
 * or an expression that never matches a date. Empty when it is valid.
 */
export function findScheduleProblems(trigger: ScheduleTrigger): string[] {
  const problems: string[] = [];
  const zoneIsValid = isValidTimeZone(trigger.timeZone);
  if (!zoneIsValid) {
    problems.push(
      `unknown time zone "${trigger.timeZone}"; use an IANA name such as Europe/Prague`,
    );
  }
  let cron: Cron;
  try {
    // The expression is checked in UTC when the time zone is unknown, so both problems show.
    cron = new Cron(trigger.cron, {
      timezone: zoneIsValid ? trigger.timeZone : 'UTC',
      paused: true,
    });
  } catch (error) {
    problems.push(`invalid cron expression "${trigger.cron}": ${(error as Error).message}`);
    return problems;
  }
  if (cron.nextRun(new Date()) === null) {
    problems.push(`the cron expression "${trigger.cron}" never matches a future date`);
  }
  return problems;
}

/**
 * Compiles a schedule trigger with croner. Throws a FlowAuthorError (code SCHEDULE_INVALID) for
 * an invalid expression or time zone; flow validation reports the same problem earlier.
 */
export function compileSchedule(trigger: ScheduleTrigger): CompiledSchedule {
  const problems = findScheduleProblems(trigger);
  if (problems.length > 0) {
    throw new FlowAuthorError('SCHEDULE_INVALID', problems.join('; '), {
      hint: 'Correct the schedule: six fields with seconds first, e.g. "0 30 6 * * 1-5".',
    });
  }
  const cron = new Cron(trigger.cron, { timezone: trigger.timeZone, paused: true });
  return {
    nextRun: (after) => cron.nextRun(after) ?? undefined,
    previousRun: (before) => cron.previousRuns(1, before)[0],
  };
}

/** Returns the next `count` planned times of a schedule after `from`, e.g. for the editor. */
export function listNextRuns(trigger: ScheduleTrigger, count: number, from: Date): Date[] {
  const schedule = compileSchedule(trigger);
  const times: Date[] = [];
  let after = from;
  while (times.length < count) {
    const next = schedule.nextRun(after);
    if (next === undefined) break;
    times.push(next);
    after = next;
  }
  return times;
}
