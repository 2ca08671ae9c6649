import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlowAuthorError } from '../contract/errors.js';
import {
  codePageFromLanguageDriver,
  codePages,
  decodeText,
  encodeText,
  languageDriverForCodePage,
  normalizeCodePage,
  type CodePage,
} from './index.js';

const czech = 'Příliš žluťoučký kůň úpěl ďábelské ódy. PŘÍLIŠ ŽLUŤOUČKÝ KŮŇ ÚPĚL ĎÁBELSKÉ ÓDY.';

function readRecodeTable(): Map<number, number> {
  const text = readFileSync(new URL('./fixtures/kamenicky-recode.txt', import.meta.url), 'utf8');
  const table = new Map<number, number>();
  for (const line of text.trim().split('\n')) {
    const [byte, codePoint] = line.split(' ');
    table.set(parseInt(byte!, 16), parseInt(codePoint!.slice(2), 16));
  }
  return table;
}

describe('normalizeCodePage', () => {
  it.each([
    ['852', '852'],
    ['cp852', '852'],
    ['IBM852', '852'],
    ['1250', '1250'],
    ['Windows-1250', '1250'],
    ['cp1250', '1250'],
    ['kamenicky', 'kamenicky'],
    ['Kamenický', 'kamenicky'],
    ['895', 'kamenicky'],
    ['KEYBCS2', 'kamenicky'],
    ['437', '437'],
    ['cp850', '850'],
    ['windows_1252', '1252'],
    ['UTF8', 'utf-8'],
  ])('accepts %s', (name, expected) => {
    expect(normalizeCodePage(name)).toBe(expected);
  });

  it('rejects an unknown name and lists the accepted ones', () => {
    const error = (() => {
      try {
        normalizeCodePage('latin-2');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(FlowAuthorError);
    expect((error as FlowAuthorError).code).toBe('CODE_PAGE_UNKNOWN');
    expect((error as FlowAuthorError).message).toContain('latin-2');
    expect((error as FlowAuthorError).hint).toContain('windows-1250');
    expect((error as FlowAuthorError).hint).toContain('keybcs2');
  });
});

describe('codePageFromLanguageDriver', () => {
  it.each([
    [0x01, '437'],
    [0x02, '850'],
    [0x03, '1252'],
    [0x64, '852'],
    [0x68, 'kamenicky'],
    [0xc8, '1250'],
    [0x57, '1252'],
    [0x1f, '852'],
    [0xc9, '1251'],
    [0x7c, '874'],
    [0x69, 'mazovia'],
    [0xf0, 'utf-8'],
  ])('maps language driver %d', (byte, expected) => {
    expect(codePageFromLanguageDriver(byte)).toBe(expected);
  });

  it('returns undefined for 0 and unknown bytes', () => {
    expect(codePageFromLanguageDriver(0)).toBeUndefined();
    expect(codePageFromLanguageDriver(0x26)).toBeUndefined();
  });

  it('round trips with languageDriverForCodePage', () => {
    for (const codePage of codePages) {
      if (codePage === 'utf-8') continue;
      expect(codePageFromLanguageDriver(languageDriverForCodePage(codePage))).toBe(codePage);
    }
  });
});

describe('decodeText and encodeText', () => {
  it.each(['852', '1250', 'kamenicky', 'utf-8'] satisfies CodePage[])(
    'round trip Czech text in %s',
    (codePage) => {
      const encoded = encodeText(czech, codePage);
      expect(encoded.unmappable).toEqual([]);
      expect(decodeText(encoded.bytes, codePage)).toBe(czech);
    },
  );

  it.each(['437', '850', '1252'] satisfies CodePage[])(
    'round trip Western text in %s',
    (codePage) => {
      const text = 'Grüße aus München, café, naïve, Ñandú';
      const encoded = encodeText(text, codePage);
      expect(encoded.unmappable).toEqual([]);
      expect(decodeText(encoded.bytes, codePage)).toBe(text);
    },
  );

  it('round trips every byte of each single-byte page', () => {
    for (const codePage of codePages) {
      if (codePage === 'utf-8') continue;
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
      const text = decodeText(bytes, codePage);
      const encoded = encodeText(text.replace(/\uFFFD/g, ''), codePage);
      expect(encoded.unmappable, codePage).toEqual([]);
      expect(decodeText(encoded.bytes, codePage), codePage).toBe(text.replace(/\uFFFD/g, ''));
    }
  });

  it('decodes known bytes of each page', () => {
    expect(decodeText(Buffer.from([0x50, 0xa9, 0xa1, 0x6c, 0x69, 0xa8]), 'kamenicky')).toBe(
      'Příliš',
    );
    expect(decodeText(Buffer.from([0x87, 0x98]), 'kamenicky')).toBe('čý');
    expect(decodeText(Buffer.from([0x9f, 0xd8, 0xa7]), '852')).toBe('čěž');
    expect(decodeText(Buffer.from([0xe8, 0xec, 0x9e]), '1250')).toBe('čěž');
    expect(decodeText(Buffer.from([0x81, 0x84]), '437')).toBe('üä');
    expect(decodeText(Buffer.from([0xe9]), '1252')).toBe('é');
    expect(decodeText(Buffer.from([0xc0, 0xff]), '1251')).toBe('Ая');
    expect(decodeText(Buffer.from([0xa1]), '874')).toBe('ก');
    expect(decodeText(Buffer.from([0x86, 0x92, 0x98, 0x9e, 0xa7, 0xd7]), 'mazovia')).toBe('ąłŚśż╫');
  });

  it('decodes pure ASCII unchanged', () => {
    expect(decodeText(Buffer.from('plain text 123'), '852')).toBe('plain text 123');
  });

  it('reports characters the code page lacks', () => {
    const encoded = encodeText('Kč € 😀 ř', '852');
    expect(encoded.unmappable).toEqual(['€', '😀']);
    expect(encoded.bytes.toString('latin1')).toBe('K\x9f ? ? \xfd');
  });

  it('accepts a Uint8Array that is not a Buffer', () => {
    expect(decodeText(new Uint8Array([0x9f]), '852')).toBe('č');
  });
});

describe('Kamenický table', () => {
  // GNU recode follows RFC 1345 symbols for these bytes, while DOS showed the CP437 glyphs.
  const cp437Glyphs = new Map<number, string>([
    [0xe1, 'ß'],
    [0xe6, 'µ'],
    [0xed, 'φ'],
    [0xf8, '°'],
    [0xf9, '∙'],
    [0xfa, '·'],
  ]);

  it('matches GNU recode on all 128 upper bytes', () => {
    const recode = readRecodeTable();
    expect(recode.size).toBe(128);
    for (let byte = 0x80; byte <= 0xff; byte++) {
      const decoded = decodeText(Buffer.from([byte]), 'kamenicky');
      const expected = cp437Glyphs.get(byte) ?? String.fromCodePoint(recode.get(byte)!);
      expect(decoded, `byte 0x${byte.toString(16)}`).toBe(expected);
    }
  });

  it('differs from recode only where recode leaves the CP437 glyphs', () => {
    const recode = readRecodeTable();
    const differing = [...recode].filter(
      ([byte, codePoint]) =>
        decodeText(Buffer.from([byte]), 'kamenicky').codePointAt(0) !== codePoint,
    );
    expect(differing.map(([byte]) => byte)).toEqual([...cp437Glyphs.keys()]);
  });

  it('keeps CP437 from 0xB0 upwards', () => {
    const upper = Buffer.from(Array.from({ length: 80 }, (_, i) => 0xb0 + i));
    expect(decodeText(upper, 'kamenicky')).toBe(decodeText(upper, '437'));
  });
});
