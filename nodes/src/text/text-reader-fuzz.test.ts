import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { aboLayouts } from './abo-layouts.test-support.js';
import { choose, fuzzReader } from './mutate.test-support.js';
import { readText, type TextReaderOptions } from './text-reader.js';

const fixtures = new URL('./fixtures/', import.meta.url);
const ITERATIONS = 300;

function randomOptions(random: () => number): TextReaderOptions {
  return {
    file: 'fuzz.abo',
    format: choose(random, ['fixed-width', 'fixed-width', 'delimited'] as const),
    layouts: aboLayouts,
    recordSeparator: choose(random, ['LF', 'LF', 'none'] as const),
    badLines: choose(random, ['fail', 'skip', 'keep'] as const),
    delimiter: choose(random, [';', '0', ' ']),
    encoding: choose(random, ['auto', '852', 'kamenicky', 'utf-8'] as const),
    strictEncoding: random() < 0.2,
    maxRecordLength: 4096,
    batchSize: 5,
  };
}

describe('readText on damaged files', () => {
  it('reads or raises a KuryrError', async () => {
    const names = (await readdir(fixtures)).filter((name) => name.endsWith('.abo'));
    const originals = await Promise.all(names.map((name) => readFile(new URL(name, fixtures))));

    const outcomes = await fuzzReader(
      originals,
      20_261_205,
      ITERATIONS,
      (chunks, random) => readText(chunks, randomOptions(random)),
      (records, bytes) => expect(records).toBeLessThanOrEqual(bytes.length),
    );

    expect(outcomes.read).toBeGreaterThan(ITERATIONS / 4);
    expect(outcomes.failed).toBeGreaterThan(0);
  });
});
