import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodePage } from '../codepages/index.js';
import type { DataRecord } from '../contract/block.js';
import { createDbfWriter, type DbfWriteFormat } from './index.js';
import { readAll, readError } from './read-table.test-support.js';

// Faults that users of other DBF libraries run into, each written as the table that causes it.

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kuryr-dbf-faults-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const czech = 'Žluťoučký kůň';

async function writeTable(
  name: string,
  codePage: CodePage,
  records: DataRecord[],
  format: DbfWriteFormat = 'dbase3',
): Promise<string> {
  const path = join(scratch, name);
  const writer = await createDbfWriter(path, {
    fields: [
      { name: 'CODE', type: 'C', length: 4 },
      { name: 'NAME', type: 'C', length: 20 },
    ],
    codePage,
    format,
  });
  await writer.write(records);
  await writer.close();
  return path;
}

/** Rewrites bytes of a file: `patch` receives the whole file and changes it in place. */
async function patchFile(path: string, patch: (bytes: Buffer) => void): Promise<void> {
  const bytes = await readFile(path);
  patch(bytes);
  await writeFile(path, bytes);
}

describe('faults real users hit', () => {
  it('reads Czech text of a table declaring 852', async () => {
    const path = await writeTable('declared-852.dbf', '852', [{ CODE: 'A1', NAME: czech }]);
    expect((await readFile(path))[29]).toBe(0x64);

    const { records, warnings, codePage } = await readAll(path);
    expect(codePage).toBe('852');
    expect(records).toEqual([{ CODE: 'A1', NAME: czech }]);
    expect(warnings).toEqual([]);
  });

  it.each<CodePage>(['852', 'kamenicky'])(
    'guesses DOS Czech %s without a code page byte, with a warning',
    async (codePage) => {
      const path = await writeTable(`undeclared-${codePage}.dbf`, codePage, [
        { CODE: 'A1', NAME: czech },
        { CODE: 'A2', NAME: 'Příliš ďábelské ódy' },
      ]);
      await patchFile(path, (bytes) => (bytes[29] = 0));

      const { records, warnings } = await readAll(path);
      expect(records.map((record) => record.NAME)).toEqual([czech, 'Příliš ďábelské ódy']);
      expect(warnings.map((warning) => warning.code)).toEqual(['DBF_CODE_PAGE_GUESSED']);
      expect(warnings[0]!.message).toContain(`read as code page ${codePage}`);
    },
  );

  it('warns about byte 0x81 in a table declaring 1252', async () => {
    const path = await writeTable('declared-1252.dbf', '1252', [
      { CODE: 'A1', NAME: 'Cafe' },
      { CODE: 'A2', NAME: 'Tea' },
    ]);
    const headerLength = (await readFile(path)).readUInt16LE(8);
    // Record 1 starts with its deletion flag and CODE; NAME follows at byte 5 of the record.
    const offset = headerLength + 5 + 3;
    await patchFile(path, (bytes) => (bytes[offset] = 0x81));

    const { records, warnings } = await readAll(path);
    expect(records).toEqual([
      { CODE: 'A1', NAME: 'Caf\uFFFD' },
      { CODE: 'A2', NAME: 'Tea' },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('DBF_BYTE_UNMAPPABLE');
    expect(warnings[0]!.message).toBe(
      `record 1, field NAME: byte 0x81 at byte ${offset} has no character in code page 1252 ` +
        'and is read as U+FFFD',
    );
    expect(warnings[0]!.details).toMatchObject({ record: 1, field: 'NAME', offset });
  });

  it('reads no invented rows from a transfer cut short', async () => {
    const records = ['A1', 'A2', 'A3', 'A4', 'A5'].map((CODE) => ({ CODE, NAME: czech }));
    const path = await writeTable('cut-short.dbf', '852', records);
    const headerLength = (await readFile(path)).readUInt16LE(8);
    // Cut in the middle of record 4; each record has 25 bytes.
    await truncate(path, headerLength + 3 * 25 + 10);

    const error = await readError(path);
    expect(error.code).toBe('DBF_TRUNCATED');
    expect(error.message).toBe('truncated: header says 5 records, file holds 3');

    const lenient = await readAll(path, { lenient: true });
    expect(lenient.records).toEqual(records.slice(0, 3));
    expect(lenient.warnings.map((warning) => warning.code)).toEqual(['DBF_TRUNCATED']);
  });

  it('rejects a header length inside the Visual FoxPro backlink', async () => {
    const path = await writeTable(
      'backlink.dbf',
      '1250',
      [{ CODE: 'A1', NAME: czech }],
      'visual-foxpro',
    );
    // Writers that forget the 263-byte backlink declare the header that much too short.
    await patchFile(path, (bytes) => bytes.writeUInt16LE(bytes.readUInt16LE(8) - 263, 8));

    const error = await readError(path);
    expect(error.code).toBe('DBF_HEADER_LENGTH_MISMATCH');
    expect(error.message).toBe(
      'the header length field says 97 bytes, but the field list with its terminator and the ' +
        'Visual FoxPro backlink needs 360 bytes',
    );
    const lenient = await readError(path, { lenient: true });
    expect(lenient.code).toBe('DBF_HEADER_LENGTH_MISMATCH');
  });
});
