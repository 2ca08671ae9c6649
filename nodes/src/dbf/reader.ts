import { open, readFile, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import type { DataRecord, WarningDetails } from '../contract/block.js';
import { KuryrError } from '../contract/errors.js';
import {
  codePageFromLanguageDriver,
  normalizeCodePage,
  type CodePage,
} from '../codepages/index.js';
import { dbfError, type DbfErrorCode } from './dbf-errors.js';
import {
  isVisualFoxPro,
  MAX_HEADER_LENGTH,
  parseHeader,
  type DbfField,
  type DbfHeader,
} from './header.js';
import { findMemoFile, MemoBlockError, MemoFile } from './memo.js';
import { RecordDecoder, type MemoReference, type RecordPosition } from './values.js';

/** Receives a warning about data that was read anyway, in lenient mode. */
export type OnDbfWarning = (code: DbfErrorCode, message: string, details: WarningDetails) => void;

export type DbfReadOptions = {
  /**
   * Code page of text values. Default: the one the language-driver byte declares, then the
   * `.cpg` file beside the table; without either, non-ASCII text raises DBF_CODE_PAGE_UNKNOWN.
   */
  codePage?: CodePage;
  /**
   * Read damaged tables as far as they go: a table shorter than its header promises yields the
   * complete records, and missing memo files give null memos. Each case calls `onWarning`.
   * Default false, which raises a FlowAuthorError instead.
   */
  lenient?: boolean;
  onWarning?: OnDbfWarning;
};

/** An open DBF table. Call `close()` when done, also after an error. */
export type DbfTable = {
  header: DbfHeader;
  /** Code page used for text, or undefined when the table declares none (ASCII only). */
  codePage: CodePage | undefined;
  /** Number of complete records in the file; less than `header.recordCount` in a lenient read. */
  availableRecords: number;
  /**
   * Yields the records that are not deleted, in batches of up to `batchSize` (default 1000).
   * Reads the file in chunks, so memory stays constant whatever the table's size.
   */
  records(batchSize?: number): AsyncIterable<DataRecord[]>;
  close(): Promise<void>;
};

/** Bytes read from the table per chunk. */
const CHUNK_BYTES = 256 * 1024;

const DELETED = 0x2a;
const ACTIVE = 0x20;

/**
 * Opens a dBase III/IV, FoxPro 2 or Visual FoxPro table and checks its header.
 *
 * Written by hand on Buffer slices instead of using the dbffile package, because the reader
 * must decode Kamenický, name byte offsets in its errors and stream a million records fast.
 *
 * @example
 * const table = await openDbf('items.dbf', { codePage: '852' });
 * try {
 *   for await (const batch of table.records(500)) handle(batch);
 * } finally {
 *   await table.close();
 * }
 */
export async function openDbf(path: string, options: DbfReadOptions = {}): Promise<DbfTable> {
  const handle = await open(path, 'r');
  try {
    return await openHandle(handle, path, options);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function openHandle(
  handle: FileHandle,
  file: string,
  options: DbfReadOptions,
): Promise<DbfTable> {
  const { size } = await handle.stat();
  const start = Buffer.alloc(Math.min(size, MAX_HEADER_LENGTH + 1));
  await handle.read(start, 0, start.length, 0);

  const declared = size >= 32 ? codePageFromLanguageDriver(start[29]!) : undefined;
  const codePage = options.codePage ?? declared ?? (await readCpgFile(file));
  const header = parseHeader(start, size, file, codePage);
  const availableRecords = countAvailableRecords(header, size, file, options);
  const memo = await openMemo(header, file, options);
  const decoder = new RecordDecoder(header.fields, codePage, file, header.languageDriver);
  const reader = new RecordReader(handle, header, decoder, memo, file, availableRecords);

  return {
    header,
    codePage,
    availableRecords,
    records: (batchSize = 1000) => reader.read(batchSize),
    close: async () => {
      await memo?.file?.close();
      await handle.close();
    },
  };
}

/** Reads the code page from a `.cpg` file beside the table, as shapefile writers leave one. */
async function readCpgFile(file: string): Promise<CodePage | undefined> {
  const path = file.slice(0, file.length - extname(file).length) + '.cpg';
  try {
    return normalizeCodePage((await readFile(path, 'latin1')).trim());
  } catch (error) {
    if (error instanceof KuryrError || (error as NodeJS.ErrnoException).code === 'ENOENT')
      return undefined;
    throw error;
  }
}

function countAvailableRecords(
  header: DbfHeader,
  size: number,
  file: string,
  options: DbfReadOptions,
): number {
  const held =
    header.recordLength === 0 ? 0 : Math.floor((size - header.headerLength) / header.recordLength);
  if (header.recordCount <= held) return header.recordCount;

  const offset = header.headerLength + held * header.recordLength;
  const error = dbfError('DBF_TRUNCATED', { promised: header.recordCount, held }, { file, offset });
  if (!options.lenient) throw error;
  options.onWarning?.('DBF_TRUNCATED', error.message, { file, offset });
  return held;
}

/** The memo fields and their file; `file` is undefined when a lenient read found none. */
type OpenMemo = { file: MemoFile | undefined; fields: DbfField[] } | undefined;

async function openMemo(
  header: DbfHeader,
  file: string,
  options: DbfReadOptions,
): Promise<OpenMemo> {
  const fields = header.fields.filter((field) => field.type === 'M');
  if (fields.length === 0) return undefined;

  const isFoxPro =
    isVisualFoxPro(header.version) || header.version === 0xf5 || header.version === 0xfb;
  const path = await findMemoFile(file, isFoxPro ? 'fpt' : 'dbt');
  if (path !== undefined) return { file: await MemoFile.open(path), fields };

  const expected = file.slice(0, file.length - extname(file).length) + (isFoxPro ? '.fpt' : '.dbt');
  const error = dbfError('DBF_MEMO_FILE_MISSING', { expected }, { file });
  if (!options.lenient) throw error;
  options.onWarning?.('DBF_MEMO_FILE_MISSING', error.message, { file });
  return { file: undefined, fields };
}

/** Reads records chunk by chunk and resolves memo references. */
class RecordReader {
  constructor(
    private readonly handle: FileHandle,
    private readonly header: DbfHeader,
    private readonly decoder: RecordDecoder,
    private readonly memo: OpenMemo,
    private readonly file: string,
    private readonly availableRecords: number,
  ) {}

  async *read(batchSize: number): AsyncGenerator<DataRecord[]> {
    const { recordLength, headerLength } = this.header;
    const recordsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / Math.max(recordLength, 1)));
    const chunk = Buffer.alloc(recordsPerChunk * recordLength);
    let batch: DataRecord[] = [];

    for (let first = 0; first < this.availableRecords; first += recordsPerChunk) {
      const count = Math.min(recordsPerChunk, this.availableRecords - first);
      const offset = headerLength + first * recordLength;
      await this.readChunk(chunk, count * recordLength, offset);

      for (let index = 0; index < count; index++) {
        const start = index * recordLength;
        const position = { record: first + index + 1, offset: offset + start };
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
      const reference = record[field.name] as MemoReference | null;
      const isReadable = reference !== null && memo.file !== undefined;
      record[field.name] = isReadable
        ? await this.readMemo(memo.file!, reference.block, field, position)
        : null;
    }
  }

  private async readMemo(file: MemoFile, block: number, field: DbfField, position: RecordPosition) {
    try {
      const bytes = await file.read(block);
      return this.decoder.decodeString(bytes, field, position);
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
