import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataRecord } from '../contract/block.js';
import { FlowAuthorError } from '../contract/errors.js';
import { createDbfWriter, type DbfWriteField, type DbfWriteFormat } from './index.js';
import { readAll } from './read-table.test-support.js';

// Values that a table cannot hold: each must fail the write naming the record and field, rather
// than leave a table that Kurýr or other readers then reject.

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kuryr-dbf-writer-hostile-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function writeError(
  name: string,
  field: DbfWriteField,
  value: unknown,
  format: DbfWriteFormat = 'dbase3',
): Promise<FlowAuthorError> {
  const writer = await createDbfWriter(join(scratch, `${name}.dbf`), {
    fields: [field],
    codePage: '852',
    format,
  });
  let caught: unknown;
  try {
    await writer.write([{ [field.name]: value } as DataRecord]);
  } catch (error) {
    caught = error;
  } finally {
    await writer.close();
  }
  expect(caught).toBeInstanceOf(FlowAuthorError);
  const error = caught as FlowAuthorError;
  expect(error.code).toBe('DBF_WRITE_VALUE_INVALID');
  expect(error.context).toMatchObject({ record: 1, field: field.name });
  return error;
}

describe('createDbfWriter on values that do not fit', () => {
  it('rejects 22 digits in N(20)', async () => {
    await writeError('exponent', { name: 'QTY', type: 'N', length: 20 }, 1e21);
  });

  it('rejects a date in year 0', async () => {
    await writeError('year-zero-date', { name: 'DAY', type: 'D' }, '0000-01-01');
  });

  it('rejects a date and time in year 0', async () => {
    const field: DbfWriteField = { name: 'STAMP', type: 'T' };
    await writeError('year-zero-datetime', field, '0000-01-01T00:00:00', 'visual-foxpro');
  });

  it('rejects an object in a text field', async () => {
    await writeError('object-text', { name: 'NAME', type: 'C', length: 20 }, { a: 1 });
  });

  it.each([
    ['an array', ['a']],
    ['a boolean', true],
  ])('rejects %s in a text field', async (kind, value) => {
    const error = await writeError(
      kind.replace(' ', '-'),
      { name: 'NAME', type: 'C', length: 20 },
      value,
    );
    expect(error.message).toContain('expected text or a number');
  });

  it('rejects a Date in year 10000', async () => {
    await writeError('year-10000', { name: 'DAY', type: 'D' }, new Date('+010000-01-01'));
  });

  it('names a bigint it rejects', async () => {
    const error = await writeError('bigint-date', { name: 'DAY', type: 'D' }, 12n);
    expect(error.message).toContain('12n');
  });
});

/** Writes one N field with `values` and returns the stored text of each record. */
async function storedNumbers(name: string, field: DbfWriteField, values: number[]) {
  const path = join(scratch, `${name}.dbf`);
  const writer = await createDbfWriter(path, { fields: [field], codePage: '852' });
  await writer.write(values.map((value) => ({ [field.name]: value })));
  await writer.close();
  const bytes = await readFile(path);
  const headerLength = bytes.readUInt16LE(8);
  const recordLength = bytes.readUInt16LE(10);
  const texts = values.map((_, index) => {
    const start = headerLength + index * recordLength + 1;
    return bytes.toString('latin1', start, start + recordLength - 1);
  });
  return { texts, records: (await readAll(path)).records };
}

describe('createDbfWriter number text', () => {
  it('rounds from the decimal text, half away from zero', async () => {
    const field: DbfWriteField = { name: 'PRICE', type: 'N', length: 6, decimals: 2 };
    const { texts } = await storedNumbers('round', field, [1.005, -1.005, 2.675, 0.125]);
    expect(texts).toEqual(['  1.01', ' -1.01', '  2.68', '  0.13']);
  });

  it('never writes a negative zero', async () => {
    const field: DbfWriteField = { name: 'PRICE', type: 'N', length: 6, decimals: 2 };
    const { texts } = await storedNumbers('zero', field, [-0.001, -0, -0.004]);
    expect(texts).toEqual(['  0.00', '  0.00', '  0.00']);
  });

  it('writes a large number in plain digits', async () => {
    const field: DbfWriteField = { name: 'QTY', type: 'N', length: 20 };
    const { texts, records } = await storedNumbers('plain', field, [1e19, -1e18]);
    expect(texts).toEqual(['10000000000000000000', '-1000000000000000000'.padStart(20)]);
    expect(records).toEqual([{ QTY: 1e19 }, { QTY: -1e18 }]);
  });

  it('rounds a currency value from its decimal text', async () => {
    const path = join(scratch, 'currency-round.dbf');
    const writer = await createDbfWriter(path, {
      fields: [{ name: 'AMOUNT', type: 'Y' }],
      codePage: '852',
      format: 'visual-foxpro',
    });
    // 0.00015 * 10000 is 1.4999999999999998 in binary, and Math.round(-0.5) is -0.
    await writer.write([{ AMOUNT: 0.00015 }, { AMOUNT: -0.00005 }, { AMOUNT: 1.23456 }]);
    await writer.close();
    const bytes = await readFile(path);
    const start = bytes.readUInt16LE(8);
    const units = [0, 1, 2].map((index) => bytes.readBigInt64LE(start + index * 9 + 1));
    expect(units).toEqual([2n, -1n, 12346n]);
    expect((await readAll(path)).records).toEqual([
      { AMOUNT: 0.0002 },
      { AMOUNT: -0.0001 },
      { AMOUNT: 1.2346 },
    ]);
  });

  it('writes 18 decimals without binary noise', async () => {
    const field: DbfWriteField = { name: 'RATE', type: 'F', length: 20, decimals: 18 };
    const path = join(scratch, 'decimals-18.dbf');
    const writer = await createDbfWriter(path, {
      fields: [field],
      codePage: '852',
      format: 'foxpro',
    });
    await writer.write([{ RATE: 0.1 }]);
    await writer.close();
    const bytes = await readFile(path);
    expect(bytes.toString('latin1', bytes.readUInt16LE(8) + 1, bytes.readUInt16LE(8) + 21)).toBe(
      '0.100000000000000000',
    );
  });
});

describe('createDbfWriter field names', () => {
  it('writes a field named __proto__', async () => {
    const path = join(scratch, 'proto.dbf');
    const fields: DbfWriteField[] = [
      { name: '__proto__', type: 'C', length: 3 },
      { name: 'CODE', type: 'C', length: 3 },
    ];
    const writer = await createDbfWriter(path, { fields, codePage: '852' });
    const own: DataRecord = { CODE: 'xyz' };
    Object.defineProperty(own, '__proto__', { value: 'abc', enumerable: true });
    // A record without the field must not write its prototype, Object.prototype, as text.
    await writer.write([own, { CODE: 'def' }]);
    await writer.close();

    const { records } = await readAll(path);

    // dBase field names are upper case, so the table stores __PROTO__.
    expect(records).toEqual([
      { __PROTO__: 'abc', CODE: 'xyz' },
      { __PROTO__: null, CODE: 'def' },
    ]);
  });
});
