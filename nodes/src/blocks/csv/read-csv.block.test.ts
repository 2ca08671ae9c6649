import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { FileItem } from '../../contract/files.js';
import { runBlock } from '../block-harness.test-support.js';
import { readCsvBlock } from './read-csv.block.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-read-csv-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function csvFile(name: string, text: string): FileItem {
  const data = Buffer.from(text, 'utf8');
  return { name, mediaType: 'text/csv', size: data.length, content: { kind: 'memory', data } };
}

/** Runs Read CSV on the files and returns its records and warnings. */
async function readFiles(
  files: FileItem[],
  parameters: z.input<typeof readCsvBlock.parameters> = {},
) {
  const { outputs, warnings } = await runBlock(readCsvBlock, {
    parameters,
    folder,
    input: 'file',
    batches: [files],
    outputs: ['records'],
  });
  return { records: outputs.records ?? [], warnings };
}

describe('Read CSV block', () => {
  it('warns that 1,5 may be two columns', async () => {
    const { records, warnings } = await readFiles([csvFile('numbers.csv', '1,5\n2,25\n')]);

    expect(records).toEqual([{ field1: '1,5' }, { field1: '2,25' }]);
    expect(warnings).toHaveLength(1);
    const dialect = warnings.find((warning) => warning.code === 'CSV_DIALECT_DETECTED')!;
    expect(dialect.message).toContain(
      'Every row is also two whole numbers split by a comma (1,5), read here as one column ' +
        'with a decimal comma; set the delimiter to , if the file has two columns',
    );
    expect(dialect.details).toMatchObject({ isCommaAmbiguous: true });
  });

  it('reads 1,5 as two columns when set', async () => {
    const { records, warnings } = await readFiles([csvFile('numbers.csv', '1,5\n2,25\n')], {
      delimiter: ',',
    });

    expect(records).toEqual([
      { field1: '1', field2: '5' },
      { field1: '2', field2: '25' },
    ]);
    expect(warnings.map((warning) => warning.message).join('\n')).not.toContain('two whole');
  });

  it.each([
    ['a row without a comma', '1,5\n7\n'],
    ['a one-name header', 'cena\n1,5\n2,25\n'],
    ['a decimal with thousands', '1.234,5\n2,25\n'],
  ])('does not doubt one column with %s', async (_case, text) => {
    const { records, warnings } = await readFiles([csvFile('numbers.csv', text)]);

    expect(records.every((record) => Object.keys(record).length === 1)).toBe(true);
    expect(warnings.map((warning) => warning.message).join('\n')).not.toContain('two whole');
  });

  it('announces the first file header', async () => {
    const { outputs, columns } = await runBlock(readCsvBlock, {
      parameters: {},
      folder,
      input: 'file',
      batches: [[csvFile('a.csv', 'kód;název\r\n'), csvFile('b.csv', 'x;y\r\n1;2\r\n')]],
      outputs: ['records'],
    });

    expect(outputs.records).toEqual([{ x: '1', y: '2' }]);
    expect(columns.records).toEqual(['kód', 'název']);
  });
});
