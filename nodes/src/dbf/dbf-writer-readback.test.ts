import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodePage } from '../codepages/index.js';
import type { DataRecord } from '../contract/block.js';
import {
  createDbfWriter,
  openDbf,
  writeFieldsFromTable,
  type DbfWriteField,
  type DbfWriteFormat,
} from './index.js';
import { readAll } from './read-table.test-support.js';
import {
  readWithDbffile,
  readWithDbfread,
  readWithGdal,
} from './reference-readers.test-support.js';

// What the writer produces must read back with the same values in Kurýr and in three readers
// that the team did not write: dbffile, python3-dbfread and GDAL.

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kuryr-dbf-readback-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A memo longer than one 512-byte block, with CRLF, LF and Czech letters. */
const longMemo = Array.from(
  { length: 30 },
  (_, line) => `Řádek ${line + 1}: žluťoučký kůň úpěl ďábelské ódy.`,
).join('\r\n');

const commonFields: DbfWriteField[] = [
  { name: 'CODE', type: 'C', length: 13 },
  { name: 'NAME', type: 'C', length: 40 },
  { name: 'PRICE', type: 'N', length: 12, decimals: 2 },
  { name: 'STOCK', type: 'N', length: 8 },
  { name: 'CHANGED', type: 'D' },
  { name: 'ACTIVE', type: 'L' },
  { name: 'NOTE', type: 'M' },
];

const commonRecords: DataRecord[] = [
  {
    CODE: 'A100',
    NAME: 'Žluťoučký kůň',
    PRICE: 1234.5,
    STOCK: 12,
    CHANGED: '2026-11-30',
    ACTIVE: true,
    NOTE: longMemo,
  },
  {
    CODE: 'A101',
    NAME: 'Příliš drahé zboží',
    PRICE: -0.35,
    STOCK: -3,
    CHANGED: '1999-02-28',
    ACTIVE: false,
    NOTE: 'první řádek\nDruhý řádek',
  },
  {
    CODE: 'A102',
    NAME: null,
    PRICE: null,
    STOCK: 0,
    CHANGED: null,
    ACTIVE: null,
    NOTE: null,
  },
];

type Sample = {
  format: DbfWriteFormat;
  codePage: CodePage;
  encoding: string;
  fields: DbfWriteField[];
  records: DataRecord[];
};

const samples: Sample[] = [
  {
    format: 'dbase3',
    codePage: '852',
    encoding: 'cp852',
    fields: commonFields,
    records: commonRecords,
  },
  {
    format: 'foxpro',
    codePage: '852',
    encoding: 'cp852',
    fields: [...commonFields, { name: 'RATE', type: 'F', length: 10, decimals: 4 }],
    records: commonRecords.map((record, index) => ({
      ...record,
      RATE: [0.125, -12.5, null][index],
    })),
  },
  {
    format: 'visual-foxpro',
    codePage: '1250',
    encoding: 'cp1250',
    fields: [
      ...commonFields,
      { name: 'QTY', type: 'I' },
      { name: 'AMOUNT', type: 'Y' },
      { name: 'WEIGHT', type: 'B', decimals: 3 },
      { name: 'STAMP', type: 'T' },
    ],
    records: commonRecords.map((record, index) => ({
      ...record,
      QTY: [7, -2_000_000_000, 0][index],
      AMOUNT: [12.3456, -99_999.5, 0][index],
      WEIGHT: [0.1, 1e-7, 0][index],
      STAMP: ['2026-11-30T23:59:59', '1899-12-30T13:35:39', null][index],
    })),
  },
];

async function writeSample(sample: Sample): Promise<string> {
  const path = join(scratch, `${sample.format}.dbf`);
  const writer = await createDbfWriter(path, {
    fields: sample.fields,
    codePage: sample.codePage,
    format: sample.format,
    lastUpdate: new Date(2026, 11, 4),
  });
  await writer.write(sample.records.slice(0, 1));
  await writer.write(sample.records.slice(1));
  await writer.close();
  return path;
}

describe.each(samples)('Write DBF $format read back', (sample) => {
  let path: string;

  beforeAll(async () => {
    path = await writeSample(sample);
  });

  it('reads back identically in Kurýr', async () => {
    const { records, warnings, codePage } = await readAll(path);
    expect(warnings).toEqual([]);
    expect(codePage).toBe(sample.codePage);
    expect(records).toEqual(sample.records);
  });

  it('reads back identically in dbffile', async () => {
    expect(await readWithDbffile(path, sample.encoding)).toEqual(sample.records);
  });

  it('reads back identically in dbfread', async () => {
    expect(await readWithDbfread(path, sample.encoding)).toEqual(sample.records);
  });

  it('reads back the types GDAL knows identically in GDAL', async () => {
    // GDAL reads the block number of a dBase III or FoxPro 2 memo field, not the memo text, and
    // reads Visual FoxPro's binary fields (M, I, Y, B, T) as raw bytes, so those are left out.
    const isVisualFoxPro = sample.format === 'visual-foxpro';
    const fields = sample.fields.filter(
      (field) => 'CNFDL'.includes(field.type) || (field.type === 'M' && !isVisualFoxPro),
    );
    const memoBlocks = isVisualFoxPro ? [] : await readMemoBlocks(path, sample);
    const expected = sample.records.map((record, index) =>
      Object.fromEntries(
        fields.map(({ name, type }) => [name, type === 'M' ? memoBlocks[index] : record[name]]),
      ),
    );
    expect(await readWithGdal(path, fields)).toEqual(expected);
  });
});

/** Returns the memo field of each record as GDAL shows it: the block number as text, or null. */
async function readMemoBlocks(path: string, sample: Sample): Promise<(string | null)[]> {
  const bytes = await readFile(path);
  const headerLength = bytes.readUInt16LE(8);
  const recordLength = bytes.readUInt16LE(10);
  let offset = 1;
  for (const field of sample.fields) {
    if (field.type === 'M') break;
    offset += field.length ?? { D: 8, L: 1 }[field.type as 'D' | 'L'];
  }
  return sample.records.map((_, index) => {
    const at = headerLength + index * recordLength + offset;
    const text = bytes.toString('latin1', at, at + 10).trim();
    return text === '' ? null : text;
  });
}

describe('Write DBF memo block sizes', () => {
  const memoRecords: DataRecord[] = [
    { CODE: 'M1', NOTE: longMemo },
    { CODE: 'M2', NOTE: null },
    { CODE: 'M3', NOTE: ' ' },
    { CODE: 'M4', NOTE: 'krátká\rpoznámka' },
  ];

  it.each([1, 64, 512, 1024])('reads back memos in blocks of %i bytes', async (blockSize) => {
    const path = join(scratch, `memo-${blockSize}.dbf`);
    const writer = await createDbfWriter(path, {
      fields: [
        { name: 'CODE', type: 'C', length: 4 },
        { name: 'NOTE', type: 'M' },
      ],
      codePage: '852',
      format: 'visual-foxpro',
      memoBlockSize: blockSize,
    });
    await writer.write(memoRecords);
    await writer.close();

    const memo = await readFile(join(scratch, `memo-${blockSize}.fpt`));
    expect(memo.readUInt16BE(6)).toBe(blockSize);
    expect(memo.length % blockSize).toBe(0);
    expect((await readAll(path)).records).toEqual(memoRecords);
    expect(await readWithDbfread(path, 'cp852')).toEqual(memoRecords);
    expect(await readWithDbffile(path, 'cp852')).toEqual(memoRecords);
  });
});

describe('Write DBF nullable Visual FoxPro fields', () => {
  const fields: DbfWriteField[] = [
    { name: 'CODE', type: 'C', length: 4 },
    { name: 'NAME', type: 'C', length: 10, nullable: true },
    { name: 'QTY', type: 'I', nullable: true },
    { name: 'AMOUNT', type: 'Y', nullable: true },
    { name: 'WEIGHT', type: 'B', decimals: 2, nullable: true },
    { name: 'PRICE', type: 'N', length: 8, decimals: 2, nullable: true },
    { name: 'STAMP', type: 'T', nullable: true },
    { name: 'CHANGED', type: 'D', nullable: true },
    { name: 'ACTIVE', type: 'L', nullable: true },
    { name: 'NOTE', type: 'M', nullable: true },
  ];
  const full: DataRecord = {
    CODE: 'N1',
    NAME: 'Kůň',
    QTY: 0,
    AMOUNT: 0,
    WEIGHT: 0,
    PRICE: 0,
    STAMP: '2026-12-04T10:00:00',
    CHANGED: '2026-12-04',
    ACTIVE: false,
    NOTE: 'poznámka',
  };
  const empty: DataRecord = Object.fromEntries(
    Object.keys(full).map((name) => [name, name === 'CODE' ? 'N2' : null]),
  );

  it('reads back nulls apart from zeros', async () => {
    const path = join(scratch, 'nullable.dbf');
    const writer = await createDbfWriter(path, {
      fields,
      codePage: '1250',
      format: 'visual-foxpro',
    });
    await writer.write([full, empty]);
    await writer.close();

    const bytes = await readFile(path);
    const nullFlags = 32 + fields.length * 32;
    expect(bytes.toString('latin1', nullFlags, nullFlags + 10)).toBe('_NullFlags');
    expect(bytes[nullFlags + 11]).toBe(0x30);
    expect(bytes[nullFlags + 16]).toBe(2);
    expect((await readAll(path)).records).toEqual([full, empty]);
  });

  it('reads back in dbfread, which ignores null flags', async () => {
    const path = join(scratch, 'nullable.dbf');
    const [first, second] = await readWithDbfread(path, 'cp1250');
    expect(first).toEqual({ ...full, _NullFlags: '\u0000\u0000' });
    // Null binary fields hold zero bytes and null text fields spaces.
    expect(second).toMatchObject({ CODE: 'N2', NAME: null, QTY: 0, AMOUNT: 0, WEIGHT: 0 });
    expect(second).toMatchObject({ PRICE: null, STAMP: null, NOTE: null });
  });

  it('rejects null in a binary field that is not nullable', async () => {
    const path = join(scratch, 'not-nullable.dbf');
    const writer = await createDbfWriter(path, {
      fields: [{ name: 'QTY', type: 'I' }],
      codePage: '1250',
      format: 'visual-foxpro',
    });
    await expect(writer.write([{ QTY: null }])).rejects.toThrow(
      'record 1, field QTY: null cannot be stored in a field of type I unless the field is nullable',
    );
    await writer.close();
  });

  it('rejects a nullable field outside Visual FoxPro', async () => {
    await expect(
      createDbfWriter(join(scratch, 'nullable-dbase3.dbf'), {
        fields: [{ name: 'QTY', type: 'N', length: 3, nullable: true }],
        codePage: '852',
      }),
    ).rejects.toThrow('field QTY is nullable, which only Visual FoxPro tables allow');
  });
});

describe('Write DBF varchar fields', () => {
  const fields: DbfWriteField[] = [
    { name: 'CODE', type: 'V', length: 6 },
    { name: 'NAME', type: 'V', length: 12, nullable: true },
  ];
  const records: DataRecord[] = [
    // Shorter than the field, with trailing spaces that a varchar keeps.
    { CODE: 'A1  ', NAME: 'Kůň' },
    // As wide as the field, so no length byte.
    { CODE: 'ABCDEF', NAME: 'Žluťoučký kůň'.slice(0, 12) },
    { CODE: null, NAME: null },
  ];

  it('reads back trailing spaces', async () => {
    const path = join(scratch, 'varchar.dbf');
    const writer = await createDbfWriter(path, {
      fields,
      codePage: '1250',
      format: 'visual-foxpro',
    });
    await writer.write(records);
    await writer.close();

    const bytes = await readFile(path);
    expect(bytes[0]).toBe(0x32);
    const start = bytes.readUInt16LE(8);
    const recordLength = bytes.readUInt16LE(10);
    // The length sits in the field's last byte. _NullFlags has bits in field order: CODE's
    // length (0), then NAME's null bit (1) before its length (2).
    expect(bytes.toString('latin1', start + 1, start + 7)).toBe('A1  \u0020\u0004');
    expect(bytes[start + recordLength - 1]).toBe(0b101);
    expect(bytes[start + recordLength * 2 - 1]).toBe(0b000);
    expect(bytes[start + recordLength * 3 - 1]).toBe(0b010);
    expect((await readAll(path)).records).toEqual(records);
  });

  it('shows the length byte in dbfread', async () => {
    // dbfread 2.0.7 reads a varchar field as text and ignores _NullFlags, so it shows the
    // padding and the length byte; the corpus tables show the same layout from Visual FoxPro.
    const path = join(scratch, 'varchar.dbf');
    const [first, second, third] = await readWithDbfread(path, 'cp1250');
    expect(first).toMatchObject({ CODE: 'A1   \u0004', NAME: 'Kůň        \u0003' });
    expect(second).toMatchObject({ CODE: 'ABCDEF', NAME: 'Žluťoučký ků' });
    expect(third).toMatchObject({ CODE: null, NAME: null, _NullFlags: '\u0002' });
  });

  it('copies corpus varchar records byte for byte', async () => {
    for (const name of ['vfp_varchar_length_in_last_byte', 'vfp_varchar_nullflags']) {
      const template = join(fixtures, `${name}.dbf`);
      const table = await openDbf(template);
      await table.close();
      const original = await readAll(template);
      const path = join(scratch, `${name}.dbf`);
      const writer = await createDbfWriter(path, {
        fields: writeFieldsFromTable(table.header.fields, 'visual-foxpro'),
        codePage: original.codePage ?? '1252',
        format: 'visual-foxpro',
        keepNameCase: true,
      });
      await writer.write(original.records);
      await writer.close();

      const source = await readFile(template);
      const copy = await readFile(path);
      const records = (bytes: Buffer) => {
        const start = bytes.readUInt16LE(8);
        return bytes.subarray(start, start + bytes.readUInt32LE(4) * bytes.readUInt16LE(10));
      };
      expect(copy[0], name).toBe(source[0]);
      expect(records(copy), name).toEqual(records(source));
      expect((await readAll(path)).records, name).toEqual(original.records);
    }
  });
});
