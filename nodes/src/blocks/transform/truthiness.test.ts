import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { isTruthy } from './truthiness.js';

describe('isTruthy', () => {
  const values: unknown[] = [
    undefined,
    null,
    true,
    false,
    0,
    1,
    -0.5,
    '',
    'x',
    [],
    [0],
    [1],
    [0, 0],
    [0, 1],
    [''],
    [[]],
    {},
    { a: 1 },
    [null],
    ['', 'a'],
    [{}],
  ];
  it.each(values.map((value) => [JSON.stringify(value) ?? 'undefined', value]))(
    'matches $boolean for %s',
    async (_, value) => {
      const expected = await jsonata('$boolean($v)').evaluate({}, { v: value });
      expect(isTruthy(value)).toBe(expected ?? false);
    },
  );
});
