import { CsvTokenizer, type CsvRow } from './csv-tokenizer.js';

/** Delimiters that detection tries, in order of preference when several fit. */
export const DETECTED_DELIMITERS = [';', '\t', '|', ','] as const;

/** Rows of the sample that detection looks at. */
const SAMPLE_ROWS = 50;

/**
 * Tokenizes the start of a file with the given dialect; a failure (an unclosed quote in the cut
 * sample) yields no rows. The last row is dropped unless `isWhole`, because the sample may cut it.
 */
export function sampleRows(
  sample: string,
  delimiter: string,
  quoteChar: string,
  isWhole: boolean,
): CsvRow[] {
  const tokenizer = new CsvTokenizer({ delimiter, quoteChar, file: 'sample' });
  try {
    const rows = tokenizer.push(sample);
    if (isWhole) rows.push(...tokenizer.end());
    return rows.slice(0, SAMPLE_ROWS);
  } catch {
    return [];
  }
}

/**
 * Picks the delimiter under which every sampled row has the same number of cells, at least two.
 * Semicolon, tab and pipe go before the comma, so that a semicolon file with decimal commas
 * (`08.01.2024;PR-1;-21.419,06`) is never split on the commas. When no delimiter fits every row,
 * the one that splits the first row most wins; a file of one column gets the comma.
 */
export function detectDelimiter(sample: string, quoteChar: string, isWhole: boolean): string {
  const counts = DETECTED_DELIMITERS.map((delimiter) => {
    const rows = sampleRows(sample, delimiter, quoteChar, isWhole);
    const first = rows[0]?.cells.length ?? 0;
    const isConsistent = first >= 2 && rows.every((row) => row.cells.length === first);
    return { delimiter, first, isConsistent };
  });
  const consistent = counts.filter((count) => count.isConsistent);
  if (consistent.length > 0) return consistent[0]!.delimiter;

  const widest = counts.reduce((best, count) => (count.first > best.first ? count : best));
  return widest.first >= 2 ? widest.delimiter : ',';
}

/**
 * Picks `"` unless the sample has none and encloses whole cells in apostrophes, e.g. `'a b';'c'`.
 */
export function detectQuoteChar(sample: string): string {
  if (sample.includes('"')) return '"';
  return /(?:^|[,;\t|])'[^'\r\n]*'(?:[,;\t|]|\r|\n|$)/m.test(sample) ? "'" : '"';
}

const NUMBER_OR_DATE = /^[-+]?\d[\d\s.,:/-]*$/;

/**
 * Decides whether the first row names the columns: it does when none of its cells is a number or
 * a date, and its non-empty cells are all different. A file whose first row is data of text
 * only is taken for one with a header, so set the option for such files.
 */
export function detectHeader(rows: readonly CsvRow[]): boolean {
  const first = rows[0];
  if (first === undefined) return true;
  const names = first.cells.map((cell) => cell.trim()).filter((cell) => cell !== '');
  if (names.length === 0) return false;
  if (names.some((name) => NUMBER_OR_DATE.test(name))) return false;
  return new Set(names).size === names.length;
}
