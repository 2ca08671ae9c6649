import jsonata from 'jsonata';
import { FlowAuthorError } from '../contract/errors.js';
import { moneyFunctions } from './money.js';

/** A JSONata expression compiled once per run and evaluated per record. */
export interface CompiledExpression {
  readonly source: string;
  /**
   * Evaluates the expression on `input`. Throws a FlowAuthorError naming the parameter and, when
   * given, the record number.
   */
  evaluate(input: unknown, record?: number): Promise<unknown>;
}

/** Compiles expressions with the bindings of one block in one run. */
export interface ExpressionEngine {
  compile(source: string, parameter: string): CompiledExpression;
}

/** Limits that stop a runaway expression; they apply to each evaluation. */
export type ExpressionLimits = {
  /** Maximum nesting of evaluation, e.g. recursion depth; default 500. */
  maxDepth: number;
  /** Maximum time of one evaluation in milliseconds; default 5000. */
  timeoutMs: number;
};

export type ExpressionEngineOptions = {
  /** Values of the flow's variables, available as `$vars.NAME`. */
  variables: Readonly<Record<string, string>>;
  /** The run's start; `$now()` and `$millis()` return it for every record of the run. */
  runStartedAt: Date;
  /** Receives the warnings raised by `$warn(message)`. */
  onWarning(message: string, record: number | undefined): void;
  limits?: Partial<ExpressionLimits>;
};

type JsonataError = { code?: string; position?: number; token?: string; message?: string };

const defaultLimits: ExpressionLimits = { maxDepth: 500, timeoutMs: 5000 };

/** Checks the clock only every so many evaluation steps, because Date.now() per step is costly. */
const STEPS_PER_CLOCK_CHECK = 1024;

/**
 * Creates the expression engine of one block in one run. Besides JSONata's own functions it
 * binds `$vars`, the run-constant `$now()` and `$millis()`, `$warn()` and the money functions.
 */
export function createExpressionEngine(options: ExpressionEngineOptions): ExpressionEngine {
  const limits = { ...defaultLimits, ...options.limits };
  const startMillis = options.runStartedAt.getTime();
  const vars = Object.freeze({ ...options.variables });
  const fromMillis = jsonata('$fromMillis($millis, $picture, $timezone)');

  return {
    compile(source, parameter) {
      const expression = parseExpression(source, parameter);
      let currentRecord: number | undefined;
      const bindings: Record<string, unknown> = {
        vars,
        millis: () => startMillis,
        now: (picture?: string, timezone?: string) =>
          fromMillis.evaluate({}, { millis: startMillis, picture, timezone }),
        warn: (message: unknown) => {
          options.onWarning(String(message), currentRecord);
          return false;
        },
      };
      // Bound once into the expression's own environment: passing bindings to every evaluate()
      // would build and fill a new environment per record.
      for (const [name, value] of Object.entries(bindings)) expression.assign(name, value);
      for (const [name, fn] of Object.entries(moneyFunctions)) {
        expression.registerFunction(name, fn.implementation, fn.signature);
      }
      // The hooks behind the limits cost about a fifth of the evaluation time (measured on the
      // e-shop stock flow), so they are installed only where evaluation can run away.
      const guard = canRunAway(expression.ast()) ? installLimits(expression, limits) : noLimits;

      return {
        source,
        evaluate(input, record) {
          currentRecord = record;
          guard.reset();
          // A plain promise chain: an async wrapper would add a promise per record.
          return expression.evaluate(input as object).catch((error: unknown) => {
            throw describeEvaluationError(error, parameter, record);
          });
        },
      };
    },
  };
}

/** Parses a JSONata expression; a syntax error names the parameter and the position. */
export function parseExpression(source: string, parameter: string): jsonata.Expression {
  try {
    return jsonata(source);
  } catch (error) {
    const details = error as JsonataError;
    const position = details.position === undefined ? '' : ` at character ${details.position}`;
    throw new FlowAuthorError(
      'EXPRESSION_INVALID',
      `invalid JSONata in "${parameter}"${position}: ${details.message ?? String(error)}`,
      {
        cause: error,
        hint: 'Correct the expression; the JSONata syntax is described at https://docs.jsonata.org.',
        context: { parameter },
      },
    );
  }
}

function describeEvaluationError(
  error: unknown,
  parameter: string,
  record: number | undefined,
): FlowAuthorError {
  const details = error as JsonataError;
  const where = record === undefined ? '' : ` on record ${record}`;
  const code = details.code === undefined ? '' : ` (${details.code})`;
  return new FlowAuthorError(
    'EXPRESSION_FAILED',
    `expression in "${parameter}" failed${where}: ${details.message ?? String(error)}${code}`,
    {
      cause: error,
      hint: 'Check the expression against the record shown; empty values in the input are null.',
      context: { parameter, record },
    },
  );
}

const noLimits = { reset() {} };

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

/** Bounds depth and time of each evaluation through JSONata's entry and exit hooks. */
function installLimits(expression: jsonata.Expression, limits: ExpressionLimits) {
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

/**
 * Lists the flow variables an expression reads as `$vars.NAME`, so that validation can reject
 * undeclared ones. Throws like parseExpression on a syntax error.
 */
export function findVariableReferences(source: string, parameter: string): string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const candidate = node as { type?: string; steps?: { type?: string; value?: unknown }[] };
    const [first, second] = candidate.steps ?? [];
    if (
      candidate.type === 'path' &&
      first?.type === 'variable' &&
      first.value === 'vars' &&
      second?.type === 'name'
    ) {
      names.add(String(second.value));
    }
    Object.values(node).forEach(visit);
  };
  visit(parseExpression(source, parameter).ast());
  return [...names];
}
