import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbfWriter } from './index.js';
import { readAll, readError } from './read-table.test-support.js';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kuryr-dbf-damage-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Layout of the tables that writeTable makes: CODE C(8) then QTY N(8). */
const HEADER_LENGTH = 32 + 2 * 32 + 1;
const RECORD_LENGTH = 1 + 8 + 8;
const CODE_DESCRIPTOR = 32;
const QTY_DESCRIPTOR = 64;
const CODE_IN_RECORD = 1;
const QTY_IN_RECORD = 9;

function recordOffset(record: number): number {
  return HEADER_LENGTH + (record - 1) * RECORD_LENGTH;
}

/** Writes a table of `count` records `{ CODE: 'A<n>', QTY: n }` and returns its bytes. */
async function writeTable(name: string, count: number): Promise<{ path: string; bytes: Buffer }> {
  const path = join(scratch, name);
  const writer = await createDbfWriter(path, {
    fields: [
      { name: 'CODE', type: 'C', length: 8 },
      { name: 'QTY', type: 'N', length: 8 },
    ],
    codePage: '852',
    lastUpdate: new Date(2026, 0, 15),
  });
  const records = Array.from({ length: count }, (_, index) => ({
    CODE: `A${index + 1}`,
    QTY: index + 1,
  }));
  await writer.write(records);
  await writer.close();
  return { path, bytes: await readFile(path) };
}

describe('openDbf code page', () => {
  it('warns when the block overrides the declared code page', async () => {
    const { path } = await writeTable('declared-852.dbf', 2);

    const { warnings } = await readAll(path, { codePage: '1250' });

    expect(warnings.map((warning) => warning.code)).toEqual(['DBF_CODE_PAGE_OVERRIDDEN']);
    expect(warnings[0]!.message).toBe(
      'the table declares code page 852, but it is read as 1250 as the block sets',
    );
  });
});

describe('openDbf record count', () => {
  it('fails on records beyond the count', async () => {
    const { path, bytes } = await writeTable('count-low.dbf', 5);
    bytes.writeUInt32LE(3, 4);
    await writeFile(path, bytes);

    const error = await readError(path);

    expect(error.code).toBe('DBF_MORE_RECORDS_THAN_HEADER');
    expect(error.message).toBe(
      `the header declares 3 records, but the file contains 5; the 2 records from byte ` +
        `${recordOffset(4)} on are not counted`,
    );
    expect(error.context).toMatchObject({ file: path, offset: recordOffset(4) });
  });

  it('reads the counted records leniently with a warning', async () => {
    const { path, bytes } = await writeTable('count-low-lenient.dbf', 5);
    bytes.writeUInt32LE(3, 4);
    await writeFile(path, bytes);

    const { records, warnings } = await readAll(path, { lenient: true });

    expect(records.map((record) => record.CODE)).toEqual(['A1', 'A2', 'A3']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('DBF_MORE_RECORDS_THAN_HEADER');
    expect(warnings[0]!.details).toMatchObject({ file: path, offset: recordOffset(4) });
  });

  it('warns about records behind count 0', async () => {
    const { path, bytes } = await writeTable('count-zero.dbf', 4);
    bytes.writeUInt32LE(0, 4);
    await writeFile(path, bytes);

    const { records, warnings } = await readAll(path, { lenient: true });

    expect(records).toEqual([]);
    expect(warnings.map((warning) => warning.code)).toEqual(['DBF_MORE_RECORDS_THAN_HEADER']);
    expect(warnings[0]!.message).toContain('declares 0 records, but the file contains 4');
    expect(warnings[0]!.details.offset).toBe(HEADER_LENGTH);
  });

  it('ignores bytes after the end marker', async () => {
    const { path, bytes } = await writeTable('padded.dbf', 3);
    await writeFile(path, Buffer.concat([bytes, Buffer.alloc(RECORD_LENGTH * 4)]));

    const { records, warnings } = await readAll(path);

    expect(records).toHaveLength(3);
    expect(warnings).toEqual([]);
  });

  it('ignores zero bytes after the counted records', async () => {
    const { path, bytes } = await writeTable('preallocated.dbf', 3);
    const records = bytes.subarray(0, recordOffset(4));
    await writeFile(path, Buffer.concat([records, Buffer.alloc(RECORD_LENGTH * 5)]));

    const { records: read, warnings } = await readAll(path);

    expect(read).toHaveLength(3);
    expect(warnings).toEqual([]);
  });

  it('reads an exact table silently', async () => {
    const { path } = await writeTable('exact.dbf', 3);
    const { records, warnings } = await readAll(path);
    expect(records).toHaveLength(3);
    expect(warnings).toEqual([]);
  });
});

describe('openDbf zero-byte records', () => {
  it('rejects a zero-byte record', async () => {
    const { path, bytes } = await writeTable('zero-record.dbf', 5);
    bytes.fill(0, recordOffset(3), recordOffset(4));
    await writeFile(path, bytes);

    const error = await readError(path);

    expect(error.code).toBe('DBF_RECORD_ZERO_BYTES');
    expect(error.message).toBe(
      `record 3 at byte offset ${recordOffset(3)} contains only zero bytes, so the table is ` +
        'damaged',
    );
    expect(error.hint).toMatch(/lenient/);
    expect(error.context).toMatchObject({ file: path, record: 3, offset: recordOffset(3) });
  });

  it('stops at a zero-byte record when lenient', async () => {
    const { path, bytes } = await writeTable('zero-record-lenient.dbf', 5);
    bytes.fill(0, recordOffset(3), recordOffset(4));
    await writeFile(path, bytes);

    const { records, warnings } = await readAll(path, { lenient: true });

    expect(records.map((record) => record.CODE)).toEqual(['A1', 'A2']);
    expect(warnings.map((warning) => warning.code)).toEqual(['DBF_RECORD_ZERO_BYTES']);
    expect(warnings[0]!.details).toMatchObject({ record: 3, offset: recordOffset(3) });
  });

  it('rejects the tail of a sparse file', async () => {
    const { path, bytes } = await writeTable('sparse.dbf', 2);
    bytes.writeUInt32LE(1_000_000, 4);
    await writeFile(path, bytes.subarray(0, recordOffset(3)));
    await truncate(path, recordOffset(1_000_001));

    const error = await readError(path);

    expect(error.code).toBe('DBF_RECORD_ZERO_BYTES');
    expect(error.context.record).toBe(3);
  });

  it('reads a record with flag 0x00', async () => {
    const { path, bytes } = await writeTable('zero-flag.dbf', 2);
    bytes[recordOffset(2)] = 0x00;
    await writeFile(path, bytes);

    const { records } = await readAll(path);

    expect(records).toEqual([
      { CODE: 'A1', QTY: 1 },
      { CODE: 'A2', QTY: 2 },
    ]);
  });
});

describe('openDbf character values', () => {
  it('trims trailing NUL bytes silently', async () => {
    const { path, bytes } = await writeTable('trailing-nul.dbf', 1);
    bytes.write('AB\0\0  \0\0', recordOffset(1) + CODE_IN_RECORD, 'latin1');
    await writeFile(path, bytes);

    const { records, warnings } = await readAll(path);

    expect(records[0]!.CODE).toBe('AB');
    expect(warnings).toEqual([]);
  });

  it('replaces embedded NUL bytes and warns', async () => {
    const { path, bytes } = await writeTable('embedded-nul.dbf', 2);
    const at = recordOffset(2) + CODE_IN_RECORD;
    bytes.write('AB\0C\0D\0\0', at, 'latin1');
    await writeFile(path, bytes);

    const { records, warnings } = await readAll(path);

    expect(records[1]!.CODE).toBe('AB C D');
    expect(warnings.map((warning) => warning.code)).toEqual(['DBF_NUL_IN_TEXT']);
    expect(warnings[0]!.message).toBe(
      `record 2, field CODE: replaced 2 NUL bytes inside the text with spaces (first at byte ` +
        `${at + 2})`,
    );
    expect(warnings[0]!.details).toMatchObject({
      file: path,
      record: 2,
      field: 'CODE',
      offset: at + 2,
    });
  });
});

describe('openDbf numeric fields', () => {
  it('rejects an exponent in an N field', async () => {
    const { path, bytes } = await writeTable('n-exponent.dbf', 2);
    const at = recordOffset(2) + QTY_IN_RECORD;
    bytes.write('  1e308 ', at, 'latin1');
    await writeFile(path, bytes);

    const error = await readError(path);

    expect(error.code).toBe('DBF_VALUE_INVALID');
    expect(error.message).toBe(`record 2, field QTY: cannot read "1e308" as a number (byte ${at})`);
    expect(error.context).toMatchObject({ record: 2, field: 'QTY', offset: at });
  });

  it('reads an exponent in an F field', async () => {
    const { path, bytes } = await writeTable('f-exponent.dbf', 1);
    bytes.write('F', QTY_DESCRIPTOR + 11, 'latin1');
    bytes.write('  1.5e3 ', recordOffset(1) + QTY_IN_RECORD, 'latin1');
    await writeFile(path, bytes);

    const { records } = await readAll(path);

    expect(records[0]!.QTY).toBe(1500);
  });

  it('rejects decimals not smaller than the field length', async () => {
    const { path, bytes } = await writeTable('decimals.dbf', 1);
    bytes[QTY_DESCRIPTOR + 17] = 50;
    await writeFile(path, bytes);

    const error = await readError(path);

    expect(error.code).toBe('DBF_FIELD_DECIMALS_INVALID');
    expect(error.message).toBe(
      `field QTY of type "N" declares 50 decimals, but is only 8 bytes long ` +
        `(field descriptor at byte ${QTY_DESCRIPTOR})`,
    );
    expect(error.context).toMatchObject({ file: path, field: 'QTY', offset: QTY_DESCRIPTOR });
  });

  it('ignores decimals of a character field', async () => {
    const { path, bytes } = await writeTable('char-decimals.dbf', 1);
    bytes[CODE_DESCRIPTOR + 17] = 9;
    await writeFile(path, bytes);

    const { records } = await readAll(path);

    expect(records[0]!.CODE).toBe('A1');
  });
});
