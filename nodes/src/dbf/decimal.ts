/** Parsing of the ASCII numbers that DBF tables store in N, F and D fields. */

const powersOfTen = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);

/** Reads `count` ASCII digits as a number, or returns NaN when one is not a digit. */
export function readDigits(buffer: Buffer, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = buffer[i]! - 0x30;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Parses an ASCII decimal such as `-12.50` from bytes, or returns NaN. Values of up to 15 digits
 * are computed as integer / 10^decimals: both are exact doubles and division rounds correctly, so
 * the result equals Number() of the text. Longer values go through Number(), and so do exponents
 * such as `1.5e3` when `allowExponent` is true; otherwise an exponent gives NaN.
 */
export function parseDecimal(
  buffer: Buffer,
  from: number,
  end: number,
  allowExponent: boolean,
): number {
  let i = from;
  let negative = false;
  if (buffer[i] === 0x2d || buffer[i] === 0x2b) {
    negative = buffer[i] === 0x2d;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  let seenPoint = false;
  for (; i < end; i++) {
    const byte = buffer[i]!;
    if (byte >= 0x30 && byte <= 0x39) {
      mantissa = mantissa * 10 + (byte - 0x30);
      digits++;
      if (seenPoint) decimals++;
    } else if (byte === 0x2e && !seenPoint) {
      seenPoint = true;
    } else {
      break;
    }
  }
  if (digits === 0) return NaN;
  if (i < end) return allowExponent ? parseWithExponent(buffer, from, end) : NaN;
  if (digits > 15) return Number(buffer.toString('latin1', from, end));

  const value = decimals === 0 ? mantissa : mantissa / powersOfTen[decimals]!;
  return negative ? -value : value;
}

function parseWithExponent(buffer: Buffer, from: number, end: number): number {
  const text = buffer.toString('latin1', from, end);
  return /^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(text) ? Number(text) : NaN;
}
