import { describe, expect, it } from 'vitest';
import { createExpressionEngine } from './engine.js';
import { addVat, formatDecimal, roundMoney } from './money.js';
import { createRandom } from '../demo/random.js';

/** The three ways an expression commonly writes a gross price, in double arithmetic. */
const grossFormulas: Record<string, (price: number, vat: number) => number> = {
  'PRICE * (100 + VAT) / 100': (price, vat) => (price * (100 + vat)) / 100,
  'PRICE + PRICE * VAT / 100': (price, vat) => price + (price * vat) / 100,
  'PRICE * (1 + VAT / 100)': (price, vat) => price * (1 + vat / 100),
};

/** Prices with up to 4 decimals below 100,000,000: the range roundMoney's bound covers. */
function generatePrices(count: number, seed: number): number[] {
  const random = createRandom(seed);
  const prices: number[] = [];
  for (let i = 0; i < count; i++) {
    const decimals = Math.floor(random() * 5);
    const magnitude = 10 ** Math.floor(random() * 9);
    const units = Math.floor(random() * magnitude * 10 ** decimals);
    const price = Number(`${units}e-${decimals}`);
    if (Math.abs(price) < 1e8) prices.push(i % 2 === 0 ? price : -price);
  }
  return prices;
}

/** Prices whose gross amount ends in a 5 in the third decimal, or sits at the range edge. */
const edgePrices = [
  0.05, 0.15, 0.25, 0.35, 1.005, 2.675, 4.35, 8.345, 10.235, 1.115, 0.285, 3.5, 24.9, 99.995,
  1234.5678, 9999.9995, 12345678.9995, 99999999.9999, 99999999.9995, 49999999.995, 0.0001, 0.0005,
  -4.35, -2.675, -99999999.9999,
];

function findMismatches(prices: readonly number[], rates: readonly number[]): string[] {
  const mismatches: string[] = [];
  for (const price of prices) {
    for (const vat of rates) {
      const expected = addVat(price, vat);
      for (const [name, formula] of Object.entries(grossFormulas)) {
        const actual = roundMoney(formula(price, vat));
        if (actual !== expected)
          mismatches.push(`${name} at ${price}, ${vat}: ${actual} ≠ ${expected}`);
      }
    }
  }
  return mismatches;
}

const vatRates = Array.from({ length: 28 }, (_, rate) => rate);

describe('addVat', () => {
  it.each([
    [3.5, 21, 4.24],
    [4.35, 10, 4.79],
    [150, 12, 168],
    [24.9, 21, 30.13],
    [1234.56, 21, 1493.82],
    [-4.35, 10, -4.79],
    [-3.5, 21, -4.24],
    [0, 21, 0],
    [1.005, 0, 1.01],
    [10, 10.5, 11.05],
    [12345678.9995, 21, 14938271.59],
    [99999999.9999, 27, 127000000],
  ])('adds VAT to %s at rate %s giving %s', (price, vat, gross) => {
    expect(addVat(price, vat)).toBe(gross);
  });

  it('rounds to the requested places', () => {
    expect(addVat(4.35, 10, 0)).toBe(5);
    expect(addVat(4.35, 10, 3)).toBe(4.785);
    expect(addVat(4.35, 10, 1)).toBe(4.8);
    expect(addVat(1234.56, 21, -2)).toBe(1500);
  });

  it('reads numbers in exponent form', () => {
    expect(addVat(1e-7, 21, 10)).toBe(1.21e-7);
    expect(addVat(1e21, 10)).toBe(1.1e21);
  });

  it('returns undefined for null or undefined', () => {
    expect(addVat(null, 21)).toBeUndefined();
    expect(addVat(undefined, 21)).toBeUndefined();
    expect(addVat(10, null)).toBeUndefined();
  });

  it('rejects invalid places and non-finite numbers', () => {
    expect(() => addVat(10, 21, 2.5)).toThrow(
      expect.objectContaining({ code: 'MONEY_PLACES_INVALID' }),
    );
    expect(() => addVat(10, 21, 21)).toThrow(
      expect.objectContaining({ code: 'MONEY_PLACES_INVALID' }),
    );
    expect(() => addVat(Number.NaN, 21)).toThrow(
      expect.objectContaining({ code: 'MONEY_NOT_A_NUMBER' }),
    );
    expect(() => addVat(10, Infinity)).toThrow(
      expect.objectContaining({ code: 'MONEY_NOT_A_NUMBER' }),
    );
  });
});

describe('roundMoney', () => {
  it('removes binary noise before rounding half away from zero', () => {
    expect((4.35 * 110) / 100).toBe(4.784999999999999);
    expect(roundMoney((4.35 * 110) / 100)).toBe(4.79);
    expect(roundMoney(1.005)).toBe(1.01);
    expect(roundMoney(2.675)).toBe(2.68);
    expect(roundMoney(-2.675)).toBe(-2.68);
    expect(roundMoney(0.125, 2)).toBe(0.13);
    expect(roundMoney(0.115, 2)).toBe(0.12);
  });

  it('rounds to the requested places', () => {
    expect(roundMoney(7.125, 0)).toBe(7);
    expect(roundMoney(7.5, 0)).toBe(8);
    expect(roundMoney(-7.5, 0)).toBe(-8);
    expect(roundMoney(7.125, 3)).toBe(7.125);
    expect(roundMoney(1250, -2)).toBe(1300);
  });

  it('returns zero, not negative zero, for tiny negatives', () => {
    expect(Object.is(roundMoney(-0.001), 0)).toBe(true);
  });

  it('moves values with more than 15 digits across a boundary', () => {
    expect(roundMoney(0.004999999999999999)).toBe(0.01);
  });

  it('returns undefined for null or undefined', () => {
    expect(roundMoney(null)).toBeUndefined();
    expect(roundMoney(undefined)).toBeUndefined();
  });

  it('matches addVat for all cent prices to 100', () => {
    const cents = Array.from({ length: 10_001 }, (_, i) => i / 100);

    expect(findMismatches(cents, vatRates)).toEqual([]);
  });

  it('matches addVat for generated prices below the bound', () => {
    expect(findMismatches(generatePrices(4_000, 20_261_204), vatRates)).toEqual([]);
  });

  it('matches addVat for VAT rates up to 100', () => {
    const allRates = Array.from({ length: 101 }, (_, rate) => rate);

    expect(findMismatches(generatePrices(300, 7), allRates)).toEqual([]);
  });

  it('matches addVat for edge prices', () => {
    expect(findMismatches(edgePrices, vatRates)).toEqual([]);
  });
});

describe('formatDecimal', () => {
  it.each([
    [7.125, undefined, ',', '7,125'],
    [5, undefined, ',', '5'],
    [1.5, undefined, ',', '1,5'],
    [-1.5, undefined, '.', '-1.5'],
    [0.1 + 0.2, undefined, '.', '0.3'],
    [1e-7, undefined, '.', '0.0000001'],
    [-1.5e-10, undefined, ',', '-0,00000000015'],
    [1e20, undefined, '.', '100000000000000000000'],
    [123456789012345680000, undefined, '.', '123456789012346000000'],
    [5, 2, '.', '5.00'],
    [7.125, 2, ',', '7,13'],
    [-7.125, 2, ',', '-7,13'],
    [2.675, 2, '.', '2.68'],
    [-0.001, 2, '.', '0.00'],
    [0.5, 0, '.', '1'],
    [1234.5, -2, '.', '1200'],
    [0.05, 4, '.', '0.0500'],
  ])('formats %s with places %s and separator %s as %s', (value, places, separator, text) => {
    expect(formatDecimal(value, places, separator)).toBe(text);
  });

  it('uses a point by default', () => {
    expect(formatDecimal(1.5)).toBe('1.5');
  });

  it('returns undefined for null or undefined', () => {
    expect(formatDecimal(null, 2)).toBeUndefined();
    expect(formatDecimal(undefined)).toBeUndefined();
  });

  it('rejects an empty separator', () => {
    expect(() => formatDecimal(1, 2, '')).toThrow(
      expect.objectContaining({ code: 'MONEY_SEPARATOR_INVALID' }),
    );
  });
});

describe('money functions in the expression engine', () => {
  const warnings: string[] = [];
  const engine = createExpressionEngine({
    variables: {},
    runStartedAt: new Date('2026-01-01T00:00:00Z'),
    onWarning: (message) => warnings.push(message),
  });
  const evaluate = (source: string, input: unknown = {}) =>
    engine.compile(source, 'expression').evaluate(input, 1);

  it('adds VAT exactly where $round does not', async () => {
    expect(await evaluate('$round(PRICE * (100 + VAT) / 100, 2)', { PRICE: 4.35, VAT: 10 })).toBe(
      4.78,
    );
    expect(await evaluate('$addVat(PRICE, VAT)', { PRICE: 4.35, VAT: 10 })).toBe(4.79);
    expect(await evaluate('$addVat(PRICE, VAT, 3)', { PRICE: 4.35, VAT: 10 })).toBe(4.785);
  });

  it('rounds expression results like addVat', async () => {
    const expression = engine.compile(
      '[$roundMoney(PRICE * (100 + VAT) / 100), $roundMoney(PRICE + PRICE * VAT / 100), ' +
        '$roundMoney(PRICE * (1 + VAT / 100))]',
      'expression',
    );
    const mismatches: string[] = [];
    for (const price of [...generatePrices(150, 99), ...edgePrices]) {
      for (const vat of vatRates) {
        const expected = addVat(price, vat);
        const results = (await expression.evaluate({ PRICE: price, VAT: vat })) as number[];
        for (const result of results) {
          if (result !== expected) mismatches.push(`${price} at ${vat}: ${result} ≠ ${expected}`);
        }
      }
    }

    expect(mismatches).toEqual([]);
  });

  it('formats with a separator, with or without places', async () => {
    expect(await evaluate("$formatDecimal(7.125, ',')")).toBe('7,125');
    expect(await evaluate("$formatDecimal(7.125, null, ',')")).toBe('7,125');
    expect(await evaluate("$formatDecimal(7.125, 2, ',')")).toBe('7,13');
    expect(await evaluate('$formatDecimal(5)')).toBe('5');
  });

  it('drops keys whose value is null', async () => {
    const result = await evaluate(
      '{ "gross": $addVat(PRICE, VAT), "rounded": $roundMoney(PRICE), ' +
        '"text": $formatDecimal(PRICE, 2), "missing": $addVat(NOPE, VAT) }',
      { PRICE: null, VAT: 21 },
    );

    expect(result).toEqual({});
  });

  it('rejects a string price through the signature', async () => {
    await expect(evaluate('$addVat("4.35", 21)')).rejects.toMatchObject({
      code: 'EXPRESSION_FAILED',
      message: expect.stringContaining('T0410'),
    });
  });

  it('reports invalid places with the function code', async () => {
    await expect(evaluate('$roundMoney(1.5, 1.5)')).rejects.toMatchObject({
      code: 'EXPRESSION_FAILED',
      message: expect.stringContaining('MONEY_PLACES_INVALID'),
    });
  });

  it('rejects places and a separator both given as text', async () => {
    await expect(evaluate("$formatDecimal(1.5, ',', ';')")).rejects.toMatchObject({
      message: expect.stringContaining('MONEY_PLACES_INVALID'),
    });
  });
});
