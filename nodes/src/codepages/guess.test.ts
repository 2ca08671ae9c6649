import { describe, expect, it } from 'vitest';
import { encodeText, guessCodePage, type CodePage } from './index.js';

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

  it('returns undefined for ASCII', () => {
    expect(guessCodePage(countBytes(Buffer.from('plain text')))).toBeUndefined();
  });

  it('returns undefined for box drawing', () => {
    expect(guessCodePage(countBytes(Buffer.from([0xb0, 0xb1, 0xb2, 0xdb])))).toBeUndefined();
  });
});
