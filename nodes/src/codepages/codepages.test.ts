import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FlowAuthorError } from '../contract/errors.js';
import { createRandom } from '../demo/random.js';
import { decodeSingleByteRange } from './codec.js';
import { requireSystemTool } from '../../../scripts/system-packages.mjs';
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

/** Decodes bytes with GNU recode, a table that nobody on the team wrote. */
function decodeWithRecode(bytes: Buffer, charset: string): string {
  requireSystemTool('recode');
  return execFileSync('recode', ['-f', `${charset}..UTF-8`], { input: bytes }).toString('utf8');
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

describe('decodeSingleByteRange', () => {
  it('decodes ranges as decodeText decodes their bytes', () => {
    const random = createRandom(20_261_204);
    const buffer = Buffer.from(Array.from({ length: 10_000 }, () => Math.floor(random() * 256)));
    for (const codePage of codePages) {
      if (codePage === 'utf-8') continue;
      // Lengths up to beyond the 4,096-unit scratch buffer, at any offset.
      for (const length of [0, 1, 2, 17, 254, 4095, 4096, 4097, 5000]) {
        const start = Math.floor(random() * (buffer.length - length));
        const range = buffer.subarray(start, start + length);

        const actual = decodeSingleByteRange(buffer, start, start + length, codePage);

        expect(actual, `${codePage}, ${length} bytes at ${start}`).toBe(
          decodeText(range, codePage),
        );
      }
    }
  });
});

describe('Kamenický table', () => {
  const upperBytes = Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i));

  // Kamenický keeps the CP437 characters from 0xB0 up. recode's KEYBCS2 table names six of them
  // by RFC 1345 symbols (β, μ, ∅, ∘, ·, ∙) that differ from the CP437 glyphs which DOS showed.
  // The hand table keeps those glyphs as Unicode's CP437 mapping (iconv-lite's cp437) has them.
  const cp437Bytes = [0xe1, 0xe6, 0xed, 0xf8, 0xf9, 0xfa];

  it('matches recode KEYBCS2 on 122 of 128 bytes', () => {
    const recode = Array.from(decodeWithRecode(upperBytes, 'KEYBCS2'));
    expect(recode).toHaveLength(128);
    const differing = Array.from(decodeText(upperBytes, 'kamenicky')).flatMap((character, i) =>
      character === recode[i] ? [] : [0x80 + i],
    );
    expect(differing).toEqual(cp437Bytes);
  });

  it('keeps the CP437 glyphs where recode differs', () => {
    const bytes = Buffer.from(cp437Bytes);
    expect(decodeText(bytes, 'kamenicky')).toBe(decodeText(bytes, '437'));
    expect(decodeText(bytes, 'kamenicky')).toBe('ßµφ°∙·');
    expect(decodeWithRecode(bytes, 'KEYBCS2')).toBe('βμ∅∘·∙');
  });

  it('agrees with recode IBM437 on four of the six', () => {
    // recode's own CP437 table shows the same glyphs at 0xE1, 0xE6, 0xED and 0xF8, so its
    // KEYBCS2 table, not the hand table, departs from CP437 there.
    const bytes = Buffer.from(cp437Bytes.slice(0, 4));
    expect(decodeWithRecode(bytes, 'IBM437')).toBe(decodeText(bytes, 'kamenicky'));
  });

  it('keeps CP437 from 0xB0 upwards', () => {
    const upper = Buffer.from(Array.from({ length: 80 }, (_, i) => 0xb0 + i));
    expect(decodeText(upper, 'kamenicky')).toBe(decodeText(upper, '437'));
  });
});
