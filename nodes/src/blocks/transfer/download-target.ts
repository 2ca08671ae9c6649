import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';

/** Bytes per read of the kept part and per buffered write of a stream. */
const LOCAL_CHUNK_BYTES = 1024 * 1024;

/**
 * The local file a download writes, with the SHA-256 of its content computed on the way. A
 * download that resumes at `offset` keeps the bytes already there: they are hashed first, and
 * new bytes are written after them. `write` has finished with its chunk when it resolves, so
 * a caller may reuse the chunk's memory.
 *
 * NOTE: the SHA-256 runs on the main thread and is most of what a download costs above the bare
 * library. Posting copies of the data to a worker thread cost three times the CPU time of
 * hashing here (docs/benchmarks.md, "File transfer").
 */
export class DownloadTarget {
  private constructor(
    private readonly file: FileHandle,
    private readonly hash: Hash,
    private position: number,
  ) {}

  static async open(path: string, offset: number): Promise<DownloadTarget> {
    const hash = createHash('sha256');
    if (offset > 0) {
      const kept = createReadStream(path, { end: offset - 1, highWaterMark: LOCAL_CHUNK_BYTES });
      for await (const chunk of kept) hash.update(chunk as Buffer);
    }
    const file = await open(path, offset > 0 ? 'r+' : 'w');
    return new DownloadTarget(file, hash, offset);
  }

  /** Appends a chunk to the file. */
  async write(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    const position = this.position;
    this.position += chunk.length;
    await this.file.write(chunk, 0, chunk.length, position);
  }

  private async writeAll(chunks: Buffer[]): Promise<void> {
    let length = 0;
    for (const chunk of chunks) {
      this.hash.update(chunk);
      length += chunk.length;
    }
    const position = this.position;
    this.position += length;
    const { bytesWritten } = await this.file.writev(chunks, position);
    // writev may write fewer bytes, as write(2) may; the rest goes after them.
    let written = bytesWritten;
    while (written < length) {
      const rest = Buffer.concat(chunks).subarray(written);
      written += (await this.file.write(rest, 0, rest.length, position + written)).bytesWritten;
    }
  }

  /** Returns a stream that appends what is written to it, for libraries that write streams. */
  writable(): Writable {
    return new Writable({
      highWaterMark: LOCAL_CHUNK_BYTES,
      write: (chunk: Buffer, _encoding, callback) => {
        this.write(chunk).then(() => callback(), callback);
      },
      // One positioned writev of the buffered chunks, without joining them into a new buffer:
      // a 1 MiB copy per call made the garbage collector run far more often.
      writev: (chunks, callback) => {
        this.writeAll(chunks.map(({ chunk }) => chunk as Buffer)).then(() => callback(), callback);
      },
    });
  }

  /** Closes the file and resolves with the SHA-256 of its whole content in hex. */
  async finish(): Promise<string> {
    await this.file.close();
    return this.hash.digest('hex');
  }

  /** Closes the file after a failed download; the bytes written so far stay for a resume. */
  async abort(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }
}
