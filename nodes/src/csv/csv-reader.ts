import type { DataRecord, WarningDetails } from '../contract/block.js';
import { FlowAuthorError } from '../contract/errors.js';
import {
  decodeTextStream,
  textDecodingOptions,
  type DetectedEncoding,
  type EncodingChoice,
} from '../text/decode-stream.js';
import { parseCzechNumber, parseDate } from '../text/values.js';
import {
  detectDelimiter,
  detectHeader,
  detectQuoteChar,
  isCommaAmbiguous,
  sampleRows,
  separatorLine,
  type DialectSample,
} from './csv-dialect.js';
import { CsvTokenizer, type CsvRow } from './csv-tokenizer.js';

/** Action for a row whose cell count differs from the header's (or the first row's). */
export type CellCountAction = 'fail' | 'skip' | 'keep';

/** `text` keeps every cell as text; `czech` reads Czech numbers and `d.M.yyyy` dates. */
export type CsvValueProfile = 'text' | 'czech';

/**
 * `keep` reads cells as they are; `remove` takes one leading apostrophe off every cell, the header
 * names included, undoing the formula guard of Write CSV.
 */
export type FormulaGuardAction = 'keep' | 'remove';

/** The dialect a read used, and which parts of it were detected rather than given. */
export type CsvDialectReport = {
  delimiter: string;
  quoteChar: string;
  header: boolean;
  encoding: DetectedEncoding;
  detected: ('delimiter' | 'quoteChar' | 'header')[];
  /**
   * Set when the detected delimiter is a guess between two readings: every row is two whole
   * numbers split by a comma (`1,5`), read as one column of decimal commas.
   */
  isCommaAmbiguous?: boolean;
};

/** Options of {@link readCsv}. A dialect option left out is detected from the file's start. */
export type CsvReaderOptions = EncodingChoice & {
  /** Name of the file, for messages. */
  file: string;
  delimiter?: string;
  quoteChar?: string;
  /** Escapes a quote inside a quoted cell, e.g. a backslash; default '', quotes are doubled. */
  escapeChar?: string;
  /** The first row names the columns; without it the columns are `field1`, `field2`, .... */
  header?: boolean;
  /** Default `text`. */
  values?: CsvValueProfile;
  /** Default `keep`. */
  formulaGuard?: FormulaGuardAction;
  /** Columns that the value profile leaves as text, e.g. codes with digits only. */
  textColumns?: readonly string[];
  /** Default `fail`. */
  cellCount?: CellCountAction;
  /** Characters one row may have; default 64 Mi. */
  maxRecordLength?: number;
  /** Records per yielded batch; default 1000. */
  batchSize?: number;
  /**
   * Turns each record into the one yielded, or drops it by returning undefined; `line` is where
   * the record's row starts. For readers built on this one that type the values themselves.
   */
  mapRecord?: (record: DataRecord, line: number) => DataRecord | undefined;
  onDialect?: (dialect: CsvDialectReport) => void;
  /** Receives the column names once they are known: from the header, or from the first row. */
  onColumns?: (columns: readonly string[]) => void;
  onWarning?: (code: string, message: string, details: WarningDetails) => void;
};

/** Characters of decoded text that dialect detection looks at. */
const SAMPLE_CHARS = 64 * 1024;

const CZECH_DATE_FORMAT = 'd.M.yyyy';

/**
 * Reads CSV from a stream of byte chunks and yields its records in batches, in constant memory:
 * bytes are decoded by a streaming decoder first, then tokenized. Cells are text, or numbers and
 * ISO dates under the `czech` profile. Throws a FlowAuthorError naming the file and line for an
 * unclosed quote, a row longer than the maximum, or (with `cellCount: 'fail'`) a row of the wrong
 * width.
 */
export async function* readCsv(
  chunks: AsyncIterable<Uint8Array>,
  options: CsvReaderOptions,
): AsyncGenerator<DataRecord[]> {
  let encoding: DetectedEncoding | undefined;
  const texts = decodeTextStream(
    chunks,
    textDecodingOptions(options),
    (detected) => (encoding = detected),
  )[Symbol.asyncIterator]();

  let sample = '';
  let isWhole = false;
  while (sample.length < SAMPLE_CHARS) {
    const next = await texts.next();
    if (next.done === true) {
      isWhole = true;
      break;
    }
    sample += next.value;
  }
  // Excel's `sep=;` line names the delimiter; it is skipped, and the rows keep their line numbers.
  const separator = separatorLine(sample);
  if (separator !== undefined) sample = sample.slice(separator.length);
  const dialect = resolveDialect(sample, isWhole, encoding!, {
    ...options,
    delimiter: options.delimiter ?? separator?.delimiter,
  });
  const tokenizer = new CsvTokenizer({
    firstLine: separator === undefined ? 1 : 2,
    delimiter: dialect.delimiter,
    quoteChar: dialect.quoteChar,
    escapeChar: options.escapeChar,
    maxRecordLength: options.maxRecordLength,
    file: options.file,
    onStrayQuote: (line) =>
      options.onWarning?.(
        'CSV_STRAY_QUOTE',
        `${options.file}: line ${line} has text after a closing quote; both were kept`,
        { file: options.file, line },
      ),
  });
  const builder = new RecordBuilder(options, dialect.header);
  const batchSize = options.batchSize ?? 1000;
  let batch: DataRecord[] = [];
  const add = (rows: CsvRow[]) => {
    for (const row of rows) {
      const record = builder.build(row);
      if (record !== undefined) batch.push(record);
    }
  };

  add(tokenizer.push(sample));
  sample = '';
  while (!isWhole) {
    const next = await texts.next();
    if (next.done === true) break;
    add(tokenizer.push(next.value));
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  add(tokenizer.end());
  if (batch.length > 0) yield batch;
}

type ResolvedDialect = { delimiter: string; quoteChar: string; header: boolean };

function resolveDialect(
  sample: string,
  isWhole: boolean,
  encoding: DetectedEncoding,
  options: CsvReaderOptions,
): ResolvedDialect {
  const detected: CsvDialectReport['detected'] = [];
  const start: DialectSample = { text: sample, isWhole, escapeChar: options.escapeChar };
  const quoteChar = options.quoteChar ?? detectQuoteChar(start);
  if (options.quoteChar === undefined) detected.push('quoteChar');
  const delimiter = options.delimiter ?? detectDelimiter(start, quoteChar);
  if (options.delimiter === undefined) detected.push('delimiter');
  const header = options.header ?? detectHeader(sampleRows(start, delimiter, quoteChar));
  if (options.header === undefined) detected.push('header');
  checkDialect(delimiter, quoteChar);

  const report: CsvDialectReport = { delimiter, quoteChar, header, encoding, detected };
  if (options.delimiter === undefined && isCommaAmbiguous(start, quoteChar)) {
    report.isCommaAmbiguous = true;
  }
  options.onDialect?.(report);
  return { delimiter, quoteChar, header };
}

function checkDialect(delimiter: string, quoteChar: string): void {
  const isLineBreak = (text: string) => text === '\r' || text === '\n';
  if (delimiter.length !== 1 || isLineBreak(delimiter) || delimiter === quoteChar) {
    throw new FlowAuthorError(
      'CSV_OPTION_INVALID',
      `the delimiter ${JSON.stringify(delimiter)} is invalid`,
      {
        hint: 'Use one character such as ; , | or a tab that is not the quote character.',
        context: { parameter: 'delimiter' },
      },
    );
  }
  if (quoteChar.length > 1 || isLineBreak(quoteChar)) {
    throw new FlowAuthorError(
      'CSV_OPTION_INVALID',
      `the quote character ${JSON.stringify(quoteChar)} is invalid`,
      {
        hint: 'Use one character that is not a line break, usually ", or none.',
        context: { parameter: 'quoteChar' },
      },
    );
  }
}

/** Turns rows into records: names the columns, converts values and checks the cell count. */
class RecordBuilder {
  private names: string[] | undefined;
  private convert: boolean[] = [];
  private readonly isCzech: boolean;
  private readonly isUnguarding: boolean;
  private records = 0;

  constructor(
    private readonly options: CsvReaderOptions,
    private readonly hasHeader: boolean,
  ) {
    this.isCzech = options.values === 'czech';
    this.isUnguarding = options.formulaGuard === 'remove';
  }

  build(row: CsvRow): DataRecord | undefined {
    if (this.isUnguarding) removeGuards(row.cells);
    if (this.names === undefined) {
      this.setNames(this.hasHeader ? uniqueNames(row.cells) : defaultNames(row.cells.length));
      if (this.hasHeader) return undefined;
    }
    const names = this.names!;
    this.records++;
    if (row.cells.length !== names.length && !this.acceptCellCount(row, names.length)) {
      return undefined;
    }

    const record: DataRecord = {};
    const cells = row.cells;
    for (let k = 0; k < cells.length; k++) {
      const isNamed = k < names.length;
      const name = isNamed ? names[k]! : `field${k + 1}`;
      const cell = cells[k]!;
      const convert = isNamed ? this.convert[k] : this.isCzech;
      record[name] = convert === true ? convertCzech(cell) : cell;
    }
    const { mapRecord } = this.options;
    return mapRecord === undefined ? record : mapRecord(record, row.line);
  }

  private setNames(names: string[]): void {
    this.names = names;
    this.options.onColumns?.(names);
    const { textColumns = [], file } = this.options;
    const keepText = new Set(textColumns);
    this.convert = names.map((name) => this.isCzech && !keepText.has(name));
    const unknown = textColumns.filter((name) => !names.includes(name));
    if (unknown.length > 0) {
      this.options.onWarning?.(
        'CSV_TEXT_COLUMN_UNKNOWN',
        `${file}: no column is named ${unknown.join(', ')}, so the text columns setting does ` +
          `not apply to it; the columns are ${names.join(', ')}`,
        { file, field: unknown.join(', ') },
      );
    }
  }

  /** Applies the cell-count action; returns whether the row becomes a record. */
  private acceptCellCount(row: CsvRow, expected: number): boolean {
    const { file } = this.options;
    const message =
      `${file}: line ${row.line} has ${row.cells.length} cells, but the ` +
      `${this.hasHeader ? 'header has' : 'first row has'} ${expected}`;
    const details = { file, line: row.line, record: this.records };
    switch (this.options.cellCount ?? 'fail') {
      case 'fail': {
        // A backslash in a cell suggests a file that writes \" inside quotes, which splits the row.
        // Read Text, which has no escape character, reads without quoting unless set.
        const hasBackslash =
          !this.options.escapeChar &&
          this.options.quoteChar !== '' &&
          row.cells.some((cell) => cell.includes('\\'));
        const escapeHint = hasBackslash
          ? ' If the file writes \\" for a quote inside a quoted cell, set the escape character to \\.'
          : '';
        throw new FlowAuthorError('CSV_CELL_COUNT', message, {
          hint:
            'Fix the row, check the delimiter and quote character, or set the block to skip or ' +
            `keep such rows.${escapeHint}`,
          context: { file, line: row.line, record: this.records },
        });
      }
      case 'skip':
        this.records--;
        this.options.onWarning?.('CSV_ROW_SKIPPED', `${message}; the row was skipped`, details);
        return false;
      case 'keep':
        this.options.onWarning?.('CSV_CELL_COUNT', `${message}; the row was kept`, details);
        return true;
    }
  }
}

/**
 * Returns trimmed header names. An empty one becomes `fieldN`, and so does `__proto__`, which a
 * plain object cannot take as a key. A repeated name gets `_2`, `_3`, ....
 */
function uniqueNames(cells: readonly string[]): string[] {
  const seen = new Set<string>();
  return cells.map((cell, index) => {
    const trimmed = cell.trim();
    const base = trimmed === '' || trimmed === '__proto__' ? `field${index + 1}` : trimmed;
    let name = base;
    for (let suffix = 2; seen.has(name); suffix++) name = `${base}_${suffix}`;
    seen.add(name);
    return name;
  });
}

const APOSTROPHE = 0x27;

/** Takes the apostrophe that Write CSV's formula guard added off the start of each cell. */
function removeGuards(cells: string[]): void {
  for (let k = 0; k < cells.length; k++) {
    const cell = cells[k]!;
    if (cell.charCodeAt(0) === APOSTROPHE) cells[k] = cell.slice(1);
  }
}

function defaultNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `field${index + 1}`);
}

function convertCzech(cell: string): string | number {
  const first = cell.charCodeAt(0);
  const isDigitStart = (first >= 0x30 && first <= 0x39) || first === 0x2d;
  if (!isDigitStart) return cell;
  return parseCzechNumber(cell) ?? parseDate(cell, CZECH_DATE_FORMAT) ?? cell;
}
