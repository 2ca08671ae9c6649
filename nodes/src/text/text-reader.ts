import type { DataRecord, WarningDetails } from '../contract/block.js';
import { FlowAuthorError, KuryrError } from '../contract/errors.js';
import { readCsv, type CellCountAction } from '../csv/csv-reader.js';
import { DEFAULT_MAX_RECORD_LENGTH, END_OF_FILE_MARK } from '../csv/csv-tokenizer.js';
import {
  decodeTextStream,
  textDecodingOptions,
  type DetectedEncoding,
  type EncodingChoice,
  type TextEncoding,
} from './decode-stream.js';
import {
  placeLayout,
  readCell,
  type PlacedColumn,
  type PlacedLayout,
  type PositionUnit,
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
  /** Characters (or bytes) of a record without separator; default the layout's length. */
  recordLength?: number;
  /**
   * Unit of fixed-width positions, widths and the record length; default `characters`. `bytes`
   * slices each line of a UTF-8 file by bytes, for programs that count bytes.
   */
  positions?: PositionUnit;
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
  // Set when the encoding is known, before the first text chunk.
  let splitter: LineSplitter | undefined;
  let isByteSliced = false;
  const onEncoding = (detected: DetectedEncoding) => {
    isByteSliced = slicesBytes(options, detected.encoding);
    splitter = new LineSplitter({
      recordLength,
      countsBytes: isByteSliced,
      maxLength: options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH,
      file: options.file,
    });
    options.onEncoding?.(detected);
  };
  const texts = decodeTextStream(chunks, textDecodingOptions(options), onEncoding);
  const batchSize = options.batchSize ?? 1000;
  let batch: DataRecord[] = [];
  const add = (lines: TextLine[]) => {
    for (const line of lines) {
      const record = readFixedLine(line, layouts, options, isByteSliced);
      if (record !== undefined) batch.push(record);
    }
  };

  for await (const text of texts) {
    add(splitter!.push(text));
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (splitter !== undefined) add(splitter.end());
  if (batch.length > 0) yield batch;
}

/**
 * Returns true when lines must be sliced by bytes: byte positions in a UTF-8 file. In a
 * single-byte code page every character is one byte, so slicing by characters is the same. Throws
 * a FlowAuthorError for byte positions in UTF-16, which no fixed-width format uses.
 */
function slicesBytes(options: TextReaderOptions, encoding: TextEncoding): boolean {
  if (options.positions !== 'bytes') return false;
  if (encoding !== 'utf-16le' && encoding !== 'utf-16be') return encoding === 'utf-8';
  throw new FlowAuthorError(
    'TEXT_OPTION_INVALID',
    `${options.file} is ${encoding}, in which byte positions are not supported`,
    {
      hint: 'Count the positions in characters, or save the file as UTF-8 or in a code page.',
      context: { file: options.file, parameter: 'positions' },
    },
  );
}

function readFixedLine(
  { text, line }: TextLine,
  layouts: readonly PlacedLayout[],
  options: TextReaderOptions,
  isByteSliced: boolean,
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
  const slicer = isByteSliced ? new ByteSlicer(text) : new CharacterSlicer(text);
  if (slicer.length !== layout.length) {
    const message =
      `${options.file}: line ${line} has ${slicer.length} ${slicer.unit}, but the layout` +
      `${layout.name === undefined ? '' : ' ' + layout.name} has ${layout.length}`;
    const kept = handleBadLine(options, 'TEXT_LINE_LENGTH', message, line, record);
    if (kept === undefined) {
      return undefined;
    }
  }
  for (const column of layout.columns) {
    const end = column.offset + column.width;
    const raw = slicer.slice(column.offset, end);
    if (typeof raw === 'number') {
      const message =
        `${options.file}: line ${line}, byte ${raw}: column ${column.name} (bytes ` +
        `${column.offset + 1} to ${end}) begins or ends inside a multibyte character`;
      const hint = 'Check the column positions against the file, or count them in characters.';
      const code = 'TEXT_CHARACTER_CUT';
      if (handleBadLine(options, code, message, line, record, column.name, hint) === undefined) {
        return undefined;
      }
      record[column.name] = slicer.sliceLossy(column.offset, end);
      continue;
    }
    if (!readColumn(record, column, raw, line, options)) return undefined;
  }
  return record;
}

/** Cuts a line at character positions: code points, as Write Text writes them. */
class CharacterSlicer {
  readonly unit = 'characters';
  readonly length: number;
  /** The code points, only for the rare line with a surrogate pair. */
  private readonly characters: string[] | undefined;

  constructor(private readonly text: string) {
    this.characters = SURROGATE.test(text) ? Array.from(text) : undefined;
    this.length = this.characters?.length ?? text.length;
  }

  /** Returns the text from `start` to `end`; never a number, because characters cannot be cut. */
  slice(start: number, end: number): string | number {
    if (this.characters === undefined) return this.text.slice(start, end);
    return this.characters.slice(start, end).join('');
  }

  sliceLossy(start: number, end: number): string {
    return String(this.slice(start, end));
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');

/** Cuts a line at byte positions of its UTF-8 encoding. */
class ByteSlicer {
  readonly unit = 'bytes';
  readonly length: number;
  private readonly bytes: Buffer;

  constructor(text: string) {
    this.bytes = Buffer.from(text, 'utf8');
    this.length = this.bytes.length;
  }

  /**
   * Returns the text from byte `start` to `end`, or the 1-based byte position in the line where
   * the slice cuts a multibyte character.
   */
  slice(start: number, end: number): string | number {
    if (isContinuationByte(this.bytes[start])) return start + 1;
    if (isContinuationByte(this.bytes[end])) return end + 1;
    return strictUtf8.decode(this.bytes.subarray(start, end));
  }

  /** Returns the text from `start` to `end` with a cut character as U+FFFD. */
  sliceLossy(start: number, end: number): string {
    return lossyUtf8.decode(this.bytes.subarray(start, end));
  }
}

/** True for the second to fourth byte of a UTF-8 sequence (10xxxxxx). */
function isContinuationByte(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
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
