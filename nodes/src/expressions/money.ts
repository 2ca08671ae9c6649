import { addVatInDoubles, formatFixedInDoubles } from './money-fast.js';

/** A function added to JSONata, with its JSONata signature. */
export type ExpressionFunction = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSONata checks the argument types against `signature`
  implementation: (...args: any[]) => unknown;
  signature: string;
};

/** An error in the shape JSONata passes on: the engine reports `message` and `code`. */
export type MoneyError = { code: string; message: string };

/** A decimal number `units × 10^-scale`, held exactly. */
type Decimal = { units: bigint; scale: number };

/** Decimal places accepted by the money functions; negative places round to tens, hundreds… */
const MIN_PLACES = -20;
const MAX_PLACES = 20;

/**
 * Significant digits kept when binary noise is removed. Doubles carry 15 to 17, and every decimal
 * of at most 15 digits survives a round trip through a double, so 15 is the most that is safe.
 */
const NOISE_FREE_DIGITS = 15;

const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/;

/**
 * Adds VAT in exact decimal arithmetic: price × (100 + vatPercent) / 100, rounded half away from
 * zero to `places` (default 2). Both numbers are read as their shortest decimal form, so 4.35 is
 * 4.35 and not the nearest double, 4.3499999999999996447….
 * A null or undefined price or rate returns undefined, so the key drops out of an object.
 *
 * @example addVat(4.35, 10) === 4.79 // plain `$round(4.35 * 110 / 100, 2)` gives 4.78
 */
export function addVat(
  price: number | null | undefined,
  vatPercent: number | null | undefined,
  places = 2,
): number | undefined {
  if (price === null || price === undefined) return undefined;
  if (vatPercent === null || vatPercent === undefined) return undefined;
  const digits = checkPlaces(places);
  if (typeof price === 'number' && typeof vatPercent === 'number') {
    const fast = addVatInDoubles(price, vatPercent, digits);
    if (fast !== undefined) return fast;
  }
  return addVatExact(price, vatPercent, digits);
}

/** Adds VAT like addVat, always in BigInt arithmetic; for tests of the fast path. */
export function addVatExact(price: number, vatPercent: number, digits: number): number {
  const amount = parseDecimal(shortestDecimal(price, 'price'));
  const rate = parseDecimal(shortestDecimal(vatPercent, 'VAT rate'));

  // (100 + rate) / 100 as units with scale rate.scale + 2.
  const factor = 100n * 10n ** BigInt(rate.scale) + rate.units;
  const product = { units: amount.units * factor, scale: amount.scale + rate.scale + 2 };
  return toNumber(roundDecimal(product, digits), digits);
}

/**
 * Rounds half away from zero to `places` (default 2) after removing binary noise: the value is
 * first rounded to 15 significant digits, as JSONata's `$string` does, and that decimal is then
 * rounded. A null or undefined value returns undefined.
 *
 * Limit: the result is the exactly rounded true result whenever that true result has at most 15
 * significant digits and the double computed for it is within four roundings (a relative error
 * of 4 × 2^-53, about 4.4e-16) of it. A 15-digit decimal lies more than 5e-16 (relative) from the
 * next rounding boundary, so such a double always rounds back to it.
 * Take prices with at most 4 decimals and an absolute value below 100,000,000, and whole VAT rates
 * 0 to 100. Their true gross price has at most 6 decimals and 15 digits, so
 * `PRICE * (100 + VAT) / 100`, `PRICE + PRICE * VAT / 100` and `PRICE * (1 + VAT / 100)` all
 * give the same result as addVat.
 * Beyond that the 15-digit step can move a value across a boundary: 0.004999999999999999
 * (16 digits) becomes 0.005 and then 0.01.
 */
export function roundMoney(value: number | null | undefined, places = 2): number | undefined {
  if (value === null || value === undefined) return undefined;
  const digits = checkPlaces(places);
  const decimal = parseDecimal(noiseFreeDecimal(value));
  return toNumber(roundDecimal(decimal, digits), digits);
}

/**
 * Formats a number as plain decimal text, never in exponent notation and without thousands
 * separators. With `places`, the text has exactly that many decimals, rounded like roundMoney.
 * Without them (undefined or null), the text is the shortest one after rounding to 15 significant
 * digits, as JSONata's `$string` does. The decimal separator defaults to '.'. A null or undefined
 * value returns undefined.
 *
 * @example formatDecimal(7.125, undefined, ',') === '7,125'; formatDecimal(5, 2) === '5.00'
 */
export function formatDecimal(
  value: number | null | undefined,
  places?: number | null,
  decimalSeparator = '.',
): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (decimalSeparator.length === 0) {
    throw moneyError('MONEY_SEPARATOR_INVALID', 'the decimal separator must not be empty');
  }
  if (places !== null && places !== undefined && typeof value === 'number') {
    const fast = formatFixedInDoubles(value, places, decimalSeparator);
    if (fast !== undefined) return fast;
  }
  return formatDecimalExact(value, places, decimalSeparator);
}

/** Formats like formatDecimal, always in BigInt arithmetic; for tests of the fast path. */
export function formatDecimalExact(
  value: number,
  places: number | null | undefined,
  decimalSeparator: string,
): string {
  const decimal = parseDecimal(noiseFreeDecimal(value));

  if (places === null || places === undefined) {
    return renderDecimal(trimZeros(decimal), decimalSeparator);
  }
  const digits = checkPlaces(places);
  const units = roundDecimal(decimal, digits);
  if (digits >= 0) return renderDecimal({ units, scale: digits }, decimalSeparator);
  return renderDecimal({ units: units * 10n ** BigInt(-digits), scale: 0 }, decimalSeparator);
}

/**
 * Formats a finite number as plain decimal text with exactly `places` (0 or more) decimals,
 * rounded half away from zero from its shortest decimal text, the one JavaScript prints: 1.005
 * becomes "1.01", where toFixed gives "1.00" from the binary double just below 1.005. Unlike
 * formatDecimal it keeps all 17 significant digits, and a value that rounds to zero has no sign.
 */
export function formatShortestFixed(value: number, places: number): string {
  const units = roundDecimal(parseDecimal(shortestDecimal(value, 'value')), places);
  return renderDecimal({ units, scale: places }, '.');
}

/**
 * The money functions as registered in JSONata: `$addVat(price, vatPercent[, places])`,
 * `$roundMoney(value[, places])` and `$formatDecimal(value[, places][, decimalSeparator])`.
 * `$formatDecimal(value, ',')` is short for `$formatDecimal(value, null, ',')`.
 */
export const moneyFunctions: Record<string, ExpressionFunction> = {
  addVat: {
    implementation: (price?: number | null, vatPercent?: number | null, places?: number) =>
      addVat(price, vatPercent, places),
    signature: '<(nl)(nl)n?:n>',
  },
  roundMoney: {
    implementation: (value?: number | null, places?: number) => roundMoney(value, places),
    signature: '<(nl)n?:n>',
  },
  formatDecimal: {
    implementation: (
      value?: number | null,
      places?: number | string | null,
      separator?: string,
    ) => {
      if (typeof places !== 'string') return formatDecimal(value, places, separator);
      if (separator !== undefined) {
        throw moneyError(
          'MONEY_PLACES_INVALID',
          `decimal places must be a number or null, got "${places}"`,
        );
      }
      return formatDecimal(value, undefined, places);
    },
    signature: '<(nl)(nls)?s?:s>',
  },
};

function checkPlaces(places: number): number {
  if (Number.isInteger(places) && places >= MIN_PLACES && places <= MAX_PLACES) return places;
  throw moneyError(
    'MONEY_PLACES_INVALID',
    `decimal places must be a whole number from ${MIN_PLACES} to ${MAX_PLACES}, got ${places}`,
  );
}

function checkFinite(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw moneyError('MONEY_NOT_A_NUMBER', `the ${name} must be a finite number, got ${value}`);
  }
}

function moneyError(code: string, message: string): MoneyError {
  return { code, message };
}

/** Returns the shortest decimal text that reads back as `value`, e.g. "4.35" or "1e-7". */
function shortestDecimal(value: number, name: string): string {
  checkFinite(value, name);
  return String(value);
}

/** Rounds to 15 significant digits, which drops the noise of binary arithmetic. */
function noiseFreeDecimal(value: number): string {
  checkFinite(value, 'value');
  return value.toPrecision(NOISE_FREE_DIGITS);
}

/** Parses JavaScript's number text, plain or in exponent form, into an exact decimal. */
function parseDecimal(text: string): Decimal {
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) throw moneyError('MONEY_NOT_A_NUMBER', `"${text}" is not a decimal number`);
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = match;
  const magnitude = BigInt(whole + fraction);
  const scale = fraction.length - Number(exponent);
  const units = sign === '-' ? -magnitude : magnitude;
  if (scale >= 0) return { units, scale };
  return { units: units * 10n ** BigInt(-scale), scale: 0 };
}

/** Rounds to `places` decimals, half away from zero; returns the units at that scale. */
function roundDecimal(decimal: Decimal, places: number): bigint {
  const shift = decimal.scale - places;
  if (shift <= 0) return decimal.units * 10n ** BigInt(-shift);

  const divisor = 10n ** BigInt(shift);
  const quotient = decimal.units / divisor;
  const remainder = decimal.units % divisor;
  const twiceRemainder = remainder < 0n ? -2n * remainder : 2n * remainder;
  if (twiceRemainder < divisor) return quotient;
  return decimal.units < 0n ? quotient - 1n : quotient + 1n;
}

/** Converts `units × 10^-places` to the nearest double, which prints as that decimal. */
function toNumber(units: bigint, places: number): number {
  return Number(`${units}e${-places}`);
}

function trimZeros(decimal: Decimal): Decimal {
  let { units, scale } = decimal;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  return { units, scale };
}

/** Writes a decimal positionally, with exactly `scale` digits after the separator. */
function renderDecimal(decimal: Decimal, separator: string): string {
  const negative = decimal.units < 0n;
  const digits = (negative ? -decimal.units : decimal.units).toString();
  const sign = negative ? '-' : '';
  if (decimal.scale === 0) return sign + digits;

  const padded = digits.padStart(decimal.scale + 1, '0');
  const whole = padded.slice(0, padded.length - decimal.scale);
  return `${sign}${whole}${separator}${padded.slice(whole.length)}`;
}
