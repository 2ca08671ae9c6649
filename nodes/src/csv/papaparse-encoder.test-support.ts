// The papaparse-based CSV encoder, kept as the reference of the differential tests.
import Papa from 'papaparse';
import type { DataRecord } from '../contract/block.js';
import { InternalError } from '../contract/errors.js';
import { FORMULA_START, type CsvSettings } from './csv-rows.js';
import {
  checkCsvOptions,
  columnsOf,
  type CsvEncoder,
  type CsvEncoderOptions,
} from './csv-writer.js';
import { createCsvTextEncoder, type CsvTextEncoder } from './text-encoding.js';
import { END_OF_FILE_MARK } from './csv-tokenizer.js';

/**
 * Text of a cell that the formula guard changed, which papaparse's `quotes` callback recognises
 * and quotes. The guard runs here and not in papaparse because papaparse would also guard numbers
 * that decimal commas have turned into text, such as -1,5.
 */
class GuardedCell {
  constructor(private readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

const isGuardedCell = (cell: unknown): boolean => cell instanceof GuardedCell;

/**
 * Creates the CSV encoder that Write CSV used before it wrote rows itself: papaparse's `unparse`
 * per batch, then the text encoder. The differential tests hold the current encoder to it.
 */
export function createPapaparseCsvEncoder(options: CsvEncoderOptions = {}): CsvEncoder {
  const settings = checkCsvOptions(options);
  const text = createCsvTextEncoder(settings.encoding);
  const newline = settings.lineEnding === 'LF' ? '\n' : '\r\n';
  let columns = options.columns;
  // Write CSV quotes the only cell of a row when it is empty or the DOS end-of-file mark, because
  // Read CSV skips such a line unquoted. papaparse leaves it unquoted.
  const isSkippedLine = (cell: unknown) =>
    columns?.length === 1 && (cell === '' || cell === END_OF_FILE_MARK);
  const unparseConfig: Papa.UnparseConfig = {
    delimiter: settings.delimiter,
    quoteChar: settings.quoteChar,
    newline,
    header: false,
    quotes: (cell: unknown) =>
      isSkippedLine(cell) || (settings.formulaGuard && isGuardedCell(cell)),
  };
  // Excel opens a file that begins with the letters ID as SYLK and fails, so the first cell of the
  // file is quoted when it begins with them: "ID";... opens as CSV.
  const firstRowConfig: Papa.UnparseConfig = {
    ...unparseConfig,
    quotes: (cell: unknown, column: number) =>
      (column === 0 && String(cell).startsWith('ID')) ||
      isSkippedLine(cell) ||
      (settings.formulaGuard && isGuardedCell(cell)),
  };
  let recordCount = 0;
  let bytesWritten = 0;
  let isFinished = false;

  const toBytes = (csv: string): Buffer => {
    if (csv.length === 0) return Buffer.alloc(0);
    const bytes = text.encode(csv, bytesWritten === 0);
    bytesWritten += bytes.length;
    return bytes;
  };
  const headerRow = (names: readonly string[]): string => {
    if (!settings.header) return '';
    const cells = names.map((name) => convertCell(name, settings, text, name, undefined));
    return Papa.unparse([cells], firstRowConfig) + newline;
  };
  const convertRecord = (record: DataRecord, names: readonly string[], number: number) => {
    const row = new Array<unknown>(names.length);
    for (let index = 0; index < names.length; index++) {
      const name = names[index]!;
      row[index] = convertCell(record[name], settings, text, name, number);
    }
    // papaparse writes null, undefined and an invalid date as empty text without asking `quotes`.
    const only = row[0];
    const isEmpty =
      only === null || only === undefined || (only instanceof Date && Number.isNaN(only.getTime()));
    if (names.length === 1 && isEmpty) row[0] = '';
    return row;
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
      const head = recordCount === 0 ? headerRow(names) : '';

      const isFirstRow = recordCount === 0 && !settings.header;
      const rows = records.map((record) => convertRecord(record, names, ++recordCount));
      if (!isFirstRow) return toBytes(head + Papa.unparse(rows, unparseConfig) + newline);
      const first = Papa.unparse(rows.slice(0, 1), firstRowConfig) + newline;
      const rest = rows.length > 1 ? Papa.unparse(rows.slice(1), unparseConfig) + newline : '';
      return toBytes(first + rest);
    },
    finish() {
      if (isFinished) return Buffer.alloc(0);
      isFinished = true;
      if (recordCount > 0 || columns === undefined) return Buffer.alloc(0);
      return toBytes(headerRow(columns));
    },
  };
}

/** Turns one value into what papaparse should write for it. */
function convertCell(
  value: unknown,
  settings: CsvSettings,
  text: CsvTextEncoder,
  field: string,
  record: number | undefined,
): unknown {
  switch (typeof value) {
    case 'string':
      return convertText(value, settings, text, field, record);
    case 'number':
      return settings.decimalComma ? String(value).replace('.', ',') : value;
    case 'object':
      if (value === null || value instanceof Date) return value;
      return convertText(JSON.stringify(value), settings, text, field, record);
    default:
      return value;
  }
}

function convertText(
  value: string,
  settings: CsvSettings,
  text: CsvTextEncoder,
  field: string,
  record: number | undefined,
): unknown {
  let cell = value;
  if (text.hasUnmappable(cell)) {
    const { text: replaced, replaced: characters } = text.replaceUnmappable(cell);
    const where = record === undefined ? 'the header' : `record ${record}`;
    settings.onWarning?.(
      'CSV_CHARACTER_UNMAPPABLE',
      `${settings.encoding} has no ${characters.join('')}, written as ? in ${where}, column ${field}`,
      record === undefined ? { field } : { record, field },
    );
    cell = replaced;
  }
  if (settings.formulaGuard && FORMULA_START.test(cell)) return new GuardedCell(`'${cell}`);
  return cell;
}
