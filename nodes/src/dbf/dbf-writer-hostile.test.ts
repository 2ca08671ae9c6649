import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataRecord } from '../contract/block.js';
import { FlowAuthorError } from '../contract/errors.js';
import { createDbfWriter, type DbfWriteField, type DbfWriteFormat } from './index.js';

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
});
