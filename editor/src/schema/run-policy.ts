import type { RunPolicy } from '@kuryr/runtime';
import type { MessageKey } from '../i18n/i18n.js';

/** A flow's run policy as the flow file may hold it: every field may be left out. */
export type RunPolicyInput = Partial<RunPolicy>;

export const OVERLAP_POLICIES = ['skip', 'queue', 'parallel'] as const;
export const MISSED_RUN_POLICIES = ['skip', 'catch-up-once'] as const;

/** One problem of a run policy: the field and an i18n message key. */
export type RunPolicyProblem = { field: keyof RunPolicy; key: MessageKey };

/**
 * Checks a run policy with the rules of the runtime's flow schema: the overlap and missed-run
 * policies are one of their values and a maximum run time is a positive number of seconds.
 */
export function validateRunPolicy(policy: RunPolicyInput | undefined): RunPolicyProblem[] {
  const problems: RunPolicyProblem[] = [];
  if (policy === undefined) return problems;
  if (policy.overlap !== undefined && !OVERLAP_POLICIES.includes(policy.overlap)) {
    problems.push({ field: 'overlap', key: 'policy.badChoice' });
  }
  if (policy.missedRuns !== undefined && !MISSED_RUN_POLICIES.includes(policy.missedRuns)) {
    problems.push({ field: 'missedRuns', key: 'policy.badChoice' });
  }
  const seconds = policy.maxRunSeconds;
  if (seconds !== undefined && !(typeof seconds === 'number' && seconds > 0)) {
    problems.push({ field: 'maxRunSeconds', key: 'policy.badMaxRunSeconds' });
  }
  return problems;
}

/** Returns the policy without the fields left empty, or undefined when none is left. */
export function compactRunPolicy(policy: RunPolicyInput): RunPolicyInput | undefined {
  const fields = Object.entries(policy).filter(([, value]) => value !== undefined);
  return fields.length === 0 ? undefined : (Object.fromEntries(fields) as RunPolicyInput);
}
