import { numberFunctions } from './number-functions.js';
import { defineFunction, type CompiledFunction } from './signature.js';
import { stringFunctions } from './string-functions.js';
import {
  append,
  emptySequence,
  fallBack,
  isDeepEqual,
  isFunctionValue,
  isNumeric,
  isSequence,
  lookup,
  toBoolean,
} from './values.js';

export type { CompiledFunction } from './signature.js';

/** The timestamps that jsonata's $toMillis reads without a picture. */
const ISO_8601 =
  /^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$/;

/** The earliest and latest instants that jsonata's default picture prints as toISOString does. */
const FIRST_ISO_MILLIS = Date.UTC(1000, 0, 1);
const LAST_ISO_MILLIS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Formats epoch milliseconds as jsonata's $fromMillis does without a picture. */
export function formatIsoMillis(millis: number | undefined): string | undefined {
  if (millis === undefined) return undefined;
  if (!Number.isInteger(millis) || millis < FIRST_ISO_MILLIS || millis > LAST_ISO_MILLIS) {
    return fallBack();
  }
  return new Date(millis).toISOString();
}

function typeName(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 'null';
  if (isNumeric(value)) return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  return isFunctionValue(value) ? 'function' : 'object';
}

function collectKeys(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    const merged: Record<string, true> = Object.create(null);
    for (const member of value) for (const key of collectKeys(member)) merged[key as string] = true;
    return collectKeys(merged);
  }
  const result = emptySequence();
  if (value !== null && typeof value === 'object' && !isFunctionValue(value)) {
    result.push(...Object.keys(value));
  }
  return result;
}

function spread(value: unknown): unknown {
  if (Array.isArray(value)) {
    let result: unknown = emptySequence();
    for (const item of value) result = append(result, spread(item));
    return result;
  }
  if (value === null || typeof value !== 'object') return value;
  if (isFunctionValue(value)) fallBack();
  const result = emptySequence();
  for (const key of Object.keys(value)) {
    const entry: Record<string, unknown> = Object.create(null);
    entry[key] = (value as Record<string, unknown>)[key];
    result.push(entry);
  }
  return result;
}

const isPlainObject = (item: unknown) =>
  item !== null && typeof item === 'object' && !Array.isArray(item) && !isFunctionValue(item);

type List = unknown[] | undefined;

/** The array, object and other functions of jsonata 2.2 that take no function arguments. */
const collectionFunctions: Record<string, CompiledFunction> = {
  count: defineFunction('a', (list: List) => (list === undefined ? 0 : list.length)),
  exists: defineFunction('x', (value: unknown) => value !== undefined),
  boolean: defineFunction('x-', toBoolean),
  not: defineFunction('x-', (value: unknown) =>
    value === undefined ? undefined : !toBoolean(value),
  ),
  type: defineFunction('x', typeName),
  lookup: defineFunction('x-s', (object: unknown, key: string | undefined) =>
    lookup(object, key ?? fallBack()),
  ),
  append: defineFunction('xx', append),
  keys: defineFunction('x-', collectKeys),
  spread: defineFunction('x-', spread),
  reverse: defineFunction('a', (list: List) =>
    list === undefined || list.length <= 1 ? list : [...list].reverse(),
  ),
  merge: defineFunction('a', (list: List) => {
    if (list === undefined) return undefined;
    if (!list.every(isPlainObject)) fallBack();
    return Object.assign(Object.create(null), ...list);
  }),
  sort: defineFunction('a', (list: List) => {
    if (list === undefined || list.length <= 1) return list;
    const isNumbers = list.every((item) => typeof item === 'number');
    if (!isNumbers && !list.every((item) => typeof item === 'string')) fallBack();
    return [...list].sort((a, b) => ((a as number) > (b as number) ? 1 : a === b ? 0 : -1));
  }),
  distinct: defineFunction('x', (value: unknown) => {
    if (!Array.isArray(value) || value.length <= 1) return value;
    const results = isSequence(value) ? emptySequence() : [];
    for (const item of value) {
      if (!results.some((kept) => isDeepEqual(item, kept))) results.push(item);
    }
    return results;
  }),
  zip: defineFunction('a+', (...lists: List[]) => {
    const length = Math.min(...lists.map((list) => list?.length ?? 0));
    return Array.from({ length }, (_, i) => lists.map((list) => list![i]));
  }),
  single: defineFunction('a', (list: List) => {
    if (list === undefined) return undefined;
    return list.length === 1 ? list[0] : fallBack();
  }),
  shuffle: defineFunction('a', (list: List) => {
    if (list === undefined || list.length <= 1) return list;
    const result = [...list];
    for (let i = result.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [result[i], result[j]] = [result[j], result[i]];
    }
    return result;
  }),
  assert: defineFunction('bs?', (condition: boolean | undefined) =>
    condition === true ? undefined : fallBack(),
  ),
  toMillis: defineFunction('s-', (text: string | undefined) => {
    if (text === undefined) return undefined;
    return ISO_8601.test(text) ? Date.parse(text) : fallBack();
  }),
  fromMillis: defineFunction('n-', formatIsoMillis),
};

/**
 * The built-in functions of jsonata 2.2 that compiled expressions call directly. Each follows the
 * library's implementation for the argument types its signature accepts; other types, regular
 * expressions, function arguments and pictures fall back to the library.
 */
export const builtInFunctions: Record<string, CompiledFunction> = {
  ...stringFunctions,
  ...numberFunctions,
  ...collectionFunctions,
};
