import { open, type FileHandle } from 'node:fs/promises';
import type { DataRecord } from '../contract/block.js';
import { encodeText, languageDriverForCodePage, type CodePage } from '../codepages/index.js';
import { isCalendarDate } from './calendar.js';
import { dbfError } from './dbf-errors.js';

/** A column of a table to write. */
export type DbfWriteField = {
  /** 1 to 10 ASCII letters, digits or underscores. */
  name: string;
  type: 'C' | 'N' | 'D' | 'L';
  /** Width in bytes: C 1 to 254, N 1 to 20. D is always 8 and L always 1, whatever is given. */
  length: number;
  /** Digits after the decimal point of an N field; default 0. */
  decimals?: number;
};

export type DbfWriterOptions = {
  fields: readonly DbfWriteField[];
  /** Code page of C values; its language-driver byte goes into the header. */
  codePage: CodePage;
  /** Version byte: 0x03 dBase III (default) or 0xF5 FoxPro 2. Neither writes memo fields. */
  version?: 0x03 | 0xf5;
  /** Date stored as the last update; default today. Set it to write identical files. */
  lastUpdate?: Date;
};

/** A table being written. Records go to disk on each `write`; `close` completes the header. */
export type DbfWriter = {
  /** Appends records. A value that does not fit its field raises DBF_WRITE_VALUE_INVALID. */
  write(records: readonly DataRecord[]): Promise<void>;
  /** Writes the end-of-file byte, patches the record count and closes the file. */
  close(): Promise<void>;
  /** Records written so far. */
  readonly recordCount: number;
};

type Column = Required<DbfWriteField> & { offset: number };

/** Widths that D and L fields always have. */
const fixedWriteLengths: Partial<Record<DbfWriteField['type'], number>> = { D: 8, L: 1 };

const END_OF_FILE = 0x1a;
const FIELD_LIST_END = 0x0d;

/**
 * Creates a DBF table and returns a writer that streams records into it, so tables of any size
 * are written in constant memory.
 */
export async function createDbfWriter(path: string, options: DbfWriterOptions): Promise<DbfWriter> {
  const columns = toColumns(options.fields, path);
  const recordLength = columns.reduce((sum, column) => sum + column.length, 1);
  const header = buildHeader(columns, recordLength, options);
  const handle = await open(path, 'w');
  try {
    await handle.write(header, 0, header.length, 0);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return new StreamingWriter(handle, path, columns, recordLength, header.length, options.codePage);
}

function toColumns(fields: readonly DbfWriteField[], file: string): Column[] {
  const invalid = (reason: string) => dbfError('DBF_WRITE_FIELDS_INVALID', { reason }, { file });
  if (fields.length === 0) throw invalid('a table needs at least one field');
  const names = new Set<string>();
  let offset = 1;
  return fields.map((field) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,9}$/.test(field.name))
      throw invalid(`field name "${field.name}"`);
    if (names.has(field.name.toUpperCase()))
      throw invalid(`field name "${field.name}" is repeated`);
    names.add(field.name.toUpperCase());

    const length = fixedWriteLengths[field.type] ?? field.length;
    const decimals = field.type === 'N' ? (field.decimals ?? 0) : 0;
    const maxLength = field.type === 'C' ? 254 : 20;
    if (!Number.isInteger(length) || length < 1 || length > maxLength) {
      throw invalid(
        `field ${field.name} has length ${field.length}, allowed are 1 to ${maxLength}`,
      );
    }
    if (decimals > 0 && decimals > length - 2) {
      throw invalid(`field ${field.name} has ${decimals} decimals, too many for length ${length}`);
    }
    const column = { ...field, length, decimals, offset };
    offset += length;
    return column;
  });
}

function buildHeader(columns: Column[], recordLength: number, options: DbfWriterOptions): Buffer {
  const header = Buffer.alloc(32 + columns.length * 32 + 1);
  const date = options.lastUpdate ?? new Date();
  header[0] = options.version ?? 0x03;
  header[1] = date.getFullYear() - 1900;
  header[2] = date.getMonth() + 1;
  header[3] = date.getDate();
  header.writeUInt32LE(0, 4);
  header.writeUInt16LE(header.length, 8);
  header.writeUInt16LE(recordLength, 10);
  header[29] = languageDriverForCodePage(options.codePage);

  columns.forEach((column, index) => {
    const at = 32 + index * 32;
    header.write(column.name.toUpperCase(), at, 'latin1');
    header.write(column.type, at + 11, 'latin1');
    header[at + 16] = column.length;
    header[at + 17] = column.decimals;
  });
  header[header.length - 1] = FIELD_LIST_END;
  return header;
}

class StreamingWriter implements DbfWriter {
  recordCount = 0;
  private position: number;

  constructor(
    private readonly handle: FileHandle,
    private readonly file: string,
    private readonly columns: Column[],
    private readonly recordLength: number,
    headerLength: number,
    private readonly codePage: CodePage,
  ) {
    this.position = headerLength;
  }

  async write(records: readonly DataRecord[]): Promise<void> {
    const buffer = Buffer.alloc(records.length * this.recordLength, 0x20);
    records.forEach((record, index) =>
      this.encodeRecord(record, buffer, index * this.recordLength),
    );

    await this.handle.write(buffer, 0, buffer.length, this.position);
    this.position += buffer.length;
    this.recordCount += records.length;
  }

  async close(): Promise<void> {
    try {
      await this.handle.write(Buffer.from([END_OF_FILE]), 0, 1, this.position);
      const count = Buffer.alloc(4);
      count.writeUInt32LE(this.recordCount);
      await this.handle.write(count, 0, 4, 4);
    } finally {
      await this.handle.close();
    }
  }

  private encodeRecord(record: DataRecord, buffer: Buffer, start: number): void {
    const recordNumber = this.recordCount + start / this.recordLength + 1;
    for (const column of this.columns) {
      const text = this.formatValue(record[column.name], column, recordNumber);
      if (text === undefined) continue;
      const at = start + column.offset;
      if (typeof text === 'string') buffer.write(text, at, 'latin1');
      else text.copy(buffer, at);
    }
  }

  /** Returns the bytes of a value (latin1 text for ASCII formats), or undefined for blank. */
  private formatValue(value: unknown, column: Column, record: number): string | Buffer | undefined {
    if (value === null || value === undefined || value === '')
      return column.type === 'L' ? '?' : undefined;
    const invalid = (reason: string) =>
      dbfError(
        'DBF_WRITE_VALUE_INVALID',
        { record, name: column.name, reason },
        { file: this.file, record, field: column.name },
      );

    switch (column.type) {
      case 'C':
        return this.formatCharacter(String(value), column, invalid);
      case 'N':
        return formatNumber(value, column, invalid);
      case 'D':
        return formatDate(value, invalid);
      case 'L':
        if (typeof value !== 'boolean')
          throw invalid(`expected true, false or null, got ${JSON.stringify(value)}`);
        return value ? 'T' : 'F';
    }
  }

  private formatCharacter(
    value: string,
    column: Column,
    invalid: (reason: string) => Error,
  ): Buffer {
    const { bytes, unmappable } = encodeText(value, this.codePage);
    if (unmappable.length > 0) {
      throw invalid(
        `code page ${this.codePage} has no byte for ${unmappable.map((c) => `"${c}"`).join(', ')}`,
      );
    }
    if (bytes.length > column.length) {
      throw invalid(
        `the value is ${bytes.length} bytes long, but the field is ${column.length} bytes wide`,
      );
    }
    return bytes;
  }
}

/** Formats a number right-aligned with the field's decimals, as dBase does. */
function formatNumber(value: unknown, column: Column, invalid: (reason: string) => Error): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(`expected a number, got ${JSON.stringify(value)}`);
  }
  const text = value.toFixed(column.decimals);
  if (text.length > column.length) {
    throw invalid(
      `${text} is ${text.length} characters long, but the field is ${column.length} wide`,
    );
  }
  return text.padStart(column.length, ' ');
}

/** Accepts `YYYY-MM-DD` text or a Date (its local calendar day). */
function formatDate(value: unknown, invalid: (reason: string) => Error): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    const month = String(value.getMonth() + 1).padStart(2, '0');
    const day = String(value.getDate()).padStart(2, '0');
    return `${String(value.getFullYear()).padStart(4, '0')}${month}${day}`;
  }
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    return `${match[1]}${match[2]}${match[3]}`;
  }
  throw invalid(`expected a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
}
