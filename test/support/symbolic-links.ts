import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { runFlow } from '@kuryr/runtime';
import { collected } from '../../runtime/test-support/blocks.js';

/** Content of the file that the links of the tests lead to. */
export const LINKED_CONTENT = 'kód;množství\r\n';

/**
 * Checks a run with a download `get` into `in/` and a list collected as `entries`. Their folder
 * has `stock.csv` linked to a file, `gone.csv` linked to nothing and a link to a folder. Only
 * the linked file may arrive, and the download must warn about the entries in `skipped`.
 */
export async function expectLinkedFileTaken(
  report: Awaited<ReturnType<typeof runFlow>>,
  data: string,
  expected: { skipped: string[]; listed: [string, string][] },
): Promise<void> {
  expect(report.error).toBeUndefined();
  expect(await readdir(join(data, 'in'))).toEqual(['stock.csv']);
  expect(await readFile(join(data, 'in/stock.csv'), 'utf8')).toBe(LINKED_CONTENT);
  const get = report.blocks.find((block) => block.id === 'get')!;
  const skipped = get.warnings.find((warning) => warning.code === 'REMOTE_ENTRY_SKIPPED');
  expect(skipped?.examples[0]?.message).toContain(`skipped: ${expected.skipped.join(', ')}.`);
  const entries = collected.get('entries') as { name: string; kind: string; size: number }[];
  expect(entries.map(({ name, kind }) => [name, kind]).sort()).toEqual(expected.listed);
  const linked = entries.find((entry) => entry.name === 'stock.csv');
  expect(linked?.size).toBe(Buffer.byteLength(LINKED_CONTENT));
}
