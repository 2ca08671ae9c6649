import { defineFunction, type CompiledFunction } from './signature.js';
import { fallBack } from './values.js';

type Count = number | undefined;

/** Rounds half to even at `precision` decimals, shifting through the exponent as jsonata. */
function roundHalfEven(value: number, precision: Count): number {
  let shifted = value;
  if (precision) {
    const [mantissa, exponent] = value.toString().split('e');
    shifted = +`${mantissa}e${exponent ? +exponent + precision : precision}`;
  }
  let result = Math.round(shifted);
  if (Math.abs(result - shifted) === 0.5 && Math.abs(result % 2) === 1) result -= 1;
  if (precision) {
    const [mantissa, exponent] = result.toString().split('e');
    result = +`${mantissa}e${exponent ? +exponent - precision : -precision}`;
  }
  return Object.is(result, -0) ? 0 : result;
}

const NUMBER_TEXT = /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/;
const PREFIXED_NUMBER_TEXT = /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/;

function toNumber(value: unknown): number | undefined {
  if (value === undefined || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return fallBack();
  const parsed = parseFloat(value);
  if (NUMBER_TEXT.test(value) && !Number.isNaN(parsed) && Number.isFinite(Number(value))) {
    return parsed;
  }
  if (PREFIXED_NUMBER_TEXT.test(value)) return Number(value);
  return fallBack();
}

/** Decimal pictures without grouping or modifiers, such as '000' or '#0'. */
const PLAIN_DECIMAL_PICTURE = /^#*(0+)$/;

/** $formatInteger for a plain decimal picture and a value from 0 to 1e21; falls back otherwise. */
function formatPaddedInteger(value: number, picture: string): string {
  const match = PLAIN_DECIMAL_PICTURE.exec(picture);
  const whole = Math.floor(value);
  if (match === null || whole < 0 || whole >= 1e21) return fallBack();
  return String(whole).padStart(match[1]!.length, '0');
}

/** A function of one number that returns undefined for undefined, e.g. `$floor`. */
function mapNumber(transform: (value: number) => number): CompiledFunction {
  return defineFunction('n-', (value: Count) =>
    value === undefined ? undefined : transform(value),
  );
}

/** An aggregate over an array of numbers, e.g. `$sum`; other members fall back. */
function aggregate(reduce: (values: number[]) => number | undefined): CompiledFunction {
  return defineFunction('a', (values: unknown[] | undefined) => {
    if (values === undefined) return undefined;
    if (!values.every((item) => typeof item === 'number')) fallBack();
    return reduce(values as number[]);
  });
}

const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);

/** The numeric functions of jsonata 2.2, and $formatInteger for plain decimal pictures. */
export const numberFunctions: Record<string, CompiledFunction> = {
  number: defineFunction('x-', toNumber),
  floor: mapNumber(Math.floor),
  ceil: mapNumber(Math.ceil),
  abs: mapNumber(Math.abs),
  sqrt: mapNumber((value) => (value < 0 ? fallBack() : Math.sqrt(value))),
  round: defineFunction('n-n?', (value: Count, precision: Count) =>
    value === undefined ? undefined : roundHalfEven(value, precision),
  ),
  power: defineFunction('n-n', (base: Count, exponent: Count) => {
    if (base === undefined) return undefined;
    const result = Math.pow(base, exponent ?? fallBack());
    return Number.isFinite(result) ? result : fallBack();
  }),
  sum: aggregate(total),
  max: aggregate((values) => (values.length === 0 ? undefined : Math.max(...values))),
  min: aggregate((values) => (values.length === 0 ? undefined : Math.min(...values))),
  average: aggregate((values) => (values.length === 0 ? undefined : total(values) / values.length)),
  formatBase: defineFunction('n-n?', (value: Count, base: Count) => {
    if (value === undefined) return undefined;
    const radix = base === undefined ? 10 : roundHalfEven(base, undefined);
    if (radix < 2 || radix > 36) fallBack();
    return roundHalfEven(value, undefined).toString(radix);
  }),
  formatInteger: defineFunction('n-s', (value: Count, picture: string | undefined) => {
    if (value === undefined) return undefined;
    return picture === undefined ? fallBack() : formatPaddedInteger(value, picture);
  }),
};
