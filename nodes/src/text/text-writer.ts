import type { DataRecord } from '../contract/block.js';
import { FlowAuthorError, InternalError } from '../contract/errors.js';
import type { CodePage } from '../codepages/code-page.js';
import { encodeText } from '../codepages/codec.js';
import {
  characterCount,
  padCell,
  placeLayout,
  utf8Length,
  writeCell,
  type PlacedColumn,
  type PlacedLayout,
  type PositionUnit,
  type TextLayout,
} from './fixed-width.js';

/** Options of {@link createTextEncoder}. */
export type TextEncoderOptions = {
  format: 'fixed-width' | 'delimited';
  /**
   * Column layouts. With several, each record's `recordType` field names the layout it is
   * written with, and the layout's `prefix` is written at its start when no column covers it.
   */
  layouts: readonly TextLayout[];
  /** Default `CRLF`; `none` writes the records one after another. */
  recordSeparator?: 'CRLF' | 'LF' | 'none';
  /** Delimiter of delimited text; default `;`. */
  delimiter?: string;
  /** Write the column names as the first line of delimited text; default false. */
  header?: boolean;
  /** Default `1250`. */
  encoding?: CodePage;
  /** Cut text longer than its column instead of failing; default false. */
  truncate?: boolean;
  /**
   * Unit of fixed-width positions and widths; default `characters`. `bytes` counts the bytes of
   * a UTF-8 line, which needs a one-byte (ASCII) padding character.
   */
  positions?: PositionUnit;
  onWarning?: (code: string, message: string, details: { record?: number; field?: string }) => void;
};

/** Turns batches of records into the bytes of one text file. */
export interface TextFileEncoder {
  encode(records: readonly DataRecord[]): Buffer;
  /** Returns what remains at the end: the header of delimited text when no record came. */
  finish(): Buffer;
  readonly recordCount: number;
}

/**
 * Creates an encoder of fixed-width or delimited text in a code page. A character the code page
 * lacks is written as `?` with a warning. Throws a FlowAuthorError, naming the record and column,
 * for a value wider than its column (unless `truncate`), a value of the wrong type, a delimited
 * value that contains the delimiter or a line break, and a record whose `recordType` names no layout.
 */
export function createTextEncoder(options: TextEncoderOptions): TextFileEncoder {
  const isFixed = options.format === 'fixed-width';
  const layouts = options.layouts.map((layout) => placeLayout(layout, isFixed));
  const separator = { CRLF: '\r\n', LF: '\n', none: '' }[options.recordSeparator ?? 'CRLF'];
  const delimiter = options.delimiter ?? ';';
  const encoding = options.encoding ?? '1250';
  let recordCount = 0;
  let isHeaderDue = !isFixed && options.header === true;
  let isFinished = false;
  // Only UTF-8 has characters of several bytes; a code page writes one byte per character.
  const countsBytes = isFixed && options.positions === 'bytes' && encoding === 'utf-8';
  if (countsBytes) checkOneBytePadding(layouts);

  const toBytes = (text: string): Buffer => encodeText(text, encoding).bytes;
  /** Warns about characters the code page lacks, in the header (no record) or a record's cell. */
  const checkMappable = (text: string, field: string, record?: number) => {
    if (encoding === 'utf-8' || !NON_ASCII.test(text)) return;
    const { unmappable } = encodeText(text, encoding);
    if (unmappable.length === 0) return;
    const where = record === undefined ? 'the header' : `record ${record}`;
    options.onWarning?.(
      'TEXT_CHARACTER_UNMAPPABLE',
      `code page ${encoding} has no ${unmappable.join('')}, written as ? in ${where}, column ${field}`,
      record === undefined ? { field } : { record, field },
    );
  };
  const cell: CellWriter = (record, column, recordNumber) => {
    const text = cellText(record, column, recordNumber);
    checkMappable(text, column.name, recordNumber);
    return text;
  };
  const header = () => {
    isHeaderDue = false;
    const names = layouts[0]!.columns.map((column) => column.name);
    names.forEach((name) => checkMappable(name, name));
    return names.join(delimiter) + separator;
  };

  return {
    get recordCount() {
      return recordCount;
    },
    encode(records) {
      if (isFinished)
        throw new InternalError('TEXT_ENCODER_FINISHED', 'encode called after finish');
      let text = isHeaderDue ? header() : '';
      for (const record of records) {
        recordCount++;
        const layout = chooseLayout(layouts, record, recordCount);
        const line = isFixed
          ? writeFixedLine(
              record,
              layout,
              recordCount,
              options.truncate === true,
              cell,
              countsBytes,
            )
          : writeDelimitedLine(record, layout, recordCount, delimiter, cell);
        text += line + separator;
      }
      return toBytes(text);
    },
    finish() {
      isFinished = true;
      return isHeaderDue ? toBytes(header()) : Buffer.alloc(0);
    },
  };
}

function chooseLayout(
  layouts: readonly PlacedLayout[],
  record: DataRecord,
  recordNumber: number,
): PlacedLayout {
  if (layouts.length === 1) return layouts[0]!;
  const layout = layouts.find((candidate) => candidate.name === record.recordType);
  if (layout !== undefined) return layout;
  throw new FlowAuthorError(
    'TEXT_RECORD_TYPE_UNKNOWN',
    `record ${recordNumber} has recordType ${JSON.stringify(record.recordType)}, which names no layout`,
    {
      hint: `Set recordType to one of: ${layouts.map((candidate) => candidate.name).join(', ')}.`,
      context: { record: recordNumber, field: 'recordType' },
    },
  );
}

const NON_ASCII = /[\u0080-\uffff]/;

const LINE_BREAK = /[\r\n]/;

/** Returns the text of one cell of a record, before padding. */
type CellWriter = (record: DataRecord, column: PlacedColumn, recordNumber: number) => string;

/** Rejects a padding character of more than one byte, which cannot fill a byte width exactly. */
function checkOneBytePadding(layouts: readonly PlacedLayout[]): void {
  for (const column of layouts.flatMap((layout) => layout.columns)) {
    if (column.padding.charCodeAt(0) < 0x80) continue;
    throw new FlowAuthorError(
      'TEXT_LAYOUT_INVALID',
      `column ${column.name} pads with ${JSON.stringify(column.padding)}, which takes more than ` +
        'one byte in UTF-8',
      {
        hint: 'With byte positions, pad with an ASCII character such as a space or 0.',
        context: { parameter: 'layouts', field: column.name },
      },
    );
  }
}

/**
 * Splits text into the places it takes in a line: one per character, or with `countsBytes` one
 * per UTF-8 byte, the character in the place of its first byte and '' in the others.
 */
function toPlaces(text: string, countsBytes: boolean): string[] {
  const characters = Array.from(text);
  if (!countsBytes) return characters;
  const places: string[] = [];
  for (const character of characters) {
    places.push(character);
    for (let byte = 1; byte < utf8Length(character); byte++) places.push('');
  }
  return places;
}

/** Returns the longest start of `text` of whole characters that fits `width` UTF-8 bytes. */
function cutToBytes(text: string, width: number): string {
  let cut = '';
  let bytes = 0;
  for (const character of text) {
    bytes += utf8Length(character);
    if (bytes > width) break;
    cut += character;
  }
  return cut;
}

/**
 * Returns the 1-based byte of a line of places where a character is cut, because the prefix or
 * overlapping columns wrote over part of it, or undefined when every character is whole.
 */
function findCutCharacter(places: readonly string[]): number | undefined {
  for (let index = 0; index < places.length;) {
    const size = places[index] === '' ? 0 : utf8Length(places[index]!);
    const isWhole =
      size > 0 &&
      index + size <= places.length &&
      places.slice(index + 1, index + size).every((place) => place === '');
    if (!isWhole) return index + 1;
    index += size;
  }
  return undefined;
}

/**
 * Writes one fixed-width line. Positions count code points, as the code page writes them, or
 * with `countsBytes` UTF-8 bytes. The line is an array of places (see toPlaces) so that a
 * character outside the BMP takes one place, or as many as its bytes.
 */
function writeFixedLine(
  record: DataRecord,
  layout: PlacedLayout,
  recordNumber: number,
  truncate: boolean,
  cell: CellWriter,
  countsBytes: boolean,
): string {
  const measure = countsBytes ? utf8Length : characterCount;
  const unit = countsBytes ? 'bytes' : 'characters';
  const blank = toPlaces(layout.prefix + ' '.repeat(layout.length), countsBytes);
  const line = blank.slice(0, layout.length);
  for (const column of layout.columns) {
    const text = cell(record, column, recordNumber);
    if (LINE_BREAK.test(text)) {
      throw new FlowAuthorError(
        'TEXT_VALUE_HAS_LINE_BREAK',
        `record ${recordNumber}: the value of column ${column.name} contains a line break, ` +
          'which would split the fixed-width line',
        {
          hint: 'Replace the line break in a Map block, e.g. with a space.',
          context: { record: recordNumber, field: column.name },
        },
      );
    }
    const isLong = truncate && measure(text) > column.width;
    let cut = text;
    if (isLong) {
      cut = countsBytes
        ? cutToBytes(text, column.width)
        : Array.from(text).slice(0, column.width).join('');
    }
    const padded = padCell(cut, column, measure);
    if (padded === undefined) {
      throw new FlowAuthorError(
        'TEXT_VALUE_TOO_LONG',
        `record ${recordNumber}: ${JSON.stringify(text)} is wider than column ${column.name} ` +
          `(${column.width} ${unit})`,
        {
          hint: 'Widen the column, shorten the value in a Map block, or let the block cut it.',
          context: { record: recordNumber, field: column.name },
        },
      );
    }
    toPlaces(padded, countsBytes).forEach((place, index) => (line[column.offset + index] = place));
  }
  const cutAt = countsBytes ? findCutCharacter(line) : undefined;
  if (cutAt !== undefined) {
    throw new FlowAuthorError(
      'TEXT_CHARACTER_CUT',
      `record ${recordNumber}, byte ${cutAt}: the prefix or overlapping columns of the layout ` +
        'cut a multibyte character',
      {
        hint: 'Check the starts and widths of the layout so that the columns do not overlap.',
        context: { record: recordNumber },
      },
    );
  }
  return line.join('');
}

// NOTE: with a one-column layout, an empty value gives a blank line, and Read Text skips blank
// lines, so that record does not read back. Write CSV quotes such a cell, but Write Text has no
// quoting.
function writeDelimitedLine(
  record: DataRecord,
  layout: PlacedLayout,
  recordNumber: number,
  delimiter: string,
  cell: CellWriter,
): string {
  return layout.columns
    .map((column) => {
      const text = cell(record, column, recordNumber);
      if (!text.includes(delimiter) && !LINE_BREAK.test(text)) return text;
      throw new FlowAuthorError(
        'TEXT_VALUE_HAS_DELIMITER',
        `record ${recordNumber}: the value of column ${column.name} contains the delimiter or a line break`,
        {
          hint: 'Choose another delimiter, remove the character in a Map block, or use Write CSV, which quotes.',
          context: { record: recordNumber, field: column.name },
        },
      );
    })
    .join(delimiter);
}

function cellText(record: DataRecord, column: PlacedColumn, recordNumber: number): string {
  try {
    return writeCell(record[column.name], column);
  } catch (error) {
    if (error instanceof FlowAuthorError) error.withContext({ record: recordNumber });
    throw error;
  }
}
