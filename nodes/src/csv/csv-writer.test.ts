import { describe, expect, it } from 'vitest';
import type { DataRecord } from '../contract/block.js';
import { FlowAuthorError } from '../contract/errors.js';
import { createCsvEncoder, type CsvEncoderOptions, type CsvWarningDetails } from './csv-writer.js';

/** Encodes records in one batch and returns the whole file as text (UTF-8 unless given). */
function writeCsv(records: readonly DataRecord[], options: CsvEncoderOptions = {}): string {
  return writeBytes(records, options).toString('utf8');
}

function writeBytes(records: readonly DataRecord[], options: CsvEncoderOptions = {}): Buffer {
  const encoder = createCsvEncoder(options);
  return Buffer.concat([encoder.encode(records), encoder.finish()]);
}

type Warning = { code: string; message: string; details: CsvWarningDetails };

describe('createCsvEncoder', () => {
  describe('quoting', () => {
    it.each([
      ['plain', 'plain'],
      ['a,b', '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      ['two\nlines', '"two\nlines"'],
      ['two\r\nlines', '"two\r\nlines"'],
      ['carriage\rreturn', '"carriage\rreturn"'],
      [' leading', '" leading"'],
      ['trailing ', '"trailing "'],
      ['in side', 'in side'],
      ['', '""'],
      ['\u001a', '"\u001a"'],
      ['semi;colon', 'semi;colon'],
    ])('writes %j as %j', (value, cell) => {
      expect(writeCsv([{ value }], { header: false })).toBe(`${cell}\r\n`);
    });

    it('quotes an empty cell only when alone', () => {
      const written = writeCsv([{ a: '', b: null }, { a: null }, { a: 'x', b: '\u001a' }], {
        header: false,
      });

      expect(written).toBe(',\r\n,\r\nx,\u001a\r\n');
      expect(writeCsv([{ a: null }, { a: undefined }], { header: false })).toBe('""\r\n""\r\n');
    });

    it('quotes the delimiter in use', () => {
      expect(writeCsv([{ a: 'x;y', b: 'x,y' }], { delimiter: ';', header: false })).toBe(
        '"x;y";x,y\r\n',
      );
    });

    it('doubles a custom quote character', () => {
      expect(writeCsv([{ a: "it's", b: 'x,y' }], { quoteChar: "'", header: false })).toBe(
        "'it''s','x,y'\r\n",
      );
    });

    it('quotes header names like values', () => {
      expect(writeCsv([{ 'a,b': 1, 'c"d': 2 }])).toBe('"a,b","c""d"\r\n1,2\r\n');
    });
  });

  describe('values', () => {
    it('writes each kind of value', () => {
      const record = {
        text: 'x',
        integer: 42,
        decimal: -1.5,
        yes: true,
        no: false,
        empty: null,
        missing: undefined,
        object: { a: 1, b: 'c' },
        list: [1, 'two'],
        date: new Date('2026-03-01T08:30:00Z'),
      };

      expect(writeCsv([record], { header: false })).toBe(
        'x,42,-1.5,true,false,,,"{""a"":1,""b"":""c""}","[1,""two""]",2026-03-01T08:30:00.000Z\r\n',
      );
    });

    it('writes the listed columns in order', () => {
      const records = [
        { code: 'A', name: 'first', price: 1 },
        { code: 'B', price: 2, extra: 'dropped' },
      ];

      expect(writeCsv(records, { columns: ['price', 'code', 'name'] })).toBe(
        'price,code,name\r\n1,A,first\r\n2,B,\r\n',
      );
    });

    it('writes empty fields for an empty record', () => {
      expect(writeCsv([{ a: 1, b: 2 }, {}], { lineEnding: 'LF' })).toBe('a,b\n1,2\n,\n');
    });

    it('takes the columns from the first record', () => {
      const records = [
        { a: 1, b: 2 },
        { b: 3, c: 4 },
      ];

      expect(writeCsv(records)).toBe('a,b\r\n1,2\r\n,3\r\n');
    });
  });

  describe('line breaks', () => {
    it('ends every row with CRLF by default', () => {
      expect(writeCsv([{ a: 1 }, { a: 2 }])).toBe('a\r\n1\r\n2\r\n');
    });

    it('ends every row with LF when asked', () => {
      expect(writeCsv([{ a: 1 }, { a: 2 }], { lineEnding: 'LF' })).toBe('a\n1\n2\n');
    });

    it('writes the header once across batches', () => {
      const encoder = createCsvEncoder({ lineEnding: 'LF' });
      const parts = [
        encoder.encode([{ a: 1 }]),
        encoder.encode([]),
        encoder.encode([{ a: 2 }, { a: 3 }]),
        encoder.finish(),
      ];

      expect(Buffer.concat(parts).toString()).toBe('a\n1\n2\n3\n');
      expect(encoder.recordCount).toBe(3);
    });
  });

  describe('fields beyond the first record', () => {
    it('names the fields and the first record that carried them, once', () => {
      const warnings: { code: string; details: CsvWarningDetails }[] = [];
      const encoder = createCsvEncoder({
        onWarning: (code, _message, details) => warnings.push({ code, details }),
      });

      encoder.encode([{ a: 1 }, { a: 2 }]);
      encoder.encode([
        { a: 3, b: 4, c: 5 },
        { a: 6, b: 7 },
        { a: 8, d: 9 },
      ]);

      expect(warnings).toEqual([
        { code: 'CSV_FIELDS_DROPPED', details: { record: 3, field: 'b, c' } },
        { code: 'CSV_FIELDS_DROPPED', details: { record: 5, field: 'd' } },
      ]);
    });

    it('stays silent when the columns are listed', () => {
      const warnings: string[] = [];
      const encoder = createCsvEncoder({
        columns: ['a'],
        onWarning: (code) => warnings.push(code),
      });

      encoder.encode([{ a: 1, b: 2 }]);

      expect(warnings).toEqual([]);
    });
  });

  describe('no records', () => {
    it('writes only the header of the listed columns', () => {
      expect(writeCsv([], { columns: ['code', 'name'] })).toBe('code,name\r\n');
    });

    it('writes nothing without columns', () => {
      expect(writeBytes([]).length).toBe(0);
    });

    it('writes the header of announced columns', () => {
      const encoder = createCsvEncoder({ encoding: 'utf-8-bom' });

      const bytes = encoder.finish(['kód', '=x']);

      expect(bytes.toString('utf8')).toBe(`\ufeffkód,"'=x"\r\n`);
    });

    it('prefers listed columns to announced ones', () => {
      const encoder = createCsvEncoder({ columns: ['code'] });

      expect(encoder.finish(['other']).toString()).toBe('code\r\n');
    });

    it('ignores announced columns once records came', () => {
      const encoder = createCsvEncoder();
      const parts = [encoder.encode([{ a: 1 }]), encoder.finish(['b'])];

      expect(Buffer.concat(parts).toString()).toBe('a\r\n1\r\n');
    });

    it('writes nothing without a header row', () => {
      expect(
        writeBytes([], { columns: ['code'], header: false, encoding: 'utf-8-bom' }).length,
      ).toBe(0);
    });
  });

  describe('formula guard', () => {
    it.each([
      ['=1+2', `"'=1+2"`],
      ['+420 123', `"'+420 123"`],
      ['-5 Kč', `"'-5 Kč"`],
      ['-1+1', `"'-1+1"`],
      ['-1,5,2', `"'-1,5,2"`],
      ['-5\n', `"'-5\n"`],
      ["'x", `"''x"`],
      ["'", `"''"`],
      ['@SUM(A1)', `"'@SUM(A1)"`],
      ['\tTAB', `"'\tTAB"`],
      ['\rCR', `"'\rCR"`],
      ['=HYPERLINK("x")\nnext', `"'=HYPERLINK(""x"")\nnext"`],
      ['a=b', 'a=b'],
      [' =x', '" =x"'],
    ])('guards %j as %j', (value, cell) => {
      expect(writeCsv([{ value }], { header: false })).toBe(`${cell}\r\n`);
    });

    it('never touches numbers and booleans', () => {
      expect(writeCsv([{ a: -5, b: -1.25, c: true }], { header: false })).toBe('-5,-1.25,true\r\n');
    });

    it('never touches numbers written with a decimal comma', () => {
      const options = { header: false, delimiter: ';', decimalComma: true };

      expect(writeCsv([{ a: -1.5, b: '-1,5' }], options)).toBe(`-1,5;-1,5\r\n`);
    });

    // A spreadsheet reads these as numbers, never as formulas, so the guard would only turn them
    // into text with a visible apostrophe.
    it.each(['-5', '-21419,06', '-0.5', '-100'])('leaves the plain number %j alone', (value) => {
      expect(writeCsv([{ value }], { header: false, delimiter: ';' })).toBe(`${value}\r\n`);
    });

    it('guards header names', () => {
      expect(writeCsv([{ '=x': 1 }])).toBe(`"'=x"\r\n1\r\n`);
    });

    it('leaves text alone when off', () => {
      expect(
        writeCsv([{ a: '=1+2', b: '-5', c: '@x' }], { header: false, formulaGuard: false }),
      ).toBe('=1+2,-5,@x\r\n');
    });
  });

  describe('decimal comma', () => {
    it('writes numbers with a comma', () => {
      const records = [{ price: 1234.5, count: 3, tiny: 1.5e-7, text: '1.5' }];

      expect(writeCsv(records, { header: false, delimiter: ';', decimalComma: true })).toBe(
        '1234,5;3;1,5e-7;1.5\r\n',
      );
    });

    it('quotes decimal commas when the comma is the delimiter', () => {
      expect(writeCsv([{ a: 1.5, b: 2 }], { header: false, decimalComma: true })).toBe(
        '"1,5",2\r\n',
      );
    });
  });

  describe('encodings', () => {
    const text = 'Žluťoučký kůň';

    it('writes UTF-8 without a BOM by default', () => {
      const bytes = writeBytes([{ text }], { header: false });

      expect(bytes).toEqual(Buffer.from(`${text}\r\n`, 'utf8'));
    });

    it('writes one BOM at the start for utf-8-bom', () => {
      const encoder = createCsvEncoder({ encoding: 'utf-8-bom', lineEnding: 'LF' });
      const bytes = Buffer.concat([encoder.encode([{ a: 'š' }]), encoder.encode([{ a: 'x' }])]);

      expect(bytes).toEqual(
        Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0a, 0xc5, 0xa1, 0x0a, 0x78, 0x0a]),
      );
    });

    it('writes windows-1250 bytes', () => {
      const bytes = writeBytes([{ text }], { header: false, encoding: 'windows-1250' });

      expect([...bytes]).toEqual([
        0x8e, 0x6c, 0x75, 0x9d, 0x6f, 0x75, 0xe8, 0x6b, 0xfd, 0x20, 0x6b, 0xf9, 0xf2, 0x0d, 0x0a,
      ]);
    });

    it('writes cp852 bytes', () => {
      const bytes = writeBytes([{ text }], { header: false, encoding: 'cp852' });

      expect([...bytes]).toEqual([
        0xa6, 0x6c, 0x75, 0x9c, 0x6f, 0x75, 0x9f, 0x6b, 0xec, 0x20, 0x6b, 0x85, 0xe5, 0x0d, 0x0a,
      ]);
    });

    it('replaces unmappable characters with a warning', () => {
      const warnings: Warning[] = [];
      const onWarning = (code: string, message: string, details: CsvWarningDetails) =>
        warnings.push({ code, message, details });
      const encoder = createCsvEncoder({ encoding: 'windows-1250', lineEnding: 'LF', onWarning });
      const bytes = Buffer.concat([
        encoder.encode([{ code: 'A', name: 'ok' }]),
        encoder.encode([{ code: 'B', name: 'Cena 5 € → 中' }]),
      ]);

      expect(bytes.toString('latin1')).toBe('code,name\nA,ok\nB,Cena 5 \x80 ? ?\n');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.code).toBe('CSV_CHARACTER_UNMAPPABLE');
      expect(warnings[0]!.details).toEqual({ record: 2, field: 'name' });
      expect(warnings[0]!.message).toContain('record 2, column name');
      expect(warnings[0]!.message).toContain('→中');
    });

    it('replaces a character outside the BMP with one ?', () => {
      const bytes = writeBytes([{ a: 'x😀y' }], { header: false, encoding: 'cp852' });

      expect(bytes.toString('latin1')).toBe('x?y\r\n');
    });

    it('replaces U+FFFD instead of writing an undefined byte', () => {
      const warnings: CsvWarningDetails[] = [];
      const bytes = writeBytes([{ a: 'x\ufffd' }], {
        header: false,
        encoding: 'windows-1250',
        onWarning: (_code, _message, details) => warnings.push(details),
      });

      expect(bytes.toString('latin1')).toBe('x?\r\n');
      expect(warnings).toEqual([{ record: 1, field: 'a' }]);
    });

    it('leaves a replaced BOM character unquoted', () => {
      const bytes = writeBytes([{ a: '\ufeffx' }], { header: false, encoding: 'windows-1250' });

      expect(bytes.toString('latin1')).toBe('?x\r\n');
    });

    it('reports a header name the code page lacks without a record', () => {
      const warnings: CsvWarningDetails[] = [];
      writeBytes([{ 'cena €': 1 }], {
        encoding: 'cp852',
        onWarning: (_code, _message, details) => warnings.push(details),
      });

      expect(warnings).toEqual([{ field: 'cena €' }]);
    });

    it('checks JSON text of objects too', () => {
      const warnings: CsvWarningDetails[] = [];
      writeBytes([{ tags: ['→'] }], {
        encoding: 'windows-1250',
        onWarning: (_code, _message, details) => warnings.push(details),
      });

      expect(warnings).toEqual([{ record: 1, field: 'tags' }]);
    });
  });

  describe('options', () => {
    it.each([
      [{ delimiter: '' }, 'delimiter'],
      [{ delimiter: '\n' }, 'delimiter'],
      [{ delimiter: '"' }, 'delimiter'],
      [{ quoteChar: '' }, 'quoteChar'],
      [{ quoteChar: '""' }, 'quoteChar'],
      [{ quoteChar: ';', delimiter: ';' }, 'quoteChar'],
      [{ columns: [] }, 'columns'],
    ])('rejects %j', (options, parameter) => {
      const create = () => createCsvEncoder(options);

      expect(create).toThrow(FlowAuthorError);
      expect(create).toThrow(expect.objectContaining({ context: { parameter } }));
    });

    it('rejects a first record without fields when no columns are set', () => {
      const encoder = createCsvEncoder();

      expect(() => encoder.encode([{}])).toThrow(
        expect.objectContaining({ code: 'CSV_NO_COLUMNS' }),
      );
    });

    it('rejects encoding after finish', () => {
      const encoder = createCsvEncoder();
      encoder.finish();

      expect(() => encoder.encode([{ a: 1 }])).toThrow(/after finish/);
    });
  });
});
