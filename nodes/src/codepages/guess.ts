import { Buffer } from 'node:buffer';
import type { CodePage } from './code-page.js';
import { decodeText } from './codec.js';

/** Code pages that a guess chooses from; on equal scores the earlier one wins. */
export const guessableCodePages: readonly CodePage[] = ['852', '1250', 'kamenicky', '437', '1252'];

/**
 * Letters common in the text that Kurýr's users exchange: Czech and Slovak (without the rare
 * Slovak ĺ and ŕ), and French, Spanish and German. Letters of one group that another code page
 * turns into a letter of no group (French à into Slovak ŕ, ñ into Polish ń, ě into Italian ì)
 * make the right code page score higher. Letters both groups use, such as é or ö, score alike.
 */
const commonLetters = new Set(
  'áäčďéěíľňóôřšťúůýž' + 'àâçèêëîïñöüûßœ' + 'ÁÄČĎÉĚÍĽŇÓÔŘŠŤÚŮÝŽ' + 'ÀÂÇÈÊËÎÏÑÖÜÛŒ',
);

const COMMON_LETTER_WEIGHT = 2;
const OTHER_LETTER_WEIGHT = 1;
const SUSPECT_WEIGHT = -4;

/**
 * Returns the weight of one decoded character: positive for letters, negative for box drawing,
 * control characters and unassigned bytes, and 0 for other symbols.
 */
function scoreCharacter(character: string): number {
  if (commonLetters.has(character)) return COMMON_LETTER_WEIGHT;
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
 * are most often common Czech, Slovak, French, Spanish or German letters, and least often box
 * drawing, control characters or unassigned bytes, wins.
 *
 * Returns undefined when no byte above 0x7F occurs, or when no candidate is plausible: its score
 * is not positive or fewer than half of the bytes decode to letters.
 *
 * NOTE: the guess counts single bytes, not words. Short text whose only non-ASCII letters both
 * pages decode to common letters (é, or 1252's è that 1250 reads as č) is guessed as the earlier
 * candidate, a Czech page. Spanish ñ in 437 is one such case: Kamenický reads its byte as ň.
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
