import type { DataRecord } from '../contract/block.js';
import { encodeTableOf, encodeText } from '../codepages/codec.js';
import { canGenerateCode, compileGenerated } from '../generated-code.js';
import type { CsvEncoderOptions } from './csv-writer.js';
import { END_OF_FILE_MARK } from './csv-tokenizer.js';
import {
  codePageOfCsvEncoding,
  type CsvEncoding,
  type CsvTextEncoder,
  type SingleByteEncoding,
} from './text-encoding.js';

/** The writer's options with their defaults filled in. */
export type CsvSettings = Required<Omit<CsvEncoderOptions, 'columns' | 'onWarning'>> &
  Pick<CsvEncoderOptions, 'onWarning'>;

/**
 * Text cells the formula guard prefixes with an apostrophe: those beginning with = + - @, a tab or
 * a CR, which a spreadsheet may run as a formula, except a plain number such as `-5` or `-21419,06`
 * (a minus, digits and at most one decimal point or comma). LibreOffice Calc 7.4 reads such a cell
 * as a number (test/flows/supplier-pricelist-excel.test.ts), and the guard would make it text.
 * A cell that already begins with an apostrophe is guarded as well, so that a leading apostrophe
 * always marks the guard and Read CSV can remove it.
 */
export const FORMULA_START = /^(?:[=+@\t\r']|-(?!\d+(?:[.,]\d+)?$))/;

const BYTE_ORDER_MARK = 0xfeff;
/** Marks a character that makes papaparse quote a field in CsvRowWriter's unquotedTable. */
const SPECIAL = -2;
const QUESTION_MARK = 0x3f;

/** Outcomes of writing a cell without quotes. */
const WRITTEN = 0;
const NEEDS_QUOTES = 1;
const UNMAPPABLE = 2;

/**
 * Renders rows of cells as CSV and encodes them. It writes what papaparse 5.7's `unparse` writes
 * for rows given as arrays, followed by the line break, and encodes that text as the
 * encoding's encoder would. A field is quoted when it contains the delimiter, the quote
 * character, `"`, CR, LF or U+FEFF, or begins or ends with a space. It is also quoted when the
 * formula guard changed it, when it is the first cell of the file and begins with `ID`, and when
 * it is the only cell of its row and empty or the DOS end-of-file mark. Quotes inside are doubled.
 *
 * papaparse builds one string per batch, which then has to be encoded. For single-byte
 * encodings this writer puts each cell's bytes straight into one reused Buffer through the code
 * page table instead: on the e-shop stock export of 1,000,000 records (`pnpm bench
 * eshop-stock`), that cut Kurýr's CPU time from about 6.1 s to 5.2 s. UTF-8, and delimiters or
 * quote characters with surrogate halves, take the text path, so that characters meeting across
 * cells encode as they do in one string.
 */
export class CsvRowWriter {
  private readonly delimiter: string;
  private readonly quote: string;
  private readonly escapedQuote: string;
  private readonly newline: string;
  private readonly delimiterCode: number;
  private readonly quoteCode: number;
  /** Encode table of the code page, or undefined for the text path. */
  private readonly table: Int16Array | undefined;
  /** The encode table with SPECIAL for the characters that make papaparse quote a field. */
  private readonly unquotedTable: Int16Array | undefined;
  private readonly delimiterBytes: Buffer;
  private readonly quoteBytes: Buffer;
  private readonly newlineBytes: Buffer;
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private length = 0;
  private text = '';
  /** True when the cell just converted was changed by the formula guard. */
  private isGuarded = false;
  /** True when the cell just converted is a date, which papaparse never quotes. */
  private isVerbatim = false;
  /**
   * True when the cell just converted is text not yet checked against the code page, so that a
   * character the page lacks stops the writing instead of becoming `?` silently.
   */
  private isUnchecked = false;
  /** The column names that readCells was compiled for, and the cells it fills. */
  private cellNames: readonly string[] | undefined;
  private cells: unknown[] = [];
  private readCells: ((record: DataRecord, cells: unknown[]) => void) | undefined;

  constructor(
    private readonly settings: CsvSettings,
    private readonly textEncoder: CsvTextEncoder,
  ) {
    this.delimiter = settings.delimiter;
    this.quote = settings.quoteChar;
    this.escapedQuote = this.quote + this.quote;
    this.newline = settings.lineEnding === 'LF' ? '\n' : '\r\n';
    this.delimiterCode = this.delimiter.length === 1 ? this.delimiter.charCodeAt(0) : -1;
    this.quoteCode = this.quote.charCodeAt(0);
    this.table = byteTableFor(settings.encoding, this.delimiter + this.quote);
    this.unquotedTable = this.table === undefined ? undefined : this.markSpecial(this.table);
    const encodeFixed = (text: string) =>
      this.table === undefined
        ? Buffer.alloc(0)
        : encodeText(text, codePageOf(settings.encoding)).bytes;
    this.delimiterBytes = encodeFixed(this.delimiter);
    this.quoteBytes = encodeFixed(this.quote);
    this.newlineBytes = encodeFixed(this.newline);
  }

  /** Appends the header row: the column names, quoted as cells. */
  writeHeader(names: readonly string[]): void {
    for (let column = 0; column < names.length; column++) {
      this.writeCell(names[column], column, names[column]!, undefined, true);
    }
    this.endRow();
  }

  /**
   * Appends the row of one record. `record` is its 1-based number among the data rows, for
   * warnings, and `isFirstRow` marks the first row of the file.
   */
  writeRecord(
    values: DataRecord,
    names: readonly string[],
    record: number,
    isFirstRow: boolean,
  ): void {
    if (names.length === 1) {
      this.writeOnlyCell(values[names[0]!], names[0]!, record, isFirstRow);
      this.endRow();
      return;
    }
    if (names !== this.cellNames) this.prepareCells(names);
    const cells = this.cells;
    this.readCells!(values, cells);
    for (let column = 0; column < names.length; column++) {
      const value = cells[column];
      if (typeof value === 'number' && (value | 0) === value && this.table !== undefined) {
        // A 32-bit integer never needs quotes, a guard or a decimal comma.
        if (column > 0) this.appendFixed(this.delimiterBytes);
        this.appendInteger(value);
      } else {
        this.writeCell(value, column, names[column]!, record, isFirstRow);
      }
    }
    this.endRow();
  }

  /**
   * Compiles the function that copies a record's cells into `cells`. The generated code reads
   * each column at a site of its own by its literal name. In a loop, one site would read every
   * column by a name taken from the list, which V8 handles through its slower global cache.
   */
  private prepareCells(names: readonly string[]): void {
    if (canGenerateCode) {
      const reads = names.map(
        (name, index) => `  cells[${index}] = record[${JSON.stringify(name)}];`,
      );
      const body = ['return function readCells(record, cells) {', ...reads, '};'].join('\n');
      this.readCells = compileGenerated(body, {});
    } else {
      this.readCells = (record, cells) => {
        for (let column = 0; column < names.length; column++)
          cells[column] = record[names[column]!];
      };
    }
    this.cells = new Array<unknown>(names.length);
    this.cellNames = names;
  }

  /**
   * Appends the cell of a one-column row. An empty cell and the DOS end-of-file mark are quoted,
   * which papaparse does not do, because Read CSV skips such a line unquoted.
   */
  private writeOnlyCell(
    value: unknown,
    field: string,
    record: number | undefined,
    isFirstRow: boolean,
  ): void {
    const text = this.convert(value, field, record) ?? '';
    const isSkippedLine = text === '' || text === END_OF_FILE_MARK;
    this.writeText(text, 0, field, record, isFirstRow, isSkippedLine);
  }

  private writeCell(
    value: unknown,
    column: number,
    field: string,
    record: number | undefined,
    isFirstRow: boolean,
  ): void {
    if (column > 0) {
      if (this.table === undefined) this.text += this.delimiter;
      else this.appendFixed(this.delimiterBytes);
    }
    const text = this.convert(value, field, record);
    if (text === undefined) return;
    this.writeText(text, column, field, record, isFirstRow, false);
  }

  /** Appends the text of a cell that `convert` returned, quoted where needed or `isQuoted`. */
  private writeText(
    text: string,
    column: number,
    field: string,
    record: number | undefined,
    isFirstRow: boolean,
    isQuoted: boolean,
  ): void {
    const isForced =
      isQuoted ||
      (!this.isVerbatim &&
        (this.isGuarded || (isFirstRow && column === 0 && text.startsWith('ID'))));
    if (this.table === undefined) {
      this.appendText(text, isForced || (!this.isVerbatim && this.needsQuotes(text)));
      return;
    }
    if (this.isVerbatim && !isForced) {
      this.appendBytes(text, false);
      return;
    }
    for (;;) {
      const outcome = isForced ? NEEDS_QUOTES : this.tryAppendUnquoted(text);
      if (outcome === NEEDS_QUOTES && this.appendBytes(text, true)) return;
      if (outcome === WRITTEN) return;
      // A character the code page lacks: replace it with a warning, then decide again, as
      // the replaced text may need no quotes (the BOM character, for one).
      text = this.replaceUnmappable(text, field, record);
    }
  }

  /** Writes a 32-bit integer's decimal digits, as String(value) writes them (-0 as 0). */
  private appendInteger(value: number): void {
    this.reserve(11);
    const bytes = this.bytes;
    let at = this.length;
    let rest = value;
    if (rest < 0) {
      bytes[at++] = 0x2d;
      rest = -rest;
    }
    let digits = 1;
    for (let power = 10; power <= rest; power *= 10) digits++;
    at += digits;
    let index = at;
    do {
      bytes[--index] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    this.length = at;
  }

  private endRow(): void {
    if (this.table === undefined) this.text += this.newline;
    else this.appendFixed(this.newlineBytes);
  }

  /** Returns the encoded rows appended since the last call; `isStart` marks the file's start. */
  take(isStart: boolean): Buffer {
    if (this.table === undefined) {
      const text = this.text;
      this.text = '';
      return text.length === 0 ? Buffer.alloc(0) : this.textEncoder.encode(text, isStart);
    }
    const encoded = Buffer.allocUnsafe(this.length);
    this.bytes.copy(encoded, 0, 0, this.length);
    this.length = 0;
    return encoded;
  }

  /**
   * Returns the text papaparse writes for a value, before quoting, or undefined for an empty
   * field: null, undefined and an invalid date. Text is also guarded, and checked against the
   * encoding here or, on the byte path, while it is written.
   */
  private convert(value: unknown, field: string, record: number | undefined): string | undefined {
    this.isGuarded = false;
    this.isVerbatim = false;
    this.isUnchecked = false;
    switch (typeof value) {
      case 'string':
        return this.convertText(value, field, record);
      case 'number':
        return this.settings.decimalComma ? numberText(value).replace('.', ',') : numberText(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'undefined':
        return undefined;
      case 'object': {
        if (value === null) return undefined;
        if (value instanceof Date) {
          // papaparse writes a plain Date as ISO text without quoting it, and a subclass's
          // text as any other cell.
          if (value.constructor !== Date) return value.toString();
          this.isVerbatim = true;
          return Number.isNaN(value.getTime()) ? '' : value.toISOString();
        }
        const json = JSON.stringify(value) as string | undefined;
        return json === undefined ? undefined : this.convertText(json, field, record);
      }
      default:
        return (value as { toString(): string }).toString();
    }
  }

  /**
   * Checks text against the encoding and guards it. The byte path leaves the check to the writing,
   * which meets every character anyway: the guard's decision is the same either way, because a
   * formula starts with an ASCII character and a replaced one is `?`.
   */
  private convertText(value: string, field: string, record: number | undefined): string {
    let cell = value;
    this.isUnchecked = this.table !== undefined;
    if (!this.isUnchecked && this.textEncoder.hasUnmappable(cell)) {
      cell = this.replaceUnmappable(cell, field, record);
    }
    if (this.settings.formulaGuard && FORMULA_START.test(cell)) {
      this.isGuarded = true;
      return `'${cell}`;
    }
    return cell;
  }

  /** Replaces the characters the encoding lacks with `?` and warns about them. */
  private replaceUnmappable(text: string, field: string, record: number | undefined): string {
    this.isUnchecked = false;
    const { text: replaced, replaced: characters } = this.textEncoder.replaceUnmappable(text);
    const where = record === undefined ? 'the header' : `record ${record}`;
    this.settings.onWarning?.(
      'CSV_CHARACTER_UNMAPPABLE',
      `${this.settings.encoding} has no ${characters.join('')}, written as ? in ${where}, column ${field}`,
      record === undefined ? { field } : { record, field },
    );
    return replaced;
  }

  /** papaparse's test for a field that must be quoted, apart from the guard and `ID`. */
  private needsQuotes(text: string): boolean {
    if (this.hasOuterSpace(text)) return true;
    for (let index = 0; index < text.length; index++) {
      if (this.isSpecial(text.charCodeAt(index))) return true;
    }
    return this.delimiterCode === -1 && text.includes(this.delimiter);
  }

  private hasOuterSpace(text: string): boolean {
    return (
      text.length > 0 && (text.charCodeAt(0) === 0x20 || text.charCodeAt(text.length - 1) === 0x20)
    );
  }

  /**
   * Returns a copy of an encode table in which ASCII maps to itself, as on the byte path, and
   * every character that isSpecial() accepts maps to SPECIAL. One lookup then both tests and
   * encodes a character of an unquoted cell.
   */
  private markSpecial(table: Int16Array): Int16Array {
    const marked = table.slice();
    for (let code = 0; code < 0x80; code++) marked[code] = code;
    for (const code of [0x0a, 0x0d, 0x22, BYTE_ORDER_MARK, this.delimiterCode, this.quoteCode]) {
      if (code >= 0) marked[code] = SPECIAL;
    }
    return marked;
  }

  /** True for a character that makes papaparse quote the field. */
  private isSpecial(code: number): boolean {
    return (
      code === 0x0a ||
      code === 0x0d ||
      code === 0x22 ||
      code === BYTE_ORDER_MARK ||
      code === this.delimiterCode ||
      code === this.quoteCode
    );
  }

  /**
   * Writes a cell that needs no quotes, or writes nothing and returns why not: it needs quotes,
   * or it is unchecked text with a character the code page lacks. Testing and writing in one pass
   * saves a second pass over the usual cell.
   */
  private tryAppendUnquoted(
    text: string,
  ): typeof WRITTEN | typeof NEEDS_QUOTES | typeof UNMAPPABLE {
    if (this.hasOuterSpace(text)) return NEEDS_QUOTES;
    if (this.delimiterCode === -1 && text.includes(this.delimiter)) return NEEDS_QUOTES;
    this.reserve(text.length);
    const bytes = this.bytes;
    const table = this.unquotedTable!;
    let at = this.length;
    for (let index = 0; index < text.length; index++) {
      let byte = table[text.charCodeAt(index)]!;
      if (byte < 0) {
        if (byte === SPECIAL) return NEEDS_QUOTES;
        if (this.isUnchecked) return UNMAPPABLE;
        byte = QUESTION_MARK;
        if (isSurrogatePair(text, index)) index++;
      }
      bytes[at++] = byte;
    }
    this.length = at;
    return WRITTEN;
  }

  private appendText(text: string, quoted: boolean): void {
    if (!quoted) {
      this.text += text;
      return;
    }
    this.text += this.quote + text.replaceAll(this.quote, this.escapedQuote) + this.quote;
  }

  /**
   * Writes a cell through the code page table and returns true, or writes nothing and returns
   * false for unchecked text with a character the code page lacks. In other text (of symbols and
   * functions) such a character becomes `?` as the encoder writes it: one `?` for a surrogate pair.
   */
  private appendBytes(text: string, quoted: boolean): boolean {
    const table = this.table!;
    // A doubled quote takes two bytes, and each UTF-16 unit at most one.
    this.reserve(quoted ? 2 * text.length + 2 * this.quoteBytes.length : text.length);
    const bytes = this.bytes;
    const quoteCode = quoted ? this.quoteCode : -1;
    let at = this.length;
    if (quoted) at = this.copyFixed(this.quoteBytes, at);
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      let byte = code < 0x80 ? code : table[code]!;
      if (byte < 0) {
        if (this.isUnchecked) return false;
        byte = QUESTION_MARK;
        if (isSurrogatePair(text, index)) index++;
      }
      bytes[at++] = byte;
      if (code === quoteCode) at = this.copyFixed(this.quoteBytes, at);
    }
    if (quoted) at = this.copyFixed(this.quoteBytes, at);
    this.length = at;
    return true;
  }

  private appendFixed(fixed: Buffer): void {
    this.reserve(fixed.length);
    this.length = this.copyFixed(fixed, this.length);
  }

  private copyFixed(fixed: Buffer, at: number): number {
    if (fixed.length === 1) {
      this.bytes[at] = fixed[0]!;
      return at + 1;
    }
    fixed.copy(this.bytes, at);
    return at + fixed.length;
  }

  private reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.length + count));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}

/**
 * Returns `String(value)` without V8's number-to-string cache where that cache costs memory. On a
 * miss, V8 11 allocates the text of a number beyond the 32-bit integers in the old generation, so
 * varied prices leave garbage there that only a full collection frees. The heap then grows with
 * the record count: 1,000,000 records peaked about 20 MB higher than 250,000 in `pnpm bench csv`.
 * `JSON.stringify` returns the same text for every finite number, because ECMA-262 defines it as
 * ToString, and allocates it young. Measured on 3,000,000 varied decimals, it was also about 20 %
 * faster. 32-bit integers stay with `String`, which was twice as fast for them and allocates young.
 */
function numberText(value: number): string {
  if ((value | 0) === value || !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

function isSurrogatePair(text: string, index: number): boolean {
  const high = text.charCodeAt(index);
  const low = text.charCodeAt(index + 1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

function codePageOf(encoding: CsvEncoding) {
  return codePageOfCsvEncoding[encoding as SingleByteEncoding];
}

/**
 * Returns the encode table for the byte path, or undefined where the text path is needed: for
 * UTF-8, and where the delimiter or quote character contains a surrogate half, which could pair
 * with a neighbouring character in one string.
 */
function byteTableFor(encoding: CsvEncoding, fixedText: string): Int16Array | undefined {
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') return undefined;
  if (/[\ud800-\udfff]/.test(fixedText)) return undefined;
  return encodeTableOf(codePageOf(encoding));
}
