import type { DataRecord, WarningDetails } from '../contract/block.js';
import { FlowAuthorError, KuryrError } from '../contract/errors.js';
import { readCsv, type CellCountAction } from '../csv/csv-reader.js';
import { DEFAULT_MAX_RECORD_LENGTH } from '../csv/csv-tokenizer.js';
import {
  decodeTextStream,
  textDecodingOptions,
  type DetectedEncoding,
  type EncodingChoice,
} from './decode-stream.js';
import {
  placeLayout,
  readCell,
  type PlacedColumn,
  type PlacedLayout,
  type TextLayout,
} from './fixed-width.js';
import { LineSplitter, type TextLine } from './line-splitter.js';

/** Options of {@link readText}. */
export type TextReaderOptions = EncodingChoice & {
  file: string;
  /** `fixed-width` cuts each line at the layout's positions; `delimited` splits at a delimiter. */
  format: 'fixed-width' | 'delimited';
  /**
   * Column layouts. Fixed-width files with several kinds of record give one layout per kind,
   * each with the `prefix` that its lines begin with. Delimited files use the first layout's
   * names (without a header) and types; without layouts every cell stays text.
   */
  layouts: readonly TextLayout[];
  /** `none` reads records of `recordLength` characters without separators; default line breaks. */
  recordSeparator?: 'CRLF' | 'LF' | 'none';
  /** Characters of a record without separator; default the layout's length. */
  recordLength?: number;
  /** Action for a line of the wrong length, of no layout or with an invalid value. */
  badLines?: CellCountAction;
  delimiter?: string;
  /** '' (the default) for text without quoting. */
  quoteChar?: string;
  header?: boolean;
  /** Characters one line may have; default 64 Mi. */
  maxRecordLength?: number;
  batchSize?: number;
  onEncoding?: (detected: DetectedEncoding) => void;
  onWarning?: (code: string, message: string, details: WarningDetails) => void;
};

/** The DOS end-of-file mark that old programs leave as the last line. */
const END_OF_FILE_MARK = '\u001a';

const TRAILING_BREAK = /^(?:\r\n|\r|\n)$/;

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Reads fixed-width or delimited text from a stream of byte chunks and yields its records in
 * batches, in constant memory. A line shorter or longer than its layout, a line that matches no
 * layout and an invalid number or date are reported with their line number and handled as
 * `badLines` sets. Blank lines and a final DOS end-of-file mark are skipped.
 */
export async function* readText(
  chunks: AsyncIterable<Uint8Array>,
  options: TextReaderOptions,
): AsyncGenerator<DataRecord[]> {
  if (options.format === 'delimited') {
    yield* readDelimited(chunks, options);
    return;
  }
  const layouts = options.layouts.map((layout) => placeLayout(layout, true));
  const recordLength =
    options.recordSeparator === 'none'
      ? (options.recordLength ?? Math.max(...layouts.map((layout) => layout.length)))
      : undefined;
  const splitter = new LineSplitter({
    recordLength,
    maxLength: options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH,
    file: options.file,
  });
  const texts = decodeTextStream(chunks, textDecodingOptions(options), options.onEncoding);
  const batchSize = options.batchSize ?? 1000;
  let batch: DataRecord[] = [];
  const add = (lines: TextLine[]) => {
    for (const line of lines) {
      const record = readFixedLine(line, layouts, options);
      if (record !== undefined) batch.push(record);
    }
  };

  for await (const text of texts) {
    add(splitter.push(text));
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  add(splitter.end());
  if (batch.length > 0) yield batch;
}

function readFixedLine(
  { text, line }: TextLine,
  layouts: readonly PlacedLayout[],
  options: TextReaderOptions,
): DataRecord | undefined {
  // A file of records without separators may still end with a line break, left after the last.
  if (text === '' || text === END_OF_FILE_MARK || TRAILING_BREAK.test(text)) return undefined;
  // Only records cut every recordLength characters can hold line breaks: the file has separators.
  if (/[\r\n]/.test(text)) {
    const message = `${options.file}: record ${line} contains a line break`;
    const hint = 'The records end with line breaks: set the record separator to CRLF or LF.';
    const code = 'TEXT_LINE_BREAK_IN_RECORD';
    if (handleBadLine(options, code, message, line, { text }, undefined, hint) === undefined) {
      return undefined;
    }
  }
  const layout = layouts.find((candidate) => text.startsWith(candidate.prefix));
  if (layout === undefined) {
    const message = `${options.file}: line ${line} matches no layout`;
    return handleBadLine(options, 'TEXT_RECORD_TYPE_UNKNOWN', message, line, { text });
  }

  const record: DataRecord = {};
  if (layout.name !== undefined) record.recordType = layout.name;
  // Positions count code points, as Write Text writes them; most lines have no surrogate pair.
  const characters = SURROGATE.test(text) ? Array.from(text) : undefined;
  const length = characters?.length ?? text.length;
  if (length !== layout.length) {
    const message =
      `${options.file}: line ${line} has ${length} characters, but the layout` +
      `${layout.name === undefined ? '' : ' ' + layout.name} has ${layout.length}`;
    const kept = handleBadLine(options, 'TEXT_LINE_LENGTH', message, line, record);
    if (kept === undefined) {
      return undefined;
    }
  }
  for (const column of layout.columns) {
    const end = column.offset + column.width;
    const raw =
      characters === undefined
        ? text.slice(column.offset, end)
        : characters.slice(column.offset, end).join('');
    if (!readColumn(record, column, raw, line, options)) return undefined;
  }
  return record;
}

/**
 * Sets the typed value of one column in `record`. A value that does not convert is handled as
 * `badLines` sets: it fails, returns false (skip the line) or keeps the raw text.
 */
function readColumn(
  record: DataRecord,
  column: PlacedColumn,
  raw: string | undefined,
  line: number,
  options: TextReaderOptions,
): boolean {
  try {
    record[column.name] = raw === undefined ? null : readCell(raw, column);
    return true;
  } catch (error) {
    if (!(error instanceof KuryrError)) throw error;
    const message = `${options.file}: line ${line}: ${error.message}`;
    const kept = handleBadLine(options, error.code, message, line, record, column.name);
    if (kept === undefined) return false;
    record[column.name] = raw;
    return true;
  }
}

/**
 * Fails, or reports the line and returns undefined (skip) or `record` (keep), as `badLines` sets.
 */
function handleBadLine(
  options: TextReaderOptions,
  code: string,
  message: string,
  line: number,
  record: DataRecord,
  field?: string,
  hint?: string,
): DataRecord | undefined {
  const { file } = options;
  switch (options.badLines ?? 'fail') {
    case 'fail':
      throw new FlowAuthorError(code, message, {
        hint:
          hint ?? 'Fix the line, check the layout, or set the block to skip or keep such lines.',
        context: { file, line, field },
      });
    case 'skip':
      options.onWarning?.(code, `${message}; the line was skipped`, { file, line, field });
      return undefined;
    case 'keep':
      options.onWarning?.(code, `${message}; the line was kept`, { file, line, field });
      return record;
  }
}

async function* readDelimited(
  chunks: AsyncIterable<Uint8Array>,
  options: TextReaderOptions,
): AsyncGenerator<DataRecord[]> {
  const layout =
    options.layouts[0] === undefined ? undefined : placeLayout(options.layouts[0], false);
  const byPosition = options.header !== true;
  // Types the cells by the layout; a value that does not convert is a bad line.
  const typeRecord = (record: DataRecord, line: number): DataRecord | undefined => {
    const cells = Object.values(record);
    const typed: DataRecord = {};
    const isKept = layout!.columns.every((column, index) => {
      const raw = byPosition ? cells[index] : record[column.name];
      return readColumn(typed, column, raw === undefined ? undefined : String(raw), line, options);
    });
    return isKept ? typed : undefined;
  };
  yield* readCsv(chunks, {
    file: options.file,
    encoding: options.encoding,
    fallbackEncoding: options.fallbackEncoding,
    strictEncoding: options.strictEncoding,
    delimiter: options.delimiter ?? ';',
    quoteChar: options.quoteChar ?? '',
    header: options.header ?? false,
    cellCount: options.badLines,
    maxRecordLength: options.maxRecordLength,
    batchSize: options.batchSize,
    mapRecord: layout === undefined ? undefined : typeRecord,
    onWarning: options.onWarning,
    onDialect: (dialect) => options.onEncoding?.(dialect.encoding),
  });
}
