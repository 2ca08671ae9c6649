import { closeSync, openSync, readSync } from 'node:fs';
import { decodeText, normalizeCodePage, type FileItem } from '@kuryr/nodes';

/** Bytes read from the start of a sampled file. */
const SAMPLE_BYTES = 4096;
/** Lines of text a file sample shows. */
const HEAD_LINES = 10;
/** Bytes a file sample shows in hexadecimal. */
const HEX_BYTES = 64;

/** A file item as run samples show it: its description and the start of its content. */
export type FileSample = Omit<FileItem, 'content' | 'companions'> & {
  /** The first lines, decoded in the file's encoding; only for text files. */
  head?: string;
  /** The first bytes as hexadecimal pairs separated by spaces. */
  hex: string;
  /** Companion files, e.g. the `.fpt` memo file of a DBF table, described without content. */
  companions?: Omit<FileItem, 'content' | 'companions'>[];
};

/** True for a file item travelling on a `files` port. */
export function isFileItem(item: unknown): item is FileItem {
  return item !== null && typeof item === 'object' && 'content' in item && 'mediaType' in item;
}

/**
 * Describes a file item for a sample, with the start of its content. It reads at most 4 KiB,
 * synchronously, because samples are taken while the block sends the item, before the run's
 * temporary files go away. A file that cannot be read gets an empty `hex` and no `head`.
 */
export function sampleFile(file: FileItem): FileSample {
  const { companions } = file;
  const start = readStart(file);
  const head = start === undefined ? undefined : decodeHead(start, file);
  return {
    ...describeFile(file),
    ...(head === undefined ? {} : { head }),
    hex: start === undefined ? '' : toHex(start.subarray(0, HEX_BYTES)),
    ...(companions === undefined ? {} : { companions: companions.map(describeFile) }),
  };
}

/** Formats bytes as `ef bb bf 63`. */
function toHex(bytes: Buffer): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

function describeFile(file: FileItem): Omit<FileItem, 'content' | 'companions'> {
  const { content: _content, companions: _companions, ...description } = file;
  return description;
}

function readStart(file: FileItem): Buffer | undefined {
  if (file.content.kind === 'memory') return file.content.data.subarray(0, SAMPLE_BYTES);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file.content.path, 'r');
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    return buffer.subarray(0, readSync(descriptor, buffer, 0, SAMPLE_BYTES, 0));
  } catch {
    return undefined;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/** Decodes the first lines of a text file; undefined for a binary file such as a DBF table. */
function decodeHead(start: Buffer, file: FileItem): string | undefined {
  if (!isText(file)) return undefined;
  const text = decode(start, file.encoding ?? 'utf-8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n|\r/);
  // A cut-off read may end inside a line, or inside a multi-byte character.
  if (start.length === SAMPLE_BYTES && lines.length > 1) lines.pop();
  return lines.slice(0, HEAD_LINES).join('\n');
}

function isText(file: FileItem): boolean {
  if (file.encoding !== undefined) return true;
  return /^text\/|[/+](json|xml|csv)$/.test(file.mediaType);
}

function decode(bytes: Buffer, encoding: string): string {
  if (encoding === 'utf-16le') return bytes.toString('utf16le');
  if (encoding === 'utf-16be') {
    const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
    return swapped.swap16().toString('utf16le');
  }
  try {
    return decodeText(bytes, normalizeCodePage(encoding));
  } catch {
    return bytes.toString('utf8');
  }
}
