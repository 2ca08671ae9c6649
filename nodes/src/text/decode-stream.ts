import { Buffer, isUtf8 } from 'node:buffer';
import { FlowAuthorError } from '../contract/errors.js';
import type { CodePage } from '../codepages/code-page.js';
import { decodeText } from '../codepages/codec.js';
import { findInvalidUtf8 } from './utf8.js';

/** Encoding of a text file: a code page, or UTF-16 when the file starts with its BOM. */
export type TextEncoding = CodePage | 'utf-16le' | 'utf-16be';

/** Origin of the chosen encoding: a BOM, valid UTF-8, the fallback or the block's setting. */
export type EncodingSource = 'bom' | 'utf-8' | 'fallback' | 'parameter';

export type DetectedEncoding = { encoding: TextEncoding; source: EncodingSource };

/** Options of {@link decodeTextStream}. */
export type TextDecodingOptions = {
  /** A code page, or `auto`: the BOM, else UTF-8 when the bytes are valid, else `fallback`. */
  encoding: 'auto' | CodePage;
  /** Code page of a file that is neither marked by a BOM nor valid UTF-8; default `1250`. */
  fallback?: Exclude<CodePage, 'utf-8'>;
  /** With `auto`, fail instead of using the fallback; default false. */
  strict?: boolean;
  /** Name of the file, for messages. */
  file: string;
};

/** Encoding options of a reader: a code page, or detection with a fallback. */
export type EncodingChoice = {
  /** Default `auto`: the BOM, else UTF-8 when valid, else `fallbackEncoding`. */
  encoding?: 'auto' | CodePage;
  /** Default `1250`. */
  fallbackEncoding?: Exclude<CodePage, 'utf-8'>;
  /** Fail instead of using the fallback encoding; default false. */
  strictEncoding?: boolean;
};

/** Bytes that `auto` looks at before it decides; a later invalid UTF-8 byte fails the read. */
export const SNIFF_BYTES = 64 * 1024;

const BOMS: readonly { bytes: readonly number[]; encoding: TextEncoding }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/**
 * Decodes a stream of byte chunks into text chunks, whatever the chunk boundaries: a character
 * split between chunks is joined, never replaced by U+FFFD. A BOM is removed. With `auto`, the
 * first 64 KiB (or the whole file, when shorter) decide the encoding, and `onDetected` hears the
 * choice before the first text chunk. Throws a FlowAuthorError that names the file and byte
 * offset when UTF-8 text turns out invalid, or when `strict` rejects the fallback.
 */
export async function* decodeTextStream(
  chunks: AsyncIterable<Uint8Array>,
  options: TextDecodingOptions,
  onDetected: (detected: DetectedEncoding) => void = () => {},
): AsyncGenerator<string> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let isDone = false;
  while (headLength < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done === true) {
      isDone = true;
      break;
    }
    head.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
    headLength += next.value.byteLength;
  }

  const sample = Buffer.concat(head);
  const { detected, bomLength } = detectEncoding(sample, options, isDone);
  onDetected(detected);
  const decoder = createChunkDecoder(detected.encoding, options.file);
  const text = decoder.decode(sample.subarray(bomLength));
  if (text.length > 0) yield text;
  while (!isDone) {
    const next = await iterator.next();
    if (next.done === true) break;
    const part = decoder.decode(next.value);
    if (part.length > 0) yield part;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

function detectEncoding(
  sample: Buffer,
  options: TextDecodingOptions,
  isWhole: boolean,
): { detected: DetectedEncoding; bomLength: number } {
  const bom = BOMS.find(({ bytes }) => bytes.every((byte, index) => sample[index] === byte));
  if (options.encoding !== 'auto') {
    const bomLength = bom?.encoding === 'utf-8' && options.encoding === 'utf-8' ? 3 : 0;
    return { detected: { encoding: options.encoding, source: 'parameter' }, bomLength };
  }
  if (bom !== undefined) {
    return { detected: { encoding: bom.encoding, source: 'bom' }, bomLength: bom.bytes.length };
  }
  if (findInvalidUtf8(sample, isWhole) === -1) {
    return { detected: { encoding: 'utf-8', source: 'utf-8' }, bomLength: 0 };
  }
  if (options.strict === true) {
    throw new FlowAuthorError(
      'TEXT_ENCODING_UNKNOWN',
      `${options.file} has no BOM and is not valid UTF-8 (byte ${findInvalidUtf8(sample, isWhole)})`,
      {
        hint: 'Set the encoding to the code page the file was written in, e.g. 1250 or 852.',
        context: { file: options.file, offset: findInvalidUtf8(sample, isWhole) },
      },
    );
  }
  return { detected: { encoding: options.fallback ?? '1250', source: 'fallback' }, bomLength: 0 };
}

/** Decodes chunks of one encoding, keeping a character cut by a chunk boundary for the next. */
type ChunkDecoder = { decode(bytes: Uint8Array): string; end(): string };

function createChunkDecoder(encoding: TextEncoding, file: string): ChunkDecoder {
  if (encoding === 'utf-8') return createUtf8Decoder(file);
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const decoder = new TextDecoder(encoding, { ignoreBOM: true });
    return {
      decode: (bytes) => decoder.decode(bytes, { stream: true }),
      end: () => decoder.decode(),
    };
  }
  return { decode: (bytes) => decodeText(bytes, encoding), end: () => '' };
}

/**
 * UTF-8 through Node's native decoder, which is much faster than TextDecoder's stream mode on
 * Node 20; the incomplete sequence at a chunk's end waits for the next chunk.
 */
function createUtf8Decoder(file: string): ChunkDecoder {
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0;
  const fail = (at: number) =>
    new FlowAuthorError('TEXT_NOT_UTF8', `${file} is not valid UTF-8 at byte ${at}`, {
      hint:
        'Set the encoding to the code page the file was written in, e.g. 1250 or 852. ' +
        'Automatic detection looks at the first 64 KiB only.',
      context: { file, offset: at },
    });
  return {
    decode(bytes) {
      const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const data = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      const split = data.length - incompleteTailLength(data);
      const complete = data.subarray(0, split);
      if (!isUtf8(complete)) throw fail(offset + findInvalidUtf8(complete, true));
      carry = Buffer.from(data.subarray(split));
      offset += split;
      return complete.toString('utf8');
    },
    end() {
      if (carry.length > 0) throw fail(offset);
      return '';
    },
  };
}

/** Bytes at the end of `data` that begin a UTF-8 sequence without finishing it. */
function incompleteTailLength(data: Buffer): number {
  for (let back = 1; back <= Math.min(3, data.length); back++) {
    const byte = data[data.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    let needed = 1;
    if (byte >= 0xf0) needed = 4;
    else if (byte >= 0xe0) needed = 3;
    else if (byte >= 0xc0) needed = 2;
    return needed > back ? back : 0;
  }
  return 0;
}
