import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../demo/random.js';
import { compiledMoneyFunctions } from '../engine-functions.js';
import { moneyFunctions } from '../money.js';
import { compileAst, type AstNode } from './compile.js';
import { normalize } from './jsonata-suite.test-support.js';
import { FALLBACK } from './values.js';

const SEED = 20261204;
const EXPRESSIONS = 600;
const RECORDS_PER_EXPRESSION = 4;
const MAX_DEPTH = 4;

type Random = () => number;

const pick = <T>(random: Random, choices: readonly T[]): T =>
  choices[Math.floor(random() * choices.length)]!;

/** Generates an items record like Read DBF's, with the gaps and shapes that real tables have. */
function generateRecord(random: Random): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const maybe = (name: string, value: () => unknown) => {
    const roll = random();
    if (roll < 0.1) return;
    record[name] = roll < 0.2 ? null : value();
  };
  maybe('CODE', () => pick(random, ['A1', 'B-22', 'Žluť 3', '', ' x ']));
  maybe('PRICE', () => pick(random, [0, 4.35, 12.5, -3, 1e-7, 99999.9999, 100]));
  maybe('VAT', () => pick(random, [0, 10, 12, 21, 15.5]));
  maybe('STOCK', () => pick(random, [0, 1, 7, -2, 250]));
  maybe('ACTIVE', () => random() < 0.7);
  maybe('NAME', () => pick(random, ['Mléko 1 l', '  Chléb\tkmínový ', 'ABC', 'a,b;c']));
  maybe('TAGS', () => pick(random, [['a'], ['b', 'a'], [], 'single', [1, 2]]));
  maybe('ITEMS', () =>
    pick(random, [
      [
        { q: 1, p: 2.5 },
        { q: 3, p: 1 },
      ],
      [{ q: 2, p: 10 }],
      { q: 5, p: 0.1 },
      [{ q: 1 }, { p: 4 }, { q: 2, p: 2 }],
    ]),
  );
  maybe('NESTED', () => pick(random, [{ a: { b: 1 } }, { a: [{ b: 1 }, { b: 2 }] }, { a: 'x' }]));
  return record;
}

/** Operands by the type they usually have, so that most expressions evaluate without error. */
const LEAVES = {
  number: [
    'PRICE',
    'VAT',
    'STOCK',
    'ITEMS[0].q',
    '$sum(ITEMS.p)',
    '$count(TAGS)',
    '0',
    '1',
    '2.5',
    '-1',
    '3',
    '0.1',
    '100',
  ],
  string: ['CODE', 'NAME', 'TAGS[0]', '$vars.X', '"A1"', '""', '"x"', '$string(PRICE)'],
  any: [
    'TAGS',
    'TAGS[-1]',
    'ITEMS.q',
    'ITEMS.p',
    'ITEMS[q > 1].p',
    'ITEMS^(>p).q',
    'NESTED.a.b',
    'NESTED.a[b = 2]',
    '$.CODE',
    '$$.PRICE',
    'MISSING',
    'ACTIVE',
    'true',
    'null',
  ],
};
type Kind = keyof typeof LEAVES;

/** Operators and functions by result type, each with the types of its operands. */
const SHAPES: Record<Kind, [string, Kind[]][]> = {
  number: [
    ['(# + #)', ['number', 'number']],
    ['(# - #)', ['number', 'number']],
    ['(# * #)', ['number', 'number']],
    ['(# / #)', ['number', 'number']],
    ['(# % #)', ['number', 'number']],
    ['-#', ['number']],
    ['$round(#, #)', ['number', 'number']],
    ['$abs(#)', ['number']],
    ['$floor(#)', ['number']],
    ['$number(#)', ['any']],
    ['$length(#)', ['string']],
    ['$sum([#, #])', ['number', 'number']],
    ['$max([#, #])', ['number', 'number']],
    ['$count(#)', ['any']],
    ['$addVat(#, #, 2)', ['number', 'number']],
    ['$roundMoney(#, 1)', ['number']],
    ['(# ? # : #)', ['any', 'number', 'number']],
  ],
  string: [
    ['(# & #)', ['any', 'any']],
    ['$string(#)', ['any']],
    ['$substring(#, #, #)', ['string', 'number', 'number']],
    ['$trim(#)', ['string']],
    ['$uppercase(#)', ['string']],
    ['$lowercase(#)', ['string']],
    ['$join(#, #)', ['any', 'string']],
    ['$pad(#, #)', ['string', 'number']],
    ['$replace(#, "a", #)', ['string', 'string']],
    ['$formatDecimal(#, 2, ",")', ['number']],
    ['$fromMillis(#)', ['number']],
    ['$type(#)', ['any']],
    ['(# ? # : #)', ['any', 'string', 'string']],
  ],
  any: [
    ['(# = #)', ['any', 'any']],
    ['(# != #)', ['any', 'any']],
    ['(# < #)', ['number', 'number']],
    ['(# < 1)', ['number']],
    ['(# <= 0)', ['number']],
    ['(# > 1)', ['number']],
    ['(# >= 7)', ['number']],
    ['(# >= #)', ['string', 'string']],
    ['(# and #)', ['any', 'any']],
    ['(# or #)', ['any', 'any']],
    ['(# in #)', ['any', 'any']],
    ['$exists(#)', ['any']],
    ['$boolean(#)', ['any']],
    ['$not(#)', ['any']],
    ['$contains(#, #)', ['string', 'string']],
    ['$split(#, " ")', ['string']],
    ['$append(#, #)', ['any', 'any']],
    ['$lookup(#, "q")', ['any']],
    ['$keys(#)', ['any']],
    ['{ "a": #, "b": # }', ['any', 'number']],
    ['[#, #]', ['any', 'string']],
    ['($v := #; [$v, #])', ['any', 'any']],
    ['ITEMS.(#)', ['number']],
    ['ITEMS{ $string(q): # }', ['number']],
    ['(# ? # : #)', ['any', 'any', 'any']],
  ],
};

/** Generates an expression of the compiled subset that mostly yields a value of `kind`. */
function generateExpression(random: Random, depth: number, kind: Kind = 'any'): string {
  const roll = random();
  if (depth >= MAX_DEPTH || roll < 0.3) {
    // Now and then an operand of another type, so that errors and fallbacks occur as well.
    return pick(random, LEAVES[roll < 0.03 ? 'any' : kind]);
  }
  const [template, operands] = pick(random, [
    ...SHAPES[kind],
    ...(kind === 'any' ? [...SHAPES.number, ...SHAPES.string] : []),
  ]);
  let operand = 0;
  return template.replace(/#/g, () => generateExpression(random, depth + 1, operands[operand++]!));
}

type Outcome = { value: unknown } | { error: string };

async function evaluateWithLibrary(expression: jsonata.Expression, input: unknown) {
  try {
    return { value: normalize(await expression.evaluate(input)) };
  } catch (error) {
    return { error: String((error as { code?: string }).code) };
  }
}

describe('compiled expressions under differential fuzzing', () => {
  it('return what jsonata returns on generated expressions and records', async () => {
    const random = createRandom(SEED);
    const vars = { X: 'variable' };
    const tally = { compiled: 0, fellBack: 0 };

    for (let round = 0; round < EXPRESSIONS; round++) {
      const source = generateExpression(random, 0);
      const library = jsonata(source);
      library.assign('vars', vars);
      for (const [name, fn] of Object.entries(moneyFunctions)) {
        library.registerFunction(name, fn.implementation, fn.signature);
      }
      const program = compileAst(library.ast() as AstNode, { functions: compiledMoneyFunctions });

      for (let index = 0; index < RECORDS_PER_EXPRESSION; index++) {
        const record = generateRecord(random);
        const expected: Outcome = await evaluateWithLibrary(library, record);
        let compiled: Outcome;
        try {
          compiled = {
            value: normalize(program(record, Object.assign(Object.create(null), { vars }))),
          };
        } catch (error) {
          if (error !== FALLBACK) throw error;
          tally.fellBack++;
          continue;
        }
        tally.compiled++;
        expect({ source, record, outcome: compiled }).toEqual({
          source,
          record,
          outcome: expected,
        });
      }
    }

    // Most evaluations must take the compiled path, or the comparison would prove little.
    expect(tally.compiled).toBeGreaterThan(2 * tally.fellBack);
  });
});
