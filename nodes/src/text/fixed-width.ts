import { FlowAuthorError } from '../contract/errors.js';
import { formatDate, parseDate } from './values.js';

/**
 * Unit of the positions and widths of a fixed-width layout: characters (code points), or bytes
 * of the encoded line. The two differ only in UTF-8 files, because every character of a
 * single-byte code page takes one byte.
 */
export type PositionUnit = 'characters' | 'bytes';

/** Type of a column's values: text, a number, or a date read into and written from ISO text. */
export type ColumnType = 'text' | 'number' | 'date';

/** One column of a text record. Positions and widths count characters, or bytes (PositionUnit). */
export type TextColumn = {
  name: string;
  /** 1-based position of the first character; default right after the previous column. */
  start?: number;
  /** Characters; required for fixed-width records. */
  width?: number;
  /** Default `text`. */
  type?: ColumnType;
  /** Decimal places of a number; default 0. */
  decimals?: number;
  /** `implied` (the default) writes 1234,50 with 2 decimals as 123450; else the separator. */
  decimalPoint?: 'implied' | '.' | ',';
  /** Date format of `d`, `dd`, `M`, `MM`, `yy` and `yyyy`; default `yyyyMMdd`. */
  dateFormat?: string;
  /** Default `left` for text, `right` for numbers and dates. */
  align?: 'left' | 'right';
  /** One character that fills the rest of the column; default a space. */
  padding?: string;
};

/** Columns of one kind of record; `prefix` picks it when a file mixes several. */
export type TextLayout = { name?: string; prefix?: string; columns: readonly TextColumn[] };

/** A column with every position and default resolved. */
export type PlacedColumn = Required<Omit<TextColumn, 'start' | 'width'>> & {
  /** 0-based offset of the first character. */
  offset: number;
  width: number;
};

/** A layout ready for use: columns placed and the record length known. */
export type PlacedLayout = {
  name: string | undefined;
  prefix: string;
  columns: PlacedColumn[];
  length: number;
};

/** Places the columns of a layout; throws a FlowAuthorError for a fixed-width column without width. */
export function placeLayout(layout: TextLayout, isFixedWidth: boolean): PlacedLayout {
  let next = 0;
  const columns = layout.columns.map((column): PlacedColumn => {
    if (isFixedWidth && column.width === undefined) {
      throw new FlowAuthorError('TEXT_LAYOUT_INVALID', `column ${column.name} has no width`, {
        hint: 'Give every column of a fixed-width layout its width in characters.',
        context: { parameter: 'layouts', field: column.name },
      });
    }
    const type = column.type ?? 'text';
    const offset = column.start === undefined ? next : column.start - 1;
    const width = column.width ?? 0;
    next = offset + width;
    return {
      name: column.name,
      offset,
      width,
      type,
      decimals: column.decimals ?? 0,
      decimalPoint: column.decimalPoint ?? 'implied',
      dateFormat: column.dateFormat ?? 'yyyyMMdd',
      align: column.align ?? (type === 'text' ? 'left' : 'right'),
      padding: column.padding ?? ' ',
    };
  });
  const length = Math.max(0, ...columns.map((column) => column.offset + column.width));
  return { name: layout.name, prefix: layout.prefix ?? '', columns, length };
}

/** Strips a column's padding from the side its alignment leaves free. */
function stripPadding(raw: string, column: PlacedColumn): string {
  let start = 0;
  let end = raw.length;
  if (column.align === 'right' || column.padding === ' ') {
    while (start < end && raw[start] === column.padding) start++;
  }
  if (column.align === 'left' || column.padding === ' ') {
    while (end > start && raw[end - 1] === column.padding) end--;
  }
  const text = raw.slice(start, end);
  // Zero padding of a number that is all zeros leaves nothing, which is the number 0.
  return text === '' && column.padding === '0' && raw.length > 0 ? '0' : text;
}

const NUMBER = /^([-+]?)(\d*)(?:[.,](\d*))?$/;

/**
 * Converts the text of one cell to the column's type: text loses its padding, an empty number or
 * date is null, a number without a separator gets its implied decimals. Throws a FlowAuthorError
 * (`TEXT_VALUE_INVALID`) for a number or date that does not parse.
 */
export function readCell(raw: string, column: PlacedColumn): string | number | null {
  const text = stripPadding(raw, column);
  if (column.type === 'text') return text;
  if (text.trim() === '') return null;
  if (column.type === 'date') {
    if (/^0+$/.test(text)) return null;
    const iso = parseDate(text.trim(), column.dateFormat);
    if (iso !== undefined) return iso;
    throw invalidValue(text, column, `a date in the format ${column.dateFormat}`);
  }

  const match = NUMBER.exec(text.trim());
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) {
    throw invalidValue(text, column, 'a number');
  }
  const sign = match[1] ?? '';
  const integer = match[2] ?? '';
  const fraction = match[3];
  if (fraction !== undefined) return Number(`${sign}${integer || '0'}.${fraction || '0'}`);
  if (column.decimalPoint !== 'implied' || column.decimals === 0) return Number(sign + integer);
  const digits = integer.padStart(column.decimals + 1, '0');
  const split = digits.length - column.decimals;
  return Number(`${sign}${digits.slice(0, split)}.${digits.slice(split)}`);
}

function invalidValue(text: string, column: PlacedColumn, expected: string): FlowAuthorError {
  return new FlowAuthorError(
    'TEXT_VALUE_INVALID',
    `${JSON.stringify(text)} in column ${column.name} is not ${expected}`,
    {
      hint: 'Check the column positions and types of the layout against the file.',
      context: { field: column.name },
    },
  );
}

/**
 * Returns the text of one value in a column, before padding: a number rounded half away from
 * zero to its decimals (implied or with the separator), a date in the column's format. null and
 * undefined give ''. Throws a FlowAuthorError for a value that is not of the column's type.
 */
export function writeCell(value: unknown, column: PlacedColumn): string {
  if (value === null || value === undefined || value === '') return '';
  if (column.type === 'text') return typeof value === 'string' ? value : JSON.stringify(value);
  if (column.type === 'date') {
    const text = typeof value === 'string' ? formatDate(value, column.dateFormat) : undefined;
    if (text !== undefined) return text;
    throw invalidValue(String(value), column, 'an ISO date (yyyy-MM-dd)');
  }

  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) throw invalidValue(String(value), column, 'a number');
  const fixed = roundHalfAwayFromZero(Math.abs(number), column.decimals);
  const sign = number < 0 && Number(fixed) !== 0 ? '-' : '';
  if (column.decimalPoint === 'implied') return sign + fixed.replace('.', '');
  return sign + (column.decimalPoint === ',' ? fixed.replace('.', ',') : fixed);
}

/**
 * Text of a non-negative finite number with `decimals` places, rounded half away from zero from
 * the shortest decimal form that reads back as the number, so that 1.005 gives 1.01, 1e-7 gives
 * 0.00 and 1e21 all its digits. The digits are shifted as text: formatting through the exponent
 * would turn such numbers into `NaN` or exponent notation.
 */
function roundHalfAwayFromZero(value: number, decimals: number): string {
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  // Digits before the decimal point; zero or less for a number below 1.
  const point = 1 + Number(exponent);
  const integer = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0');
  const fraction = point <= 0 ? '0'.repeat(-point) + digits : digits.slice(point);
  const kept = integer + fraction.slice(0, decimals).padEnd(decimals, '0');
  const rounded = (fraction[decimals] ?? '0') >= '5' ? incrementDigits(kept) : kept;
  const split = rounded.length - decimals;
  const whole = rounded.slice(0, split).replace(/^0+(?=\d)/, '');
  return decimals === 0 ? whole : `${whole}.${rounded.slice(split)}`;
}

/** Adds one to a string of decimal digits. */
function incrementDigits(digits: string): string {
  let index = digits.length - 1;
  while (index >= 0 && digits[index] === '9') index--;
  if (index < 0) return '1' + '0'.repeat(digits.length);
  return (
    digits.slice(0, index) +
    String(Number(digits[index]) + 1) +
    '0'.repeat(digits.length - index - 1)
  );
}

/**
 * Pads cell text to the column's width on the side its alignment leaves free. A minus sign stays
 * in front of zero padding. Returns undefined when the text is wider than the column.
 */
export function padCell(
  text: string,
  column: PlacedColumn,
  measure: (text: string) => number = characterCount,
): string | undefined {
  const length = measure(text);
  if (length > column.width) return undefined;
  const padding = column.padding.repeat(column.width - length);
  if (column.align === 'left') return text + padding;
  if (column.padding === '0' && text.startsWith('-')) return '-' + padding + text.slice(1);
  return padding + text;
}

/**
 * Characters of `text` as a code page or UTF-8 writes them: code points, so that a character
 * outside the BMP (two UTF-16 units) takes one place like any other.
 */
export function characterCount(text: string): number {
  let count = text.length;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) {
      count--;
      index++;
    }
  }
  return count;
}

/** Returns the length of `text` in UTF-8 bytes. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
