import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

/** Content kept in memory, for small files. */
export type MemoryContent = { kind: 'memory'; data: Buffer };

/**
 * Content in a file on disk: spooled to the run's temporary area, or a file of the data folder.
 * Consumers only read it.
 */
export type TempFileContent = { kind: 'temp'; path: string };

/** A file travelling between blocks on a `files` port. */
export type FileItem = {
  /** File name without folders, e.g. `stock.csv`. */
  name: string;
  /** Media type, e.g. `text/csv`. */
  mediaType: string;
  /** Size in bytes. */
  size: number;
  /** Text encoding of the content, when it is text. */
  encoding?: string;
  /** Records the file holds, when the block that made it counted them. */
  records?: number;
  content: MemoryContent | TempFileContent;
  /**
   * Files that belong beside this one under the same name stem, e.g. the `.fpt` memo file of a
   * DBF table. A block that stores the file stores each companion beside it, named by the file's
   * stem and the companion's extension.
   */
  companions?: FileItem[];
};

/**
 * Opens a readable stream over a file item's content. `chunkBytes` sets the size of the chunks
 * read from a file (Node.js reads 64 KiB by default); a block sending them over the network in
 * few large writes passes more.
 */
export function openFileContent(file: FileItem, chunkBytes?: number): Readable {
  if (file.content.kind === 'memory') return Readable.from([file.content.data]);
  return createReadStream(file.content.path, { highWaterMark: chunkBytes });
}
