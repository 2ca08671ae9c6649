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

  it('rejects a date in year 0', async () => {
    const path = join(scratch, 'year-zero.dbf');
    await writeFile(
      path,
      tableBytes({
        version: 0x03,
        languageDriver: 0x64,
        fields: [
          { name: 'CODE', type: 'C', length: 2 },
          { name: 'CHANGED', type: 'D', length: 8 },
        ],
        records: [Buffer.from('A120260101', 'latin1'), Buffer.from('A200000315', 'latin1')],
      }),
    );

    const error = await readError(path);

    // dbfread also rejects it ("invalid date"); dbffile returns a Date in year 0, i.e. 1 BC.
    expect(error.code).toBe('DBF_VALUE_INVALID');
    expect(error.context).toMatchObject({ record: 2, field: 'CHANGED' });
    expect(error.message).toContain('00000315');
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
    // ISO 8859-2 as ArcGIS names it; Kurýr has no ISO 8859 code pages.
    await writeFile(join(scratch, 'unknown-cpg.cpg'), '88592');

    const { warnings, codePage } = await readAll(join(scratch, 'unknown-cpg.dbf'));

    expect(warnings.map((warning) => warning.message).join('\n')).toContain('.cpg');
    const warning = warnings.find((each) => each.code === 'DBF_CPG_UNKNOWN');
    expect(warning?.message).toContain('"88592"');
    expect(codePage).toBe('852');
  });

  it.each(['ANSI 1250', 'CP1250', 'windows-1250', 'LDID/200'])(
    'reads .cpg naming %s',
    async (content) => {
      const name = `spelled-${content.replace(/\W/g, '')}`;
      await writeFile(join(scratch, `${name}.dbf`), tableIn1250Declaring852());
      await writeFile(join(scratch, `${name}.cpg`), content);

      const { records, warnings } = await readAll(join(scratch, `${name}.dbf`));

      expect(records).toEqual([{ NAME: czech }]);
      expect(warnings).toEqual([]);
    },
  );

  it('reads only the start of a huge .cpg file', async () => {
    await writeFile(join(scratch, 'huge-cpg.dbf'), tableIn1250Declaring852());
    await writeFile(join(scratch, 'huge-cpg.cpg'), Buffer.alloc(4 * 1024 * 1024));

    const { warnings, codePage } = await readAll(join(scratch, 'huge-cpg.dbf'));

    expect(codePage).toBe('852');
    const warning = warnings.find((each) => each.code === 'DBF_CPG_UNKNOWN');
    expect(warning?.message).toContain('huge-cpg.cpg');
    expect(warning?.message).toContain('\\u0000');
  });

  it('warns on invalid UTF-8 bytes', async () => {
    await writeFile(join(scratch, 'not-utf8.dbf'), tableIn1250Declaring852());
    await writeFile(join(scratch, 'not-utf8.cpg'), 'UTF-8');

    const { warnings } = await readAll(join(scratch, 'not-utf8.dbf'));

    expect(warnings.map((warning) => warning.code)).toContain('DBF_BYTE_UNMAPPABLE');
    const warning = warnings.find((each) => each.code === 'DBF_BYTE_UNMAPPABLE');
    expect(warning?.details).toMatchObject({ record: 1, field: 'NAME' });
  });

  it('fails on invalid UTF-8 in a strict read without speaking of U+FFFD', async () => {
    await writeFile(join(scratch, 'not-utf8-strict.dbf'), tableIn1250Declaring852());
    await writeFile(join(scratch, 'not-utf8-strict.cpg'), 'UTF-8');

    const error = await readError(join(scratch, 'not-utf8-strict.dbf'), { strict: true });

    expect(error.code).toBe('DBF_BYTE_UNMAPPABLE');
    expect(error.context).toMatchObject({ record: 1, field: 'NAME' });
    // Ž in 1250 is 0x8E, a stray continuation byte in UTF-8, at the field's first byte.
    expect(error.message).toContain('byte 0x8E');
    expect(error.message).not.toContain('U+FFFD');
  });

  it('reads a stored U+FFFD in UTF-8 without a warning', async () => {
    const path = join(scratch, 'stored-fffd.dbf');
    await writeFile(
      path,
      tableBytes({
        version: 0x03,
        languageDriver: 0x00,
        fields: [{ name: 'NAME', type: 'C', length: 5 }],
        records: [Buffer.from('a\uFFFDb', 'utf8')],
      }),
    );
    await writeFile(join(scratch, 'stored-fffd.cpg'), 'UTF-8');

    const { records, warnings } = await readAll(path);

    expect(records).toEqual([{ NAME: 'a\uFFFDb' }]);
    expect(warnings).toEqual([]);
  });

  it('rejects a VFP datetime whose day gives a year beyond 9999', async () => {
    const value = Buffer.alloc(8);
    value.writeInt32LE(5_373_485, 0); // 10000-01-01
    const path = join(scratch, 'datetime-year-10000.dbf');
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
  });
});
