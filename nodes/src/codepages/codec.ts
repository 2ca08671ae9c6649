import { Buffer, isAscii } from 'node:buffer';
import iconv from 'iconv-lite';
import type { CodePage } from './code-page.js';
import { kamenickyUpperHalf } from './kamenicky.js';
import { mazoviaLetters } from './mazovia.js';

/** Bytes in the encoding of a code page, and the characters that page has no byte for. */
export type EncodedText = {
  bytes: Buffer;
  /** Distinct characters that were replaced by `?`, in order of first appearance. */
  unmappable: string[];
};

export type SingleByteCodePage = Exclude<CodePage, 'utf-8'>;

/** UTF-16 code unit of each byte value. */
type DecodeTable = Uint16Array;

/** Byte of each UTF-16 code unit, or -1 when the page lacks it. */
type EncodeTable = Int16Array;

type HandWrittenCodePage = 'kamenicky' | 'mazovia';

const iconvNames: Readonly<Record<Exclude<SingleByteCodePage, HandWrittenCodePage>, string>> = {
  '437': 'cp437',
  '850': 'cp850',
  '852': 'cp852',
  '1250': 'windows-1250',
  '1251': 'windows-1251',
  '1252': 'windows-1252',
  '874': 'windows-874',
};

const decodeTables = new Map<SingleByteCodePage, DecodeTable>();
const encodeTables = new Map<SingleByteCodePage, EncodeTable>();

function buildDecodeTable(codePage: SingleByteCodePage): DecodeTable {
  const allBytes = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
  const text =
    codePage === 'kamenicky' || codePage === 'mazovia'
      ? decodeHandWritten(allBytes, codePage)
      : iconv.decode(allBytes, iconvNames[codePage]);
  if (text.length !== 256) throw new Error(`code page ${codePage} is not single-byte`);

  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) table[byte] = text.charCodeAt(byte);
  return table;
}

/** Decodes all 256 bytes in a code page that iconv-lite lacks; both are based on CP437. */
function decodeHandWritten(allBytes: Buffer, codePage: HandWrittenCodePage): string {
  if (codePage === 'kamenicky') {
    return iconv.decode(allBytes.subarray(0, 128), 'cp437') + kamenickyUpperHalf;
  }
  const characters = Array.from(iconv.decode(allBytes, 'cp437'));
  for (const [byte, letter] of mazoviaLetters) characters[byte] = letter;
  return characters.join('');
}

function getDecodeTable(codePage: SingleByteCodePage): DecodeTable {
  let table = decodeTables.get(codePage);
  if (table === undefined) {
    table = buildDecodeTable(codePage);
    decodeTables.set(codePage, table);
  }
  return table;
}

/**
 * Returns the byte of each UTF-16 code unit in a single-byte code page, -1 where the page lacks
 * it. The table is shared, so callers must not change it.
 */
export function encodeTableOf(codePage: SingleByteCodePage): EncodeTable {
  let table = encodeTables.get(codePage);
  if (table !== undefined) return table;

  table = new Int16Array(0x10000).fill(-1);
  const decode = getDecodeTable(codePage);
  // Walk downwards so that a character with two bytes (iconv-lite maps unassigned Windows bytes
  // to U+FFFD) encodes to the lowest byte.
  for (let byte = 255; byte >= 0; byte--) table[decode[byte]!] = byte;
  table[0xfffd] = -1;
  encodeTables.set(codePage, table);
  return table;
}

/** Reused code-unit buffer for decoding short text; decoding is synchronous, so sharing is safe. */
const SCRATCH_LENGTH = 4096;
const scratch = new Uint16Array(SCRATCH_LENGTH);

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Decodes bytes in a code page. Pure ASCII input takes a native fast path; other single-byte
 * input goes through a 256-entry table.
 */
export function decodeText(bytes: Uint8Array, codePage: CodePage): string {
  const buffer = asBuffer(bytes);
  if (codePage === 'utf-8') return buffer.toString('utf8');
  if (isAscii(buffer)) return buffer.toString('latin1');

  const table = getDecodeTable(codePage);
  const short = buffer.length <= SCRATCH_LENGTH;
  const units = short ? scratch : new Uint16Array(buffer.length);
  for (let i = 0; i < buffer.length; i++) units[i] = table[buffer[i]!]!;
  if (!short) return Buffer.from(units.buffer, 0, units.byteLength).toString('utf16le');
  // On 20-character CP852 names this was about three times faster than a utf16le Buffer
  // (measured on Node 20). Text longer than the scratch buffer takes the Buffer path, because
  // apply() with many arguments can overflow the stack.
  return String.fromCharCode.apply(null, units.subarray(0, buffer.length) as unknown as number[]);
}

/**
 * Decodes `bytes[start, end)` in a single-byte code page through its 256-entry table, without
 * making a Buffer of the range. Undefined bytes become U+FFFD, as in {@link decodeText}.
 */
export function decodeSingleByteRange(
  bytes: Uint8Array,
  start: number,
  end: number,
  codePage: SingleByteCodePage,
): string {
  const length = end - start;
  if (length > SCRATCH_LENGTH) return decodeText(bytes.subarray(start, end), codePage);
  const table = getDecodeTable(codePage);
  for (let i = 0; i < length; i++) scratch[i] = table[bytes[start + i]!]!;
  return String.fromCharCode.apply(null, scratchView(length) as unknown as number[]);
}

/** Views of the first 0 to 255 units of the scratch buffer, made once, as fields are short. */
const scratchViews = Array.from({ length: 256 }, (_, length) => scratch.subarray(0, length));

function scratchView(length: number): Uint16Array {
  return length < scratchViews.length ? scratchViews[length]! : scratch.subarray(0, length);
}

/**
 * Encodes text in a code page. Characters the page lacks become `?` and are listed in
 * `unmappable`, so the caller decides whether that is an error.
 */
export function encodeText(text: string, codePage: CodePage): EncodedText {
  if (codePage === 'utf-8') return { bytes: Buffer.from(text, 'utf8'), unmappable: [] };

  const table = encodeTableOf(codePage);
  const bytes = Buffer.allocUnsafe(text.length);
  const unmappable = new Set<string>();
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const byte = unit < 0x80 ? unit : table[unit]!;
    if (byte >= 0) {
      bytes[length++] = byte;
      continue;
    }

    const character = String.fromCodePoint(text.codePointAt(i)!);
    unmappable.add(character);
    bytes[length++] = 0x3f;
    i += character.length - 1;
  }
  return { bytes: bytes.subarray(0, length), unmappable: [...unmappable] };
}
