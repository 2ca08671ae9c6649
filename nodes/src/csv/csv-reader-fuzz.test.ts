import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { choose, fuzzReader } from '../text/mutate.test-support.js';
import { readCsv, type CsvReaderOptions } from './csv-reader.js';

const fixtures = new URL('./fixtures/', import.meta.url);
const ITERATIONS = 400;
const MAX_RECORD_LENGTH = 2048;

/** Options drawn at random, from full detection to every dialect part set. */
function randomOptions(random: () => number): CsvReaderOptions {
  return {
    file: 'fuzz.csv',
    delimiter: choose(random, [undefined, ',', ';', '\t']),
    quoteChar: choose(random, [undefined, '"', "'", '']),
    escapeChar: choose(random, [undefined, undefined, '\\']),
    header: choose(random, [undefined, true, false]),
    encoding: choose(random, ['auto', 'auto', 'utf-8', '1250', 'kamenicky'] as const),
    strictEncoding: random() < 0.2,
    values: choose(random, ['text', 'czech'] as const),
    cellCount: choose(random, ['fail', 'skip', 'keep'] as const),
    maxRecordLength: MAX_RECORD_LENGTH,
    batchSize: 7,
  };
}

describe('readCsv on damaged files', () => {
  it('reads or raises a KuryrError', async () => {
    const names = (await readdir(fixtures)).filter((name) => name.endsWith('.csv'));
    const originals = await Promise.all(names.map((name) => readFile(new URL(name, fixtures))));

    const outcomes = await fuzzReader(
      originals,
      20_261_204,
      ITERATIONS,
      async function* (chunks, random) {
        for await (const batch of readCsv(chunks, randomOptions(random))) {
          for (const record of batch) {
            expect(JSON.stringify(record).length).toBeLessThan(8 * MAX_RECORD_LENGTH);
          }
          yield batch;
        }
      },
      (records, bytes) => {
        const lineBreaks = bytes.filter((byte) => byte === 0x0a || byte === 0x0d).length;
        expect(records).toBeLessThanOrEqual(lineBreaks + 1);
      },
    );

    expect(outcomes.read).toBeGreaterThan(ITERATIONS / 4);
    expect(outcomes.failed).toBeGreaterThan(0);
  });
});
