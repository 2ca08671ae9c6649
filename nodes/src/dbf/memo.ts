import { open, readdir, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** Memo file layouts: FoxPro `.fpt`, dBase IV `.dbt` with length headers, dBase III `.dbt`. */
type MemoFormat = 'fpt' | 'dbt';

/** Error for a damaged memo block; the reader turns it into DBF_MEMO_INVALID. */
export class MemoBlockError extends Error {}

/** Byte that ends a dBase III memo. */
const DBASE3_MEMO_END = 0x1a;
const DBASE3_BLOCK_SIZE = 512;

/**
 * Finds a file beside a table with the table's stem and one of `extensions`, in that order and
 * whatever the case of its name (`items.FPT` or `ITEMS.CPG` beside `items.dbf`, which matters on
 * case-sensitive file systems). An exact match wins over one in another case. Returns undefined
 * when none exists.
 */
export async function findCompanionFile(
  tablePath: string,
  extensions: readonly string[],
): Promise<string | undefined> {
  const folder = dirname(tablePath);
  const stem = basename(tablePath, extname(tablePath));
  const entries = await readdir(folder);
  for (const extension of extensions) {
    const wanted = `${stem}.${extension}`.toLowerCase();
    const exact = entries.find((entry) => entry === `${stem}.${extension}`);
    const match = exact ?? entries.find((entry) => entry.toLowerCase() === wanted);
    if (match !== undefined) return join(folder, match);
  }
  return undefined;
}

/** Finds the memo file beside a table, `preferred` format first; undefined when none exists. */
export async function findMemoFile(
  tablePath: string,
  preferred: MemoFormat,
): Promise<string | undefined> {
  return findCompanionFile(tablePath, preferred === 'fpt' ? ['fpt', 'dbt'] : ['dbt', 'fpt']);
}

/** Random access to the blocks of a memo file. */
export class MemoFile {
  private constructor(
    private readonly handle: FileHandle,
    private readonly format: MemoFormat,
    private readonly blockSize: number,
    private readonly size: number,
  ) {}

  /** Opens a memo file; the format follows from its extension. */
  static async open(path: string): Promise<MemoFile> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const header = Buffer.alloc(512);
      await handle.read(header, 0, Math.min(512, size), 0);
      const format: MemoFormat = extname(path).toLowerCase() === '.fpt' ? 'fpt' : 'dbt';
      // FoxPro stores the block size big-endian at byte 6; dBase IV little-endian at byte 20,
      // where dBase III has zeros and always uses 512.
      const declared = format === 'fpt' ? header.readUInt16BE(6) : header.readUInt16LE(20);
      const blockSize = declared > 0 ? declared : DBASE3_BLOCK_SIZE;
      return new MemoFile(handle, format, blockSize, size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Reads the raw bytes of the memo starting at `block`. Throws MemoBlockError when damaged. */
  async read(block: number): Promise<Buffer> {
    const start = block * this.blockSize;
    if (start + 1 > this.size)
      throw new MemoBlockError(`starts past the end of the memo file (byte ${start})`);
    const head = await this.readAt(start, Math.min(8, this.size - start));

    if (this.format === 'fpt') {
      if (head.length < 8) throw new MemoBlockError(`has no complete header (byte ${start})`);
      return this.readSized(start + 8, head.readUInt32BE(4));
    }
    if (head.length === 8 && head.readUInt32LE(0) === 0x0008ffff) {
      // dBase IV: the length at byte 4 counts the 8 header bytes too.
      return this.readSized(start + 8, Math.max(0, head.readUInt32LE(4) - 8));
    }
    return this.readUntilEnd(start);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private async readSized(start: number, length: number): Promise<Buffer> {
    if (start + length > this.size) {
      throw new MemoBlockError(`declares ${length} bytes, more than the memo file contains`);
    }
    return this.readAt(start, length);
  }

  /** dBase III memos have no length; they end at byte 0x1A or at the end of the file. */
  private async readUntilEnd(start: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let position = start; position < this.size; position += DBASE3_BLOCK_SIZE) {
      const part = await this.readAt(position, Math.min(DBASE3_BLOCK_SIZE, this.size - position));
      const end = part.indexOf(DBASE3_MEMO_END);
      if (end !== -1) {
        parts.push(part.subarray(0, end));
        break;
      }
      parts.push(part);
    }
    return Buffer.concat(parts);
  }

  private async readAt(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  }
}
