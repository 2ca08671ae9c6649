import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KuryrError } from '../contract/errors.js';
import { openDbf } from './index.js';
import { createRandom } from '../demo/random.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const ITERATIONS = 150;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kuryr-dbf-fuzz-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function damage(original: Buffer, random: () => number): Buffer {
  const headerBias = random() < 0.5 ? Math.min(original.length, 400) : original.length;
  if (random() < 0.3) return original.subarray(0, Math.floor(random() * original.length));
  const bytes = Buffer.from(original);
  const flips = 1 + Math.floor(random() * 4);
  for (let i = 0; i < flips; i++)
    bytes[Math.floor(random() * headerBias)] = Math.floor(random() * 256);
  return bytes;
}

/** Reads the whole table; returns how many records came out and how many the file holds. */
async function readAll(
  path: string,
  lenient: boolean,
): Promise<{ read: number; available: number }> {
  const table = await openDbf(path, { lenient });
  try {
    let read = 0;
    for await (const batch of table.records(50)) read += batch.length;
    return { read, available: table.availableRecords };
  } finally {
    await table.close();
  }
}

describe('reader on damaged files', () => {
  it.each([
    ['eshop-items-852.dbf', undefined, 1],
    ['dbase4_memo_types.dbf', 'dbase4_memo_types.dbt', 2],
    ['vfp9_memo_with_deleted.dbf', 'vfp9_memo_with_deleted.fpt', 3],
    ['vfp_autoinc_currency_products.dbf', undefined, 4],
    ['dbase3_memo_catalog.dbf', 'dbase3_memo_catalog.dbt', 5],
    ['vfp_nullflags_memo_cr/testfile.dbf', 'vfp_nullflags_memo_cr/testfile.FPT', 6],
    ['vfp9_memo_blocksize1.dbf', 'vfp9_memo_blocksize1.fpt', 7],
    ['vfp_varchar_length_in_last_byte.dbf', undefined, 8],
  ])('reads or raises a KuryrError for %s', async (table, memo, seed) => {
    const random = createRandom(seed);
    const original = await readFile(join(fixtures, table));
    const memoOriginal = memo === undefined ? undefined : await readFile(join(fixtures, memo));
    const path = join(scratch, basename(table));
    const memoPath = memo === undefined ? undefined : join(scratch, basename(memo));
    let failures = 0;

    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const damageMemo = memoOriginal !== undefined && random() < 0.3;
      await writeFile(path, damageMemo ? original : damage(original, random));
      if (memo !== undefined) {
        if (damageMemo) await writeFile(memoPath!, damage(memoOriginal!, random));
        else await copyFile(join(fixtures, memo), memoPath!);
      }

      for (const lenient of [false, true]) {
        try {
          const { read, available } = await readAll(path, lenient);
          expect(read, `iteration ${iteration}`).toBeLessThanOrEqual(available);
        } catch (error) {
          if (!(error instanceof KuryrError)) {
            throw new Error(`iteration ${iteration} (lenient ${lenient}) raised ${String(error)}`, {
              cause: error,
            });
          }
          failures++;
        }
      }
    }
    expect(failures).toBeGreaterThan(0);
  });
});
