import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodePage } from '../codepages/index.js';
import type { DataRecord } from '../contract/block.js';
import { FlowAuthorError } from '../contract/errors.js';
import { demoItemFields, demoItems, writeDemoItemsDbf } from '../demo/demo-items.js';
import { createDbfWriter, openDbf } from './index.js';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kuryr-dbf-writer-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function readRecords(path: string): Promise<DataRecord[]> {
  const table = await openDbf(path);
  try {
    const records: DataRecord[] = [];
    for await (const batch of table.records(7)) records.push(...batch);
    return records;
  } finally {
    await table.close();
  }
}

async function writeError(records: DataRecord[]): Promise<FlowAuthorError> {
  const writer = await createDbfWriter(join(scratch, 'rejected.dbf'), {
    fields: demoItemFields,
    codePage: '852',
  });
  try {
    await writer.write(records);
  } catch (error) {
    expect(error).toBeInstanceOf(FlowAuthorError);
    return error as FlowAuthorError;
  } finally {
    await writer.close();
  }
  throw new Error('writing did not fail');
}

describe('createDbfWriter', () => {
  it.each(['852', '1250', 'kamenicky'] satisfies CodePage[])(
    'round trips the demo items in %s',
    async (codePage) => {
      const path = join(scratch, `items-${codePage}.dbf`);
      await writeDemoItemsDbf(path, codePage);
      expect(await readRecords(path)).toEqual(demoItems);
    },
  );

  it('sets the language driver of the code page', async () => {
    const expected: [CodePage, number][] = [
      ['852', 0x64],
      ['1250', 0xc8],
      ['kamenicky', 0x68],
    ];
    for (const [codePage, languageDriver] of expected) {
      const table = await openDbf(join(scratch, `items-${codePage}.dbf`));
      await table.close();
      expect(table.header.languageDriver).toBe(languageDriver);
      expect(table.codePage).toBe(codePage);
    }
  });

  it('patches the record count and ends with 0x1A', async () => {
    const path = join(scratch, 'counted.dbf');
    const writer = await createDbfWriter(path, {
      fields: demoItemFields,
      codePage: '852',
      format: 'foxpro',
    });
    await writer.write(demoItems.slice(0, 10));
    await writer.write(demoItems.slice(10));
    await writer.close();

    const bytes = await readFile(path);
    expect(bytes[0]).toBe(0x03);
    expect(bytes.readUInt32LE(4)).toBe(25);
    expect(bytes.length).toBe(32 + 9 * 32 + 1 + 25 * 103 + 1);
    expect(bytes[bytes.length - 1]).toBe(0x1a);
    expect(await readRecords(path)).toEqual(demoItems);
  });

  it('right-aligns numbers with their decimals', async () => {
    const path = join(scratch, 'numbers.dbf');
    const writer = await createDbfWriter(path, {
      fields: [{ name: 'PRICE', type: 'N', length: 12, decimals: 2 }],
      codePage: '852',
    });
    await writer.write([{ PRICE: 3.5 }, { PRICE: -4.35 }, { PRICE: null }]);
    await writer.close();

    const bytes = await readFile(path);
    const data = bytes.subarray(32 + 32 + 1, bytes.length - 1).toString('latin1');
    expect(data).toBe(' ' + '        3.50' + ' ' + '       -4.35' + ' ' + ' '.repeat(12));
  });

  it('rejects text longer than its field', async () => {
    const error = await writeError([{ CODE: 'X'.repeat(14) }]);
    expect(error.code).toBe('DBF_WRITE_VALUE_INVALID');
    expect(error.message).toBe(
      'record 1, field CODE: the value is 14 bytes long, but the field is 13 bytes wide',
    );
  });

  it('rejects characters the code page lacks', async () => {
    const error = await writeError([{ CODE: 'A' }, { CODE: 'Cena 5 €' }]);
    expect(error.message).toBe('record 2, field CODE: code page 852 has no byte for "€"');
    expect(error.hint).toContain('utf-8 has every character');
  });

  it('rejects a number too wide for its field', async () => {
    const error = await writeError([{ VAT: 100 }]);
    expect(error.message).toBe(
      'record 1, field VAT: 100 is 3 characters long, but the field is 2 wide',
    );
  });

  it('rejects an invalid date', async () => {
    const error = await writeError([{ CHANGED: '2026-02-30' }]);
    expect(error.message).toBe(
      'record 1, field CHANGED: expected a date as YYYY-MM-DD, got "2026-02-30"',
    );
  });

  it('rejects an invalid field name', async () => {
    await expect(
      createDbfWriter(join(scratch, 'bad-name.dbf'), {
        fields: [{ name: 'TOO_LONG_NAME', type: 'C', length: 5 }],
        codePage: '852',
      }),
    ).rejects.toThrow('invalid DBF field list: field name "TOO_LONG_NAME"');
  });
});
