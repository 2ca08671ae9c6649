import { Buffer } from 'node:buffer';
import type { CodePage } from './code-page.js';
import { decodeText } from './codec.js';

/** Code pages that a guess chooses from; on equal scores the earlier one wins. */
export const guessableCodePages: readonly CodePage[] = ['852', '1250', 'kamenicky', '437', '1252'];

const czechAndSlovakLetters = new Set('áäčďéěíĺľňóôŕřšťúůýžÁÄČĎÉĚÍĹĽŇÓÔŔŘŠŤÚŮÝŽ');

const CZECH_LETTER_WEIGHT = 2;
const OTHER_LETTER_WEIGHT = 1;
const SUSPECT_WEIGHT = -4;

/**
 * Returns the weight of one decoded character: positive for letters, negative for box drawing,
 * control characters and unassigned bytes, and 0 for other symbols.
 */
function scoreCharacter(character: string): number {
  if (czechAndSlovakLetters.has(character)) return CZECH_LETTER_WEIGHT;
  if (/\p{L}/u.test(character)) return OTHER_LETTER_WEIGHT;

  const code = character.charCodeAt(0);
  const isControl = code < 0x20 || (code >= 0x7f && code <= 0x9f);
  // U+2500 to U+259F are box drawing and block elements; U+FFFD marks an unassigned byte.
  const isBoxDrawing = code >= 0x2500 && code <= 0x259f;
  return isControl || isBoxDrawing || code === 0xfffd ? SUSPECT_WEIGHT : 0;
}

/** A code page guessed for text whose code page is not declared. */
export type CodePageGuess = {
  codePage: CodePage;
  /** Sum of the character scores; higher is more likely. */
  score: number;
};

/**
 * Guesses the code page of text from how often each byte above 0x7F occurs in it (`counts` has
 * 256 entries, indexed by byte). Each candidate decodes the bytes, and the one whose characters
 * are most often Czech or Slovak letters, and least often box drawing, control characters or
 * unassigned bytes, wins.
 *
 * Returns undefined when no byte above 0x7F occurs, or when no candidate is plausible: its score
 * is not positive or fewer than half of the bytes decode to letters.
 *
 * NOTE: the candidates share many letters (á, é, í, ó, ú), so short Western European text may
 * be guessed as 1250 or 852 where it was written in 1252 or 437.
 */
export function guessCodePage(counts: ArrayLike<number>): CodePageGuess | undefined {
  let total = 0;
  for (let byte = 0x80; byte < 0x100; byte++) total += counts[byte] ?? 0;
  if (total === 0) return undefined;

  let best: CodePageGuess | undefined;
  for (const codePage of guessableCodePages) {
    const { score, letters } = scoreCodePage(counts, codePage);
    const isPlausible = score > 0 && letters * 2 >= total;
    if (isPlausible && (best === undefined || score > best.score)) best = { codePage, score };
  }
  return best;
}

function scoreCodePage(counts: ArrayLike<number>, codePage: CodePage) {
  let score = 0;
  let letters = 0;
  for (let byte = 0x80; byte < 0x100; byte++) {
    const count = counts[byte] ?? 0;
    if (count === 0) continue;

    const weight = scoreCharacter(decodeText(Buffer.from([byte]), codePage));
    score += weight * count;
    if (weight > 0) letters += count;
  }
  return { score, letters };
}
