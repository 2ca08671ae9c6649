import type { DataRecord } from '../contract/block.js';
import { FlowAuthorError, InternalError } from '../contract/errors.js';
import { CsvRowWriter, type CsvSettings } from './csv-rows.js';
import { createCsvTextEncoder, type CsvEncoding } from './text-encoding.js';

export type { CsvEncoding } from './text-encoding.js';

/** Line break written after every row, the last one included. */
export type CsvLineEnding = 'CRLF' | 'LF';

/** Location of a CSV warning: the 1-based data row (absent for the header) and the column. */
export type CsvWarningDetails = { record?: number; field: string };

/** Receives a warning of the CSV encoder, e.g. a character the code page lacks. */
export type OnCsvWarning = (code: string, message: string, details: CsvWarningDetails) => void;

/** Options of {@link createCsvEncoder}. */
export type CsvEncoderOptions = {
  /**
   * Field names in column order; default the keys of the first record, which must have some. A
   * field that only later records carry is then left out, with a CSV_FIELDS_DROPPED warning; list
   * the columns to write such fields.
   */
  columns?: readonly string[];
  /** Write the column names as the first row; default true. */
  header?: boolean;
  /** Field separator; default ','. */
  delimiter?: string;
  /** Character that encloses fields which need it; default '"'. */
  quoteChar?: string;
  /** Default 'CRLF', the line break that RFC 4180 specifies. */
  lineEnding?: CsvLineEnding;
  /** Default 'utf-8'. */
  encoding?: CsvEncoding;
  /** Write numbers with a decimal comma, e.g. 1,5; text cells stay untouched. Default false. */
  decimalComma?: boolean;
  /**
   * Prefix text cells that begin with =, +, -, @, a tab or a CR with an apostrophe, so that a
   * spreadsheet shows them instead of running them as formulas. Text that is a plain number
   * (`-5`, `-21419,06`) and number values are not changed. A text cell that begins with an
   * apostrophe gets a second one, so Read CSV's `formulaGuard: 'remove'` restores every cell.
   * Default true; turn it off for files that programs read.
   */
  formulaGuard?: boolean;
  onWarning?: OnCsvWarning;
};

/** Turns batches of records into the bytes of one CSV file. */
export interface CsvEncoder {
  /** Encodes records as complete rows, each ending in a line break; the first call adds the header. */
  encode(records: readonly DataRecord[]): Buffer;
  /**
   * Returns what remains at the end: the header when no record came, else nothing. Without
   * `columns` in the options, the header names `announcedColumns`, the columns that the block
   * upstream announced; with neither, no record gives an empty file.
   */
  finish(announcedColumns?: readonly string[]): Buffer;
  /** Data rows encoded so far. */
  readonly recordCount: number;
}

/** Characters that papaparse does not accept in a delimiter (it falls back to a comma). */
const FORBIDDEN_IN_DELIMITER = ['\r', '\n', '"', '\ufeff'];

/**
 * Creates a CSV encoder. Rows are written as papaparse's `unparse` writes them: a field is quoted
 * when it contains the delimiter, a quote, CR, LF or a BOM character, or begins or ends with a
 * space, and quotes inside are doubled. null and undefined give an empty field, booleans
 * `true`/`false`, dates ISO 8601 text, and other objects and arrays their JSON. The first cell of
 * the file is quoted when it begins with `ID`, so that Excel does not take the file for SYLK. A
 * character the code page lacks is written as `?` and reported through `onWarning`. Throws a
 * FlowAuthorError for invalid options.
 *
 * @example
 * const encoder = createCsvEncoder({ delimiter: ';', encoding: 'windows-1250' });
 * stream.write(encoder.encode(records));
 * stream.end(encoder.finish());
 */
export function createCsvEncoder(options: CsvEncoderOptions = {}): CsvEncoder {
  const settings = checkCsvOptions(options);
  const rows = new CsvRowWriter(settings, createCsvTextEncoder(settings.encoding));
  let columns = options.columns;
  // Fields that later records carry beyond the first record's, when the columns come from it.
  const dropped = options.columns === undefined ? new DroppedFields(settings.onWarning) : undefined;
  let recordCount = 0;
  let bytesWritten = 0;
  let isFinished = false;

  const take = (): Buffer => {
    const bytes = rows.take(bytesWritten === 0);
    bytesWritten += bytes.length;
    return bytes;
  };

  return {
    get recordCount() {
      return recordCount;
    },
    encode(records) {
      if (isFinished) throw new InternalError('CSV_ENCODER_FINISHED', 'encode called after finish');
      if (records.length === 0) return Buffer.alloc(0);
      columns ??= columnsOf(records[0]!);
      const names = columns;
      // Excel opens a file that begins with the letters ID as SYLK and fails, so the first cell
      // of the file is quoted when it begins with them: "ID";... opens as CSV.
      dropped?.check(records, names, recordCount);
      let isFirstRow = recordCount === 0;
      if (isFirstRow && settings.header) {
        rows.writeHeader(names);
        isFirstRow = false;
      }
      for (const record of records) {
        rows.writeRecord(record, names, ++recordCount, isFirstRow);
        isFirstRow = false;
      }
      return take();
    },
    finish(announcedColumns) {
      if (isFinished) return Buffer.alloc(0);
      isFinished = true;
      const names = columns ?? announcedColumns;
      if (recordCount > 0 || names === undefined || names.length === 0 || !settings.header) {
        return Buffer.alloc(0);
      }
      rows.writeHeader(names);
      return take();
    },
  };
}

/** Warns once about each field that the columns taken from the first record leave out. */
class DroppedFields {
  private known: Set<string> | undefined;

  constructor(private readonly onWarning: OnCsvWarning | undefined) {}

  /** Checks a batch whose first record is record `before + 1`. */
  check(records: readonly DataRecord[], columns: readonly string[], before: number): void {
    if (this.onWarning === undefined) return;
    const known = (this.known ??= new Set(columns));
    records.forEach((record, index) => {
      let fields: string[] | undefined;
      for (const name in record) {
        if (known.has(name)) continue;
        known.add(name);
        (fields ??= []).push(name);
      }
      if (fields === undefined) return;
      const number = before + index + 1;
      const list = fields.join(', ');
      this.onWarning?.(
        'CSV_FIELDS_DROPPED',
        `record ${number} carries ${fields.length === 1 ? 'the field' : 'the fields'} ${list}, ` +
          'which the first record lacks, so no column holds them; list every field in Columns ' +
          'to write them',
        { record: number, field: list },
      );
    });
  }
}

/** Returns the field names of the first record, which become the columns. */
export function columnsOf(record: DataRecord): string[] {
  const names = Object.keys(record);
  if (names.length > 0) return names;
  throw new FlowAuthorError(
    'CSV_NO_COLUMNS',
    'the first record has no fields to take columns from',
    {
      hint: 'List the columns to write in the Columns parameter.',
      context: { parameter: 'columns', record: 1 },
    },
  );
}

/** Fills in the defaults and checks the options; throws a FlowAuthorError for invalid ones. */
export function checkCsvOptions(options: CsvEncoderOptions): CsvSettings {
  const settings: CsvSettings = {
    header: options.header ?? true,
    delimiter: options.delimiter ?? ',',
    quoteChar: options.quoteChar ?? '"',
    lineEnding: options.lineEnding ?? 'CRLF',
    encoding: options.encoding ?? 'utf-8',
    decimalComma: options.decimalComma ?? false,
    formulaGuard: options.formulaGuard ?? true,
    onWarning: options.onWarning,
  };
  const { delimiter, quoteChar } = settings;

  if (delimiter.length === 0 || FORBIDDEN_IN_DELIMITER.some((c) => delimiter.includes(c))) {
    throw invalidOption(
      'delimiter',
      `the delimiter ${JSON.stringify(delimiter)} is invalid`,
      'Use a character such as , ; | or a tab; it must not be empty, a quote or a line break.',
    );
  }
  if (
    quoteChar.length !== 1 ||
    quoteChar === '\r' ||
    quoteChar === '\n' ||
    delimiter.includes(quoteChar)
  ) {
    throw invalidOption(
      'quoteChar',
      `the quote character ${JSON.stringify(quoteChar)} is invalid`,
      'Use one character that is not a line break and not part of the delimiter, usually ".',
    );
  }
  if (options.columns !== undefined && options.columns.length === 0) {
    throw invalidOption(
      'columns',
      'the column list is empty',
      'List at least one field name, or leave the list out to take the fields of the first record.',
    );
  }
  return settings;
}

function invalidOption(parameter: string, message: string, hint: string): FlowAuthorError {
  return new FlowAuthorError('CSV_OPTION_INVALID', message, { hint, context: { parameter } });
}
