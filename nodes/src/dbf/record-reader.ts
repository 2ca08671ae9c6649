import type { FileHandle } from 'node:fs/promises';
import type { DataRecord } from '../contract/block.js';
import { dbfError } from './dbf-errors.js';
import type { DbfField, DbfHeader } from './header.js';
import { MemoBlockError, type MemoFile } from './memo.js';
import type { DbfReadOptions } from './reader.js';
import { isZeroFilled } from './table-checks.js';
import {
  setRecordField,
  type MemoReference,
  type RecordDecoder,
  type RecordPosition,
} from './values.js';

/** The memo fields and their file; `file` is undefined when a lenient read found none. */
export type OpenMemo = { file: MemoFile | undefined; fields: DbfField[] } | undefined;

/** Bytes read from the table per chunk. */
const CHUNK_BYTES = 256 * 1024;

const DELETED = 0x2a;
const ACTIVE = 0x20;

/** Reads records chunk by chunk and resolves memo references. */
export class RecordReader {
  constructor(
    private readonly handle: FileHandle,
    private readonly header: DbfHeader,
    private readonly decoder: RecordDecoder,
    private readonly memo: OpenMemo,
    private readonly file: string,
    private readonly availableRecords: number,
    private readonly options: Pick<DbfReadOptions, 'lenient' | 'onWarning'>,
  ) {}

  async *read(batchSize: number): AsyncGenerator<DataRecord[]> {
    const { recordLength, headerLength } = this.header;
    const recordsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / Math.max(recordLength, 1)));
    const chunk = Buffer.alloc(recordsPerChunk * recordLength);
    let batch: DataRecord[] = [];
    let isDamaged = false;
    // One position object serves every record, as the decoder and the error messages read it
    // only while that record is decoded.
    const position: RecordPosition = { record: 0, offset: 0 };

    for (let first = 0; first < this.availableRecords && !isDamaged; first += recordsPerChunk) {
      const count = Math.min(recordsPerChunk, this.availableRecords - first);
      const offset = headerLength + first * recordLength;
      await this.readChunk(chunk, count * recordLength, offset);

      for (let index = 0; index < count; index++) {
        const start = index * recordLength;
        position.record = first + index + 1;
        position.offset = offset + start;
        // Checking the flag first keeps the scan off the records that start with a space or *.
        if (chunk[start] === 0x00 && isZeroFilled(chunk, start + 1, start + recordLength)) {
          this.reportZeroRecord(position);
          isDamaged = true;
          break;
        }
        if (!this.isActive(chunk[start]!, position)) continue;
        const record = this.decoder.decode(chunk, start, position);
        // Only tables with memo fields pay for an await per record.
        if (this.memo !== undefined) await this.resolveMemos(record, this.memo, position);
        batch.push(record);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  }

  private async readChunk(chunk: Buffer, length: number, offset: number): Promise<void> {
    const { bytesRead } = await this.handle.read(chunk, 0, length, offset);
    if (bytesRead < length) {
      const held = Math.floor(
        (offset + bytesRead - this.header.headerLength) / this.header.recordLength,
      );
      throw dbfError(
        'DBF_TRUNCATED',
        { promised: this.availableRecords, held },
        { file: this.file, offset },
      );
    }
  }

  /**
   * Reports a record of zero bytes, which sparse or preallocated files contain where no record
   * was written. Throws DBF_RECORD_ZERO_BYTES, or warns in a lenient read, which ends there.
   */
  private reportZeroRecord(position: RecordPosition): void {
    const context = { file: this.file, offset: position.offset, record: position.record };
    const error = dbfError('DBF_RECORD_ZERO_BYTES', position, context);
    if (!this.options.lenient) throw error;
    this.options.onWarning?.('DBF_RECORD_ZERO_BYTES', error.message, context);
  }

  /** Returns true for an active record: its flag is a space, or 0x00 as some writers leave it. */
  private isActive(flag: number, position: RecordPosition): boolean {
    if (flag === ACTIVE || flag === 0x00) return true;
    if (flag === DELETED) return false;
    throw dbfError(
      'DBF_RECORD_FLAG_INVALID',
      { record: position.record, flag, offset: position.offset },
      { file: this.file, offset: position.offset, record: position.record },
    );
  }

  private async resolveMemos(
    record: DataRecord,
    memo: NonNullable<OpenMemo>,
    position: RecordPosition,
  ) {
    for (const field of memo.fields) {
      const reference = Object.getOwnPropertyDescriptor(record, field.name)
        ?.value as MemoReference | null;
      const isReadable = reference !== null && memo.file !== undefined;
      const text = isReadable
        ? await this.readMemo(memo.file!, reference.block, field, position)
        : null;
      setRecordField(record, field.name, text);
    }
  }

  private async readMemo(file: MemoFile, block: number, field: DbfField, position: RecordPosition) {
    try {
      const bytes = await file.read(block);
      return this.decoder.decodeString(bytes, field, position, true);
    } catch (error) {
      if (!(error instanceof MemoBlockError)) throw error;
      throw dbfError(
        'DBF_MEMO_INVALID',
        { record: position.record, name: field.name, block, reason: error.message },
        {
          file: this.file,
          offset: position.offset + field.offsetInRecord,
          record: position.record,
          field: field.name,
        },
        error,
      );
    }
  }
}
