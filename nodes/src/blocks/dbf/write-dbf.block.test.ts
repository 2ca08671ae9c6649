import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { DataRecord } from '../../contract/block.js';
import { FlowAuthorError } from '../../contract/errors.js';
import type { FileItem } from '../../contract/files.js';
import { createDbfWriter, openDbf } from '../../dbf/index.js';
import { readAll } from '../../dbf/read-table.test-support.js';
import { readWithDbfread } from '../../dbf/reference-readers.test-support.js';
import { runBlock } from '../block-harness.test-support.js';
import { writeDbfBlock } from './write-dbf.block.js';

type Parameters = z.input<typeof writeDbfBlock.parameters>;

const fixtures = fileURLToPath(new URL('../../dbf/fixtures/', import.meta.url));
let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-write-dbf-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Runs the block over the given batches and returns the one file it sent and the warnings. */
async function writeBatches(batches: readonly DataRecord[][], parameters: Parameters) {
  const { outputs, warnings } = await runBlock(writeDbfBlock, {
    parameters,
    folder,
    input: 'records',
    batches,
    outputs: ['file'],
  });
  expect(outputs.file).toHaveLength(1);
  return { file: outputs.file![0] as FileItem, warnings };
}

function tempPath(file: FileItem): string {
  if (file.content.kind !== 'temp') throw new Error('expected a temporary file');
  return file.content.path;
}

async function writeError(batches: readonly DataRecord[][], parameters: Parameters) {
  const error = await writeBatches(batches, parameters).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(FlowAuthorError);
  return error as FlowAuthorError;
}

const itemFields = [
  { name: 'CODE', type: 'C', length: 6 },
  { name: 'PRICE', type: 'N', length: 8, decimals: 2 },
  { name: 'NOTE', type: 'M' },
] as const;

describe('Write DBF block', () => {
  it('sends the table with its memo file as companion', async () => {
    const records = [
      { CODE: 'A1', PRICE: 10.5, NOTE: 'Kůň\r\núpěl' },
      { CODE: 'A2', PRICE: null, NOTE: null },
    ];
    const { file, warnings } = await writeBatches([records.slice(0, 1), records.slice(1)], {
      fileName: 'items.dbf',
      fields: [...itemFields],
      format: 'foxpro',
      codePage: '1250',
    });

    expect(warnings).toEqual([]);
    expect(file).toMatchObject({ name: 'items.dbf', mediaType: 'application/dbase', records: 2 });
    expect(file.size).toBe((await readFile(tempPath(file))).length);
    expect(file.companions).toHaveLength(1);
    const memo = file.companions![0]!;
    expect(memo.name).toBe('items.fpt');
    expect(memo.size).toBe((await readFile(tempPath(memo))).length);
    const table = await readAll(tempPath(file));
    expect(table.codePage).toBe('1250');
    expect(table.records).toEqual(records);
  });

  it('sends no companion without memo fields', async () => {
    const { file } = await writeBatches([[{ CODE: 'A1' }]], {
      fields: [{ name: 'CODE', type: 'C', length: 4 }],
    });
    expect(file.name).toBe('export.dbf');
    expect(file.companions).toBeUndefined();
    const bytes = await readFile(tempPath(file));
    expect(bytes[0]).toBe(0x03);
    expect(bytes[29]).toBe(0x64);
  });

  it('matches record keys in any letter case', async () => {
    const { file } = await writeBatches([[{ code: 'A1', Price: 2.5 }]], {
      fields: [...itemFields],
    });
    expect((await readAll(tempPath(file))).records).toEqual([
      { CODE: 'A1', PRICE: 2.5, NOTE: null },
    ]);
  });

  it('writes an empty table when no record comes', async () => {
    const { file } = await writeBatches([], { fields: [...itemFields] });
    expect(file.records).toBe(0);
    expect((await readAll(tempPath(file))).records).toEqual([]);
    expect(file.companions![0]!.size).toBe(512);
  });

  it('copies fields, format and code page from a template', async () => {
    await copyFile(join(fixtures, 'eshop-items-852.dbf'), join(folder, 'template.dbf'));
    const template = await readAll(join(folder, 'template.dbf'));
    const { file } = await writeBatches([template.records], { template: 'template.dbf' });

    const original = await readFile(join(folder, 'template.dbf'));
    const written = await readFile(tempPath(file));
    const headerLength = original.readUInt16LE(8);
    // Bytes 1 to 7 hold the date of the last update and the record count.
    expect(written[0]).toBe(original[0]);
    expect(written.subarray(8, headerLength)).toEqual(original.subarray(8, headerLength));
    expect((await readAll(tempPath(file))).records).toEqual(template.records);
  });

  it('writes a Visual FoxPro table from a template', async () => {
    await copyFile(join(fixtures, 'vfp9_memo_with_deleted.dbf'), join(folder, 'memo.dbf'));
    await copyFile(join(fixtures, 'vfp9_memo_with_deleted.fpt'), join(folder, 'memo.fpt'));
    const template = await readAll(join(folder, 'memo.dbf'));
    const { file } = await writeBatches([template.records], { template: 'memo.dbf' });

    expect((await readFile(tempPath(file)))[0]).toBe(0x30);
    expect(file.companions![0]!.name).toBe('export.fpt');
    expect((await readAll(tempPath(file))).records).toEqual(template.records);
  });

  it('numbers the records of a template with an autoincrement field', async () => {
    await copyFile(
      join(fixtures, 'vfp_autoinc_currency_products.dbf'),
      join(folder, 'products.dbf'),
    );
    const before = await openDbf(join(folder, 'products.dbf'));
    await before.close();
    expect(before.header.fields[0]).toMatchObject({
      name: 'PRODUCTID',
      autoIncrement: { next: 78, step: 1 },
    });
    const added = [{ PRODUCTNAM: 'Kofola' }, { productid: null, productnam: 'Tatranka' }];
    const { file } = await writeBatches([added], { template: 'products.dbf' });

    const path = tempPath(file);
    const bytes = await readFile(path);
    expect(bytes[0]).toBe(0x31);
    // The field list matches the template's but for the next value of PRODUCTID.
    const template = await readFile(join(folder, 'products.dbf'));
    const fieldListEnd = 32 + before.header.fields.length * 32 + 1;
    const expected = Buffer.from(template.subarray(32, fieldListEnd));
    expected.writeInt32LE(80, 19);
    expect(bytes.subarray(32, fieldListEnd)).toEqual(expected);
    // Descriptor of PRODUCTID: flags, the next value and the step.
    expect(bytes[32 + 18]).toBe(0x0c);
    expect(bytes.readInt32LE(32 + 19)).toBe(80);
    expect(bytes[32 + 23]).toBe(1);
    const after = await openDbf(path);
    await after.close();
    expect(after.header.fields[0]!.autoIncrement).toEqual({ next: 80, step: 1 });
    const records = (await readAll(path)).records;
    expect(records.map((record) => [record.PRODUCTID, record.PRODUCTNAM])).toEqual([
      [78, 'Kofola'],
      [79, 'Tatranka'],
    ]);
    const dbfread = await readWithDbfread(path, 'cp1252');
    expect(dbfread.map((record) => record.PRODUCTID)).toEqual([78, 79]);
  });

  it('advances the autoincrement past the values records carry', async () => {
    await copyFile(
      join(fixtures, 'vfp_autoinc_currency_products.dbf'),
      join(folder, 'products.dbf'),
    );
    const template = await readAll(join(folder, 'products.dbf'));
    const { file } = await writeBatches([template.records, [{ PRODUCTNAM: 'Nový' }]], {
      template: 'products.dbf',
    });

    const path = tempPath(file);
    const records = (await readAll(path)).records;
    expect(records.slice(0, 77)).toEqual(template.records);
    // Each of the 77 records takes one value, as Visual FoxPro counts them, so the new record
    // gets 78 + 77 and the table's next value is one step further.
    expect(records[77]).toMatchObject({ PRODUCTID: 155, PRODUCTNAM: 'Nový' });
    expect((await readFile(path)).readInt32LE(32 + 19)).toBe(156);
  });

  it("keeps the letter case of a template's field names", async () => {
    const templatePath = join(folder, 'mixed.dbf');
    const writer = await createDbfWriter(templatePath, {
      fields: [
        { name: 'Code', type: 'C', length: 4 },
        { name: 'unit_Price', type: 'N', length: 8, decimals: 2 },
      ],
      codePage: '852',
      keepNameCase: true,
    });
    await writer.close();
    const { file } = await writeBatches([[{ CODE: 'A1', Unit_price: 2.5 }]], {
      template: 'mixed.dbf',
    });

    const original = await readFile(templatePath);
    const written = await readFile(tempPath(file));
    const headerLength = original.readUInt16LE(8);
    expect(written.subarray(8, headerLength)).toEqual(original.subarray(8, headerLength));
    expect((await readAll(tempPath(file))).records).toEqual([{ Code: 'A1', unit_Price: 2.5 }]);
    expect(await readWithDbfread(tempPath(file), 'cp852')).toEqual([
      { Code: 'A1', unit_Price: 2.5 },
    ]);
  });

  it.each([
    ['852', 0x64],
    ['1250', 0xc8],
    ['kamenicky', 0x68],
    ['437', 0x01],
    ['850', 0x02],
    ['1252', 0x03],
  ] as const)('sets the language driver of code page %s', async (codePage, languageDriver) => {
    const { file } = await writeBatches([[{ CODE: 'A' }]], {
      fields: [{ name: 'CODE', type: 'C', length: 1 }],
      codePage,
    });
    expect((await readFile(tempPath(file)))[29]).toBe(languageDriver);
  });

  it('fails on a value too long, naming record and field', async () => {
    const error = await writeError([[{ CODE: 'A1' }], [{ CODE: 'A2' }, { CODE: 'TOOLONG' }]], {
      fileName: 'items.dbf',
      fields: [...itemFields],
    });
    expect(error.code).toBe('DBF_WRITE_VALUE_INVALID');
    expect(error.message).toBe(
      'record 3, field CODE: the value is 7 bytes long, but the field is 6 bytes wide',
    );
    expect(error.context).toMatchObject({ record: 3, field: 'CODE', file: 'items.dbf' });
  });

  it('fails on a number with too many digits', async () => {
    const error = await writeError([[{ PRICE: 1_000_000 }]], { fields: [...itemFields] });
    expect(error.message).toBe(
      'record 1, field PRICE: 1000000.00 is 10 characters long, but the field is 8 wide',
    );
  });

  it('truncates and reports values when set to', async () => {
    const { file, warnings } = await writeBatches(
      [[{ CODE: 'TOOLONG', PRICE: 123_456.789, NOTE: 'Cena 5 €' }, { PRICE: 1e9 }]],
      { fields: [...itemFields], truncate: true },
    );

    expect((await readAll(tempPath(file))).records).toEqual([
      { CODE: 'TOOLON', PRICE: 123_456.8, NOTE: 'Cena 5 ?' },
      { CODE: null, PRICE: null, NOTE: null },
    ]);
    expect(warnings.map((warning) => warning.message)).toEqual([
      'record 1, field CODE: the value is 7 bytes long, but the field is 6 bytes wide, cut to 6 bytes',
      'record 1, field PRICE: 123456.79 is 9 characters long, but the field is 8 wide, rounded to 123456.8',
      'record 1, field NOTE: code page 852 has no byte for "€", written as ?',
      'record 2, field PRICE: 1000000000.00 is 13 characters long, but the field is 8 wide, written as asterisks (null)',
    ]);
    expect(warnings[0]).toMatchObject({
      code: 'DBF_WRITE_VALUE_FITTED',
      details: { record: 1, field: 'CODE', file: 'export.dbf' },
    });
  });

  it('fails on a value of the wrong type even when truncating', async () => {
    const error = await writeError([[{ PRICE: 'cheap' }]], {
      fields: [...itemFields],
      truncate: true,
    });
    expect(error.message).toBe('record 1, field PRICE: expected a number, got "cheap"');
  });

  it('rejects a field type the format lacks', async () => {
    const error = await writeError([[{ QTY: 1 }]], { fields: [{ name: 'QTY', type: 'I' }] });
    expect(error.code).toBe('DBF_WRITE_FIELDS_INVALID');
    expect(error.message).toContain('field QTY has type I, which dbase3 tables do not have');
  });

  it('needs either fields or a template', async () => {
    const neither = await writeError([], {});
    expect(neither.code).toBe('DBF_WRITE_LAYOUT_MISSING');
    const both = await writeError([], { fields: [...itemFields], template: 'x.dbf' });
    expect(both.message).toContain('not both');
  });
});
