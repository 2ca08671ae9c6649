import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DataRecord } from '../contract/block.js';
import type { DbfReadOptions } from './index.js';
import { readAll, readError } from './read-table.test-support.js';

// Every table that fixtures/SOURCES.md lists, with the values that the project it comes from
// states in its own tests or documentation (listed there too).

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

type Expected = {
  file: string;
  options?: DbfReadOptions;
  count: number;
  /** Fields of the first record returned, compared with toMatchObject. */
  first?: DataRecord;
  /** Fields of the last record returned, compared with toMatchObject. */
  last?: DataRecord;
  /** Every record returned, compared exactly. */
  records?: DataRecord[];
  /** Codes of the warnings, in order. Default: none. */
  warnings?: string[];
};

const continents = [
  'North America',
  'South America',
  'Africa',
  'Australia',
  'Asia',
  'Europe',
  'Antarctica',
].map((name) => ({ name }));

const tables: Expected[] = [
  {
    file: 'dbase3_gps_duplicate_fieldname.dbf',
    count: 14,
    first: { Point_ID: '0507121', Point_ID_2: 401 },
    warnings: ['DBF_FIELD_NAME_REPEATED'],
  },
  {
    // The memos contain two bytes above 0x7F and the table declares no code page, so the read
    // guesses one and warns. The values listed by the source are ASCII.
    file: 'dbase3_memo_catalog.dbf',
    count: 67,
    first: { ID: 87, CODE: '1', NAME: 'Assorted Petits Fours', WEIGHT: 5.51 },
    last: { ID: 94, CODE: 'BD02', NAME: 'Trio of Biscotti' },
    warnings: ['DBF_CODE_PAGE_GUESSED'],
  },
  {
    file: 'dbase3_memo_file_missing.dbf',
    options: { lenient: true },
    count: 67,
    first: { ID: 87, NAME: 'Assorted Petits Fours', DESC: null },
    warnings: ['DBF_MEMO_FILE_MISSING'],
  },
  {
    file: 'dbase4_memo_types.dbf',
    count: 10,
    first: {
      CHARACTER: 'One',
      NUMERICAL: 1,
      DATE: '1970-01-01',
      LOGICAL: true,
      FLOAT: 1.23456789012346,
      MEMO: 'First memo\r\n',
    },
    last: {
      CHARACTER: 'Ten records stored in this database',
      NUMERICAL: 10,
      DATE: null,
      LOGICAL: null,
      FLOAT: 0.1,
      MEMO: null,
    },
  },
  {
    file: 'dbase4_header_count_too_high.dbf',
    options: { lenient: true },
    count: 10,
    last: { CHARACTER: 'Ten records stored in this database', NUMERICAL: 10 },
    warnings: ['DBF_TRUNCATED'],
  },
  {
    file: 'vfp_autoinc_currency_products.dbf',
    count: 77,
    first: { PRODUCTID: 1, PRODUCTNAM: 'Chai', REORDERLEV: 10, DISCONTINU: false },
  },
  { file: 'vfp_varchar_nullflags.dbf', count: 1, records: [{ NAME: 'Bad Meets Evil' }] },
  {
    file: 'vfp_ldid_c9_cp1251.dbf',
    count: 4,
    first: { NAME: 'амбулаторно-поликлиническое' },
  },
  {
    file: 'vfp_ldid_69_mazovia_flag00.dbf',
    count: 2,
    records: [
      { A1: '2020-01-04', A2: 'English' },
      { A1: '2020-01-04', A2: 'Ś╫êëτ⌡ś' },
    ],
  },
  {
    file: 'dbase3_ldid_f0_utf8_text.dbf',
    count: 2,
    records: [
      { ШАР: 'Номер', ПЛОЩА: 36.3 },
      { ШАР: 'Культ', ПЛОЩА: 99.99 },
    ],
  },
  { file: 'dbase3_no_fields_one_record.dbf', count: 1, records: [{}] },
  {
    file: 'case-mismatch/calls.dbf',
    count: 16,
    first: {
      CALL_ID: 1,
      CALL_DATE: '1994-11-21T13:35:39',
      CALL_TIME: '1899-12-30T13:35:39',
      SUBJECT: 'Buy flavored coffees.',
    },
  },
  {
    file: 'DBASE3_DELETED_30_OF_45.DBF',
    count: 15,
    first: { AFCLPD: 'W', AFHRPW: 2.92308, AFCRDA: '1999-03-25' },
    last: { AFCRDA: '1991-04-15' },
  },
  {
    file: 'vfp9_types_with_deleted.dbf',
    count: 2,
    first: {
      FIELD1: 'carlos manuel',
      FIELD2: '2013-12-12',
      FIELD3: '2013-12-12T08:30:00',
      FIELD4: 17_000_000_000,
      FIELD5: 2500.55,
      FIELD6: true,
    },
  },
  {
    file: 'vfp9_memo_with_deleted.dbf',
    count: 2,
    first: {
      ID: 1,
      MEMO:
        'Memo of record 1. Which needs to be very long to be bigger than 64 bytes and take 2 ' +
        'memo blocks',
      NUM: 999.5,
      TIME: '2021-10-11T22:34:50',
    },
    last: { ID: 3, MEMO: 'Memo of record 3' },
  },
  {
    file: 'vfp9_memo_blocksize1.dbf',
    count: 5,
    first: { CODE: 'a1', NOTES: 'Some notes here\r\n' },
    last: { CODE: 'b3', NOTES: ' ' },
  },
  {
    file: 'vfp_ldid_7c_thai_datetime.dbf',
    count: 2,
    first: {
      HCODE: '43659',
      UP: 350,
      DATEBEG: '2023-05-13T00:00:00',
      DATEEND: '9999-12-31T00:00:00',
    },
    last: { UP: 560, DATEBEG: '2023-05-17T00:00:00', DATEEND: '9999-12-31T00:00:00' },
  },
  {
    file: 'dbfread_memotest/memotest.dbf',
    count: 2,
    records: [
      { NAME: 'Alice', BIRTHDATE: '1987-03-01', MEMO: 'Alice memo' },
      { NAME: 'Bob', BIRTHDATE: '1980-11-12', MEMO: 'Bob memo' },
    ],
  },
  {
    file: 'shp_logical_all_spellings.dbf',
    count: 9,
    records: [null, true, true, false, false, true, true, false, false].map((foo) => ({ foo })),
  },
  {
    file: 'shp_date_field.dbf',
    count: 3,
    records: ['2013-01-02', '2013-02-02', '2013-01-03'].map((date) => ({ date })),
  },
  { file: 'shp_ldid_57_latin1.dbf', count: 1, records: [{ name: 'México' }] },
  { file: 'shp_utf8_with_cpg.dbf', count: 1, records: [{ '☃': 'ηελλο ςορλδ' }] },
  {
    file: 'shp_numeric_null.dbf',
    count: 4,
    first: { avg_temp: 34 },
    last: { avg_temp: null },
  },
  { file: 'shp_empty_no_fields.dbf', count: 0, records: [] },
  {
    file: 'shp_mixed_blank_values.dbf',
    count: 3,
    records: [
      { foo: null, bar: null },
      { foo: 42, bar: null },
      { foo: null, bar: 'blue' },
    ],
  },
  {
    file: 'dbase3_excel_char_field_with_decimals.dbf',
    count: 16,
    first: {
      NAME: 'GEO_1',
      ID: 'GeoFlg0061',
      GERADEAUS: 25710.59,
      END_KORR: 2000,
      FLUGHOEHE: null,
    },
  },
  { file: 'dbase3_header_terminator_missing.dbf', count: 7, records: continents },
  { file: 'dbase3_header_terminator_00.dbf', count: 7, records: continents },
  {
    file: 'vfp_varchar_length_in_last_byte.dbf',
    count: 1,
    first: {
      KMMC: 'TEST',
      ZKZH: '901010001',
      KSXM: 'LongShan',
      CSMC: 'London',
      XQMC: 'XQTS',
      KDMC: '1st mc',
      KCMC: '10001',
      ZWH: '12',
      CSNO: 1,
      XQNO: 101,
      KDNO: 1001,
      KCNO: 10001,
    },
  },
  {
    file: 'vfp_nullflags_memo_cr/testfile.dbf',
    count: 13,
    first: { REQNAME: 'BC1' },
  },
];

describe('reader on the corpus', () => {
  it.each(tables)('reads $file', async (expected) => {
    const path = join(fixtures, expected.file);
    const { records, warnings } = await readAll(path, expected.options);

    expect(records).toHaveLength(expected.count);
    if (expected.first !== undefined) expect(records[0]).toMatchObject(expected.first);
    if (expected.last !== undefined) expect(records.at(-1)).toMatchObject(expected.last);
    if (expected.records !== undefined) expect(records).toEqual(expected.records);
    expect(warnings.map((warning) => warning.code)).toEqual(expected.warnings ?? []);
  });

  it('keeps bare CR line breaks in memos', async () => {
    const { records } = await readAll(join(fixtures, 'vfp_nullflags_memo_cr/testfile.dbf'));
    expect(records[0]!.INFO).toMatch(/^L\*site="07GHC"\rL\*prot=/);
  });

  it.each([
    'dbase7_level7_header.dbf',
    'dbase7_memo_instrument.dbf',
    'dbase7_small_memo_file_absent.dbf',
  ])('rejects dBase 7 table %s', async (file) => {
    const error = await readError(join(fixtures, file));
    expect(error.code).toBe('DBF_VERSION_UNSUPPORTED');
    expect(error.message).toBe('unsupported DBF version: dBase 7 with memo (version byte 0x8C)');
  });

  it('rejects a missing memo file unless lenient', async () => {
    const error = await readError(join(fixtures, 'dbase3_memo_file_missing.dbf'));
    expect(error.code).toBe('DBF_MEMO_FILE_MISSING');
  });

  it('rejects a header count above the records', async () => {
    const error = await readError(join(fixtures, 'dbase4_header_count_too_high.dbf'));
    expect(error.message).toBe('truncated: header says 15 records, file holds 10');
  });

  it('rejects a header length inside the backlink', async () => {
    const error = await readError(join(fixtures, 'vfp_corrupt_header_length.dbf'));
    expect(error.code).toBe('DBF_HEADER_LENGTH_MISMATCH');
    expect(error.message).toBe(
      'the header length field says 705 bytes, but the field list with its terminator and the ' +
        'Visual FoxPro backlink needs 968 bytes',
    );
  });
});
