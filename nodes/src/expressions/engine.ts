import jsonata from 'jsonata';
import { FlowAuthorError } from '../contract/errors.js';
import {
  compileAst,
  UnsupportedExpression,
  type AstNode,
  type CompiledProgram,
} from './compiler/compile.js';
import { compiledMoneyFunctions, createRunFunctions } from './engine-functions.js';
import {
  canRunAway,
  defaultLimits,
  installLimits,
  noLimits,
  type ExpressionLimits,
} from './limits.js';
import { moneyFunctions } from './money.js';

export { canRunAway, installLimits, type ExpressionLimits } from './limits.js';

/** A JSONata expression compiled once per run and evaluated per record. */
export interface CompiledExpression {
  readonly source: string;
  /** True when the expression runs as compiled JavaScript, false when on the jsonata library. */
  readonly isCompiled: boolean;
  /**
   * Evaluates the expression on `input`. Throws a FlowAuthorError naming the parameter and, when
   * given, the record number.
   */
  evaluate(input: unknown, record?: number): Promise<unknown>;
  /**
   * Evaluates like evaluate(), but returns the value itself when the compiled code handles the
   * input, so that per-record loops pay no promise. Otherwise it returns a promise.
   */
  evaluateNow(input: unknown, record?: number): unknown;
}

/** How one expression runs: compiled, or on the library with the reason. */
export type ExpressionPlan = {
  parameter: string;
  source: string;
  isCompiled: boolean;
  /** Why the expression runs on the library, e.g. "the lambda construct". */
  reason?: string;
};

/** Compiles expressions with the bindings of one block in one run. */
export interface ExpressionEngine {
  compile(source: string, parameter: string): CompiledExpression;
}

export type ExpressionEngineOptions = {
  /** Values of the flow's variables, available as `$vars.NAME`. */
  variables: Readonly<Record<string, string>>;
  /** The run's start; `$now()` and `$millis()` return it for every record of the run. */
  runStartedAt: Date;
  /** Receives the warnings raised by `$warn(message)`. */
  onWarning(message: string, record: number | undefined): void;
  /** Receives, once per compiled expression, whether it runs compiled. */
  onPlan?(plan: ExpressionPlan): void;
  limits?: Partial<ExpressionLimits>;
};

type JsonataError = { code?: string; position?: number; token?: string; message?: string };

/**
 * Creates the expression engine of one block in one run. Besides JSONata's own functions it
 * binds `$vars`, the run-constant `$now()` and `$millis()`, `$warn()` and the money functions.
 *
 * Each expression is compiled to JavaScript when it stays within the compiled subset (paths,
 * constructors, operators, conditions, variables and the common functions); otherwise it runs
 * on the jsonata library. Where compiled code meets an input that jsonata would reject, that
 * record is evaluated by the library, so results and errors are the library's in every case.
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
      // NOTE: a regular expression that backtracks catastrophically, such as /(a+)+$/, runs in
      // one synchronous call that the time limit cannot stop. The service runs flows and the
      // editor's preview in worker threads that it terminates; `kuryr run` waits until killed.
      const evaluateWithLibrary = (input: unknown, record: number | undefined) => {
        currentRecord = record;
        guard.reset();
        // A plain promise chain: an async wrapper would add a promise per record.
        return expression.evaluate(input as object).catch((error: unknown) => {
          throw describeEvaluationError(error, parameter, record);
        });
      };

      const pendingWarnings: string[] = [];
      const program = compileProgram(expression, startMillis, (message) => {
        pendingWarnings.push(message);
      });
      options.onPlan?.({
        parameter,
        source,
        isCompiled: typeof program === 'function',
        ...(typeof program === 'string' ? { reason: program } : {}),
      });
      if (typeof program === 'string') {
        return {
          source,
          isCompiled: false,
          evaluate: evaluateWithLibrary,
          evaluateNow: evaluateWithLibrary,
        };
      }

      const base = Object.assign(Object.create(null), { vars });
      const evaluateNow = (input: unknown, record?: number): unknown => {
        // Setting the length of an array is a call into V8, so only a used list is cleared.
        if (pendingWarnings.length > 0) pendingWarnings.length = 0;
        let result: unknown;
        try {
          result = program(input, base);
        } catch {
          // FALLBACK, or any other failure of compiled code: the library decides.
          return evaluateWithLibrary(input, record);
        }
        // Warnings count only once the compiled evaluation has succeeded, so that a record
        // evaluated again by the library does not warn twice.
        for (const message of pendingWarnings) options.onWarning(message, record);
        return result;
      };
      return {
        source,
        isCompiled: true,
        evaluateNow,
        evaluate: (input, record) => Promise.resolve(evaluateNow(input, record)),
      };
    },
  };
}

/** Compiles a parsed expression, or returns why it must run on the library. */
function compileProgram(
  expression: jsonata.Expression,
  startMillis: number,
  onWarning: (message: string) => void,
): CompiledProgram | string {
  try {
    return compileAst(expression.ast() as AstNode, {
      functions: { ...compiledMoneyFunctions, ...createRunFunctions(startMillis, onWarning) },
    });
  } catch (error) {
    if (error instanceof UnsupportedExpression) return error.message;
    // A fault of the compiler itself must not stop the run: the library evaluates instead.
    return `the compiler failed: ${error instanceof Error ? error.message : String(error)}`;
  }
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

/**
 * Returns the field names of the records an expression builds, when the whole expression is one
 * object constructor whose keys are string literals, as in `{ "code": CODE, "price": PRICE }`.
 * Returns undefined for any other expression, whose fields only evaluation shows. Throws like
 * parseExpression on a syntax error.
 */
export function findConstructedFields(source: string, parameter: string): string[] | undefined {
  return literalKeysOf(parseExpression(source, parameter).ast() as AstNode);
}

/**
 * Returns the fields an expression adds to its input record when it keeps all the input's fields.
 * These are none for `$`, and the literal keys of the object constructors in
 * `$merge([$, { "vat": 21 }])`. Returns undefined for any other expression. Throws like
 * parseExpression on a syntax error.
 */
export function findMergedInputFields(source: string, parameter: string): string[] | undefined {
  const ast = parseExpression(source, parameter).ast() as AstNode;
  if (isInputRecord(ast)) return [];
  const isMerge =
    ast.type === 'function' &&
    ast.procedure?.type === 'variable' &&
    ast.procedure.value === 'merge' &&
    ast.arguments?.length === 1;
  if (!isMerge) return undefined;
  const array = ast.arguments![0]!;
  if (array.type !== 'unary' || array.value !== '[' || !array.expressions) return undefined;
  const [first, ...objects] = array.expressions;
  if (first === undefined || !isInputRecord(first)) return undefined;
  const added: string[] = [];
  for (const object of objects) {
    const keys = literalKeysOf(object);
    if (keys === undefined) return undefined;
    added.push(...keys.filter((key) => !added.includes(key)));
  }
  return added;
}

/** Checks whether a node is `$`, the record that Map and Filter evaluate on. */
function isInputRecord(node: AstNode): boolean {
  return node.type === 'variable' && node.value === '';
}

/** Returns the keys of an object constructor whose keys are all string literals, else undefined. */
function literalKeysOf(node: AstNode): string[] | undefined {
  if (node.type !== 'unary' || node.value !== '{' || !Array.isArray(node.lhs)) return undefined;
  const names: string[] = [];
  for (const [key] of node.lhs) {
    if (key.type !== 'string' || typeof key.value !== 'string') return undefined;
    names.push(key.value);
  }
  // JSONata rejects a repeated key when it evaluates, so such an expression announces nothing.
  return new Set(names).size === names.length ? names : undefined;
}
