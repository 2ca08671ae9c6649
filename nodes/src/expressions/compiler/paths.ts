import {
  rejectTupleFlags,
  UnsupportedExpression,
  type AstNode,
  type CompileNode,
  type Evaluator,
  type Frame,
} from './ast.js';
import { compileGroup } from './groups.js';
import { specialize } from '../../generated-code.js';
import {
  append,
  collapse,
  emptySequence,
  fallBack,
  flatten,
  isFunctionValue,
  isNumeric,
  isSequence,
  lookup,
  sequenceOf,
  toBoolean,
  type Sequence,
} from './values.js';

export function compilePath(node: AstNode, compile: CompileNode): Evaluator {
  const steps = node.steps ?? [];
  if (node.tuple !== undefined) throw new UnsupportedExpression('a tuple path');
  const compiled = steps.map((step) => {
    const stages = (step.stages ?? []).map((stage) => {
      if (stage.type !== 'filter') throw new UnsupportedExpression(`the ${stage.type} stage`);
      return compileFilter(stage.expr as AstNode, compile);
    });
    if (step.type === 'sort') {
      return { evaluate: fallBack, sort: compileSort(step, compile), stages, isConsArray: false };
    }
    return { evaluate: compile(step), stages, isConsArray: step.consarray === true };
  });
  const isAbsolute = steps[0]?.type === 'variable';
  const keepSingletonArray = node.keepSingletonArray === true;
  const group = node.group === undefined ? undefined : compileGroup(node.group.lhs, compile);
  const single = compiled.length === 1 && compiled[0]!.stages.length === 0 ? steps[0] : undefined;
  const fastKey =
    single?.type === 'name' && !keepSingletonArray && group === undefined && !single.predicate
      ? String(single.value)
      : undefined;

  const general: Evaluator = (input, frame) => {
    let sequence: unknown[] = Array.isArray(input) && !isAbsolute ? input : sequenceOf(input);
    let result: unknown;
    for (let index = 0; index < compiled.length; index++) {
      const step = compiled[index]!;
      if (index === 0 && step.isConsArray) result = step.evaluate(sequence, frame);
      else result = evaluateStep(step, sequence, frame, index === compiled.length - 1);
      if (result === undefined || (result as unknown[]).length === 0) break;
      sequence = result as unknown[];
    }
    if (keepSingletonArray) {
      if (!Array.isArray(result)) return fallBack();
      let kept = result as Sequence;
      if (kept.cons && !kept.sequence) kept = sequenceOf(kept);
      kept.keepSingleton = true;
      result = kept;
    }
    return group === undefined ? result : group(result, frame);
  };
  if (fastKey === undefined) return general;

  // A name on a plain record is the common case: `CODE` is record.CODE unless that is an array.
  // This evaluator collapses singleton sequences itself, so compile() adds no wrapper.
  const fast = specialize(
    (key: string, isInherited: boolean, evaluateGeneral: Evaluator, helpers: FastPathHelpers) =>
      (input: unknown, frame: Frame): unknown => {
        if (input === null || typeof input !== 'object' || Array.isArray(input)) {
          return helpers.collapse(evaluateGeneral(input, frame), false);
        }
        // On an object whose prototype is Object.prototype or null, reading a key that
        // Object.prototype lacks gives the own value or undefined, as lookup() does, without
        // its hasOwnProperty call. The read site is this copy's own, so it stays monomorphic.
        const prototype = Object.getPrototypeOf(input);
        let value: unknown;
        if (isInherited || (prototype !== Object.prototype && prototype !== null)) {
          value = helpers.lookup(input, key);
        } else {
          const record = input as Record<string, unknown>;
          const isFunction = record._jsonata_function === true || record._jsonata_lambda === true;
          value = isFunction ? undefined : record[key];
        }
        return Array.isArray(value)
          ? helpers.collapse(evaluateGeneral(input, frame), false)
          : value;
      },
    fastKey,
    fastKey in Object.prototype,
    general,
    { collapse, lookup },
  );
  selfCollapsing.add(fast);
  return fast;
}

/** The helpers of the field fast path, passed in because specialize() copies it. */
type FastPathHelpers = { collapse: typeof collapse; lookup: typeof lookup };

/** Evaluators that apply the singleton rule themselves. */
export const selfCollapsing = new WeakSet<Evaluator>();

/**
 * Compiles a sort step `^(...)`. jsonata compares pairs in a stable merge sort and raises an
 * error on the first pair of mixed or non-scalar keys. This evaluates every key once and falls
 * back when any key could cause such an error, then sorts stably with the same order.
 */
export function compileSort(
  node: AstNode,
  compile: CompileNode,
): (input: unknown[], frame: Frame) => unknown {
  rejectTupleFlags(node);
  const terms = (node.terms as { descending: boolean; expression: AstNode }[]).map((term) => {
    if (JSON.stringify(term.expression).includes('"warn"')) {
      throw new UnsupportedExpression('$warn in a sort key');
    }
    return { descending: term.descending, key: compile(term.expression) };
  });
  return (input, frame) => {
    if (input.length <= 1) return input;
    const keys = input.map((item) => terms.map((term) => term.key(item, frame)));
    for (let term = 0; term < terms.length; term++) {
      const types = new Set(keys.map((row) => typeof row[term]));
      types.delete('undefined');
      if (types.size > 1 || [...types].some((type) => type !== 'string' && type !== 'number')) {
        fallBack();
      }
    }
    const order = input.map((_, index) => index);
    order.sort((a, b) => compareKeys(keys[a]!, keys[b]!, terms));
    return order.map((index) => input[index]);
  };
}

/** Compiles a predicate `[...]` as jsonata's evaluateFilter. */
export function compileFilter(
  predicate: AstNode,
  compile: CompileNode,
): (input: unknown, frame: Frame) => unknown {
  if (predicate.type === 'number') {
    const position = Math.floor(predicate.value as number);
    return (input) => {
      const items = Array.isArray(input) ? input : sequenceOf(input);
      const item = items[position < 0 ? items.length + position : position];
      if (item === undefined) return emptySequence();
      return Array.isArray(item) ? item : sequenceOf(item);
    };
  }
  const test = compile(predicate);
  return (input, frame) => {
    const items = Array.isArray(input) ? input : sequenceOf(input);
    const results = emptySequence();
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      let verdict = test(item, frame);
      if (isNumeric(verdict)) verdict = [verdict];
      if (Array.isArray(verdict) && verdict.every((member) => isNumeric(member))) {
        for (const member of verdict as number[]) {
          const position = Math.floor(member);
          if ((position < 0 ? items.length + position : position) === index) results.push(item);
        }
      } else if (toBoolean(verdict)) {
        results.push(item);
      }
    }
    return results;
  };
}

function compareKeys(a: unknown[], b: unknown[], terms: { descending: boolean }[]): number {
  for (let index = 0; index < terms.length; index++) {
    const left = a[index] as string | number | undefined;
    const right = b[index] as string | number | undefined;
    if (left === undefined) {
      if (right === undefined) continue;
      return 1;
    }
    if (right === undefined) return -1;
    if (left === right) continue;
    const comparison = left < right ? -1 : 1;
    return terms[index]!.descending ? -comparison : comparison;
  }
  return 0;
}

type CompiledStep = {
  evaluate: Evaluator;
  sort?: (input: unknown[], frame: Frame) => unknown;
  stages: ((input: unknown, frame: Frame) => unknown)[];
};

/** Evaluates one step of a path on every item of the input sequence, as jsonata's evaluateStep. */
function evaluateStep(step: CompiledStep, input: unknown[], frame: Frame, isLast: boolean) {
  if (step.sort !== undefined) {
    let sorted = step.sort(input, frame);
    for (const stage of step.stages) sorted = stage(sorted, frame);
    return sorted as unknown[];
  }
  const results = emptySequence();
  for (const item of input) {
    let value = step.evaluate(item, frame);
    for (const stage of step.stages) value = stage(value, frame);
    if (value !== undefined) results.push(value);
  }
  if (isLast && results.length === 1 && Array.isArray(results[0]) && !isSequence(results[0])) {
    return results[0] as unknown[];
  }
  const flattened = emptySequence();
  for (const value of results) {
    if (!Array.isArray(value) || (value as Sequence).cons) flattened.push(value);
    else for (const member of value) flattened.push(member);
  }
  return flattened;
}

export function evaluateWildcard(input: unknown): unknown {
  let results: unknown = emptySequence();
  const source = isSequence(input) && input.outerWrapper && input.length > 0 ? input[0] : input;
  if (source === null || typeof source !== 'object' || isFunctionValue(source)) return results;
  for (const key of Object.keys(source)) {
    const value = (source as Record<string, unknown>)[key];
    if (Array.isArray(value)) results = append(results, flatten(value));
    else (results as unknown[]).push(value);
  }
  return results;
}
