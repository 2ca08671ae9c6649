import { type AstNode, type CompileNode, type Evaluator, type Frame } from './ast.js';
import { canGenerateCode, compileGenerated } from '../../generated-code.js';
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

  const evaluateAny = (input: unknown, frame: Frame) => evaluateGroup(compiled, input, frame);
  if (fastOrder === undefined) return evaluateAny;
  const values = fastOrder.map((index) => compiled[index]!.value);
  const keys = fastOrder.map((index) => literalKeys[index]!);
  if (canGenerateCode) return compileObjectBuilder(keys, values, evaluateAny);

  return (input, frame) => {
    if (Array.isArray(input)) return evaluateAny(input, frame);
    const result: Record<string, unknown> = {};
    for (let index = 0; index < keys.length; index++) {
      const value = values[index]!(input, frame);
      if (value !== undefined) result[keys[index]!] = value;
    }
    return result;
  };
}

/**
 * Builds an object with literal keys from generated code, with one statement per key. Each
 * statement has its own call and its own store of a literal property name, so V8 can inline the
 * value's evaluator and every result gets the same shape. A loop over the keys would have one
 * store site that sees every key and one call site that sees every evaluator.
 *
 * A plain object keeps a fast shape; orderLiteralKeys excludes `__proto__`, which would set its
 * prototype instead of a key. jsonata's own objects have no prototype. An array input, whose
 * members are grouped, goes to `evaluateAny`.
 */
function compileObjectBuilder(
  keys: string[],
  values: Evaluator[],
  evaluateAny: Evaluator,
): Evaluator {
  const bindings: Record<string, unknown> = { evaluateAny };
  const lines = [
    'return function buildObject(input, frame) {',
    '  if (Array.isArray(input)) return evaluateAny(input, frame);',
    '  const result = {};',
    '  let value;',
  ];
  keys.forEach((key, index) => {
    bindings[`evaluate${index}`] = values[index];
    lines.push(`  value = evaluate${index}(input, frame);`);
    lines.push(`  if (value !== undefined) result[${JSON.stringify(key)}] = value;`);
  });
  lines.push('  return result;', '};');
  return compileGenerated<Evaluator>(lines.join('\n'), bindings);
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
