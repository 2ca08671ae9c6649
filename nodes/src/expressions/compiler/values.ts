/**
 * JSONata's value model mirrored for compiled expressions: sequences, singleton collapsing,
 * lookup, truthiness, equality and string conversion behave as in jsonata 2.2. Where jsonata
 * would raise an error, these helpers throw FALLBACK instead, and the engine evaluates that
 * record with the jsonata library, so errors always carry the library's own code and position.
 */

/** Thrown by compiled code when jsonata must evaluate the record; never escapes the engine. */
export const FALLBACK: unique symbol = Symbol('evaluate with jsonata');

/** Throws FALLBACK. */
export function fallBack(): never {
  throw FALLBACK;
}

/** An array with jsonata's flags; `sequence` marks a result sequence that may collapse. */
export type Sequence = unknown[] & {
  sequence?: boolean;
  keepSingleton?: boolean;
  outerWrapper?: boolean;
  cons?: boolean;
};

/** Creates an empty sequence. jsonata sets `sequence` as a plain (enumerable) property. */
export function emptySequence(): Sequence {
  const sequence: Sequence = [];
  sequence.sequence = true;
  return sequence;
}

/** Creates a sequence of one value, which may be undefined, as jsonata's createSequence(x). */
export function sequenceOf(value: unknown): Sequence {
  const sequence = emptySequence();
  sequence.push(value);
  return sequence;
}

export function isSequence(value: unknown): value is Sequence {
  return Array.isArray(value) && (value as Sequence).sequence === true;
}

/** Applies the singleton rule that jsonata applies to every evaluated node. */
export function collapse(result: unknown, keepArray: boolean): unknown {
  if (!isSequence(result)) return result;
  if (keepArray) result.keepSingleton = true;
  if (result.length === 0) return undefined;
  if (result.length === 1) return result.keepSingleton ? result : result[0];
  return result;
}

/** Tells whether a value is one of jsonata's functions; compiled code never creates them. */
export function isFunctionValue(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (value === null || typeof value !== 'object') return false;
  const flags = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return flags._jsonata_function === true || flags._jsonata_lambda === true;
}

/** A number that is not NaN; an infinite number is an error in jsonata (D1001). */
export function isNumeric(value: unknown): value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (!Number.isFinite(value)) fallBack();
  return true;
}

/** Looks a key up in an object, or in every member of an array, as jsonata's lookup. */
export function lookup(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const result = emptySequence();
    for (const member of input) {
      const value = lookup(member, key);
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) result.push(item);
      else result.push(value);
    }
    return result;
  }
  if (input === null || typeof input !== 'object') return undefined;
  if (!Object.prototype.hasOwnProperty.call(input, key) || isFunctionValue(input)) return undefined;
  return (input as Record<string, unknown>)[key];
}

/** Appends like jsonata's $append: undefined is skipped, and scalars become one-item arrays. */
export function append(first: unknown, second: unknown): unknown {
  if (first === undefined) return second;
  if (second === undefined) return first;
  const head = Array.isArray(first) ? first : sequenceOf(first);
  const tail = Array.isArray(second) ? second : [second];
  return head.concat(tail);
}

/** Flattens nested arrays into one plain array. */
export function flatten(value: unknown, into: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const member of value) flatten(member, into);
  else into.push(value);
  return into;
}

/** jsonata's $boolean: undefined stays undefined. */
export function toBoolean(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 1) return toBoolean(value[0]);
    return value.length > 1 && value.some((member) => toBoolean(member));
  }
  if (typeof value === 'string') return value.length > 0;
  if (isNumeric(value)) return value !== 0;
  if (value !== null && typeof value === 'object' && !isFunctionValue(value)) {
    return Object.keys(value).length > 0;
  }
  return typeof value === 'boolean' ? value : false;
}

/** The truth of a value in `and`, `or` and conditions: undefined counts as false. */
export function isTrue(value: unknown): boolean {
  return toBoolean(value) === true;
}

/** jsonata's deep equality for `=` and `!=`. */
export function isDeepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) {
    return false;
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, i) => isDeepEqual(item, right[i]));
  }
  const leftKeys = Object.getOwnPropertyNames(left).sort();
  const rightKeys = Object.getOwnPropertyNames(right).sort();
  if (leftKeys.length !== rightKeys.length) return false;
  if (leftKeys.some((key, i) => key !== rightKeys[i])) return false;
  const l = left as Record<string, unknown>;
  const r = right as Record<string, unknown>;
  return leftKeys.every((key) => isDeepEqual(l[key], r[key]));
}

/**
 * jsonata's $string: JSON text in which non-integer numbers are rounded to 15 significant
 * digits, so 0.1 + 0.2 prints as 0.3. Infinite numbers and functions fall back to jsonata.
 */
export function toJsonataString(value: unknown, prettify = false): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fallBack();
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  }
  if (isFunctionValue(value)) fallBack();
  const unwrapped = Array.isArray(value) && (value as Sequence).outerWrapper ? value[0] : value;
  return JSON.stringify(unwrapped, replaceForString, prettify ? 2 : 0);
}

function replaceForString(_key: string, value: unknown): unknown {
  if (value !== null && value !== undefined && isNumeric(value)) {
    return Number.isInteger(value) ? value : Number(value.toPrecision(15));
  }
  if (value && isFunctionValue(value)) fallBack();
  return value;
}

/** Splits a string into code points, as jsonata counts characters. */
export function toCodePoints(text: string): string[] {
  return Array.from(text);
}
