import { describe, expect, it } from 'vitest';
import { createRandom } from '../demo/random.js';
import { addVat, addVatExact, formatDecimal, formatDecimalExact } from './money.js';

/** Prices with 0 to 4 decimals across magnitudes, plus values the fast path must decline. */
function generatePrices(count: number, seed: number): number[] {
  const random = createRandom(seed);
  const prices = [0, -0, 0.005, 4.35, 1.005, 99999999.9999, 0.1 + 0.2, 1e-7, 123456789012.3456];
  for (let i = 0; i < count; i++) {
    const decimals = Math.floor(random() * 6);
    const magnitude = 10 ** Math.floor(random() * 12);
    const sign = random() < 0.1 ? -1 : 1;
    const raw = sign * random() * magnitude;
    prices.push(decimals === 5 ? raw : Number(raw.toFixed(decimals)));
  }
  return prices;
}

describe('money fast paths', () => {
  const prices = generatePrices(20_000, 4_242);

  it('add VAT exactly like the BigInt path', () => {
    for (const price of prices) {
      for (const vat of [0, 10, 12, 15, 21, 27, 100, -5]) {
        for (const places of [0, 2, 4]) {
          expect(addVat(price, vat, places), `${price} at ${vat} % to ${places}`).toBe(
            addVatExact(price, vat, places),
          );
        }
      }
    }
  });

  it('format exactly like the BigInt path', () => {
    for (const value of prices) {
      for (const places of [0, 1, 2, 3, 6]) {
        expect(formatDecimal(value, places, ','), `${value} to ${places}`).toBe(
          formatDecimalExact(value, places, ','),
        );
      }
    }
  });
});
