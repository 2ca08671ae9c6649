import { describe, expect, it } from 'vitest';
import { decodeText, encodeText, guessCodePage, type CodePage } from './index.js';

const czech = 'Příliš žluťoučký kůň úpěl ďábelské ódy. Šťavnatý řízek, čočka, ňoky.';

function countBytes(bytes: Uint8Array): Uint32Array {
  const counts = new Uint32Array(256);
  for (const byte of bytes) counts[byte]!++;
  return counts;
}

describe('guessCodePage', () => {
  it.each<CodePage>(['852', '1250', 'kamenicky'])('recognises Czech text in %s', (codePage) => {
    const counts = countBytes(encodeText(czech, codePage).bytes);
    expect(guessCodePage(counts)?.codePage).toBe(codePage);
  });

  // Text whose letters the Czech pages also decode to letters, so only the weights tell them apart.
  const western: [string, CodePage, string][] = [
    ['French', '1252', 'Crème brûlée à la française, où êtes-vous ? Très bien, garçon.'],
    ['Spanish', '1252', 'El niño comió piña en España; mañana irá al señor Muñoz.'],
    ['French', '437', 'Crème brûlée à la française, où êtes-vous ? Très bien, garçon.'],
  ];

  it.each(western)('recognises %s text in %s', (_, codePage, text) => {
    const counts = countBytes(encodeText(text, codePage).bytes);
    expect(guessCodePage(counts)?.codePage).toBe(codePage);
  });

  it('reads German 1252 text correctly', () => {
    // ä, ö, ü and ß have the same bytes in 1250 and 1252, so either guess reads them right.
    const german = 'Größere Bäume über Flüssen, heiße Grüße aus München.';
    const bytes = encodeText(german, '1252').bytes;
    const guess = guessCodePage(countBytes(bytes));
    expect(guess).toBeDefined();
    expect(decodeText(bytes, guess!.codePage)).toBe(german);
  });

  it('returns undefined for ASCII', () => {
    expect(guessCodePage(countBytes(Buffer.from('plain text')))).toBeUndefined();
  });

  it('returns undefined for box drawing', () => {
    expect(guessCodePage(countBytes(Buffer.from([0xb0, 0xb1, 0xb2, 0xdb])))).toBeUndefined();
  });
});
