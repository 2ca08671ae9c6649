import type { CodePage } from '../codepages/code-page.js';
import { decodeText, encodeText } from '../codepages/codec.js';

/** Every CSV encoding, in the order the editor lists them. */
export const CSV_ENCODINGS = [
  'utf-8',
  'utf-8-bom',
  'windows-1250',
  'cp852',
  'kamenicky',
  'cp437',
  'cp850',
  'windows-1252',
] as const;

/** Text encodings that CSV output supports. */
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export type SingleByteEncoding = Exclude<CsvEncoding, 'utf-8' | 'utf-8-bom'>;

/** The code page of each single-byte CSV encoding. */
export const codePageOfCsvEncoding: Readonly<
  Record<SingleByteEncoding, Exclude<CodePage, 'utf-8'>>
> = {
  'windows-1250': '1250',
  cp852: '852',
  kamenicky: 'kamenicky',
  cp437: '437',
  cp850: '850',
  'windows-1252': '1252',
};

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const NON_ASCII = /[\u0080-\uffff]/;

/** Written for a character that the code page lacks, as iconv-lite does. */
const REPLACEMENT_CHARACTER = '?';

/** Turns text into the bytes of one encoding, and finds characters that encoding lacks. */
export interface CsvTextEncoder {
  /** Encodes text; `isStart` marks the first bytes of the file, where a BOM goes. */
  encode(text: string, isStart: boolean): Buffer;
  /** True when some character of `text` is missing from the encoding; cheap for ASCII text. */
  hasUnmappable(text: string): boolean;
  /** Replaces each character the encoding lacks with `?`; returns the characters replaced. */
  replaceUnmappable(text: string): { text: string; replaced: string[] };
}

const mappableTables = new Map<CodePage, Uint8Array>();

/** Creates the encoder of one CSV encoding. */
export function createCsvTextEncoder(encoding: CsvEncoding): CsvTextEncoder {
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') {
    const withBom = encoding === 'utf-8-bom';
    return {
      encode: (text, isStart) => {
        const bytes = Buffer.from(text, 'utf8');
        return withBom && isStart ? Buffer.concat([UTF8_BOM, bytes]) : bytes;
      },
      hasUnmappable: () => false,
      replaceUnmappable: (text) => ({ text, replaced: [] }),
    };
  }
  const codePage = codePageOfCsvEncoding[encoding];
  const mappable = mappableTable(codePage);
  const isMappableCode = (code: number) => mappable[code] === 1;
  return {
    encode: (text) => encodeText(text, codePage).bytes,
    hasUnmappable(text) {
      if (!NON_ASCII.test(text)) return false;
      for (let index = 0; index < text.length; index++) {
        if (!isMappableCode(text.charCodeAt(index))) return true;
      }
      return false;
    },
    replaceUnmappable(text) {
      const replaced: string[] = [];
      let result = '';
      for (const character of text) {
        if (isMappableCode(code(character))) {
          result += character;
        } else {
          replaced.push(character);
          result += REPLACEMENT_CHARACTER;
        }
      }
      return { text: result, replaced };
    },
  };
}

/** The UTF-16 code of a one-unit character, or -1 for a surrogate pair, which no code page has. */
function code(character: string): number {
  return character.length === 1 ? character.charCodeAt(0) : -1;
}

/**
 * Marks the characters that a single-byte code page has, by decoding all 256 bytes. U+FFFD, which
 * stands for undefined bytes, is left out, so that it is reported instead of written as one of them.
 */
function mappableTable(codePage: Exclude<CodePage, 'utf-8'>): Uint8Array {
  let table = mappableTables.get(codePage);
  if (table !== undefined) return table;

  table = new Uint8Array(65_536);
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
  for (const character of decodeText(bytes, codePage)) {
    table[character.charCodeAt(0)] = 1;
  }
  table[0xfffd] = 0;
  mappableTables.set(codePage, table);
  return table;
}
