import type jsonata from 'jsonata';

/** Limits that stop a runaway expression; they apply to each evaluation. */
export type ExpressionLimits = {
  /** Maximum nesting of evaluation, e.g. recursion depth; default 500. */
  maxDepth: number;
  /** Maximum time of one evaluation in milliseconds; default 5000. */
  timeoutMs: number;
};

/** The limits that apply unless the run sets others. */
export const defaultLimits: ExpressionLimits = { maxDepth: 500, timeoutMs: 5000 };

/** Checks the clock only every so many evaluation steps, because Date.now() per step is costly. */
const STEPS_PER_CLOCK_CHECK = 1024;

/** The guard of an expression that cannot run away. */
export const noLimits = { reset() {} };

/**
 * Tells whether evaluating an expression can take unbounded time or depth. Without user-defined
 * functions (which allow recursion), ranges (`[1..n]`) and `$eval`, every step walks the
 * expression over the one input record, so the work is bounded by the sizes of both.
 */
export function canRunAway(ast: unknown): boolean {
  if (Array.isArray(ast)) return ast.some(canRunAway);
  if (ast === null || typeof ast !== 'object') return false;
  const node = ast as { type?: string; value?: unknown; procedure?: { value?: unknown } };
  if (node.type === 'lambda') return true;
  if (node.type === 'binary' && node.value === '..') return true;
  if (node.type === 'function' && node.procedure?.value === 'eval') return true;
  return Object.values(node).some(canRunAway);
}

/**
 * Bounds depth and time of each evaluation through JSONata's entry and exit hooks; call reset()
 * before each evaluation. Exceeding a limit raises the error code U1001.
 */
export function installLimits(expression: jsonata.Expression, limits: ExpressionLimits) {
  let depth = 0;
  let steps = 0;
  let deadline = 0;
  const check = () => {
    if (depth > limits.maxDepth) {
      throw { code: 'U1001', message: `expression nested deeper than ${limits.maxDepth} levels` };
    }
    if (++steps % STEPS_PER_CLOCK_CHECK === 0 && Date.now() > deadline) {
      throw { code: 'U1001', message: `expression ran longer than ${limits.timeoutMs} ms` };
    }
  };
  const isParallel = (environment: unknown) =>
    (environment as { isParallelCall?: boolean } | undefined)?.isParallelCall === true;
  // jsonata 2 looks the hooks up under these symbols; its typings only declare string names.
  const assign = expression.assign.bind(expression) as unknown as (
    name: symbol,
    value: unknown,
  ) => void;
  assign(
    Symbol.for('jsonata.__evaluate_entry'),
    (_e: unknown, _i: unknown, environment: unknown) => {
      if (isParallel(environment)) return;
      depth++;
      check();
    },
  );
  assign(
    Symbol.for('jsonata.__evaluate_exit'),
    (_e: unknown, _i: unknown, environment: unknown) => {
      if (isParallel(environment)) return;
      depth--;
      check();
    },
  );
  return {
    reset() {
      depth = 0;
      steps = 0;
      deadline = Date.now() + limits.timeoutMs;
    },
  };
}
