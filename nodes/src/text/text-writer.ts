import type { DataRecord } from '../contract/block.js';
import { FlowAuthorError, InternalError } from '../contract/errors.js';
import type { CodePage } from '../codepages/code-page.js';
import { encodeText } from '../codepages/codec.js';
import {
  padCell,
  placeLayout,
  writeCell,
  type PlacedColumn,
  type PlacedLayout,
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

  const toBytes = (text: string): Buffer => {
    const { bytes, unmappable } = encodeText(text, encoding);
    if (unmappable.length > 0) {
      options.onWarning?.(
        'TEXT_CHARACTER_UNMAPPABLE',
        `code page ${encoding} has no ${unmappable.join('')}, written as ?`,
        { record: recordCount },
      );
    }
    return bytes;
  };
  const header = () => {
    isHeaderDue = false;
    return layouts[0]!.columns.map((column) => column.name).join(delimiter) + separator;
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
          ? writeFixedLine(record, layout, recordCount, options.truncate === true)
          : writeDelimitedLine(record, layout, recordCount, delimiter);
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

function writeFixedLine(
  record: DataRecord,
  layout: PlacedLayout,
  recordNumber: number,
  truncate: boolean,
): string {
  const line = (layout.prefix + ' '.repeat(layout.length)).slice(0, layout.length).split('');
  for (const column of layout.columns) {
    const text = cellText(record, column, recordNumber);
    const cut = truncate && text.length > column.width ? text.slice(0, column.width) : text;
    const padded = padCell(cut, column);
    if (padded === undefined) {
      throw new FlowAuthorError(
        'TEXT_VALUE_TOO_LONG',
        `record ${recordNumber}: ${JSON.stringify(text)} is wider than column ${column.name} ` +
          `(${column.width} characters)`,
        {
          hint: 'Widen the column, shorten the value in a Map block, or let the block cut it.',
          context: { record: recordNumber, field: column.name },
        },
      );
    }
    for (let index = 0; index < padded.length; index++)
      line[column.offset + index] = padded[index]!;
  }
  return line.join('');
}

function writeDelimitedLine(
  record: DataRecord,
  layout: PlacedLayout,
  recordNumber: number,
  delimiter: string,
): string {
  return layout.columns
    .map((column) => {
      const text = cellText(record, column, recordNumber);
      if (!text.includes(delimiter) && !/[\r\n]/.test(text)) return text;
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
