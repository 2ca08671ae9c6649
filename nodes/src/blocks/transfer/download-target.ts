import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Bytes per chunk of the local file's streams, so a large file moves in few large writes. */
const LOCAL_CHUNK_BYTES = 1024 * 1024;

/**
 * The local file a download writes, with the SHA-256 of its content computed on the way. A
 * download that resumes at `offset` keeps the bytes already there: they are hashed first, and
 * new bytes are written after them.
 */
export class DownloadTarget {
  private constructor(
    /** Takes the downloaded bytes in file order. */
    readonly input: Transform,
    private readonly hash: ReturnType<typeof createHash>,
    private readonly written: Promise<void>,
  ) {}

  static async open(path: string, offset: number): Promise<DownloadTarget> {
    const hash = createHash('sha256');
    if (offset > 0) {
      const existing = createReadStream(path, {
        end: offset - 1,
        highWaterMark: LOCAL_CHUNK_BYTES,
      });
      for await (const chunk of existing) hash.update(chunk as Buffer);
    }
    const input = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    const file = createWriteStream(
      path,
      offset > 0
        ? { flags: 'r+', start: offset, highWaterMark: LOCAL_CHUNK_BYTES }
        : { highWaterMark: LOCAL_CHUNK_BYTES },
    );
    const written = pipeline(input, file);
    // A failed download destroys `input`, and with it the file stream; `finish` reports it.
    written.catch(() => undefined);
    return new DownloadTarget(input, hash, written);
  }

  /** Writes a chunk, waiting while the file stream is full. */
  async write(chunk: Buffer): Promise<void> {
    if (!this.input.write(chunk)) await once(this.input, 'drain');
  }

  /** Ends the file and resolves with the SHA-256 of its whole content in hex. */
  async finish(): Promise<string> {
    if (!this.input.writableEnded) this.input.end();
    await this.written;
    return this.hash.digest('hex');
  }

  /** Stops writing after a failed download; the bytes written so far stay for a resume. */
  async abort(): Promise<void> {
    this.input.destroy();
    await this.written.catch(() => undefined);
  }
}
