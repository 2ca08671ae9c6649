import { open, type FileHandle } from 'node:fs/promises';

/**
 * Memo file layouts the writer produces: `dbt` is the dBase III layout (512-byte blocks, each
 * memo ended by two 0x1A bytes), `fpt` the FoxPro layout (a type and length before each memo).
 */
export type MemoWriteFormat = 'dbt' | 'fpt';

/** Thrown for memo text that the layout cannot store; the table writer names record and field. */
export class MemoValueError extends Error {}

const HEADER_LENGTH = 512;
const DBT_BLOCK_SIZE = 512;
/** Block size that Visual FoxPro uses by default (SET BLOCKSIZE TO 64 is its factory setting). */
const FPT_BLOCK_SIZE = 64;
const DBT_MEMO_END = Buffer.from([0x1a, 0x1a]);
const FPT_TEXT_MEMO = 1;

/**
 * Writes a memo file beside a table, written by hand because dbffile (1.13) cannot write memo
 * fields. Memos are collected per batch of records and written with one call in `flush`.
 */
export class MemoWriter {
  private nextBlock: number;
  private pending: Buffer[] = [];
  private position: number;

  private constructor(
    private readonly handle: FileHandle,
    private readonly format: MemoWriteFormat,
    private readonly blockSize: number,
  ) {
    // The first memo starts at the first whole block after the 512-byte header.
    this.nextBlock = Math.ceil(HEADER_LENGTH / blockSize);
    this.position = this.nextBlock * blockSize;
  }

  /**
   * Creates the memo file, replacing an existing one, and writes a provisional header.
   * `fptBlockSize` is the block size of an `.fpt` file (default 64); `.dbt` files use 512.
   */
  static async create(
    path: string,
    format: MemoWriteFormat,
    fptBlockSize = FPT_BLOCK_SIZE,
  ): Promise<MemoWriter> {
    const handle = await open(path, 'w');
    const blockSize = format === 'dbt' ? DBT_BLOCK_SIZE : fptBlockSize;
    const writer = new MemoWriter(handle, format, blockSize);
    try {
      await writer.writeHeader();
    } catch (error) {
      await handle.close();
      throw error;
    }
    return writer;
  }

  /** Queues one memo and returns its block number. Throws MemoValueError for unstorable text. */
  append(text: Buffer): number {
    const block = this.nextBlock;
    const stored = this.format === 'dbt' ? this.dbtMemo(text) : this.fptMemo(text);
    const padded = Math.ceil(stored.length / this.blockSize) * this.blockSize;
    this.pending.push(stored);
    if (padded > stored.length) this.pending.push(Buffer.alloc(padded - stored.length));
    this.nextBlock += padded / this.blockSize;
    return block;
  }

  /** Writes the queued memos to the file. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    await this.handle.write(bytes, 0, bytes.length, this.position);
    this.position += bytes.length;
  }

  /** Flushes, stores the next free block in the header and closes the file. */
  async close(): Promise<void> {
    try {
      await this.flush();
      await this.writeHeader();
    } finally {
      await this.handle.close();
    }
  }

  /** The memo file's size once closed. */
  get size(): number {
    return this.nextBlock * this.blockSize;
  }

  private dbtMemo(text: Buffer): Buffer {
    // dBase III memos have no length field, so readers stop at the first 0x1A.
    if (text.includes(0x1a)) {
      throw new MemoValueError('contains byte 0x1A, which ends a dBase III memo');
    }
    return Buffer.concat([text, DBT_MEMO_END]);
  }

  private fptMemo(text: Buffer): Buffer {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(FPT_TEXT_MEMO, 0);
    head.writeUInt32BE(text.length, 4);
    return Buffer.concat([head, text]);
  }

  private async writeHeader(): Promise<void> {
    const header = Buffer.alloc(HEADER_LENGTH);
    if (this.format === 'fpt') {
      header.writeUInt32BE(this.nextBlock, 0);
      header.writeUInt16BE(this.blockSize, 6);
    } else {
      header.writeUInt32LE(this.nextBlock, 0);
      // dBase III marks its memo files with version 3 at byte 16.
      header[16] = 0x03;
    }
    await this.handle.write(header, 0, header.length, 0);
  }
}
