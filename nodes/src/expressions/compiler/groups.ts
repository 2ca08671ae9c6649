import { type AstNode, type CompileNode, type Evaluator, type Frame } from './ast.js';
import { append, fallBack, sequenceOf } from './values.js';

/** Compiles an object constructor as jsonata's evaluateGroupExpression (without tuples). */
export function compileGroup(
  pairs: [AstNode, AstNode][],
  compile: CompileNode,
): (input: unknown, frame: Frame) => unknown {
  const compiled = pairs.map(([key, value]) => ({
    key: compile(key),
    value: compile(value),
  }));
  const literalKeys = pairs.map(([key]) => (key.type === 'string' ? String(key.value) : null));
  const fastOrder = orderLiteralKeys(literalKeys);

  return (input, frame) => {
    if (fastOrder !== undefined && !Array.isArray(input)) {
      // A plain object keeps a fast shape; orderLiteralKeys excludes `__proto__`, which would
      // set its prototype instead of a key. jsonata's own objects have no prototype.
      const result: Record<string, unknown> = {};
      for (const index of fastOrder) {
        const value = compiled[index]!.value(input, frame);
        if (value !== undefined) result[literalKeys[index]!] = value;
      }
      return result;
    }
    return evaluateGroup(compiled, input, frame);
  };
}

/**
 * Orders an object constructor's keys as jsonata emits them (Object.keys order, integer-like
 * keys first), when all are distinct string literals; returns undefined otherwise.
 */
function orderLiteralKeys(keys: (string | null)[]): number[] | undefined {
  if (keys.some((key) => key === null) || new Set(keys).size !== keys.length) return undefined;
  const reserved = ['_jsonata_lambda', '_jsonata_function', '__proto__'];
  if (keys.some((key) => reserved.includes(key!))) {
    return undefined;
  }
  const positions: Record<string, number> = Object.create(null);
  keys.forEach((key, index) => (positions[key!] = index));
  return Object.keys(positions).map((key) => positions[key]!);
}

type CompiledPair = { key: Evaluator; value: Evaluator };

function evaluateGroup(pairs: CompiledPair[], input: unknown, frame: Frame): unknown {
  const items: unknown[] = Array.isArray(input) ? input : sequenceOf(input);
  if (items.length === 0) items.push(undefined);
  const groups: Record<string, { data: unknown; pair: number }> = Object.create(null);
  for (const item of items) {
    for (let pair = 0; pair < pairs.length; pair++) {
      const key = pairs[pair]!.key(item, frame);
      if (key === undefined) continue;
      if (typeof key !== 'string' || key === '_jsonata_lambda' || key === '_jsonata_function') {
        fallBack();
      }
      const existing = groups[key];
      if (existing === undefined) groups[key] = { data: item, pair };
      else if (existing.pair !== pair) fallBack();
      else existing.data = append(existing.data, item);
    }
  }
  const result: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(groups)) {
    const entry = groups[key]!;
    const value = pairs[entry.pair]!.value(entry.data, frame);
    if (value !== undefined) result[key] = value;
  }
  return result;
}
