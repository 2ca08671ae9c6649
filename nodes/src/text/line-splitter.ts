import { FlowAuthorError } from '../contract/errors.js';

/** A line of text and its 1-based number in the file. */
export type TextLine = { text: string; line: number };

/**
 * Splits text fed in chunks cut anywhere into lines: at CRLF, LF or bare CR, also when a CRLF is
 * split between chunks, or every `recordLength` characters when that is set (records without a
 * separator). A line longer than `maxLength` fails the read, so that a file without line
 * breaks cannot fill memory.
 */
export class LineSplitter {
  private pending = '';
  private skipLf = false;
  private line = 0;

  constructor(
    private readonly options: {
      recordLength?: number;
      /** `recordLength` counts UTF-8 bytes instead of code points. */
      countsBytes?: boolean;
      maxLength: number;
      file: string;
    },
  ) {}

  /** Splits the next chunk and returns the lines it completed. */
  push(text: string): TextLine[] {
    const { recordLength } = this.options;
    if (recordLength === undefined) return this.splitAtBreaks(text);
    if (this.options.countsBytes === true) return this.splitEveryBytes(text, recordLength);
    return this.splitEvery(text, recordLength);
  }

  /** Returns the last line when the text did not end with a line break. */
  end(): TextLine[] {
    const rest = this.pending;
    this.pending = '';
    if (rest === '') return [];
    return [{ text: rest, line: ++this.line }];
  }

  private splitAtBreaks(text: string): TextLine[] {
    const lines: TextLine[] = [];
    let start = 0;
    if (this.skipLf && text.charCodeAt(0) === 0x0a) start = 1;
    this.skipLf = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      lines.push({ text: this.pending + text.slice(start, i), line: ++this.line });
      this.pending = '';
      if (c === 0x0d) {
        if (i + 1 === text.length) this.skipLf = true;
        else if (text.charCodeAt(i + 1) === 0x0a) i++;
      }
      start = i + 1;
    }
    this.pending += text.slice(start);
    this.checkLength();
    return lines;
  }

  /**
   * Cuts records of `length` code points, as Write Text writes them. The decoder never splits a
   * surrogate pair between text chunks, so counting by Array.from is exact.
   */
  private splitEvery(text: string, length: number): TextLine[] {
    const lines: TextLine[] = [];
    const data = this.pending + text;
    if (!/[\ud800-\udfff]/.test(data)) {
      let offset = 0;
      for (; data.length - offset >= length; offset += length) {
        lines.push({ text: data.slice(offset, offset + length), line: ++this.line });
      }
      this.pending = data.slice(offset);
      return lines;
    }
    const characters = Array.from(data);
    let index = 0;
    for (; characters.length - index >= length; index += length) {
      lines.push({ text: characters.slice(index, index + length).join(''), line: ++this.line });
    }
    this.pending = characters.slice(index).join('');
    return lines;
  }

  /**
   * Cuts records of `length` UTF-8 bytes. Throws a FlowAuthorError naming the record and byte when
   * a record would end inside a multibyte character.
   */
  private splitEveryBytes(text: string, length: number): TextLine[] {
    const lines: TextLine[] = [];
    const data = this.pending + text;
    let start = 0;
    let bytes = 0;
    for (let index = 0; index < data.length;) {
      const codePoint = data.codePointAt(index)!;
      const size = utf8Size(codePoint);
      index += codePoint > 0xffff ? 2 : 1;
      bytes += size;
      if (bytes > length) throw this.cutCharacter(length, bytes - size + 1);
      if (bytes < length) continue;
      lines.push({ text: data.slice(start, index), line: ++this.line });
      start = index;
      bytes = 0;
    }
    this.pending = data.slice(start);
    return lines;
  }

  /** Returns the error for a record that ends inside the character at `byte` (1-based). */
  private cutCharacter(length: number, byte: number): FlowAuthorError {
    const record = this.line + 1;
    return new FlowAuthorError(
      'TEXT_CHARACTER_CUT',
      `${this.options.file}: record ${record}, byte ${byte}: a multibyte character crosses the ` +
        `record length of ${length} bytes`,
      {
        hint: 'Check the record length against the file, or count positions in characters.',
        context: { file: this.options.file, line: record },
      },
    );
  }

  private checkLength(): void {
    if (this.pending.length <= this.options.maxLength) return;
    throw new FlowAuthorError(
      'TEXT_LINE_TOO_LONG',
      `${this.options.file}: line ${this.line + 1} is longer than ${this.options.maxLength} characters`,
      {
        hint: 'Check the record separator: a file without line breaks needs a record length.',
        context: { file: this.options.file, line: this.line + 1 },
      },
    );
  }
}

/** Returns the number of bytes UTF-8 takes for a code point. */
function utf8Size(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}
