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
  /** Receives a warning when a BOM overrides the set encoding. */
  onWarning?: (code: string, message: string, details: { file: string }) => void;
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

/** Builds the decoding options from a reader's encoding options. */
export function textDecodingOptions(
  options: EncodingChoice & Pick<TextDecodingOptions, 'file' | 'onWarning'>,
): TextDecodingOptions {
  return {
    encoding: options.encoding ?? 'auto',
    fallback: options.fallbackEncoding,
    strict: options.strictEncoding,
    file: options.file,
    onWarning: options.onWarning,
  };
}

/** Bytes that `auto` looks at before it decides; a later invalid UTF-8 byte fails the read. */
export const SNIFF_BYTES = 64 * 1024;

const BOMS: readonly { bytes: readonly number[]; encoding: TextEncoding }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/**
 * Decodes a stream of byte chunks into text chunks, whatever the chunk boundaries: a character
 * split between chunks is joined, never replaced by U+FFFD. A BOM is removed, and decides the
 * encoding even when one is set (with a warning when they differ): a file that starts with a BOM
 * was written in that encoding. With `auto`, the first 64 KiB (or the whole file, when shorter)
 * decide the encoding, and `onDetected` hears the choice before the first text chunk. Throws a
 * FlowAuthorError that names the file and byte offset when UTF-8 or UTF-16 text turns out
 * invalid, or when `strict` rejects the fallback.
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
  const decoder = createChunkDecoder(detected, options.file, bomLength);
  yield* decodeInPieces(decoder, sample.subarray(bomLength));
  while (!isDone) {
    const next = await iterator.next();
    if (next.done === true) break;
    yield* decodeInPieces(decoder, next.value);
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

/**
 * Bytes decoded into one text chunk at most. A 64 KiB read of Czech text decodes to a two-byte
 * string of 128 KiB, which V8 11 allocates in its large-object space. The chunk that is being
 * tokenized when a young-generation collection runs then moves to the old generation and stays
 * there until a full collection. So Read CSV's peak RSS grew with the file: 108 to 113 MB for
 * 250,000 records and 118 to 122 MB for 1,000,000 (read step of `pnpm bench csv`). Text of
 * 32 KiB of bytes is at most 64 KiB, which V8 allocates young, and both sizes then peaked at 104
 * to 107 MB.
 */
const DECODE_BYTES = 32 * 1024;

function* decodeInPieces(decoder: ChunkDecoder, bytes: Uint8Array): Generator<string> {
  for (let start = 0; start < bytes.length; start += DECODE_BYTES) {
    const text = decoder.decode(bytes.subarray(start, start + DECODE_BYTES));
    if (text.length > 0) yield text;
  }
}

function detectEncoding(
  sample: Buffer,
  options: TextDecodingOptions,
  isWhole: boolean,
): { detected: DetectedEncoding; bomLength: number } {
  const bom = BOMS.find(({ bytes }) => bytes.every((byte, index) => sample[index] === byte));
  if (options.encoding !== 'auto' && bom === undefined) {
    return { detected: { encoding: options.encoding, source: 'parameter' }, bomLength: 0 };
  }
  if (bom !== undefined) {
    if (options.encoding !== 'auto' && options.encoding !== bom.encoding) {
      options.onWarning?.(
        'TEXT_ENCODING_BOM',
        `${options.file} starts with the BOM of ${bom.encoding}, so it was read as ` +
          `${bom.encoding} and not as the set encoding ${options.encoding}`,
        { file: options.file },
      );
    }
    return { detected: { encoding: bom.encoding, source: 'bom' }, bomLength: bom.bytes.length };
  }
  if (looksLikeUtf16(sample)) {
    throw new FlowAuthorError(
      'TEXT_ENCODING_UNKNOWN',
      `${options.file} looks like UTF-16 without a BOM: every other byte is zero`,
      {
        hint:
          'Save the file as UTF-8, or as UTF-16 with a BOM (Unicode text), which is read ' +
          'automatically.',
        context: { file: options.file, offset: 0 },
      },
    );
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

/**
 * True when most of the first bytes at even or at odd offsets are zero, as in UTF-16 text of
 * Latin letters; text in a code page or UTF-8 has no zero bytes.
 */
function looksLikeUtf16(sample: Buffer): boolean {
  const length = Math.min(sample.length, 1024) & ~1;
  if (length < 4) return false;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let index = 0; index < length; index += 2) {
    if (sample[index] === 0) evenZeros++;
    if (sample[index + 1] === 0) oddZeros++;
  }
  return Math.max(evenZeros, oddZeros) * 2 > length / 2;
}

/** Decodes chunks of one encoding, keeping a character cut by a chunk boundary for the next. */
type ChunkDecoder = { decode(bytes: Uint8Array): string; end(): string };

function createChunkDecoder(
  detected: DetectedEncoding,
  file: string,
  bomLength: number,
): ChunkDecoder {
  const { encoding, source } = detected;
  // Where the decoder's first byte sits in the file, for the offsets that messages name.
  const start = bomLength;
  const hint =
    'Set the encoding to the code page the file was written in, e.g. 1250 or 852.' +
    (source === 'utf-8' ? ' Automatic detection looks at the first 64 KiB only.' : '');
  if (encoding === 'utf-8') return createUtf8Decoder(file, start, hint);
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    return createUtf16Decoder(encoding === 'utf-16be', file, start);
  }
  return { decode: (bytes) => decodeText(bytes, encoding), end: () => '' };
}

/**
 * UTF-16 by Node's native decoder, after checking the code units: a lone surrogate or an odd
 * final byte fails with its byte offset instead of becoming U+FFFD. TextDecoder's `fatal` mode
 * would fail too, but without naming the offset.
 */
function createUtf16Decoder(isBigEndian: boolean, file: string, start: number): ChunkDecoder {
  let carry: Buffer = Buffer.alloc(0);
  let offset = start;
  const fail = (at: number, what: string) =>
    new FlowAuthorError('TEXT_NOT_UTF16', `${file} is not valid UTF-16 at byte ${at}: ${what}`, {
      hint: 'The file is damaged or cut short; export it again, or as UTF-8.',
      context: { file, offset: at },
    });
  const unitAt = (data: Buffer, index: number) =>
    isBigEndian ? data.readUInt16BE(index) : data.readUInt16LE(index);
  return {
    decode(bytes) {
      const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const data = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      let split = data.length - (data.length % 2);
      for (let index = 0; index < split; index += 2) {
        const unit = unitAt(data, index);
        if (unit < 0xd800 || unit > 0xdfff) continue;
        if (unit >= 0xdc00) throw fail(offset + index, 'a low surrogate without a high one');
        if (index + 2 >= split) {
          split = index; // The low surrogate may come with the next chunk.
          break;
        }
        const next = unitAt(data, index + 2);
        if (next < 0xdc00 || next > 0xdfff) {
          throw fail(offset + index, 'a high surrogate without a low one');
        }
        index += 2;
      }
      const complete = Buffer.from(data.subarray(0, split));
      carry = Buffer.from(data.subarray(split));
      offset += split;
      if (isBigEndian) complete.swap16();
      return complete.toString('utf16le');
    },
    end() {
      if (carry.length === 1) throw fail(offset, 'the file ends in the middle of a character');
      if (carry.length > 0) throw fail(offset, 'a high surrogate without a low one');
      return '';
    },
  };
}

/**
 * UTF-8 through Node's native decoder, which is much faster than TextDecoder's stream mode on
 * Node 20; the incomplete sequence at a chunk's end waits for the next chunk.
 */
function createUtf8Decoder(file: string, start: number, hint: string): ChunkDecoder {
  let carry: Buffer = Buffer.alloc(0);
  let offset = start;
  const fail = (at: number) =>
    new FlowAuthorError('TEXT_NOT_UTF8', `${file} is not valid UTF-8 at byte ${at}`, {
      hint,
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
