import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataRecord } from '../contract/block.js';
import { FlowAuthorError } from '../contract/errors.js';
import { openDbf, type DbfReadOptions } from './index.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kuryr-dbf-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function readAll(path: string, options: DbfReadOptions = {}, batchSize = 1000) {
  const table = await openDbf(path, options);
  try {
    const batches: DataRecord[][] = [];
    for await (const batch of table.records(batchSize)) batches.push(batch);
    return { header: table.header, codePage: table.codePage, batches, records: batches.flat() };
  } finally {
    await table.close();
  }
}

async function readError(path: string, options: DbfReadOptions = {}): Promise<FlowAuthorError> {
  try {
    await readAll(path, options);
  } catch (error) {
    expect(error).toBeInstanceOf(FlowAuthorError);
    return error as FlowAuthorError;
  }
  throw new Error(`reading ${path} did not fail`);
}

describe('openDbf header', () => {
  it('reads the header of a dBase III table', async () => {
    const table = await openDbf(join(fixtures, 'eshop-items-852.dbf'));
    await table.close();
    expect(table.header.version).toBe(0x03);
    expect(table.header.recordCount).toBe(12);
    expect(table.header.headerLength).toBe(32 + 9 * 32 + 1);
    expect(table.header.recordLength).toBe(103);
    expect(table.header.languageDriver).toBe(0x64);
    expect(table.codePage).toBe('852');
    expect(
      table.header.fields.map((field) => `${field.name} ${field.type}${field.length}`),
    ).toEqual([
      'CODE C13',
      'EAN C13',
      'NAME C40',
      'PRICE N12',
      'VAT N2',
      'STOCK N10',
      'UNIT C3',
      'CHANGED D8',
      'ACTIVE L1',
    ]);
  });

  it('reads a field list ended by 0x00', async () => {
    const { records } = await readAll(join(fixtures, 'dbase3_header_terminator_00.dbf'));
    expect(records.map((record) => record.name)).toEqual([
      'North America',
      'South America',
      'Africa',
      'Australia',
      'Asia',
      'Europe',
      'Antarctica',
    ]);
  });

  it('reads a field list without terminator', async () => {
    const { header, records } = await readAll(
      join(fixtures, 'dbase3_header_terminator_missing.dbf'),
    );
    expect(header.fields).toHaveLength(1);
    expect(records).toHaveLength(7);
    expect(records[6]).toEqual({ name: 'Antarctica' });
  });

  it('keeps both columns of a repeated field name', async () => {
    const { header, records } = await readAll(join(fixtures, 'dbase3_gps_duplicate_fieldname.dbf'));
    expect(header.fields).toHaveLength(31);
    expect(records).toHaveLength(14);
    expect(records[0]!.Point_ID).toBe('0507121');
    expect(records[0]!.Point_ID_2).toBeTypeOf('number');
  });

  it('reads a character field that carries a decimals byte', async () => {
    const { records } = await readAll(join(fixtures, 'dbase3_excel_char_field_with_decimals.dbf'));
    expect(records).toHaveLength(16);
    expect(records[0]).toMatchObject({
      NAME: 'GEO_1',
      ID: 'GeoFlg0061',
      GERADEAUS: 25710.59,
      END_KORR: 2000,
    });
    expect(records[0]!.FLUGHOEHE).toBeNull();
  });

  it('reads a Clipper character field wider than 255 bytes', async () => {
    const header = Buffer.alloc(32 + 32 + 1);
    header[0] = 0x03;
    header.writeUInt32LE(1, 4);
    header.writeUInt16LE(header.length, 8);
    header.writeUInt16LE(1 + 300, 10);
    header.write('NOTE', 32, 'latin1');
    header.write('C', 32 + 11, 'latin1');
    header[32 + 16] = 300 % 256;
    header[32 + 17] = 1;
    header[64] = 0x0d;
    const record = Buffer.from(' ' + 'x'.repeat(299) + 'y', 'latin1');
    const path = join(scratch, 'clipper-wide.dbf');
    await writeFile(path, Buffer.concat([header, record]));

    const { header: parsed, records } = await readAll(path);
    expect(parsed.fields[0]!.length).toBe(300);
    expect(records).toEqual([{ NOTE: 'x'.repeat(299) + 'y' }]);
  });
});

describe('openDbf values', () => {
  it('decodes CP852 text and every value type of the items table', async () => {
    const { records } = await readAll(join(fixtures, 'eshop-items-852.dbf'));
    expect(records).toHaveLength(11);
    expect(records[0]).toEqual({
      CODE: 'B100',
      EAN: '8595000000107',
      NAME: 'Mýdlo levandulové',
      PRICE: 24.9,
      VAT: 21,
      STOCK: 12,
      UNIT: 'ks',
      CHANGED: '2026-11-30',
      ACTIVE: true,
    });
    const byCode = new Map(records.map((record) => [record.CODE, record]));
    expect(byCode.get('B101')!.NAME).toBe('Čaj černý; sypaný');
    expect(byCode.get('B101')!.STOCK).toBe(3.5);
    expect(byCode.get('B102')!.NAME).toBe('Ořechy "lískové"');
    expect(byCode.get('B102')!.EAN).toBeNull();
    expect(byCode.get('B110')!.NAME).toBe(' Sleva podzimní');
    expect(byCode.get('B111')!.STOCK).toBeNull();
  });

  it('skips deleted records', async () => {
    const { header, records } = await readAll(join(fixtures, 'eshop-items-852.dbf'));
    expect(header.recordCount).toBe(12);
    expect(records.map((record) => record.CODE)).not.toContain('B106');
  });

  it('skips 30 deleted of 45 records', async () => {
    const { header, records } = await readAll(join(fixtures, 'DBASE3_DELETED_30_OF_45.DBF'));
    expect(header.recordCount).toBe(45);
    expect(records).toHaveLength(15);
    expect(records[0]).toMatchObject({ AFCLPD: 'W', AFHRPW: 2.92308, AFCRDA: '1999-03-25' });
    expect(records[14]!.AFCRDA).toBe('1991-04-15');
  });

  it('reads logical values in every spelling', async () => {
    const { records } = await readAll(join(fixtures, 'shp_logical_all_spellings.dbf'));
    expect(records.map((record) => record.foo)).toEqual([
      null,
      true,
      true,
      false,
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it('reads dates as ISO text', async () => {
    const { records } = await readAll(join(fixtures, 'shp_date_field.dbf'));
    expect(records.map((record) => record.date)).toEqual([
      '2013-01-02',
      '2013-02-02',
      '2013-01-03',
    ]);
  });

  it('reads blank numbers as null', async () => {
    const { records } = await readAll(join(fixtures, 'shp_numeric_null.dbf'));
    expect(records.map((record) => record.avg_temp)).toEqual([34, 45, 72, null]);
  });

  it('reads blank and asterisk values as null', async () => {
    const { records } = await readAll(join(fixtures, 'shp_mixed_blank_values.dbf'));
    expect(records).toEqual([
      { foo: null, bar: null },
      { foo: 42, bar: null },
      { foo: null, bar: 'blue' },
    ]);
  });

  it('reads Visual FoxPro datetime, double and numeric values', async () => {
    const { header, records } = await readAll(join(fixtures, 'vfp9_types_with_deleted.dbf'));
    expect(header.recordCount).toBe(3);
    expect(records).toHaveLength(2);
    expect(records[0]).toEqual({
      FIELD1: 'carlos manuel',
      FIELD2: '2013-12-12',
      FIELD3: '2013-12-12T08:30:00',
      FIELD4: 17000000000,
      FIELD5: 2500.55,
      FIELD6: true,
    });
  });

  it('reads Visual FoxPro integer and currency values', async () => {
    const { records } = await readAll(join(fixtures, 'vfp_autoinc_currency_products.dbf'));
    expect(records).toHaveLength(77);
    expect(records[0]).toMatchObject({
      PRODUCTID: 1,
      PRODUCTNAM: 'Chai',
      UNITPRICE: 18,
      REORDERLEV: 10,
      DISCONTINU: false,
    });
  });

  it('reads dBase IV memo, float and blank values', async () => {
    const { records } = await readAll(join(fixtures, 'dbase4_memo_types.dbf'));
    expect(records).toHaveLength(10);
    expect(records[0]).toEqual({
      CHARACTER: 'One',
      NUMERICAL: 1,
      DATE: '1970-01-01',
      LOGICAL: true,
      FLOAT: 1.23456789012346,
      MEMO: 'First memo\r\n',
    });
    expect(records[9]).toEqual({
      CHARACTER: 'Ten records stored in this database',
      NUMERICAL: 10,
      DATE: null,
      LOGICAL: null,
      FLOAT: 0.1,
      MEMO: null,
    });
  });

  it('reads FoxPro memos longer than one block', async () => {
    const { records } = await readAll(join(fixtures, 'vfp9_memo_with_deleted.dbf'));
    expect(records).toHaveLength(2);
    expect(records[0]!.MEMO).toBe(
      'Memo of record 1. Which needs to be very long to be bigger than 64 bytes and take 2 memo blocks',
    );
    expect(records[0]!.TIME).toBe('2021-10-11T22:34:50');
    expect(records[1]!.MEMO).toBe('Memo of record 3');
  });

  it('finds a memo file whose name differs in case', async () => {
    const { records } = await readAll(join(fixtures, 'case-mismatch', 'calls.dbf'));
    expect(records).toHaveLength(16);
    expect(records[0]).toMatchObject({
      CALL_ID: 1,
      CALL_DATE: '1994-11-21T13:35:39',
      CALL_TIME: '1899-12-30T13:35:39',
      SUBJECT: 'Buy flavored coffees.',
    });
    expect(records[0]!.NOTES).toMatch(/^Nancy told me/);
  });

  it('sends records in batches of the requested size', async () => {
    const { batches } = await readAll(join(fixtures, 'vfp_autoinc_currency_products.dbf'), {}, 20);
    expect(batches.map((batch) => batch.length)).toEqual([20, 20, 20, 17]);
  });
});

describe('openDbf code page', () => {
  it('lets the option override the language driver', async () => {
    const { records } = await readAll(join(fixtures, 'eshop-items-852.dbf'), { codePage: '1250' });
    expect(records[0]!.NAME).not.toBe('Mýdlo levandulové');
  });

  it('reads ASCII text when no code page is known', async () => {
    const { codePage, records } = await readAll(join(fixtures, 'DBASE3_DELETED_30_OF_45.DBF'));
    expect(codePage).toBeUndefined();
    expect(records).toHaveLength(15);
  });
});

describe('openDbf errors', () => {
  it('rejects a header that promises more records than the file holds', async () => {
    const path = join(fixtures, 'dbase4_header_count_too_high.dbf');
    const error = await readError(path);
    expect(error.code).toBe('DBF_TRUNCATED');
    expect(error.message).toBe('truncated: header says 15 records, file holds 10');
    expect(error.context.file).toBe(path);
  });

  it('reads the complete records of a truncated file when lenient', async () => {
    const warnings: string[] = [];
    const { records } = await readAll(join(fixtures, 'dbase4_header_count_too_high.dbf'), {
      lenient: true,
      onWarning: (code, message) => warnings.push(`${code}: ${message}`),
    });
    expect(records).toHaveLength(10);
    expect(warnings).toEqual(['DBF_TRUNCATED: truncated: header says 15 records, file holds 10']);
  });

  it('rejects a file shorter than its header length', async () => {
    const path = join(scratch, 'short-header.dbf');
    const bytes = await readFile(join(fixtures, 'eshop-items-852.dbf'));
    await writeFile(path, bytes.subarray(0, 200));
    const error = await readError(path);
    expect(error.code).toBe('DBF_TOO_SHORT');
    expect(error.message).toBe(
      'the file has 200 bytes, but the header length field (byte 8) needs 321',
    );
  });

  it('rejects a header length that disagrees with the field list', async () => {
    const error = await readError(join(fixtures, 'vfp_corrupt_header_length.dbf'));
    expect(error.code).toBe('DBF_HEADER_LENGTH_MISMATCH');
    expect(error.message).toContain('says 705 bytes');
    expect(error.message).toContain('needs 968 bytes');
    expect(error.context.offset).toBe(8);
  });

  it('rejects a header length that cuts the field list short', async () => {
    const path = join(scratch, 'header-too-small.dbf');
    const bytes = await readFile(join(fixtures, 'eshop-items-852.dbf'));
    bytes.writeUInt16LE(32 + 4 * 32, 8);
    await writeFile(path, bytes);
    const error = await readError(path);
    expect(error.code).toBe('DBF_HEADER_LENGTH_MISMATCH');
    expect(error.message).toContain('says 160 bytes');
    expect(error.message).toContain('needs 321 bytes');
  });

  it('rejects an unknown field type naming field and descriptor', async () => {
    const path = join(scratch, 'unknown-type.dbf');
    const bytes = await readFile(join(fixtures, 'eshop-items-852.dbf'));
    bytes[32 * 3 + 11] = 'G'.charCodeAt(0);
    await writeFile(path, bytes);
    const error = await readError(path);
    expect(error.code).toBe('DBF_FIELD_TYPE_UNKNOWN');
    expect(error.message).toBe(
      'field NAME has type "G", which Kurýr cannot read (field descriptor at byte 96)',
    );
    expect(error.hint).toMatch(/Remove the field or change its type/);
    expect(error.context).toMatchObject({ field: 'NAME', offset: 96 });
  });

  it('rejects an unparsable number naming record, field and offset', async () => {
    const path = join(scratch, 'bad-number.dbf');
    const bytes = await readFile(join(fixtures, 'eshop-items-852.dbf'));
    const priceOffset = 321 + 103 * 2 + 1 + 13 + 13 + 40;
    bytes.write('      12,50 ', priceOffset, 'latin1');
    await writeFile(path, bytes);
    const error = await readError(path);
    expect(error.code).toBe('DBF_VALUE_INVALID');
    expect(error.message).toBe(
      `record 3, field PRICE: cannot read "12,50" as a number (byte ${priceOffset})`,
    );
    expect(error.context).toMatchObject({
      record: 3,
      field: 'PRICE',
      offset: priceOffset,
      file: path,
    });
  });

  it('rejects a missing memo file unless lenient', async () => {
    const path = join(scratch, 'memo-alone.dbf');
    await copyFile(join(fixtures, 'dbase4_memo_types.dbf'), path);
    const error = await readError(path);
    expect(error.code).toBe('DBF_MEMO_FILE_MISSING');

    const warnings: string[] = [];
    const { records } = await readAll(path, {
      lenient: true,
      onWarning: (code) => warnings.push(code),
    });
    expect(records).toHaveLength(10);
    expect(records[0]!.MEMO).toBeNull();
    expect(warnings).toEqual(['DBF_MEMO_FILE_MISSING']);
  });

  it('rejects dBase 7 tables as unsupported', async () => {
    const path = join(scratch, 'dbase7.dbf');
    const bytes = await readFile(join(fixtures, 'eshop-items-852.dbf'));
    bytes[0] = 0x8c;
    await writeFile(path, bytes);
    const error = await readError(path);
    expect(error.code).toBe('DBF_VERSION_UNSUPPORTED');
  });
});
