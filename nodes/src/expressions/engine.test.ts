import { describe, expect, it } from 'vitest';
import jsonata from 'jsonata';
import {
  canRunAway,
  createExpressionEngine,
  findConstructedFields,
  findMergedInputFields,
  findVariableReferences,
  type ExpressionPlan,
} from './engine.js';

const runStartedAt = new Date('2026-12-04T08:30:00.000Z');

function engine(warnings: [string, number | undefined][] = [], timeoutMs = 5000) {
  return createExpressionEngine({
    variables: { TARGET: 'out/stock.csv' },
    runStartedAt,
    onWarning: (message, record) => warnings.push([message, record]),
    limits: { timeoutMs, maxDepth: 200 },
  });
}

describe('createExpressionEngine', () => {
  it('binds flow variables as $vars', async () => {
    expect(await engine().compile('$vars.TARGET', 'path').evaluate({})).toBe('out/stock.csv');
  });

  it('returns the run start from $now and $millis', async () => {
    const expression = engine().compile('[$now(), $millis(), $now("[Y0001]-[M01]-[D01]")]', 'x');
    expect(await expression.evaluate({})).toEqual([
      '2026-12-04T08:30:00.000Z',
      runStartedAt.getTime(),
      '2026-12-04',
    ]);
  });

  it('records $warn with the record number and returns false', async () => {
    const warnings: [string, number | undefined][] = [];
    const expression = engine(warnings).compile('$warn("no price for " & CODE)', 'condition');
    expect(await expression.evaluate({ CODE: 'A1' }, 12)).toBe(false);
    expect(warnings).toEqual([['no price for A1', 12]]);
  });

  it('registers the money functions', async () => {
    expect(
      await engine().compile('$formatDecimal($addVat(4.35, 10), 2, ",")', 'x').evaluate({}),
    ).toBe('4,79');
  });

  it('stops runaway recursion at the depth limit', async () => {
    const expression = engine().compile(
      '($f := function($n) { 1 + $f($n + 1) }; $f(0))',
      'expression',
    );
    await expect(expression.evaluate({}, 3)).rejects.toThrow(
      /failed on record 3: expression nested deeper than 200 levels \(U1001\)/,
    );
  });

  it('stops a long evaluation at the time limit', async () => {
    const expression = engine([], 50).compile('$sum([1..5000000].($ * 2))', 'expression');
    await expect(expression.evaluate({})).rejects.toThrow(/ran longer than 50 ms/);
  });

  it('compiles the subset and returns its results directly', () => {
    const expression = engine().compile('{ "code": CODE, "gross": $addVat(PRICE, 21) }', 'x');
    expect(expression.isCompiled).toBe(true);
    expect(expression.evaluateNow({ CODE: 'A1', PRICE: 100 })).toEqual({ code: 'A1', gross: 121 });
  });

  it('compiles $now and $millis to the run start', () => {
    const expression = engine().compile('{ "now": $now(), "millis": $millis() }', 'x');
    expect(expression.isCompiled).toBe(true);
    expect(expression.evaluateNow({})).toEqual({
      now: '2026-12-04T08:30:00.000Z',
      millis: runStartedAt.getTime(),
    });
  });

  it('runs expressions outside the subset on the library and says why', async () => {
    const plans: ExpressionPlan[] = [];
    const withPlans = createExpressionEngine({
      variables: {},
      runStartedAt,
      onWarning: () => {},
      onPlan: (plan) => plans.push(plan),
    });
    const expression = withPlans.compile('$map([1, 2], function($v) { $v * 2 })', 'expression');
    expect(expression.isCompiled).toBe(false);
    expect([...((await expression.evaluate({})) as number[])]).toEqual([2, 4]);
    expect(plans).toEqual([
      {
        parameter: 'expression',
        source: '$map([1, 2], function($v) { $v * 2 })',
        isCompiled: false,
        reason: 'the function $map',
      },
    ]);
  });

  it('reports the library error where compiled code meets a rejected input', async () => {
    const expression = engine().compile('$uppercase(CODE)', 'expression');
    expect(expression.isCompiled).toBe(true);
    await expect(expression.evaluate({ CODE: 5 }, 7)).rejects.toThrow(
      /failed on record 7: .*\(T0410\)/,
    );
  });

  it('warns once when a record falls back to the library', async () => {
    const warnings: [string, number | undefined][] = [];
    const expression = engine(warnings).compile('($warn("check"); $number(CODE))', 'x');
    expect(expression.isCompiled).toBe(true);
    await expect(expression.evaluate({ CODE: 'abc' }, 2)).rejects.toThrow(/D3030/);
    expect(warnings).toEqual([['check', 2]]);
  });

  it('names the parameter and position of a syntax error', () => {
    expect(() => engine().compile('{ "a": }', 'expression')).toThrow(
      /^invalid JSONata in "expression" at character 8: /,
    );
  });
});

describe('findVariableReferences', () => {
  it('lists each $vars name once, wherever it is used', () => {
    const source = '{ "a": $vars.SOURCE, "b": [$vars.TARGET, $f($vars.SOURCE)], "c": $other.X }';
    expect(findVariableReferences(source, 'expression').sort()).toEqual(['SOURCE', 'TARGET']);
  });
});

describe('findConstructedFields', () => {
  it('lists the literal keys of an object constructor', () => {
    const source = '{ "code": CODE, "price": $addVat(PRICE, VAT), "name": NAME }';

    expect(findConstructedFields(source, 'expression')).toEqual(['code', 'price', 'name']);
  });

  it.each([
    ['{ code: CODE }'],
    ['{ "a": 1, "a": 2 }'],
    ['$merge([{ "a": 1 }])'],
    ['CODE'],
    ['[{ "a": 1 }]'],
    ['{ "a": 1 }.{ "b": a }'],
  ])('returns undefined for %s', (source) => {
    expect(findConstructedFields(source, 'expression')).toBeUndefined();
  });
});

describe('findMergedInputFields', () => {
  it('returns no added keys for $', () => {
    expect(findMergedInputFields('$', 'expression')).toEqual([]);
  });

  it('lists the keys $merge adds to $', () => {
    const source = '$merge([$, { "vat": 21, "price": PRICE }, { "unit": "ks" }])';

    expect(findMergedInputFields(source, 'expression')).toEqual(['vat', 'price', 'unit']);
  });

  it.each([
    ['{ "a": 1 }'],
    ['$merge([{ "a": 1 }, $])'],
    ['$merge([$, { a: 1 }])'],
    ['$merge([$, $other])'],
    ['$merge($)'],
    ['$sift($, function($v) { $v })'],
    ['CODE'],
  ])('returns undefined for %s', (source) => {
    expect(findMergedInputFields(source, 'expression')).toBeUndefined();
  });
});

describe('canRunAway', () => {
  it.each([
    ['($f := function($n) { $f($n) }; $f(1))', true],
    ['$map(items, λ($x) { $x * 2 })', true],
    ['[1..n]', true],
    ['$eval(source)', true],
    ['{ "code": CODE, "price": $addVat(PRICE, VAT) }', false],
    ['items[price > 10].name ~> $join(", ")', false],
  ])('%s is %s', (source, expected) => {
    expect(canRunAway(jsonata(source).ast())).toBe(expected);
  });
});
