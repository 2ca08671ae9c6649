import { CsvTokenizer, type CsvRow } from './csv-tokenizer.js';

/** Delimiters that detection tries, in order of preference when several fit. */
export const DETECTED_DELIMITERS = [';', '\t', '|', ','] as const;

/** Rows of the sample that detection looks at. */
const SAMPLE_ROWS = 50;

/** The start of a file that detection looks at, and the escape character the user set. */
export type DialectSample = { text: string; isWhole: boolean; escapeChar?: string };

/**
 * Tokenizes the start of a file with the given dialect. The last row is dropped unless `isWhole`,
 * because the sample may cut it. When a whole file ends inside a quoted cell, the rows before the
 * damage are returned, so that detection still sees the file's real shape and the read itself
 * fails on the unclosed quote. A row longer than the maximum yields no rows.
 */
export function sampleRows(sample: DialectSample, delimiter: string, quoteChar: string): CsvRow[] {
  const { text, isWhole, escapeChar } = sample;
  const tokenizer = new CsvTokenizer({ delimiter, quoteChar, escapeChar, file: 'sample' });
  let rows: CsvRow[];
  try {
    rows = tokenizer.push(text);
  } catch {
    return [];
  }
  if (isWhole) {
    try {
      rows.push(...tokenizer.end());
    } catch {
      // The unclosed quote: keep the rows before it.
    }
  }
  return rows.slice(0, SAMPLE_ROWS);
}

/** True when every row has the same number of cells, at least two. */
function linesUp(rows: readonly CsvRow[]): boolean {
  const first = rows[0]?.cells.length ?? 0;
  return first >= 2 && rows.every((row) => row.cells.length === first);
}

/** A number with a decimal comma, e.g. `1,5`, `-21.419,06` or `1 234,5`, split at the comma. */
const DECIMAL_COMMA_PIECES = { whole: /^\s*[-+]?\d[\d. \u00a0]*$/, fraction: /^\d+\s*$/ };

/**
 * True when the comma splits no row except into the two halves of one decimal-comma number, as in
 * a one-column file of Czech numbers (`1,5`). At least one row must split so.
 */
function isDecimalComma(rows: readonly CsvRow[]): boolean {
  let splits = 0;
  for (const { cells } of rows) {
    if (cells.length === 1) continue;
    if (cells.length !== 2) return false;
    const [whole, fraction] = cells as [string, string];
    if (!DECIMAL_COMMA_PIECES.whole.test(whole) || !DECIMAL_COMMA_PIECES.fraction.test(fraction)) {
      return false;
    }
    splits++;
  }
  return splits > 0;
}

/**
 * Picks the delimiter under which every sampled row has the same number of cells, at least two.
 * Semicolon, tab and pipe go before the comma, so that a semicolon file with decimal commas
 * (`08.01.2024;PR-1;-21.419,06`) is never split on the commas. When no delimiter fits every row,
 * the one that splits the first row most wins. A file whose first row is one cell is one column.
 * It gets the comma unless the comma splits a later row (`Rohlík, tmavý`) and another delimiter
 * splits none.
 *
 * The comma is no candidate when it splits rows only inside decimal-comma numbers (`1,5` per
 * line, with or without a header): such a file is one column, read with the semicolon. A file of
 * two integer columns without a header (`1,5`) looks the same, and isCommaAmbiguous detects it.
 *
 * Quoted cells are read with the sample's escape character, so that `"5\";"` stays one cell.
 */
export function detectDelimiter(sample: DialectSample, quoteChar: string): string {
  const counts = DETECTED_DELIMITERS.map((delimiter) => {
    const rows = sampleRows(sample, delimiter, quoteChar);
    const first = rows[0]?.cells.length ?? 0;
    const isConsistent = linesUp(rows);
    const isExcluded = delimiter === ',' && isDecimalComma(rows);
    const isUnsplit = rows.every((row) => row.cells.length === 1);
    return { delimiter, first, isConsistent, isExcluded, isUnsplit };
  });
  const candidates = counts.filter((count) => !count.isExcluded);
  const consistent = candidates.find((count) => count.isConsistent);
  if (consistent !== undefined) return consistent.delimiter;

  const widest = candidates.reduce((best, count) => (count.first > best.first ? count : best));
  if (widest.first >= 2) return widest.delimiter;
  if (candidates.length < counts.length) return ';';
  const comma = counts.find((count) => count.delimiter === ',')!;
  if (comma.isUnsplit) return ',';
  return counts.find((count) => count.isUnsplit)?.delimiter ?? ',';
}

/**
 * True when the comma splits every sampled row into two whole numbers (`1,5`, `-2,25`), so that
 * the file reads as one column of decimal commas and as two columns of integers alike. Detection
 * takes the first, and the caller reports the doubt. A row without a comma (`7`) decides for one
 * column, and a header such as `kód,cena` for two.
 */
export function isCommaAmbiguous(sample: DialectSample, quoteChar: string): boolean {
  const rows = sampleRows(sample, ',', quoteChar);
  return (
    rows.length > 0 &&
    rows.every(({ cells }) => {
      if (cells.length !== 2) return false;
      const [whole, fraction] = cells as [string, string];
      return INTEGER.test(whole.trim()) && /^\d+$/.test(fraction.trim());
    })
  );
}

const INTEGER = /^[-+]?\d+$/;

/** Excel's first line `sep=;`, which names the delimiter and is no row of the table. */
const SEPARATOR_LINE = /^sep=([^\r\n])(?:\r\n|\r|\n|$)/;

/** Returns the delimiter and the length of a leading `sep=` line, or undefined without one. */
export function separatorLine(sample: string): { delimiter: string; length: number } | undefined {
  const match = SEPARATOR_LINE.exec(sample);
  return match === null ? undefined : { delimiter: match[1]!, length: match[0].length };
}

/**
 * Picks `"` unless the sample has none and needs apostrophes to make its rows line up. That is
 * so when, for some delimiter, the rows have different cell counts with apostrophes as plain
 * text and the same count (at least two) with apostrophes as quotes, as in `a|b` / `'x|y'|2`.
 * So `'A1'` stays text. Write CSV output always reads back with `"`: without a `"` in it, no cell
 * contains a delimiter or line break, so its rows line up unquoted.
 */
export function detectQuoteChar(sample: DialectSample): string {
  if (sample.text.includes('"') || !sample.text.includes("'")) return '"';
  const needsApostrophes = DETECTED_DELIMITERS.some(
    (delimiter) =>
      !linesUp(sampleRows(sample, delimiter, '')) && linesUp(sampleRows(sample, delimiter, "'")),
  );
  return needsApostrophes ? "'" : '"';
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
