import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodePage } from '../codepages/index.js';
import type { DataRecord } from '../contract/block.js';
import { writeDemoItemsDbf } from '../demo/demo-items.js';
import { openDbf, type DbfReadOptions } from './index.js';
import { readAll } from './read-table.test-support.js';
import {
  readWithDbffile,
  readWithDbfread,
  readWithGdal,
  type GdalField,
} from './reference-readers.test-support.js';

// Kurýr against second readers on the corpus. dbffile is the reference where it reads a table
// right. Where it is wrong (it invents rows for a header that promises too many, ignores the
// language driver and .cpg files, drops repeated field names, fails on field lists without
// 0x0D), python3-dbfread or GDAL is the reference instead.

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kuryr-dbf-diff-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function readWithKuryr(path: string, options: DbfReadOptions = {}) {
  return (await readAll(path, options)).records;
}

async function fieldsOf(path: string): Promise<GdalField[]> {
  const table = await openDbf(path);
  await table.close();
  return table.header.fields.map(({ name, type }) => ({ name, type }));
}

describe('reader against dbffile', () => {
  it.each([
    ['DBASE3_DELETED_30_OF_45.DBF', 'latin1'],
    ['dbase4_memo_types.dbf', 'latin1'],
    ['vfp9_types_with_deleted.dbf', 'windows-1252'],
    ['vfp9_memo_with_deleted.dbf', 'windows-1252'],
    ['vfp9_memo_blocksize1.dbf', 'windows-1252'],
    ['vfp_autoinc_currency_products.dbf', 'windows-1252'],
    ['vfp_nullflags_memo_cr/testfile.dbf', 'windows-1252'],
    ['vfp_ldid_7c_thai_datetime.dbf', 'windows-874'],
    ['case-mismatch/calls.dbf', 'windows-1252'],
    ['dbfread_memotest/memotest.dbf', 'latin1'],
    ['dbase3_excel_char_field_with_decimals.dbf', 'latin1'],
    ['shp_date_field.dbf', 'latin1'],
    ['shp_logical_all_spellings.dbf', 'latin1'],
    ['shp_numeric_null.dbf', 'latin1'],
    ['shp_ldid_57_latin1.dbf', 'windows-1252'],
    ['eshop-items-852.dbf', 'cp852'],
  ])('agrees on %s', async (file, encoding) => {
    const path = join(fixtures, file);
    const expected = await readWithDbffile(path, encoding);
    expect(expected.length).toBeGreaterThan(0);
    expect(await readWithKuryr(path)).toEqual(expected);
  });

  it('agrees on memo text in the code page set', async () => {
    // The table declares no code page, and its two non-ASCII memo bytes are too few to guess
    // from, so both readers get the code page as an option.
    const path = join(fixtures, 'dbase3_memo_catalog.dbf');
    const expected = await readWithDbffile(path, 'windows-1252');
    expect(expected).toHaveLength(67);
    expect(await readWithKuryr(path, { codePage: '1252' })).toEqual(expected);
  });

  it.each([
    ['852', 'cp852'],
    ['1250', 'windows-1250'],
  ] satisfies [CodePage, string][])(
    'agrees on demo items written in %s',
    async (codePage, encoding) => {
      const path = join(scratch, `items-${codePage}.dbf`);
      await writeDemoItemsDbf(path, codePage);
      expect(await readWithKuryr(path)).toEqual(await readWithDbffile(path, encoding));
    },
  );
});

describe('reader against dbfread where dbffile is wrong', () => {
  it('decodes the declared code page 1251', async () => {
    // dbffile ignores the language driver and returns Latin-1 text.
    const path = join(fixtures, 'vfp_ldid_c9_cp1251.dbf');
    const expected = await readWithDbfread(path, 'cp1251');
    expect(expected).toHaveLength(4);
    expect(await readWithKuryr(path)).toEqual(expected);
  });

  it('reads only the records a truncated file holds', async () => {
    // dbffile returns 15 records, the last five invented from NUL bytes.
    // dbfread reads 8 bytes past the end of each dBase IV memo, because it takes the memo's
    // length, which counts the 8-byte block header, as the length of the text. So the memo
    // field is left out.
    const path = join(fixtures, 'dbase4_header_count_too_high.dbf');
    const withoutMemo = (records: DataRecord[]) => records.map(({ MEMO: _, ...rest }) => rest);
    const expected = withoutMemo(await readWithDbfread(path, 'latin1'));
    expect(expected).toHaveLength(10);
    expect(withoutMemo(await readWithKuryr(path, { lenient: true }))).toEqual(expected);
  });
});

describe('reader against GDAL where dbffile is wrong', () => {
  it('keeps both fields of a repeated name', async () => {
    // dbffile lets the second Point_ID overwrite the first; GDAL names it Point_ID2.
    const path = join(fixtures, 'dbase3_gps_duplicate_fieldname.dbf');
    const fields = (await fieldsOf(path)).map((field) =>
      field.name === 'Point_ID_2' ? { ...field, gdalName: 'Point_ID2' } : field,
    );
    const expected = await readWithGdal(path, fields);
    expect(expected).toHaveLength(14);
    expect(await readWithKuryr(path)).toEqual(expected);
  });

  it.each([
    // dbffile fails on both field lists.
    'dbase3_header_terminator_missing.dbf',
    'dbase3_header_terminator_00.dbf',
    // dbffile ignores the .cpg file and the 0xF0 mark of UTF-8 text.
    'shp_utf8_with_cpg.dbf',
    'dbase3_ldid_f0_utf8_text.dbf',
  ])('agrees on %s', async (file) => {
    const path = join(fixtures, file);
    const expected = await readWithGdal(path, await fieldsOf(path));
    expect(expected.length).toBeGreaterThan(0);
    expect(await readWithKuryr(path)).toEqual(expected);
  });
});
