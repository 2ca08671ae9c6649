import {
  rejectTupleFlags,
  UnsupportedExpression,
  type AstNode,
  type Evaluator,
  type Frame,
} from './ast.js';
import { builtInFunctions, type CompiledFunction } from './functions.js';
import { compileGroup } from './groups.js';
import { compileOperator } from './operators.js';
import { compileFilter, compilePath, evaluateWildcard, selfCollapsing } from './paths.js';
import { specialize } from '../../generated-code.js';
import {
  append,
  collapse,
  fallBack,
  isFunctionValue,
  isNumeric,
  isSequence,
  isTrue,
  lookup,
  sequenceOf,
  toBoolean,
} from './values.js';

export { UnsupportedExpression, type AstNode, type Frame } from './ast.js';

/** Options of compileAst. */
export type CompileOptions = {
  /** Functions beyond jsonata's built-ins, such as the engine's $addVat, by name. */
  functions: Readonly<Record<string, CompiledFunction>>;
};

/**
 * A compiled expression. `base` is the frame of the variables bound before evaluation, such as
 * `vars`; they must be plain values, never functions.
 */
export type CompiledProgram = (input: unknown, base?: Frame) => unknown;

/**
 * Every function name that jsonata 2.2 binds. A compiled expression must not refer to one of
 * them as a value, because compiled code never handles function values.
 */
const JSONATA_FUNCTION_NAMES = new Set(
  (
    'sum count max min average string substring substringBefore substringAfter lowercase ' +
    'uppercase length trim pad match contains replace split join formatNumber formatBase ' +
    'formatInteger parseInteger number floor ceil round abs sqrt power random boolean not map ' +
    'zip filter single reduce sift keys lookup append exists spread merge reverse each error ' +
    'assert type sort shuffle distinct base64encode base64decode encodeUrlComponent encodeUrl ' +
    'decodeUrlComponent decodeUrl eval toMillis fromMillis clone now millis'
  ).split(' '),
);
/**
 * Compiles a jsonata syntax tree to a JavaScript function that returns what jsonata 2.2's
 * evaluate() returns, or throws FALLBACK where jsonata would raise an error. Throws
 * UnsupportedExpression, naming the construct, for anything outside the compiled subset.
 */
export function compileAst(ast: AstNode, options: CompileOptions): CompiledProgram {
  const functions = { ...builtInFunctions, ...options.functions };
  const bound = collectBoundNames(ast);
  for (const name of bound) {
    if (name in functions || JSONATA_FUNCTION_NAMES.has(name)) {
      throw new UnsupportedExpression(`$${name} is rebound`);
    }
  }
  const compiler = new Compiler(functions);
  const evaluate = compiler.compile(ast);
  const needsFrame = bound.size > 0 || compiler.readsRoot;

  return specialize(
    (evaluateRoot: Evaluator, hasFrame: boolean, helpers: ProgramHelpers): CompiledProgram =>
      (input, base: Frame = Object.create(null)) => {
        let context = input;
        if (Array.isArray(input) && !helpers.isSequence(input)) {
          const wrapper = helpers.sequenceOf(input);
          wrapper.outerWrapper = true;
          context = wrapper;
        }
        if (!hasFrame) return evaluateRoot(context, base);
        const frame: Frame = Object.create(base);
        frame.$ = context;
        return evaluateRoot(context, frame);
      },
    evaluate,
    needsFrame,
    { isSequence, sequenceOf },
  );
}

/** The helpers of a program's entry, passed in because specialize() copies it. */
type ProgramHelpers = { isSequence: typeof isSequence; sequenceOf: typeof sequenceOf };

function collectBoundNames(node: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const child of node) collectBoundNames(child, names);
  if (node === null || typeof node !== 'object') return names;
  const candidate = node as AstNode;
  if (candidate.type === 'bind' && (candidate.lhs as AstNode | undefined)?.type === 'variable') {
    names.add(String((candidate.lhs as AstNode).value));
  }
  for (const value of Object.values(candidate)) collectBoundNames(value, names);
  return names;
}

class Compiler {
  readsRoot = false;
  /** this.compile bound, for the path and group compilers. */
  private readonly compileNode = (node: AstNode) => this.compile(node);

  constructor(private readonly functions: Record<string, CompiledFunction>) {}

  /** Compiles a node with its predicates, grouping and singleton collapsing. */
  compile(node: AstNode): Evaluator {
    let evaluate = this.compileCore(node);
    for (const predicate of node.predicate ?? []) {
      const filter = compileFilter(predicate.expr as AstNode, this.compileNode);
      evaluate = pipe(evaluate, filter);
    }
    if (node.type !== 'path' && node.group !== undefined) {
      evaluate = pipe(evaluate, compileGroup(node.group.lhs, this.compileNode));
    }
    if (!canReturnSequence(node)) return evaluate;
    if (selfCollapsing.has(evaluate) && node.keepArray !== true) return evaluate;
    const keepArray = node.keepArray === true;
    return specialize(
      (inner: Evaluator, keep: boolean, collapseResult: typeof collapse): Evaluator =>
        (input, frame) =>
          collapseResult(inner(input, frame), keep),
      evaluate,
      keepArray,
      collapse,
    );
  }

  private compileCore(node: AstNode): Evaluator {
    rejectTupleFlags(node);
    switch (node.type) {
      case 'string':
      case 'number':
      case 'value': {
        const value = node.value;
        return () => value;
      }
      case 'name': {
        const key = String(node.value);
        return (input) => lookup(input, key);
      }
      case 'path':
        return compilePath(node, this.compileNode);
      case 'wildcard':
        return evaluateWildcard;
      case 'variable':
        return this.compileVariable(String(node.value));
      case 'binary':
        return this.compileBinary(node);
      case 'unary':
        return this.compileUnary(node);
      case 'condition':
        return this.compileCondition(node);
      case 'block':
        return this.compileBlock(node.expressions ?? []);
      case 'bind':
        return this.compileBind(node);
      case 'function':
        return this.compileFunction(node, undefined);
      case 'apply':
        return this.compileApply(node);
      default:
        throw new UnsupportedExpression(`the ${node.type} construct`);
    }
  }

  private compileVariable(name: string): Evaluator {
    if (name === '') {
      return (input) => (isSequence(input) && input.outerWrapper ? input[0] : input);
    }
    if (name === '$') this.readsRoot = true;
    if (name in this.functions || JSONATA_FUNCTION_NAMES.has(name)) {
      throw new UnsupportedExpression(`the function $${name} used as a value`);
    }
    return (_input, frame) => frame[name];
  }

  private compileBinary(node: AstNode): Evaluator {
    const operator = String(node.value);
    const left = this.compile(node.lhs as AstNode);
    const right = this.compile(node.rhs as AstNode);
    if (operator === 'and') {
      return specialize(
        (first: Evaluator, second: Evaluator, truth: typeof isTrue): Evaluator =>
          (input, frame) =>
            truth(first(input, frame)) && truth(second(input, frame)),
        left,
        right,
        isTrue,
      );
    }
    if (operator === 'or') {
      return specialize(
        (first: Evaluator, second: Evaluator, truth: typeof isTrue): Evaluator =>
          (input, frame) =>
            truth(first(input, frame)) || truth(second(input, frame)),
        left,
        right,
        isTrue,
      );
    }
    const apply = compileOperator(operator);
    if (apply === undefined) throw new UnsupportedExpression(`the ${operator} operator`);
    return specialize(
      (first: Evaluator, second: Evaluator, operate: typeof apply): Evaluator =>
        (input, frame) =>
          operate(first(input, frame), second(input, frame)),
      left,
      right,
      apply,
    );
  }

  private compileUnary(node: AstNode): Evaluator {
    if (node.value === '-') {
      const operand = this.compile(node.expression as AstNode);
      return (input, frame) => {
        const value = operand(input, frame);
        if (value === undefined) return undefined;
        return isNumeric(value) ? -value : fallBack();
      };
    }
    if (node.value === '[') return this.compileArray(node);
    if (node.value === '{') return compileGroup(node.lhs as [AstNode, AstNode][], this.compileNode);
    throw new UnsupportedExpression(`the unary ${String(node.value)} operator`);
  }

  private compileArray(node: AstNode): Evaluator {
    const items = (node.expressions ?? []).map((item) => ({
      evaluate: this.compile(item),
      isArrayConstructor: item.type === 'unary' && item.value === '[',
    }));
    const isConsArray = node.consarray === true;
    return (input, frame) => {
      let result: unknown = [];
      for (const item of items) {
        const value = item.evaluate(input, frame);
        if (value === undefined) continue;
        if (item.isArrayConstructor) (result as unknown[]).push(value);
        else result = append(result, value);
      }
      if (isConsArray) {
        Object.defineProperty(result, 'cons', { enumerable: false, value: true });
      }
      return result;
    };
  }

  private compileCondition(node: AstNode): Evaluator {
    const condition = this.compile(node.condition as AstNode);
    const then = this.compile(node.then as AstNode);
    const otherwise = node.else === undefined ? undefined : this.compile(node.else);
    return specialize(
      (
        test: Evaluator,
        whenTrue: Evaluator,
        whenFalse: Evaluator | undefined,
        truth: typeof toBoolean,
      ): Evaluator =>
        (input, frame) => {
          if (truth(test(input, frame))) return whenTrue(input, frame);
          return whenFalse === undefined ? undefined : whenFalse(input, frame);
        },
      condition,
      then,
      otherwise,
      toBoolean,
    );
  }

  private compileBlock(expressions: AstNode[]): Evaluator {
    const steps = expressions.map((expression) => this.compile(expression));
    return (input, frame) => {
      const scope: Frame = Object.create(frame);
      let result: unknown;
      for (const step of steps) result = step(input, scope);
      return result;
    };
  }

  private compileBind(node: AstNode): Evaluator {
    const target = node.lhs as AstNode;
    if (target.type !== 'variable') throw new UnsupportedExpression('binding to a non-variable');
    const name = String(target.value);
    const value = this.compile(node.rhs as AstNode);
    return (input, frame) => {
      const result = value(input, frame);
      frame[name] = result;
      return result;
    };
  }

  private compileApply(node: AstNode): Evaluator {
    const right = node.rhs as AstNode;
    const left = this.compile(node.lhs as AstNode);
    if (right.type === 'function') return this.compileFunction(right, left);
    // `value ~> $name` calls the function with the value alone, and no context.
    const definition = right.type === 'variable' ? this.functions[String(right.value)] : undefined;
    if (definition === undefined || definition.minArgs > 1 || right.predicate !== undefined) {
      throw new UnsupportedExpression('~> to a non-call');
    }
    return (input, frame) => {
      const value = left(input, frame);
      return isFunctionValue(value) ? fallBack() : definition.call([value]);
    };
  }

  private compileFunction(node: AstNode, applied: Evaluator | undefined): Evaluator {
    const procedure = node.procedure as AstNode;
    const name = String(procedure.value);
    const definition = this.functions[name];
    if (procedure.type !== 'variable' || definition === undefined) {
      throw new UnsupportedExpression(
        `the function ${procedure.type === 'variable' ? '$' : ''}${name}`,
      );
    }
    if (procedure.predicate !== undefined || procedure.group !== undefined) {
      throw new UnsupportedExpression(`a filtered function $${name}`);
    }
    const args = (node.arguments ?? []).map((argument) => this.compile(argument));
    if (applied !== undefined) args.unshift(applied);
    const takesContext = definition.usesContext && args.length < definition.minArgs;
    const count = args.length + (takesContext ? 1 : 0);
    if (count < definition.minArgs || count > definition.maxArgs) {
      throw new UnsupportedExpression(`$${name} with ${args.length} arguments`);
    }
    return specialize(
      (
        argumentList: Evaluator[],
        valueCount: number,
        passesContext: boolean,
        callee: CompiledFunction,
        helpers: CallHelpers,
      ): Evaluator =>
        (input, frame) => {
          const values: unknown[] = new Array(valueCount);
          let index = 0;
          if (passesContext) values[index++] = input;
          for (let position = 0; position < argumentList.length; position++) {
            const value = argumentList[position]!(input, frame);
            values[index++] = helpers.isFunctionValue(value) ? helpers.fallBack() : value;
          }
          try {
            return callee.call(values);
          } catch {
            // A function's own error, such as a malformed URL, is reported by jsonata.
            return helpers.fallBack();
          }
        },
      args,
      count,
      takesContext,
      definition,
      { isFunctionValue, fallBack },
    );
  }
}

/** The helpers of a function call, passed in because specialize() copies it. */
type CallHelpers = { isFunctionValue: typeof isFunctionValue; fallBack: typeof fallBack };

/** Returns an evaluator that applies `next` to what `first` returns. */
function pipe(first: Evaluator, next: (value: unknown, frame: Frame) => unknown): Evaluator {
  return specialize(
    (inner: Evaluator, outer: typeof next): Evaluator =>
      (input, frame) =>
        outer(inner(input, frame), frame),
    first,
    next,
  );
}

/** Tells whether a node's own evaluation may produce a sequence that needs collapsing. */
function canReturnSequence(node: AstNode): boolean {
  if (node.predicate !== undefined || node.keepArray === true) return true;
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value':
    case 'binary':
    case 'condition':
      return node.type === 'condition';
    case 'unary':
      return node.value !== '-' && node.group !== undefined;
    default:
      return true;
  }
}
