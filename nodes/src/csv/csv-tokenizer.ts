import { FlowAuthorError } from '../contract/errors.js';

/** One row of cells and the 1-based line of the file where it starts. */
export type CsvRow = { cells: string[]; line: number };

/** Options of {@link CsvTokenizer}. */
export type CsvTokenizerOptions = {
  /** One character between cells. */
  delimiter: string;
  /** One character that encloses cells, or '' for text without quoting. */
  quoteChar: string;
  /**
   * A character that escapes a quote inside a quoted cell, e.g. a backslash for `\"`; it also
   * escapes itself, and before any other character it is kept. Default '': quotes are doubled.
   */
  escapeChar?: string;
  /** Characters one row may have before the read fails; default 64 Mi. */
  maxRecordLength?: number;
  /** Name of the file, for messages. */
  file: string;
  /** Line number of the text's first line; default 1. */
  firstLine?: number;
  /** Receives a quote that is not followed by a delimiter or a line break, by its line. */
  onStrayQuote?: (line: number) => void;
};

/** Default maximum length of one row: 64 Mi characters. */
export const DEFAULT_MAX_RECORD_LENGTH = 64 * 1024 * 1024;

/** The DOS end-of-file mark that old programs leave as the last line. */
export const END_OF_FILE_MARK = '\u001a';

const CR = 0x0d;
const LF = 0x0a;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
  EscapeInQuoted,
}

/**
 * Splits CSV text into rows, fed in chunks cut anywhere. CRLF, LF and bare CR all end a row, also
 * when a CRLF is split between two chunks. A quoted cell may hold delimiters and line breaks, and
 * a doubled quote inside it is one quote. Blank lines are skipped.
 *
 * Written by hand, not with papaparse, because papaparse's stream mode guesses the line break
 * from the first chunk. In papaparse 5.7.1, a first chunk without a line break leaves a CR at the
 * end of every row of a CRLF file, and so does a CRLF split between chunks of 3 bytes. It also
 * accepts only one kind of line break per file.
 */
export class CsvTokenizer {
  private readonly delimiter: number;
  private readonly quote: number;
  private readonly quoteText: string;
  private readonly escapeText: string;
  private readonly maxRecordLength: number;
  private state = State.FieldStart;
  private field = '';
  private cells: string[] = [];
  private line = 1;
  private rowLine = 1;
  private isRowQuoted = false;
  private skipLf = false;
  private quotedAfterCr = false;
  private carriedLength = 0;

  constructor(private readonly options: CsvTokenizerOptions) {
    this.delimiter = options.delimiter.charCodeAt(0);
    this.quote = options.quoteChar === '' ? -1 : options.quoteChar.charCodeAt(0);
    this.quoteText = options.quoteChar;
    const escape = options.escapeChar ?? '';
    this.escapeText = escape === options.quoteChar ? '' : escape;
    this.maxRecordLength = options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;
    this.line = options.firstLine ?? 1;
    this.rowLine = this.line;
  }

  /** Tokenizes the next chunk and returns the rows it completed. */
  push(text: string): CsvRow[] {
    const rows: CsvRow[] = [];
    const n = text.length;
    let i = 0;
    let rowStart = 0;
    while (i < n) {
      if (this.state === State.FieldStart) {
        const c = text.charCodeAt(i);
        if (this.skipLf) {
          this.skipLf = false;
          if (c === LF) {
            i++;
            rowStart = i;
            continue;
          }
        }
        if (c === this.quote) {
          this.state = State.Quoted;
          this.isRowQuoted = true;
          this.quotedAfterCr = false;
          i++;
          continue;
        }
        this.state = State.Unquoted;
      }

      if (this.state === State.Unquoted) {
        let j = i;
        let c = 0;
        while (j < n) {
          c = text.charCodeAt(j);
          if (c === this.delimiter || c === CR || c === LF) break;
          j++;
        }
        if (j > i) this.field += text.slice(i, j);
        if (j === n) {
          i = n;
          break;
        }
        i = j + 1;
        this.endCell();
        if (c !== this.delimiter) {
          this.endLine(c, rows, this.carriedLength + i - 1 - rowStart);
          rowStart = i;
        }
        continue;
      }

      if (this.state === State.Quoted) {
        const j = this.findQuotedEnd(text, i);
        const segment = j === -1 ? text.slice(i) : text.slice(i, j);
        this.countQuotedLines(segment);
        this.field += segment;
        if (j === -1) {
          i = n;
          break;
        }
        this.state = text[j] === this.quoteText ? State.QuoteInQuoted : State.EscapeInQuoted;
        i = j + 1;
        continue;
      }

      if (this.state === State.EscapeInQuoted) {
        const next = text[i]!;
        const isEscaped = next === this.quoteText || next === this.escapeText;
        this.field += isEscaped ? next : this.escapeText + next;
        this.countQuotedLines(next);
        this.state = State.Quoted;
        i++;
        continue;
      }

      const c = text.charCodeAt(i);
      i++;
      if (c === this.quote) {
        this.field += this.quoteText;
        this.state = State.Quoted;
        continue;
      }
      if (c === this.delimiter || c === CR || c === LF) {
        this.endCell();
        if (c !== this.delimiter) {
          this.endLine(c, rows, this.carriedLength + i - 1 - rowStart);
          rowStart = i;
        }
        continue;
      }
      // Text after a closing quote: keep both as written, as spreadsheet programs do.
      this.options.onStrayQuote?.(this.line);
      this.field += this.quoteText + text[i - 1];
      this.state = State.Unquoted;
    }

    this.carriedLength += n - rowStart;
    this.checkLength(this.carriedLength);
    return rows;
  }

  /** Returns the last row when the text did not end with a line break. */
  end(): CsvRow[] {
    if (this.state === State.Quoted || this.state === State.EscapeInQuoted) {
      throw new FlowAuthorError(
        'CSV_QUOTE_UNCLOSED',
        `${this.options.file}: the quoted cell that starts on line ${this.rowLine} is never closed`,
        {
          hint: 'Close the quote in the file, or set the quote character the file really uses.',
          context: { file: this.options.file, line: this.rowLine },
        },
      );
    }
    const rows: CsvRow[] = [];
    if (this.state !== State.FieldStart || this.cells.length > 0) {
      this.endCell();
      this.emitRow(rows);
    }
    return rows;
  }

  /** Returns the index of the next quote, or escape character, at or after `from`; -1 for none. */
  private findQuotedEnd(text: string, from: number): number {
    const quote = text.indexOf(this.quoteText, from);
    if (this.escapeText === '') return quote;
    const escape = text.indexOf(this.escapeText, from);
    if (escape === -1) return quote;
    return quote === -1 || escape < quote ? escape : quote;
  }

  private endCell(): void {
    this.cells.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
  }

  /** Ends the row at a line break. `rowLength` counts its characters without the break. */
  private endLine(breakCode: number, rows: CsvRow[], rowLength: number): void {
    this.checkLength(rowLength);
    this.emitRow(rows);
    this.line++;
    this.rowLine = this.line;
    this.skipLf = breakCode === CR;
  }

  private emitRow(rows: CsvRow[]): void {
    const cells = this.cells;
    // A row of only the DOS end-of-file mark is skipped like a blank one, as Read Text does.
    const isBlank =
      cells.length === 1 && (cells[0] === '' || cells[0] === END_OF_FILE_MARK) && !this.isRowQuoted;
    if (!isBlank) rows.push({ cells, line: this.rowLine });
    this.cells = [];
    this.isRowQuoted = false;
    this.carriedLength = 0;
  }

  /** Counts line breaks inside a quoted cell: CRLF, CR and LF each end one line. */
  private countQuotedLines(segment: string): void {
    if (segment.indexOf('\n') === -1 && segment.indexOf('\r') === -1) {
      if (segment.length > 0) this.quotedAfterCr = false;
      return;
    }
    for (let k = 0; k < segment.length; k++) {
      const c = segment.charCodeAt(k);
      if (c === CR) this.line++;
      else if (c === LF && !this.quotedAfterCr) this.line++;
      this.quotedAfterCr = c === CR;
    }
  }

  private checkLength(length: number): void {
    if (length <= this.maxRecordLength) return;
    throw new FlowAuthorError(
      'CSV_RECORD_TOO_LONG',
      `${this.options.file}: the row that starts on line ${this.rowLine} is longer than ` +
        `${this.maxRecordLength} characters`,
      {
        hint:
          'Check the quote character (an unclosed quote swallows the rest of the file), or ' +
          'raise the maximum record length.',
        context: { file: this.options.file, line: this.rowLine },
      },
    );
  }
}
