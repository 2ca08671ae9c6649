import { describe, expect, it } from 'vitest';
import type { DataRecord, WarningDetails } from '../contract/block.js';
import { encodeText } from '../codepages/codec.js';
import { CHUNK_SIZES, chunksOf, collectBatches } from '../text/chunks.test-support.js';
import { readCsv, type CsvDialectReport, type CsvReaderOptions } from './csv-reader.js';

type Warning = { code: string; message: string; details: WarningDetails };

async function read(
  input: string | Uint8Array,
  options: Partial<CsvReaderOptions> = {},
  chunkSize = 65_536,
) {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const warnings: Warning[] = [];
  let dialect: CsvDialectReport | undefined;
  const records = await collectBatches<DataRecord>(
    readCsv(chunksOf(bytes, chunkSize), {
      file: 'in.csv',
      onWarning: (code, message, details) => warnings.push({ code, message, details }),
      onDialect: (report) => (dialect = report),
      ...options,
    }),
  );
  return { records, warnings, dialect: dialect! };
}

/** Reads `input` whole and in every test chunk size, and checks that all reads agree. */
async function readInChunks(input: string | Uint8Array, options: Partial<CsvReaderOptions> = {}) {
  const whole = await read(input, options);
  for (const size of CHUNK_SIZES) {
    const chunked = await read(input, options, size);
    expect(chunked.records, `chunks of ${size} bytes`).toEqual(whole.records);
    expect(chunked.warnings, `chunks of ${size} bytes`).toEqual(whole.warnings);
    expect(chunked.dialect, `chunks of ${size} bytes`).toEqual(whole.dialect);
  }
  return whole;
}

describe('readCsv', () => {
  it('strips a BOM before a quoted first cell that holds the delimiter', async () => {
    const { records, dialect } = await readInChunks('\ufeff"kód;název";cena\r\nA;1\r\n');

    expect(records).toEqual([{ 'kód;název': 'A', cena: '1' }]);
    expect(dialect.delimiter).toBe(';');
    expect(dialect.encoding).toEqual({ encoding: 'utf-8', source: 'bom' });
  });

  it('splits a semicolon row with a decimal comma on the semicolons', async () => {
    const { records, dialect } = await readInChunks('08.01.2024;PR-1;-21.419,06\r\n', {
      values: 'czech',
    });

    expect(dialect).toMatchObject({ delimiter: ';', header: false, quoteChar: '"' });
    expect(records).toEqual([{ field1: '2024-01-08', field2: 'PR-1', field3: -21419.06 }]);
  });

  it('reads the Czech number and date profile', async () => {
    const text =
      'kód;cena;množství;datum;ean\n' +
      '0123;1 234,50;-7;1.2.2024;8594001234567\n' +
      'B;1.234;0,5;31.2.2024;12345678901234567\n';
    const { records } = await readInChunks(text, { values: 'czech', textColumns: ['kód'] });

    expect(records).toEqual([
      { kód: '0123', cena: 1234.5, množství: -7, datum: '2024-02-01', ean: 8594001234567 },
      { kód: 'B', cena: 1234, množství: 0.5, datum: '31.2.2024', ean: '12345678901234567' },
    ]);
  });

  it('joins a character and a CRLF split between chunks', async () => {
    const text = 'název,"poznámka"\r\nŠroub,"dva\r\nřádky"\r\nŽába,""\r\n';
    const { records, warnings } = await readInChunks(text);

    expect(records).toEqual([
      { název: 'Šroub', poznámka: 'dva\r\nřádky' },
      { název: 'Žába', poznámka: '' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('reads LF, CRLF and bare CR alike', async () => {
    const expected = [
      { a: '1', b: 'x' },
      { a: '2', b: 'y' },
    ];
    for (const lineBreak of ['\n', '\r\n', '\r']) {
      const text = ['a,b', '1,x', '2,y', ''].join(lineBreak);
      const { records } = await readInChunks(text);
      expect(records, JSON.stringify(lineBreak)).toEqual(expected);
    }
  });

  it('falls back to windows-1250 with a warning', async () => {
    const bytes = encodeText('kód;název\r\n1;Žluťoučký kůň\r\n', '1250').bytes;
    const { records, dialect } = await readInChunks(bytes);

    expect(records).toEqual([{ kód: '1', název: 'Žluťoučký kůň' }]);
    expect(dialect.encoding).toEqual({ encoding: '1250', source: 'fallback' });
  });

  it('reads UTF-16 by its BOM, as Excel saves Unicode text', async () => {
    const bytes = Buffer.from('\ufeffkód\tnázev\r\n1\tŠroub\r\n', 'utf16le');
    const { records, dialect } = await readInChunks(bytes);

    expect(records).toEqual([{ kód: '1', název: 'Šroub' }]);
    expect(dialect.encoding).toEqual({ encoding: 'utf-16le', source: 'bom' });
  });

  it('reads a given code page such as Kamenický', async () => {
    const bytes = encodeText('kód|název\n1|Příliš žluťoučký\n', 'kamenicky').bytes;
    const { records } = await readInChunks(bytes, { encoding: 'kamenicky' });

    expect(records).toEqual([{ kód: '1', název: 'Příliš žluťoučký' }]);
  });

  it('fails on a non-UTF-8 file with the strict option', async () => {
    const bytes = encodeText('a;b\r\n1;Žába\r\n', '1250').bytes;

    await expect(read(bytes, { strictEncoding: true })).rejects.toMatchObject({
      code: 'TEXT_ENCODING_UNKNOWN',
      context: { file: 'in.csv', offset: 7 },
    });
  });

  it('fails on invalid UTF-8 after the detection sample', async () => {
    const head = Buffer.from('a;b\n' + 'x;y\n'.repeat(20_000));
    const bytes = Buffer.concat([head, encodeText('1;Žába\n', '1250').bytes]);

    await expect(read(bytes, {}, 4096)).rejects.toMatchObject({
      code: 'TEXT_NOT_UTF8',
      context: { offset: head.length + 2 },
    });
  });

  it('fails on a wrong cell count with the line number', async () => {
    const text = 'a,b\n1,"x\ny"\n2\n3,z\n';

    await expect(read(text)).rejects.toMatchObject({
      code: 'CSV_CELL_COUNT',
      message: 'in.csv: line 4 has 1 cells, but the header has 2',
    });
  });

  it('skips or keeps rows of the wrong width as set', async () => {
    const text = 'a,b\n1,x\n2\n3,z,extra\n';
    const skipped = await readInChunks(text, { cellCount: 'skip' });
    const kept = await readInChunks(text, { cellCount: 'keep' });

    expect(skipped.records).toEqual([{ a: '1', b: 'x' }]);
    expect(skipped.warnings.map((warning) => warning.details.line)).toEqual([3, 4]);
    expect(kept.records).toEqual([
      { a: '1', b: 'x' },
      { a: '2' },
      { a: '3', b: 'z', field3: 'extra' },
    ]);
    expect(kept.warnings.map((warning) => warning.code)).toEqual([
      'CSV_CELL_COUNT',
      'CSV_CELL_COUNT',
    ]);
  });

  it('fails cleanly on a record longer than the maximum', async () => {
    const text = 'a,b\n1,"' + 'x'.repeat(5000) + '\n';

    await expect(read(text, { maxRecordLength: 1000 }, 256)).rejects.toMatchObject({
      code: 'CSV_RECORD_TOO_LONG',
      context: { file: 'in.csv', line: 2 },
    });
  });

  it('accepts a row of exactly the maximum length', async () => {
    for (const lineBreak of ['\r\n', '\n', '\r']) {
      const text = `abc;defghi${lineBreak}"x;y";z${lineBreak}`;

      const { records } = await readInChunks(text, {
        delimiter: ';',
        header: false,
        maxRecordLength: 10,
      });

      expect(records, JSON.stringify(lineBreak)).toEqual([
        { field1: 'abc', field2: 'defghi' },
        { field1: 'x;y', field2: 'z' },
      ]);
    }
  });

  it('fails on a row one character too long', async () => {
    const text = 'a;b\r\n1;234567890\r\n';

    await expect(read(text, { delimiter: ';', maxRecordLength: 10 }, 3)).rejects.toMatchObject({
      code: 'CSV_RECORD_TOO_LONG',
      context: { file: 'in.csv', line: 2 },
    });
  });

  it('skips a DOS end-of-file mark', async () => {
    for (const ending of ['\x1a', '\x1a\r\n', '\x1a\n']) {
      const { records, warnings, dialect } = await readInChunks(`kód;cena\r\nA;1,5\r\n${ending}`);

      expect(records, JSON.stringify(ending)).toEqual([{ kód: 'A', cena: '1,5' }]);
      expect(dialect.delimiter, JSON.stringify(ending)).toBe(';');
      expect(warnings.map((warning) => warning.code)).toEqual([]);
    }
  });

  it('keeps a quoted end-of-file mark', async () => {
    const { records } = await readInChunks('a\r\n"\x1a"\r\n', { header: true });

    expect(records).toEqual([{ a: '\x1a' }]);
  });

  it('reads one column with commas in its text', async () => {
    const { records, dialect } = await readInChunks('název\r\nRohlík, tmavý\r\nChléb\r\n');

    expect(records).toEqual([{ název: 'Rohlík, tmavý' }, { název: 'Chléb' }]);
    expect(dialect.delimiter).not.toBe(',');
  });

  it('reads one column without delimiters with the comma', async () => {
    const { records, dialect } = await readInChunks('název\r\nRohlík\r\nChléb\r\n');

    expect(records).toEqual([{ název: 'Rohlík' }, { název: 'Chléb' }]);
    expect(dialect.delimiter).toBe(',');
  });

  it('hints at the escape character', async () => {
    const text = 'kód;název\r\nA;"Šroub 5\\";M8"\r\n';

    await expect(read(text, { delimiter: ';' })).rejects.toMatchObject({
      code: 'CSV_CELL_COUNT',
      hint: expect.stringContaining('escape character to \\'),
    });
    await expect(read('a;b\r\n1;2;3\r\n', { delimiter: ';' })).rejects.toMatchObject({
      hint: expect.not.stringContaining('escape character'),
    });
  });

  it('fails on an unclosed quote', async () => {
    await expect(read('a,b\n1,"x\n2,y\n', { delimiter: ',' })).rejects.toMatchObject({
      code: 'CSV_QUOTE_UNCLOSED',
      context: { line: 2 },
    });
  });

  it('names the line of an unclosed quote after a sep= line', async () => {
    await expect(read('sep=;\na;b\n1;2\n3;"4\n5;6\n')).rejects.toMatchObject({
      code: 'CSV_QUOTE_UNCLOSED',
      message: expect.stringContaining('line 4'),
      context: { line: 4 },
    });
  });

  it('reads one column of decimal commas without a header', async () => {
    const { records, dialect } = await readInChunks('1,5\n-21.419,06\n7\n');

    expect(dialect).toMatchObject({ delimiter: ';', header: false });
    expect(records).toEqual([{ field1: '1,5' }, { field1: '-21.419,06' }, { field1: '7' }]);
  });

  it('lets a UTF-16 BOM decide over the set code page, with a warning', async () => {
    const bytes = Buffer.from('\ufeffkód;název\r\n1;čaj\r\n', 'utf16le');

    const { records, warnings } = await read(bytes, { encoding: '1250' });

    expect(records).toEqual([{ kód: '1', název: 'čaj' }]);
    expect(warnings.map((warning) => warning.code)).toEqual(['TEXT_ENCODING_BOM']);
  });

  it('fails with a hint on UTF-16 without a BOM', async () => {
    await expect(read(Buffer.from('a;b\r\n1;2\r\n', 'utf16le'))).rejects.toMatchObject({
      code: 'TEXT_ENCODING_UNKNOWN',
      hint: expect.stringContaining('BOM'),
    });
  });

  it('warns about a text column that names no column', async () => {
    const { records, warnings } = await read('kod;cena\r\n007;1,5\r\n', {
      values: 'czech',
      textColumns: ['kód', 'kod'],
    });

    expect(records).toEqual([{ kod: '007', cena: 1.5 }]);
    expect(warnings.map(({ code, details }) => [code, details.field])).toEqual([
      ['CSV_TEXT_COLUMN_UNKNOWN', 'kód'],
    ]);
  });

  it('hints at detection only when detection chose UTF-8', async () => {
    const bad = Buffer.concat([Buffer.from('a;b\r\n'), Buffer.from([0x9a, 0xe8])]);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bad]);

    const late = Buffer.concat([Buffer.from('a;b\r\n'.repeat(14_000)), bad]);

    await expect(read(late)).rejects.toMatchObject({
      code: 'TEXT_NOT_UTF8',
      hint: expect.stringContaining('detection looks at the first 64 KiB'),
    });
    await expect(read(withBom)).rejects.toMatchObject({
      hint: expect.not.stringContaining('detection'),
    });
    await expect(read(bad, { encoding: 'utf-8' })).rejects.toMatchObject({
      hint: expect.not.stringContaining('detection'),
    });
  });

  it('names the byte offset of a lone surrogate in UTF-16 BE', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xfe, 0xff, 0x00, 0x61, 0x00, 0x3b, 0x00, 0x62, 0x00, 0x0a]),
      Buffer.from([0xdc, 0x00, 0x00, 0x0a]),
    ]);

    await expect(read(bytes, {}, 3)).rejects.toMatchObject({
      code: 'TEXT_NOT_UTF16',
      context: { file: 'in.csv', offset: 10 },
    });
  });

  it('keeps splitting on commas that separate text', async () => {
    const { dialect } = await readInChunks('kód,cena\n1,5\n2,25\n');

    expect(dialect.delimiter).toBe(',');
  });

  it('detects tab, pipe and apostrophe quotes', async () => {
    const tab = await readInChunks('a\tb\n1\t2\n');
    const pipe = await readInChunks("a|b\n'x|y'|2\n");

    expect(tab.dialect.delimiter).toBe('\t');
    expect(pipe.dialect).toMatchObject({ delimiter: '|', quoteChar: "'" });
    expect(pipe.records).toEqual([{ a: 'x|y', b: '2' }]);
  });

  it('names the columns of a file without a header', async () => {
    const { records, dialect } = await readInChunks('1,x\n2,y\n');

    expect(dialect.header).toBe(false);
    expect(records).toEqual([
      { field1: '1', field2: 'x' },
      { field1: '2', field2: 'y' },
    ]);
  });

  it('rejects a delimiter equal to the quote', async () => {
    await expect(read('a;b\n', { delimiter: '"', quoteChar: '"' })).rejects.toMatchObject({
      code: 'CSV_OPTION_INVALID',
      context: { parameter: 'delimiter' },
    });
  });

  it('renames empty, repeated and prototype names', async () => {
    const { records } = await read('a,,a,__proto__\n1,2,3,4\n', { header: true });

    expect(records).toEqual([{ a: '1', field2: '2', a_2: '3', field4: '4' }]);
  });

  it('reads an escape character in every chunk size', async () => {
    // A backslash before other text stays, and a doubled one is one backslash.
    const text = 'a;b\n"C:\\temp\\\\";"řekl \\"ne\\"\nx"\n';
    const { records } = await readInChunks(text, { escapeChar: '\\' });

    expect(records).toEqual([{ a: 'C:\\temp\\', b: 'řekl "ne"\nx' }]);
  });

  it('removes one formula guard apostrophe per cell', async () => {
    const text = `"'=název";b\n"'-5 Kč";"''x"\n'7;plain\n`;

    const removed = await readInChunks(text, { formulaGuard: 'remove' });
    const kept = await read(text);

    expect(removed.records).toEqual([
      { '=název': '-5 Kč', b: "'x" },
      { '=název': '7', b: 'plain' },
    ]);
    expect(kept.records[0]).toEqual({ "'=název": "'-5 Kč", b: "''x" });
  });

  it('reports the columns of a header-only file', async () => {
    const announced: (readonly string[])[] = [];

    const { records } = await read(`kód;"'=x";kód\r\n`, {
      header: true,
      formulaGuard: 'remove',
      onColumns: (columns) => announced.push(columns),
    });

    expect(records).toEqual([]);
    expect(announced).toEqual([['kód', '=x', 'kód_2']]);
  });

  // Without the escape character, `"Šroub 5\";` closes the quote and the rows line up on `;`.
  it('detects the delimiter with an escape character', async () => {
    const text = '"Šroub 5\\"; M8",10\n"Matice 3\\"; M6",20\n';

    const { records, dialect } = await readInChunks(text, { escapeChar: '\\' });

    expect(dialect).toMatchObject({ delimiter: ',', header: false });
    expect(records).toEqual([
      { field1: 'Šroub 5"; M8', field2: '10' },
      { field1: 'Matice 3"; M6', field2: '20' },
    ]);
  });

  it('reads an empty file as no records', async () => {
    const { records } = await read('');

    expect(records).toEqual([]);
  });
});
