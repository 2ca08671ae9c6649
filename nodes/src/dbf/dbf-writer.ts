import { open, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import type { DataRecord, WarningDetails } from '../contract/block.js';
import type { CodePage } from '../codepages/index.js';
import { dbfError, dbfMessage } from './dbf-errors.js';
import { MemoValueError, MemoWriter } from './memo-writer.js';
import { describeValue, encodeTextValue, encodeValue, ValueError } from './value-encoder.js';
import { buildHeader, writeAutoIncrement } from './write-header.js';
import {
  toWriteLayout,
  type DbfWriteField,
  type DbfWriteFormat,
  type WriteColumn,
  type WriteLayout,
} from './write-fields.js';

export type { DbfWriteField, DbfWriteFieldType, DbfWriteFormat } from './write-fields.js';
export { writeFieldsFromTable } from './write-fields.js';

export type DbfWriterOptions = {
  fields: readonly DbfWriteField[];
  /** Code page of text and memo values; its language-driver byte goes into the header. */
  codePage: CodePage;
  /** Table layout; default `dbase3`. */
  format?: DbfWriteFormat;
  /**
   * Cut a value that does not fit its field (text too long, a number too wide, a character the
   * code page lacks) and call `onWarning` with DBF_WRITE_VALUE_FITTED. Default false, which
   * raises DBF_WRITE_VALUE_INVALID instead. Values of the wrong type always raise it.
   */
  truncate?: boolean;
  onWarning?: (code: 'DBF_WRITE_VALUE_FITTED', message: string, details: WarningDetails) => void;
  /**
   * Block size of an `.fpt` memo file in bytes, 1 to 65535; default 64, as Visual FoxPro uses.
   * Ignored for `dbase3`, whose `.dbt` files always use 512.
   */
  memoBlockSize?: number;
  /** Date stored as the last update; default today. Set it to write identical files. */
  lastUpdate?: Date;
  /**
   * Store field names in the letter case given, e.g. to copy a template table byte for byte.
   * Default false: names are stored upper case, as dBase and FoxPro store them.
   */
  keepNameCase?: boolean;
};

/** A table being written. Records go to disk on each `write`; `close` completes the header. */
export type DbfWriter = {
  /** Appends records. A value that does not fit its field raises DBF_WRITE_VALUE_INVALID. */
  write(records: readonly DataRecord[]): Promise<void>;
  /** Writes the end-of-file byte, patches the record count and closes the files. */
  close(): Promise<void>;
  /** Records written so far. */
  readonly recordCount: number;
  /** Path of the memo file beside the table, or undefined when the table has no memo field. */
  readonly memoPath: string | undefined;
  /** Size of the memo file; valid after `close`. */
  readonly memoSize: number;
};

const END_OF_FILE = 0x1a;
const MAX_INTEGER = 0x7fff_ffff;

/**
 * Creates a dBase III, FoxPro 2 or Visual FoxPro table and returns a writer that streams records
 * into it, so tables of any size are written in constant memory. A table with an M field gets a
 * `.dbt` or `.fpt` memo file beside it.
 *
 * @example
 * const writer = await createDbfWriter('items.dbf', {
 *   fields: [{ name: 'CODE', type: 'C', length: 13 }, { name: 'NOTE', type: 'M' }],
 *   codePage: '852',
 *   format: 'foxpro',
 * });
 * await writer.write([{ CODE: 'A1', NOTE: 'Dlouhý popis' }]);
 * await writer.close();
 */
export async function createDbfWriter(path: string, options: DbfWriterOptions): Promise<DbfWriter> {
  const format = options.format ?? 'dbase3';
  const layout = toWriteLayout(options.fields, format, path);
  checkMemoBlockSize(options.memoBlockSize, path);
  const hasMemo = layout.columns.some((column) => column.type === 'M');
  const header = buildHeader(layout, format, hasMemo, options);
  const memoPath = hasMemo ? memoPathFor(path, format) : undefined;

  const handle = await open(path, 'w');
  let memo: MemoWriter | undefined;
  try {
    await handle.write(header, 0, header.length, 0);
    if (memoPath !== undefined) {
      const memoFormat = format === 'dbase3' ? 'dbt' : 'fpt';
      memo = await MemoWriter.create(memoPath, memoFormat, options.memoBlockSize);
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  const target = { handle, path, memo, memoPath };
  return new StreamingWriter(target, layout, header.length, options);
}

function checkMemoBlockSize(blockSize: number | undefined, file: string): void {
  if (blockSize === undefined) return;
  if (Number.isInteger(blockSize) && blockSize >= 1 && blockSize <= 0xffff) return;
  const reason = `memo block size ${blockSize}, allowed are 1 to 65535 bytes`;
  throw dbfError('DBF_WRITE_FIELDS_INVALID', { reason }, { file });
}

function memoPathFor(path: string, format: DbfWriteFormat): string {
  const extension = extname(path);
  const isUpperCase = extension !== '' && extension === extension.toUpperCase();
  const memoExtension = format === 'dbase3' ? '.dbt' : '.fpt';
  return (
    path.slice(0, path.length - extension.length) +
    (isUpperCase ? memoExtension.toUpperCase() : memoExtension)
  );
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function isBinary(column: WriteColumn): boolean {
  return 'IYB'.includes(column.type) || (column.type === 'M' && column.length === 4);
}

type WriteTarget = {
  handle: FileHandle;
  path: string;
  memo: MemoWriter | undefined;
  memoPath: string | undefined;
};

class StreamingWriter implements DbfWriter {
  recordCount = 0;
  private position: number;
  /** Next value of each autoincrement column. */
  private readonly autoNext = new Map<WriteColumn, number>();

  constructor(
    private readonly target: WriteTarget,
    private readonly layout: WriteLayout,
    headerLength: number,
    private readonly options: DbfWriterOptions,
  ) {
    this.position = headerLength;
    for (const column of layout.columns) {
      if (column.autoIncrement !== undefined) this.autoNext.set(column, column.autoIncrement.next);
    }
  }

  get memoPath(): string | undefined {
    return this.target.memoPath;
  }

  get memoSize(): number {
    return this.target.memo?.size ?? 0;
  }

  async write(records: readonly DataRecord[]): Promise<void> {
    const { recordLength } = this.layout;
    const buffer = Buffer.alloc(records.length * recordLength, 0x20);
    for (let index = 0; index < records.length; index++) {
      const recordNumber = this.recordCount + index + 1;
      this.encodeRecord(records[index]!, buffer, index * recordLength, recordNumber);
    }

    await this.target.memo?.flush();
    await this.target.handle.write(buffer, 0, buffer.length, this.position);
    this.position += buffer.length;
    this.recordCount += records.length;
  }

  async close(): Promise<void> {
    const { handle, memo } = this.target;
    try {
      await handle.write(Buffer.from([END_OF_FILE]), 0, 1, this.position);
      const count = Buffer.alloc(4);
      count.writeUInt32LE(this.recordCount);
      await handle.write(count, 0, 4, 4);
      await this.writeAutoIncrements();
    } finally {
      await handle.close();
      await memo?.close();
    }
  }

  /** Stores in each autoincrement descriptor the value the record after the last one gets. */
  private async writeAutoIncrements(): Promise<void> {
    for (const [column, next] of this.autoNext) {
      const index = this.layout.columns.indexOf(column);
      const descriptor = Buffer.alloc(32 * (index + 2));
      // Past the integer range no record can take the next value; the largest value is kept.
      writeAutoIncrement(
        descriptor,
        index,
        Math.min(next, MAX_INTEGER),
        column.autoIncrement!.step,
      );
      const at = 32 + index * 32 + 19;
      await this.target.handle.write(descriptor, at, 5, at);
    }
  }

  /**
   * Gives a blank value of an autoincrement column the column's next value, and moves the next
   * value one step past the larger of the two, so that a filled value never repeats a given one.
   */
  private autoIncrement(column: WriteColumn, value: unknown): unknown {
    const next = this.autoNext.get(column)!;
    const taken = isBlank(value) ? next : value;
    if (typeof taken === 'number' && Number.isInteger(taken)) {
      this.autoNext.set(column, Math.max(next, taken) + column.autoIncrement!.step);
    }
    return taken;
  }

  private encodeRecord(record: DataRecord, buffer: Buffer, start: number, recordNumber: number) {
    let byUpperCase: Map<string, unknown> | undefined;
    const { nullFlags } = this.layout;
    if (nullFlags !== undefined)
      buffer.fill(0, start + nullFlags.offset, start + nullFlags.offset + nullFlags.length);
    for (const column of this.layout.columns) {
      // Own properties only, so a field named __proto__ never reads the record's prototype.
      let value = Object.hasOwn(record, column.name) ? record[column.name] : undefined;
      // Field names are case-insensitive in dBase, so `code` fills the field CODE. The map is
      // only built for a record that lacks a field's exact name.
      if (value === undefined) {
        byUpperCase ??= new Map(Object.entries(record).map(([key, v]) => [key.toUpperCase(), v]));
        value = byUpperCase.get(column.name.toUpperCase());
      }
      if (column.autoIncrement !== undefined) value = this.autoIncrement(column, value);
      if (column.nullBit !== undefined && isBlank(value)) {
        const bit = column.nullBit;
        buffer[start + nullFlags!.offset + (bit >> 3)]! |= 1 << (bit & 7);
        // Binary fields get zero bytes, so readers that ignore _NullFlags see 0 or no memo
        // instead of the number that four spaces make.
        const at = start + column.offset;
        if (isBinary(column)) buffer.fill(0, at, at + column.length);
        continue;
      }
      try {
        const bytes = this.encodeColumn(value, column, recordNumber);
        if (bytes === undefined) continue;
        const at = start + column.offset;
        if (typeof bytes === 'string') buffer.write(bytes, at, 'latin1');
        else bytes.copy(buffer, at);
        // A varchar value shorter than its field keeps its length in the field's last byte.
        if (column.varLengthBit !== undefined && bytes.length < column.length) {
          const bit = column.varLengthBit;
          buffer[at + column.length - 1] = bytes.length;
          buffer[start + nullFlags!.offset + (bit >> 3)]! |= 1 << (bit & 7);
        }
      } catch (error) {
        if (!(error instanceof ValueError || error instanceof MemoValueError)) throw error;
        throw dbfError(
          'DBF_WRITE_VALUE_INVALID',
          {
            record: recordNumber,
            name: column.name,
            reason: error.message,
            hint: error instanceof ValueError ? error.hint : undefined,
          },
          { file: this.target.path, record: recordNumber, field: column.name },
        );
      }
    }
  }

  private encodeColumn(value: unknown, column: WriteColumn, record: number) {
    const truncate = this.options.truncate ?? false;
    const onFitted = (change: string) => this.reportFitted(change, column, record);
    if (column.type !== 'M') {
      return encodeValue(value, column, this.options.codePage, truncate, onFitted);
    }
    if (isBlank(value)) {
      return column.length === 4 ? Buffer.alloc(4) : undefined;
    }
    if (typeof value !== 'string') {
      throw new ValueError(`expected text or null, got ${describeValue(value)}`);
    }
    const text = encodeTextValue(value, this.options.codePage, truncate, onFitted);
    const block = this.target.memo!.append(text);
    if (column.length === 4) {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32LE(block, 0);
      return bytes;
    }
    return String(block).padStart(column.length, ' ');
  }

  private reportFitted(change: string, column: WriteColumn, record: number): void {
    const parameters = { record, name: column.name, change };
    const { message } = dbfMessage('DBF_WRITE_VALUE_FITTED', parameters);
    this.options.onWarning?.('DBF_WRITE_VALUE_FITTED', message, {
      file: this.target.path,
      record,
      field: column.name,
    });
  }
}
