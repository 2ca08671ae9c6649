import { FlowAuthorError, type ErrorParams } from '@kuryr/nodes';

/** One thing wrong with a flow, located as precisely as validation can. */
export type FlowProblem = {
  block?: string;
  /** Parameter, port or top-level field the problem is about. */
  field?: string;
  /**
   * Stable code of the problem, e.g. `INPUT_NOT_WIRED`. Problems that a schema library words
   * (invalid parameter values, malformed flow files) have none.
   */
  code?: string;
  /** Values the message was built from, for clients that word the problem in another language. */
  params?: ErrorParams;
  message: string;
};

/** Formats a problem as `block "map", parameter "expression": message`. */
export function formatProblem(problem: FlowProblem): string {
  const where: string[] = [];
  if (problem.block !== undefined) where.push(`block "${problem.block}"`);
  if (problem.field !== undefined) where.push(problem.field);
  return where.length === 0 ? problem.message : `${where.join(', ')}: ${problem.message}`;
}

/** Raised when a flow cannot be loaded or is invalid; lists every problem found. */
export class InvalidFlowError extends FlowAuthorError {
  constructor(
    readonly source: string,
    readonly problems: readonly FlowProblem[],
  ) {
    const lines = problems.map((problem) => `  - ${formatProblem(problem)}`);
    super('FLOW_INVALID', `invalid flow ${source}:\n${lines.join('\n')}`, {
      hint: 'Correct the flow file and run it again.',
    });
  }
}
