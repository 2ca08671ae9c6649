import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { DataRecord } from '../contract/block.js';
import { CHUNK_SIZES, chunksOf, collectBatches } from '../text/chunks.test-support.js';
import { readCsv, type CsvReaderOptions } from './csv-reader.js';

const fixtures = new URL('./fixtures/', import.meta.url);

async function read(
  bytes: Uint8Array,
  options: Partial<CsvReaderOptions> = {},
  chunkSize = 65_536,
) {
  const warnings: string[] = [];
  const records = await collectBatches<DataRecord>(
    readCsv(chunksOf(bytes, chunkSize), {
      file: 'corpus.csv',
      onWarning: (code) => warnings.push(code),
      ...options,
    }),
  );
  return { records, warnings };
}

/** Reads a corpus file whole and in every test chunk size; all reads must agree. */
async function readFixture(name: string, options: Partial<CsvReaderOptions> = {}) {
  const bytes = await readFile(new URL(name, fixtures));
  const whole = await read(bytes, options);
  for (const size of CHUNK_SIZES) {
    expect(await read(bytes, options, size), `chunks of ${size} bytes`).toEqual(whole);
  }
  return whole;
}

const toCrlf = (bytes: Buffer) => Buffer.from(bytes.toString('utf8').replace(/\n/g, '\r\n'));

describe('CSV corpus', async () => {
  const expectedFiles = (await readdir(fixtures)).filter((name) => name.endsWith('.expected.json'));

  for (const expectedFile of expectedFiles) {
    const csvFile = expectedFile.replace('.expected.json', '.csv');
    it(`reads ${csvFile} as its expected JSON`, async () => {
      const expected = JSON.parse(await readFile(new URL(expectedFile, fixtures), 'utf8'));
      const bytes = await readFile(new URL(csvFile, fixtures));
      // Two files lost their CRs to git's line-ending normalisation, while their expected JSON
      // still has them, so they are read with CRLF restored.
      const isCrlf = csvFile.includes('crlf');
      const { records, warnings } = await read(isCrlf ? toCrlf(bytes) : bytes);

      expect(records).toEqual(expected);
      expect(warnings).toEqual([]);
    });
  }

  it('reads the LF copy of a CRLF file with LF in its cells', async () => {
    const { records } = await readFixture('spectrum_newlines_crlf.csv');

    expect(records[1]).toEqual({ a: 'Once upon \na time', b: '5', c: '6' });
  });

  it('keeps the BOM out of the first name', async () => {
    expect((await readFixture('papaparse_utf8_bom.csv')).records).toEqual([
      { A: 'X', B: 'Y', C: 'Z' },
    ]);
    expect((await readFixture('csvtojson_bom_quoted_header.csv')).records).toEqual([
      { name: 'joe', age: '20' },
      { name: 'sam', age: '30' },
    ]);
  });

  it('reads a last row without line break', async () => {
    expect((await readFixture('csvtojson_crlf_no_final_newline.csv')).records).toEqual([
      { name: 'joe', age: '20' },
      { name: 'sam', age: '30' },
    ]);
  });

  it('reads bare CR then CRLF without header', async () => {
    expect((await readFixture('csvtojson_cr_only_then_crlf.csv')).records).toEqual([
      { field1: 'John', field2: '25', field3: 'xxx' },
      { field1: 'Samantha', field2: '28', field3: 'yyy' },
    ]);
  });

  it('falls back from UTF-8 for Latin-1 bytes', async () => {
    const { records } = await readFixture('csvtojson_latin1_not_utf8.csv');
    const latin1 = await readFixture('csvtojson_latin1_not_utf8.csv', { encoding: '1252' });

    expect(records[0]).toEqual({ Timestamp: '1395426422', Name: 'bébé' });
    expect(latin1.records).toEqual(records);
  });

  it('reads a quoted cell over three lines', async () => {
    expect(
      (await readFixture('csvtojson_quoted_multiline_with_escaped_quote.csv')).records,
    ).toEqual([{ aa: 'ss', bb: '12345\n6789,abcde"\nddee' }]);
  });

  it('fails on an unclosed quote instead of merging rows', async () => {
    const bytes = await readFile(new URL('csvtojson_unclosed_quotes.csv', fixtures));

    // The quote opened on line 2 closes before "abc" on line 3, so line 2 gets too few cells.
    await expect(read(bytes)).rejects.toMatchObject({
      code: 'CSV_CELL_COUNT',
      message: 'corpus.csv: line 2 has 3 cells, but the header has 5',
    });
  });

  it('names the empty column of a trailing delimiter', async () => {
    const { records } = await readFixture('csvtojson_semicolon_trailing_delimiter.csv');

    expect(records).toHaveLength(2);
    expect(records[0]).toEqual({
      annee: '2015029',
      jour: 'LUNDI   ',
      date: '09/03/2015',
      b_1: '35',
      b_2: '31',
      devise: 'eur',
      field7: '',
    });
  });

  it('reports data rows with an extra cell', async () => {
    const bytes = await readFile(new URL('csvtojson_trailing_comma_space.csv', fixtures));
    const kept = await readFixture('csvtojson_trailing_comma_space.csv', { cellCount: 'keep' });

    await expect(read(bytes)).rejects.toMatchObject({
      code: 'CSV_CELL_COUNT',
      message: 'corpus.csv: line 2 has 3 cells, but the header has 2',
    });
    expect(kept.records).toEqual([
      { field1: 'value1', field2: 'value2', field3: ' ' },
      { field1: 'value1', field2: 'value2', field3: ' ' },
    ]);
  });

  it('keeps a ragged row without header', async () => {
    const { records } = await readFixture('csvtojson_ragged_no_header.csv', { cellCount: 'keep' });

    expect(records).toEqual([
      { field1: 'John', field2: '25', field3: 'XXX' },
      { field1: 'Samantha', field2: '28', field3: 'YYY', field4: '7' },
    ]);
  });

  it('reads doubled quotes at the edges of cells', async () => {
    const { records } = await readFixture('csvtojson_doubled_quotes_edge.csv');

    expect(records[0]).toMatchObject({ title: '"', uuid: 'fejal"eifa', fieldB: '"eisjfes"' });
  });

  it('trims header names and names an empty one', async () => {
    const { records, warnings } = await readFixture('csvtojson_header_trailing_comma_spaces.csv', {
      cellCount: 'keep',
    });

    expect(records[1]).toEqual({
      field1: '2005088806',
      field2: 'A6',
      field3: '9001009395 9001009990',
      field4: '',
    });
    expect(warnings).toEqual(['CSV_CELL_COUNT', 'CSV_CELL_COUNT', 'CSV_CELL_COUNT']);
  });

  it('reads a pipe as the quote character', async () => {
    const { records } = await readFixture('csvtojson_pipe_as_quote.csv', { quoteChar: '|' });

    expect(records).toEqual([{ test: 'blag', test2: 'blagh', test3: 'blahhh, blah' }]);
  });

  it('reads backslash-escaped quotes with the escape character', async () => {
    const { records, warnings } = await readFixture('csvtojson_backslash_escaped_quotes.csv', {
      escapeChar: '\\',
    });

    expect(records).toEqual([{ id: '0', raw: '{"hello":"world","test":true}' }]);
    expect(warnings).toEqual([]);
  });

  it('reads backslash-escaped quotes as stray quotes without it', async () => {
    const { records, warnings } = await readFixture('csvtojson_backslash_escaped_quotes.csv', {
      cellCount: 'keep',
    });

    expect(records).toHaveLength(1);
    expect(warnings).toContain('CSV_STRAY_QUOTE');
    expect(warnings).toContain('CSV_CELL_COUNT');
  });

  it('reads an empty file as no records', async () => {
    expect((await readFixture('csvtojson_empty_file.csv')).records).toEqual([]);
  });
});
