import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { DataRecord } from '../contract/block.js';
import { FORMULA_START } from './csv-rows.js';
import { END_OF_FILE_MARK } from './csv-tokenizer.js';
import { createCsvEncoder, type CsvEncoder, type CsvEncoderOptions } from './csv-writer.js';
import { createPapaparseCsvEncoder } from './papaparse-encoder.test-support.js';
import { CSV_ENCODINGS } from './text-encoding.js';
import { createRandom } from '../demo/random.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/**
 * Builds the reference bytes: papaparse's `unparse` over all records at once plus the final line break,
 * encoded by iconv-lite (with a BOM for utf-8-bom). A record without keys gets one undefined
 * field first, because papaparse writes such a record as an empty line, which readers skip, while
 * the encoder writes one empty field per column.
 */
/** The encodings that iconv-lite, the reference encoder, has; it lacks Kamenický. */
const ICONV_ENCODINGS = CSV_ENCODINGS.filter((encoding) => encoding !== 'kamenicky');

function referenceCsv(records: readonly DataRecord[], options: CsvEncoderOptions): Buffer {
  const newline = options.lineEnding === 'LF' ? '\n' : '\r\n';
  const filled = records.map((record) =>
    Object.keys(record).length === 0 ? { [options.columns?.[0] ?? '']: undefined } : record,
  );
  // Write CSV quotes the only cell of a row when it is empty or the DOS end-of-file mark, because
  // Read CSV skips such a line unquoted. papaparse writes null and undefined without quoting,
  // so they become empty text first.
  const columns = options.columns ?? Object.keys(filled[0] ?? {});
  const isOneColumn = columns.length === 1;
  const rows = isOneColumn
    ? filled.map((record) => ({ [columns[0]!]: record[columns[0]!] ?? '' }))
    : filled;
  const body = Papa.unparse(rows, {
    quotes: (cell: unknown) => isOneColumn && (cell === '' || cell === END_OF_FILE_MARK),
    ...(options.columns ? { columns: [...options.columns] } : {}),
    header: options.header ?? true,
    delimiter: options.delimiter ?? ',',
    quoteChar: options.quoteChar ?? '"',
    newline,
    // The guard's own pattern: papaparse's default one misses formulas that span lines.
    escapeFormulae: options.formulaGuard === false ? false : FORMULA_START,
  });
  const text = body.length === 0 ? '' : body + newline;
  switch (options.encoding ?? 'utf-8') {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return text.length === 0 ? Buffer.alloc(0) : iconv.encode(text, 'utf-8', { addBOM: true });
    default:
      return iconv.encode(text, options.encoding!);
  }
}

/** Encodes records in the given batch sizes, as a block receives them. */
function encodeInBatches(
  records: readonly DataRecord[],
  options: CsvEncoderOptions,
  batchSizes: readonly number[],
): Buffer {
  const encoder = createCsvEncoder(options);
  const parts: Buffer[] = [];
  let start = 0;
  for (const size of batchSizes) {
    parts.push(encoder.encode(records.slice(start, start + size)));
    start += size;
  }
  parts.push(encoder.encode(records.slice(start)), encoder.finish());
  return Buffer.concat(parts);
}

/**
 * Characters for generated text: CSV specials, formula starts, Czech letters, characters missing
 * from both code pages, and the BOM character. U+FFFD and characters outside the BMP are left out
 * because the encoder deliberately writes them as one ? where iconv-lite does not.
 * For code pages the BOM character is left out too: the encoder replaces it by ? before quoting,
 * so unlike papaparse it does not quote that field.
 */
const ALPHABET = [
  ...'aZ09 .',
  ...',;|:\t"\'\r\n',
  ...'=+-@',
  ...'žŠčŘůÚěťďňáíé',
  ...'€ß§°',
  ...'中→ʤ',
  '\ufeff',
];

/** Includes both sides of the 32-bit integers, which Write CSV turns into text another way. */
const NUMBERS = [
  ...[0, -0, 1, -1, 42, 1.5, -1.25, 0.1 + 0.2, 1e21, 1.5e-7, -123456.789, 2 ** 53],
  ...[2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 8_594_000_000_001, 5e-324, 1234.5],
  ...[Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
];

function generateValue(random: () => number, alphabet: readonly string[]): unknown {
  const pick = random();
  if (pick < 0.08) return null;
  if (pick < 0.12) return undefined;
  if (pick < 0.16) return random() < 0.5;
  if (pick < 0.3) return NUMBERS[Math.floor(random() * NUMBERS.length)];
  if (pick < 0.33) return new Date(Date.UTC(2026, 0, 1 + Math.floor(random() * 365)));
  const length = Math.floor(random() * 12);
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

function generateRecords(
  random: () => number,
  count: number,
  options: CsvEncoderOptions,
): DataRecord[] {
  const isUnicode = options.encoding === 'utf-8' || options.encoding === 'utf-8-bom';
  const alphabet = isUnicode ? ALPHABET : ALPHABET.filter((character) => character !== '\ufeff');
  const fields = ['code', 'name', 'price', 'note', 'stock'].slice(0, 1 + Math.floor(random() * 5));
  return Array.from({ length: count }, (_, index) => {
    const record: DataRecord = {};
    for (const field of fields) {
      // The first record keeps every field because the encoder takes its columns from it.
      if (index > 0 && random() < 0.05) continue;
      record[field] = generateValue(random, alphabet);
    }
    return record;
  });
}

function generateOptions(random: () => number): CsvEncoderOptions {
  const choose = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const options: CsvEncoderOptions = {
    header: random() < 0.8,
    delimiter: choose([',', ';', '\t', '|', '::']),
    quoteChar: choose(['"', "'"]),
    lineEnding: choose(['CRLF', 'LF'] as const),
    encoding: choose(ICONV_ENCODINGS),
    formulaGuard: random() < 0.7,
  };
  if (random() < 0.3) options.columns = ['name', 'code', 'absent'];
  return options;
}

function loadCorpus(): [string, DataRecord[]][] {
  return readdirSync(fixtures)
    .filter((name) => name.endsWith('.expected.json'))
    .map((name) => [name, JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as DataRecord[]]);
}

describe('CSV encoder against papaparse', () => {
  it('matches papaparse on generated records', () => {
    const random = createRandom(20_261_204);
    for (let round = 0; round < 1_500; round++) {
      const options = generateOptions(random);
      const records = generateRecords(random, Math.floor(random() * 30), options);
      const batchSizes = [Math.floor(random() * 5), Math.floor(random() * 10)];
      const label = `round ${round} with ${JSON.stringify(options)}`;

      const actual = encodeInBatches(records, options, batchSizes);

      expect(actual.toString('latin1'), label).toBe(
        referenceCsv(records, options).toString('latin1'),
      );
    }
  });

  it('finds corpus fixtures', () => {
    expect(loadCorpus().length).toBeGreaterThanOrEqual(9);
  });

  describe.each(loadCorpus())('corpus %s', (_name, records) => {
    it.each(ICONV_ENCODINGS)('matches papaparse in %s', (encoding) => {
      const options: CsvEncoderOptions = { encoding, delimiter: ';' };

      expect(encodeInBatches(records, options, [1])).toEqual(referenceCsv(records, options));
    });

    it('parses back to the same values', () => {
      const csv = encodeInBatches(records, {}, [1]).toString('utf8');
      const parsed = Papa.parse<DataRecord>(csv, { header: true, skipEmptyLines: true });

      expect(parsed.errors).toEqual([]);
      expect(parsed.data).toEqual(records);
    });
  });
});

/** Characters for the comparison with the papaparse-based encoder, the awkward ones included. */
const WIDE_ALPHABET = [
  ...ALPHABET,
  'ID',
  'I',
  'D',
  '\ufffd',
  '😀',
  '\ud83d',
  '\ude00',
  '\u0000',
  ' ',
];

function generateWideValue(random: () => number): unknown {
  const pick = random();
  if (pick < 0.03) return { nested: generateValue(random, WIDE_ALPHABET) };
  if (pick < 0.05) return [1, 'a;b', null];
  if (pick < 0.06) return new Date(Number.NaN);
  if (pick < 0.07) return BigInt(Math.floor(random() * 1000) - 500);
  if (pick < 0.08) return 1 / 3;
  return generateValue(random, WIDE_ALPHABET);
}

function generateWideOptions(random: () => number): CsvEncoderOptions {
  const choose = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const options: CsvEncoderOptions = {
    header: random() < 0.6,
    delimiter: choose([',', ';', '\t', '|', '::', 'č', '€', '😀', '\ud83d', '.', ' ']),
    quoteChar: choose(['"', "'", 'ž', '\ude00', '€']),
    lineEnding: choose(['CRLF', 'LF'] as const),
    encoding: choose(CSV_ENCODINGS),
    decimalComma: random() < 0.5,
    formulaGuard: random() < 0.6,
  };
  if (random() < 0.3) options.columns = ['name', 'code', 'absent'];
  return options;
}

type CsvWarning = [string, string, unknown];

/** Encodes with one encoder in the given batch sizes, collecting bytes and warnings. */
function encodeWith(
  create: (options: CsvEncoderOptions) => CsvEncoder,
  records: readonly DataRecord[],
  options: CsvEncoderOptions,
  batchSizes: readonly number[],
): { bytes: string; warnings: CsvWarning[] } {
  const warnings: CsvWarning[] = [];
  const encoder = create({
    ...options,
    onWarning: (code, message, details) => warnings.push([code, message, details]),
  });
  const parts: Buffer[] = [];
  let start = 0;
  for (const size of [...batchSizes, records.length]) {
    parts.push(encoder.encode(records.slice(start, start + size)));
    start += size;
  }
  parts.push(encoder.finish());
  return { bytes: Buffer.concat(parts).toString('hex'), warnings };
}

describe('CSV encoder against the papaparse-based encoder', () => {
  it('writes the same bytes and warnings on generated records', () => {
    const random = createRandom(20_261_205);
    for (let round = 0; round < 3_000; round++) {
      const options = generateWideOptions(random);
      const isValid = !options.delimiter!.includes(options.quoteChar!);
      if (!isValid) continue;
      const fields = ['code', 'name', 'price', 'note'].slice(0, 1 + Math.floor(random() * 4));
      const records = Array.from({ length: Math.floor(random() * 25) }, (_, index) => {
        const record: DataRecord = {};
        for (const field of fields) {
          if (index > 0 && random() < 0.05) continue;
          record[field] = generateWideValue(random);
        }
        return record;
      });
      const batchSizes = [Math.floor(random() * 4), Math.floor(random() * 8)];
      const label = `round ${round} with ${JSON.stringify(options)}`;

      const actual = encodeWith(createCsvEncoder, records, options, batchSizes);
      const expected = encodeWith(createPapaparseCsvEncoder, records, options, batchSizes);

      expect(actual.bytes, label).toBe(expected.bytes);
      expect(actual.warnings, label).toEqual(expected.warnings);
    }
  });

  it('writes the same bytes on corpus records in every encoding', () => {
    for (const [name, records] of loadCorpus()) {
      for (const encoding of CSV_ENCODINGS) {
        for (const decimalComma of [false, true]) {
          const options: CsvEncoderOptions = { encoding, delimiter: ';', decimalComma };
          const label = `${name} in ${encoding}, decimal comma ${decimalComma}`;

          const actual = encodeWith(createCsvEncoder, records, options, [1, 7]);
          const expected = encodeWith(createPapaparseCsvEncoder, records, options, [1, 7]);

          expect(actual.bytes, label).toBe(expected.bytes);
          expect(actual.warnings, label).toEqual(expected.warnings);
        }
      }
    }
  });

  it('quotes a first cell that begins with ID', () => {
    for (const header of [true, false]) {
      const records = [{ ID: 'IDENT', value: 'ID' }];
      const options: CsvEncoderOptions = { header, encoding: 'windows-1250' };

      const actual = encodeWith(createCsvEncoder, records, options, []);
      const expected = encodeWith(createPapaparseCsvEncoder, records, options, []);

      expect(Buffer.from(actual.bytes, 'hex').toString('latin1')).toMatch(/^"ID/);
      expect(actual.bytes).toBe(expected.bytes);
    }
  });
});
