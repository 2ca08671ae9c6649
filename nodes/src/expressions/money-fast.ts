/**
 * Fast paths of the money functions in plain doubles, for the common case: prices with up to 4
 * decimals and whole VAT rates. Each returns undefined where it cannot be exact, and the callers
 * then take the BigInt path, so the results are identical (a differential test checks this).
 * The BigInt path costs a regular expression and several BigInt operations per call.
 */

/**
 * Below this many scaled units a value has at most 15 significant digits. Such decimals and
 * their nearest doubles correspond one to one, and integer arithmetic in doubles stays exact.
 */
const MAX_UNITS = 1e15;

/** Prices are read with up to 4 decimals. */
const PRICE_SCALE = 10_000;

/**
 * Adds VAT like addVat when the price has at most 4 decimals, the rate is whole and `places`
 * is 0 to 6; returns undefined otherwise.
 */
export function addVatInDoubles(
  price: number,
  vatPercent: number,
  places: number,
): number | undefined {
  if (!Number.isInteger(vatPercent) || !Number.isInteger(places) || places < 0 || places > 6) {
    return undefined;
  }
  const units = Math.round(price * PRICE_SCALE);
  if (!(Math.abs(units) < MAX_UNITS) || units / PRICE_SCALE !== price) return undefined;
  const total = units * (100 + vatPercent);
  if (!Number.isSafeInteger(total)) return undefined;

  // `total` has 6 decimals: 4 from the price and 2 from the percentage.
  const divisor = 10 ** (6 - places);
  const magnitude = Math.abs(total);
  const remainder = magnitude % divisor;
  let quotient = (magnitude - remainder) / divisor;
  if (2 * remainder >= divisor) quotient++;
  if (quotient === 0) return 0;
  return (total < 0 ? -quotient : quotient) / 10 ** places;
}

/**
 * Formats like formatDecimal with `places` (0 to 10) when the value is already the double
 * nearest to a decimal with that many places. Returns undefined otherwise.
 */
export function formatFixedInDoubles(
  value: number,
  places: number,
  separator: string,
): string | undefined {
  if (!Number.isInteger(places) || places < 0 || places > 10 || !Number.isFinite(value)) {
    return undefined;
  }
  const scale = 10 ** places;
  const units = Math.round(value * scale);
  if (!(Math.abs(units) < MAX_UNITS) || units / scale !== value) return undefined;

  const digits = String(Math.abs(units)).padStart(places + 1, '0');
  const sign = units < 0 ? '-' : '';
  if (places === 0) return sign + digits;
  return `${sign}${digits.slice(0, -places)}${separator}${digits.slice(-places)}`;
}
