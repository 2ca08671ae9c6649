import { KuryrError } from '../contract/errors.js';
import { createRandom } from '../demo/random.js';
import { chunksOf } from './chunks.test-support.js';

/** Bytes that matter to text readers: quotes, delimiters, line breaks, BOM and UTF-8 parts. */
const INTERESTING_BYTES = [
  0x22, 0x27, 0x2c, 0x3b, 0x7c, 0x09, 0x0d, 0x0a, 0xef, 0xbb, 0xbf, 0xc5, 0xa0, 0x1a, 0x00,
];

/**
 * Returns a damaged copy of `original`: cut short, or with bytes replaced, inserted, deleted or
 * repeated, each at random places chosen by `random`.
 */
export function mutateBytes(original: Uint8Array, random: () => number): Buffer {
  const pick = (length: number) => Math.floor(random() * length);
  if (random() < 0.15) return Buffer.from(original.subarray(0, pick(original.length + 1)));

  const bytes = [...original];
  const edits = 1 + pick(6);
  for (let edit = 0; edit < edits; edit++) {
    const at = pick(bytes.length + 1);
    const byte = random() < 0.7 ? INTERESTING_BYTES[pick(INTERESTING_BYTES.length)]! : pick(256);
    const kind = pick(4);
    if (kind === 0 && at < bytes.length) bytes[at] = byte;
    else if (kind === 1) bytes.splice(at, 0, byte);
    else if (kind === 2) bytes.splice(at, 1 + pick(8));
    else bytes.splice(at, 0, ...bytes.slice(at, at + pick(40)));
  }
  return Buffer.from(bytes);
}

/** Picks one of `values` at random. */
export const choose = <T>(random: () => number, values: readonly T[]): T =>
  values[Math.floor(random() * values.length)]!;

/**
 * Reads `iterations` damaged copies of the originals, each in a random chunk size, and returns
 * how many were read and how many failed with a KuryrError. Any other error fails the test with
 * the iteration number, so that the seed repeats it. `check` receives the record count and the
 * damaged bytes of each read that did not fail.
 */
export async function fuzzReader(
  originals: readonly Uint8Array[],
  seed: number,
  iterations: number,
  read: (chunks: AsyncIterable<Uint8Array>, random: () => number) => AsyncIterable<unknown[]>,
  check: (records: number, bytes: Buffer) => void,
): Promise<{ read: number; failed: number }> {
  const random = createRandom(seed);
  const outcomes = { read: 0, failed: 0 };
  for (let iteration = 0; iteration < iterations; iteration++) {
    const bytes = mutateBytes(choose(random, originals), random);
    const chunkSize = choose(random, [1, 2, 3, 7, 64, 4096]);
    try {
      let records = 0;
      for await (const batch of read(chunksOf(bytes, chunkSize), random)) records += batch.length;
      check(records, bytes);
      outcomes.read++;
    } catch (error) {
      if (!(error instanceof KuryrError)) {
        throw new Error(`iteration ${iteration} threw ${String(error)}`, { cause: error });
      }
      outcomes.failed++;
    }
  }
  return outcomes;
}
