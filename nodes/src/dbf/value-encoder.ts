import { encodeText, type CodePage } from '../codepages/index.js';
import { formatShortestFixed } from '../expressions/money.js';
import { isCalendarDate } from './calendar.js';
import type { WriteColumn } from './write-fields.js';

/** Julian day number of 1970-01-01, the day Date counts from. */
const JULIAN_DAY_OF_UNIX_EPOCH = 2440588;
const MS_PER_DAY = 86_400_000;
/** Currency (Y) values are stored as 64-bit integers of ten-thousandths. */
const CURRENCY_PLACES = 4;
const MAX_CURRENCY_UNITS = 2n ** 63n - 1n;

/**
 * Error for a value that its field cannot hold. The writer adds the record and the field;
 * `hint` replaces the general advice of DBF_WRITE_VALUE_INVALID when given.
 */
export class ValueError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * Encodes one value into the bytes its field stores. Returns undefined for a blank value that
 * the record's spaces already represent. A value that is too long or too wide raises ValueError,
 * unless `truncate` is set: then it is cut to fit and `onFitted` receives what changed.
 */
export function encodeValue(
  value: unknown,
  column: WriteColumn,
  codePage: CodePage,
  truncate: boolean,
  onFitted: (change: string) => void,
): Buffer | string | undefined {
  if (value === null || value === undefined || value === '') return encodeBlank(column);

  switch (column.type) {
    case 'C':
    case 'V':
      return encodeCharacter(textOf(value), column, codePage, truncate, onFitted);
    case 'N':
    case 'F':
      return encodeNumber(value, column, truncate, onFitted);
    case 'D':
      return encodeDate(value);
    case 'L':
      if (typeof value !== 'boolean') throw typeError('true, false or null', value);
      return value ? 'T' : 'F';
    case 'I':
      return encodeInteger(value);
    case 'Y':
      return encodeCurrency(value);
    case 'B':
      return encodeDouble(value);
    case 'T':
      return encodeDateTime(value);
    case 'M':
      throw new Error('memo values are written by the memo writer');
  }
}

/**
 * Bytes of a null value: undefined keeps the record's spaces, which every type but L, I, Y and B
 * reads as blank (dbffile takes a T field of zero bytes for a date in 4713 BC, so spaces it is).
 */
function encodeBlank(column: WriteColumn): Buffer | string | undefined {
  switch (column.type) {
    case 'L':
      return '?';
    case 'I':
    case 'Y':
    case 'B':
      // Nullable fields never get here: their null bit is set instead.
      throw new ValueError(
        `null cannot be stored in a field of type ${column.type} unless the field is nullable`,
      );
    default:
      return undefined;
  }
}

/**
 * Encodes text in the code page. A character the page lacks raises ValueError, unless
 * `truncate` is set: then it becomes `?` and `onFitted` receives what changed.
 */
export function encodeTextValue(
  value: string,
  codePage: CodePage,
  truncate: boolean,
  onFitted: (change: string) => void,
): Buffer {
  const { bytes, unmappable } = encodeText(value, codePage);
  if (unmappable.length === 0) return bytes;
  const listed = unmappable.map((character) => `"${character}"`).join(', ');
  const problem = `code page ${codePage} has no byte for ${listed}`;
  if (!truncate) {
    throw new ValueError(
      problem,
      'Choose a code page that has these characters in the Write DBF block (utf-8 has every ' +
        'character; 1250 has the euro sign, 852 does not), replace them before writing, or let ' +
        'the block truncate values, which writes ? for them.',
    );
  }
  onFitted(`${problem}, written as ?`);
  return bytes;
}

/**
 * Text of a value for a C field: a string, or a number or bigint in its shortest decimal form.
 * An object, array or boolean has no text a reader would expect ("[object Object]", "true"), so
 * it is rejected like a mismatch in the other field types.
 */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw typeError('text or a number', value);
}

function encodeCharacter(
  value: string,
  column: WriteColumn,
  codePage: CodePage,
  truncate: boolean,
  onFitted: (change: string) => void,
): Buffer {
  const bytes = encodeTextValue(value, codePage, truncate, onFitted);
  if (bytes.length <= column.length) return bytes;
  const problem = `the value is ${bytes.length} bytes long, but the field is ${column.length} bytes wide`;
  if (!truncate) throw new ValueError(problem);

  onFitted(`${problem}, cut to ${column.length} bytes`);
  let end = column.length;
  // A UTF-8 character must not be cut in half: step back over its continuation bytes.
  if (codePage === 'utf-8') while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

/**
 * Formats a number right-aligned with the field's decimals, as dBase does: in plain digits
 * (never in exponent form, which N fields cannot hold) and rounded half away from zero from the
 * number's decimal text, so 1.005 is written 1.01 and -0.001 is written 0.00.
 */
function encodeNumber(
  value: unknown,
  column: WriteColumn,
  truncate: boolean,
  onFitted: (change: string) => void,
): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError('a number', value);
  const text = formatShortestFixed(value, column.decimals);
  if (text.length <= column.length) return text.padStart(column.length, ' ');

  const problem = `${text} is ${text.length} characters long, but the field is ${column.length} wide`;
  if (!truncate) throw new ValueError(problem);
  for (let decimals = column.decimals - 1; decimals >= 0; decimals--) {
    const rounded = formatShortestFixed(value, decimals);
    if (rounded.length > column.length) continue;
    onFitted(`${problem}, rounded to ${rounded}`);
    return rounded.padStart(column.length, ' ');
  }
  // dBase shows a number that overflows its field as asterisks, which readers take as null.
  onFitted(`${problem}, written as asterisks (null)`);
  return '*'.repeat(column.length);
}

/** Accepts `YYYY-MM-DD` text (a longer ISO text is cut to its date) or a Date (its UTC day). */
function encodeDate(value: unknown): string {
  const day = isoDay(value);
  if (day === undefined) throw typeError('a date as YYYY-MM-DD', value);
  return day.replaceAll('-', '');
}

/** A DBF date stores a four-digit year from 1 to 9999; dBase and other readers reject year 0. */
function isoDay(value: unknown): string | undefined {
  if (value instanceof Date) {
    const year = value.getUTCFullYear();
    return year >= 1 && year <= 9999 ? value.toISOString().slice(0, 10) : undefined;
  }
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  if (match === null || Number(match[1]) < 1) return undefined;
  return isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))
    ? match[0]
    : undefined;
}

function encodeInteger(value: unknown): Buffer {
  const isInteger = typeof value === 'number' && Number.isInteger(value);
  if (!isInteger) throw typeError('a whole number', value);
  if (value < -0x8000_0000 || value > 0x7fff_ffff) {
    throw new ValueError(`${value} is outside the integer range -2147483648 to 2147483647`);
  }
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(value, 0);
  return bytes;
}

function encodeCurrency(value: unknown): Buffer {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError('a number', value);
  // Rounded from the number's decimal text, as N fields are: 1.00005 is 1.0001, not the 1.0000
  // that rounding the binary product 1.00005 * 10000 = 10000.499999999998 gives.
  const units = BigInt(formatShortestFixed(value, CURRENCY_PLACES).replace('.', ''));
  if (units > MAX_CURRENCY_UNITS || units < -MAX_CURRENCY_UNITS - 1n) {
    throw new ValueError(`${value} is outside the currency range of ±922337203685477.5807`);
  }
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(units, 0);
  return bytes;
}

function encodeDouble(value: unknown): Buffer {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError('a number', value);
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value, 0);
  return bytes;
}

/** Accepts `YYYY-MM-DDTHH:MM:SS` (a trailing `Z` or fraction is allowed) or a Date, in UTC. */
function encodeDateTime(value: unknown): Buffer {
  const time = dateTimeOf(value);
  if (time === undefined) throw typeError('a date and time as YYYY-MM-DDTHH:MM:SS', value);
  // Visual FoxPro keeps whole seconds.
  const seconds = Math.round(time / 1000) * 1000;
  const day = Math.floor(seconds / MS_PER_DAY);
  const bytes = Buffer.alloc(8);
  bytes.writeInt32LE(day + JULIAN_DAY_OF_UNIX_EPOCH, 0);
  bytes.writeInt32LE(seconds - day * MS_PER_DAY, 4);
  return bytes;
}

function dateTimeOf(value: unknown): number | undefined {
  if (value instanceof Date) return isoDay(value) === undefined ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?Z?$/.exec(value);
  if (match === null || isoDay(match[1]) === undefined) return undefined;
  const [hours, minutes, seconds] = [Number(match[2]), Number(match[3]), Number(match[4])];
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  return Date.parse(`${match[1]}T${match[2]}:${match[3]}:${match[4]}${match[5] ?? ''}Z`);
}

function typeError(expected: string, value: unknown): ValueError {
  return new ValueError(`expected ${expected}, got ${describeValue(value)}`);
}

/** Shows a value in an error message; JSON.stringify alone throws on a bigint or a cycle. */
export function describeValue(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_, each: unknown) =>
      typeof each === 'bigint' ? `${each}n` : each,
    );
    return text ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
