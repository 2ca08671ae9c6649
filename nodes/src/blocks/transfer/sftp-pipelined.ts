import type { Readable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';

/**
 * Pipelined SFTP reads and writes over ssh2's request API. ssh2's streams keep one request in
 * flight, so each 64 KiB waits a round trip. Its fastGet writes the local file out of order, so
 * the file must be read again for its SHA-256, and a download cannot resume at an offset.
 * These helpers keep a window of requests open and deliver data in file order.
 */

/** Bytes per request on a server that states no limits: OpenSSH before 8.6 reads at most this. */
const DEFAULT_REQUEST_BYTES = 64 * 1024;
/**
 * Upper bound of a request on a server that states its limits. OpenSSH 8.6 and later states
 * 261,120 bytes (255 KiB) through limits@openssh.com. Requests of that size cut the CPU time
 * of a 200 MiB transfer over loopback by a tenth to a sixth against 64 KiB ones, because each
 * request costs a promise, a callback and a packet (figures in docs/benchmarks.md).
 */
const MAX_REQUEST_BYTES = 256 * 1024;
/**
 * Bytes kept in flight: ssh2's SSH channel window (2 MiB in ssh2 1.17), so more requests would
 * only wait in the server for the window to open.
 */
const WINDOW_BYTES = 2 * 1024 * 1024;

/** The fields of ssh2's SFTP object (1.17) that store the server's limits, not in its types. */
type SftpLimitFields = {
  _extensions?: Record<string, string>;
  _maxReadLen?: number;
  _maxWriteLen?: number;
};

/**
 * Returns the request size for reads or writes on `sftp`, at most the limit that ssh2 stores: the
 * one the server stated, or 31,952 bytes, which ssh2 assumes for servers other than OpenSSH.
 * ssh2 splits a larger request into parts that it sends one after the other, not in parallel.
 */
export function requestBytes(sftp: SFTPWrapper, kind: 'read' | 'write'): number {
  const fields = sftp as unknown as SftpLimitFields;
  const limit = kind === 'read' ? fields._maxReadLen : fields._maxWriteLen;
  const statesLimits = fields._extensions?.['limits@openssh.com'] !== undefined;
  const preferred = statesLimits ? MAX_REQUEST_BYTES : DEFAULT_REQUEST_BYTES;
  return typeof limit === 'number' && limit > 0 ? Math.min(preferred, limit) : preferred;
}

/** Returns how many requests of `bytes` fill the window. */
function requestsInFlight(bytes: number): number {
  return Math.max(1, Math.floor(WINDOW_BYTES / bytes));
}

/**
 * Reads the remote file behind `handle` from `start` to its end at `size`, calling `onChunk`
 * with each piece in file order. A piece's memory is reused for a later read once the promise
 * that `onChunk` returned resolved, which spares the garbage collector 500 MiB of buffers for a
 * 500 MiB file. The next piece is awaited while `onChunk` of the last one still runs, but
 * `onChunk` is called for one piece at a time. Fails when the file ends before `size`.
 */
export async function readPipelined(
  sftp: SFTPWrapper,
  handle: Buffer,
  start: number,
  size: number,
  onChunk: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  const chunkBytes = requestBytes(sftp, 'read');
  // One buffer more than requests, for the piece that `onChunk` still handles.
  const free: Buffer[] = Array.from({ length: requestsInFlight(chunkBytes) + 1 }, () =>
    Buffer.allocUnsafe(chunkBytes),
  );
  let handling: { done: Promise<void>; buffer: Buffer } | undefined;
  const pending = new Map<number, { buffer: Buffer; read: Promise<Buffer> }>();
  let requested = start;
  let delivered = start;
  while (delivered < size) {
    while (free.length > (handling === undefined ? 1 : 0) && requested < size) {
      const length = Math.min(chunkBytes, size - requested);
      const buffer = free.pop()!;
      const read = readChunk(sftp, handle, buffer, requested, length);
      // A failure is thrown where the chunk is awaited; these may be dropped before that.
      read.catch(() => undefined);
      pending.set(requested, { buffer, read });
      requested += length;
    }
    const expected = Math.min(chunkBytes, size - delivered);
    const { buffer, read } = pending.get(delivered)!;
    pending.delete(delivered);
    let chunk = await read;
    // A server may return less than asked for; the rest is read before going on.
    while (chunk.length < expected) {
      const missing = expected - chunk.length;
      const position = delivered + chunk.length;
      const rest = await readChunk(sftp, handle, Buffer.allocUnsafe(missing), position, missing);
      if (rest.length === 0) {
        throw new Error(`the file ended at byte ${delivered + chunk.length} of ${size}`);
      }
      chunk = Buffer.concat([chunk, rest]);
    }
    if (handling !== undefined) {
      await handling.done;
      free.push(handling.buffer);
    }
    const done = onChunk(chunk);
    // A failure is thrown where the promise is awaited, after the next read or at the end.
    done.catch(() => undefined);
    handling = { done, buffer };
    delivered += chunk.length;
  }
  await handling?.done;
}

/**
 * Writes `source` into the remote file behind `handle` from byte 0, with a window of write
 * requests open. Resolves once the server confirmed every write.
 */
export async function writePipelined(
  sftp: SFTPWrapper,
  handle: Buffer,
  source: Readable,
  onProgress: () => void,
): Promise<void> {
  // A count and one waiter, because Promise.race over the open writes added a reaction to each
  // of them per chunk, which the garbage collector then had to trace.
  let inFlight = 0;
  let wakeUp: (() => void) | undefined;
  let failure: unknown;
  let position = 0;
  const chunkBytes = requestBytes(sftp, 'write');
  const maxInFlight = requestsInFlight(chunkBytes);
  const settle = () => {
    inFlight--;
    wakeUp?.();
  };
  const slotFree = () => new Promise<void>((resolve) => (wakeUp = resolve));
  const send = (piece: Buffer) => {
    inFlight++;
    writeChunk(sftp, handle, piece, position).then(
      () => {
        onProgress();
        settle();
      },
      (error: unknown) => {
        failure ??= error;
        settle();
      },
    );
    position += piece.length;
  };
  const requests = new RequestCutter(chunkBytes);
  for await (const data of source as AsyncIterable<Buffer>) {
    for (const piece of requests.cut(data)) {
      if (failure !== undefined) throw failure;
      send(piece);
      while (inFlight >= maxInFlight) await slotFree();
    }
  }
  const last = requests.rest();
  if (last !== undefined && failure === undefined) send(last);
  while (inFlight > 0) await slotFree();
  if (failure !== undefined) throw failure;
}

/**
 * Cuts chunks of a stream into pieces of exactly `bytes`, keeping a shorter tail for the next
 * chunk. A piece within one chunk is a view of it, and only a piece that spans two chunks is
 * copied. A source read in 1 MiB chunks would otherwise send a 4 KiB request after every four
 * 255 KiB ones. The cutting is synchronous, because an earlier version that passed each piece
 * through an async generator and awaited an async function per piece cost more. It took about
 * 0.4 s more CPU time for an SFTP upload of 500 MiB (medians of `pnpm bench transfer --runs 3`:
 * 1.5 s against 1.05 s).
 */
class RequestCutter {
  private tail: Buffer[] = [];
  private tailLength = 0;

  constructor(private readonly bytes: number) {}

  cut(data: Buffer): Buffer[] {
    const pieces: Buffer[] = [];
    let offset = 0;
    if (this.tailLength > 0) {
      offset = Math.min(this.bytes - this.tailLength, data.length);
      this.tail.push(data.subarray(0, offset));
      this.tailLength += offset;
      if (this.tailLength < this.bytes) return pieces;
      pieces.push(Buffer.concat(this.tail, this.tailLength));
      this.tail = [];
      this.tailLength = 0;
    }
    for (; data.length - offset >= this.bytes; offset += this.bytes) {
      pieces.push(data.subarray(offset, offset + this.bytes));
    }
    if (offset < data.length) {
      this.tail.push(data.subarray(offset));
      this.tailLength = data.length - offset;
    }
    return pieces;
  }

  /** Returns the bytes kept for a piece that no later chunk completed, if any. */
  rest(): Buffer | undefined {
    return this.tailLength > 0 ? Buffer.concat(this.tail, this.tailLength) : undefined;
  }
}

function readChunk(
  sftp: SFTPWrapper,
  handle: Buffer,
  buffer: Buffer,
  position: number,
  length: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sftp.read(handle, buffer, 0, length, position, (error, bytesRead) => {
      if (error) reject(error);
      else resolve(buffer.subarray(0, bytesRead));
    });
  });
}

function writeChunk(
  sftp: SFTPWrapper,
  handle: Buffer,
  data: Buffer,
  position: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    sftp.write(handle, data, 0, data.length, position, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}
