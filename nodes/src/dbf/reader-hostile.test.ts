import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, readError } from './read-table.test-support.js';

// Tables crafted byte by byte, as damaged or unusual files arrive from other programs.

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kuryr-dbf-hostile-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

type CraftedField = { name: string; type: string; length: number; flags?: number };

/** Builds the bytes of a table from its version, language driver, fields and record bodies. */
function tableBytes(options: {
  version: number;
  languageDriver: number;
  fields: CraftedField[];
  records: Buffer[];
  backlink?: number;
}): Buffer {
  const { fields, records } = options;
  const backlink = options.backlink ?? 0;
  const headerLength = 32 + 32 * fields.length + 1 + backlink;
  const recordLength = 1 + fields.reduce((sum, field) => sum + field.length, 0);
  const header = Buffer.alloc(headerLength);
  header[0] = options.version;
  header.writeUInt32LE(records.length, 4);
  header.writeUInt16LE(headerLength, 8);
  header.writeUInt16LE(recordLength, 10);
  header[29] = options.languageDriver;
  let offset = 1;
  fields.forEach((field, index) => {
    const at = 32 + 32 * index;
    header.write(field.name, at, 'latin1');
    header.write(field.type, at + 11, 'latin1');
    header.writeUInt32LE(offset, at + 12);
    header[at + 16] = field.length;
    header[at + 18] = field.flags ?? 0;
    offset += field.length;
  });
  header[32 + 32 * fields.length] = 0x0d;
  const body = records.map((record) => Buffer.concat([Buffer.from(' '), record]));
  return Buffer.concat([header, ...body, Buffer.from([0x1a])]);
}

const czech = 'Žluťoučký kůň';

/** Builds a dBase III table that declares 852 (0x64) and stores `czech` in code page 1250. */
function tableIn1250Declaring852(): Buffer {
  return tableBytes({
    version: 0x03,
    languageDriver: 0x64,
    fields: [{ name: 'NAME', type: 'C', length: 20 }],
    records: [
      Buffer.from(iconv.encode(czech, 'windows-1250').toString('latin1').padEnd(20), 'latin1'),
    ],
  });
}

describe('openDbf on hostile tables', () => {
  it('rejects datetime with huge day', async () => {
    const value = Buffer.alloc(8);
    value.writeInt32LE(0x7fffffff, 0);
    const path = join(scratch, 'datetime-day-huge.dbf');
    await writeFile(
      path,
      tableBytes({
        version: 0x30,
        languageDriver: 0x03,
        fields: [{ name: 'STAMP', type: 'T', length: 8 }],
        records: [value],
        backlink: 263,
      }),
    );

    const error = await readError(path);

    expect(error.code).toBe('DBF_VALUE_INVALID');
    expect(error.context).toMatchObject({ record: 1, field: 'STAMP' });
  });

  it('keeps field named __proto__', async () => {
    const path = join(scratch, 'proto-field.dbf');
    await writeFile(
      path,
      tableBytes({
        version: 0x03,
        languageDriver: 0x03,
        fields: [
          { name: '__proto__', type: 'C', length: 3 },
          { name: 'CODE', type: 'C', length: 3 },
        ],
        records: [Buffer.from('abcxyz', 'latin1')],
      }),
    );

    const { records } = await readAll(path);

    expect(Object.keys(records[0]!)).toEqual(['__proto__', 'CODE']);
    expect(Object.getOwnPropertyDescriptor(records[0], '__proto__')?.value).toBe('abc');
  });

  it('finds upper-case .CPG file', async () => {
    await writeFile(join(scratch, 'ITEMS.DBF'), tableIn1250Declaring852());
    await writeFile(join(scratch, 'ITEMS.CPG'), '1250');

    const { records, codePage } = await readAll(join(scratch, 'ITEMS.DBF'));

    expect(codePage).toBe('1250');
    expect(records).toEqual([{ NAME: czech }]);
  });

  it('reads .cpg with byte order mark', async () => {
    await writeFile(join(scratch, 'bom.dbf'), tableIn1250Declaring852());
    await writeFile(join(scratch, 'bom.cpg'), '\uFEFF1250\r\n');

    const { records } = await readAll(join(scratch, 'bom.dbf'));

    expect(records).toEqual([{ NAME: czech }]);
  });

  it('warns on unknown .cpg content', async () => {
    await writeFile(join(scratch, 'unknown-cpg.dbf'), tableIn1250Declaring852());
    await writeFile(join(scratch, 'unknown-cpg.cpg'), 'ANSI 1250');

    const { warnings } = await readAll(join(scratch, 'unknown-cpg.dbf'));

    expect(warnings.map((warning) => warning.message).join('\n')).toContain('.cpg');
  });

  it('warns on invalid UTF-8 bytes', async () => {
    await writeFile(join(scratch, 'not-utf8.dbf'), tableIn1250Declaring852());
    await writeFile(join(scratch, 'not-utf8.cpg'), 'UTF-8');

    const { warnings } = await readAll(join(scratch, 'not-utf8.dbf'));

    expect(warnings.map((warning) => warning.code)).toContain('DBF_BYTE_UNMAPPABLE');
    const warning = warnings.find((each) => each.code === 'DBF_BYTE_UNMAPPABLE');
    expect(warning?.details).toMatchObject({ record: 1, field: 'NAME' });
  });
});
