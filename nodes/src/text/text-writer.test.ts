import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { DataRecord } from '../contract/block.js';
import { codePages } from '../codepages/code-page.js';
import { aboLayouts } from './abo-layouts.test-support.js';
import { chunksOf, collectBatches } from './chunks.test-support.js';
import { placeLayout, writeCell, type TextLayout } from './fixed-width.js';
import { readText } from './text-reader.js';
import { createTextEncoder, type TextEncoderOptions } from './text-writer.js';

function write(records: DataRecord[], options: TextEncoderOptions) {
  const warnings: string[] = [];
  const encoder = createTextEncoder({ ...options, onWarning: (code) => warnings.push(code) });
  const bytes = Buffer.concat([encoder.encode(records), encoder.finish()]);
  return { bytes, warnings };
}

const priceList: TextLayout = {
  columns: [
    { name: 'code', width: 6, type: 'number', padding: '0' },
    { name: 'name', width: 14 },
    { name: 'price', width: 9, type: 'number', decimals: 2 },
    { name: 'vat', width: 4, type: 'number', decimals: 1, decimalPoint: ',', align: 'left' },
    { name: 'from', width: 6, type: 'date', dateFormat: 'ddMMyy' },
  ],
};

const items: DataRecord[] = [
  { code: 42, name: 'Čočka červená', price: 24.9, vat: 12, from: '2024-01-08' },
  { code: 7, name: 'Žampión', price: -1.005, vat: 0, from: null },
];

describe('createTextEncoder', () => {
  it('writes fixed-width columns', () => {
    const { bytes } = write(items, {
      format: 'fixed-width',
      layouts: [priceList],
      encoding: 'utf-8',
    });

    expect(bytes.toString('utf8')).toBe(
      '000042Čočka červená      249012,0080124\r\n' + '000007Žampión            -1010,0       \r\n',
    );
  });

  it('writes back an ABO statement byte for byte', async () => {
    const original = await readFile(new URL('./fixtures/abo_gpc_basic_2tx.abo', import.meta.url));
    const records = await collectBatches<DataRecord>(
      readText(chunksOf(original, 4096), {
        file: 'abo',
        format: 'fixed-width',
        layouts: aboLayouts,
      }),
    );
    const { bytes } = write(records, {
      format: 'fixed-width',
      layouts: aboLayouts,
      recordSeparator: 'LF',
      encoding: '1250',
    });

    expect(bytes.toString('latin1')).toBe(original.toString('latin1'));
  });

  for (const codePage of codePages) {
    it(`reads back what it writes in ${codePage}`, async () => {
      const { bytes, warnings } = write(items, {
        format: 'fixed-width',
        layouts: [priceList],
        recordSeparator: 'none',
        encoding: codePage,
      });
      const read = await collectBatches<DataRecord>(
        readText(chunksOf(bytes, 3), {
          file: 'price.txt',
          format: 'fixed-width',
          layouts: [priceList],
          recordSeparator: 'none',
          encoding: codePage,
        }),
      );

      const hasCzech = ['852', '1250', 'kamenicky', 'utf-8'].includes(codePage);
      // One warning for each record whose name has a character the code page lacks.
      if (hasCzech) expect(warnings).toEqual([]);
      else expect(new Set(warnings)).toEqual(new Set(['TEXT_CHARACTER_UNMAPPABLE']));
      if (hasCzech) expect(read).toEqual([items[0], { ...items[1], price: -1.01 }]);
      expect(read.map((record) => record.price)).toEqual([24.9, -1.01]);
    });
  }

  it('writes delimited text with a header', () => {
    const { bytes } = write(items, {
      format: 'delimited',
      layouts: [priceList],
      delimiter: '|',
      header: true,
      recordSeparator: 'LF',
    });

    expect(bytes.toString('latin1')).toBe(
      'code|name|price|vat|from\n42|\xc8o\xe8ka \xe8erven\xe1|2490|12,0|080124\n' +
        '7|\x8eampi\xf3n|-101|0,0|\n',
    );
  });

  it('fails on a value wider than its column', () => {
    const record = { code: 1234567, name: 'x', price: 1, vat: 1, from: null };

    expect(() => write([record], { format: 'fixed-width', layouts: [priceList] })).toThrow(
      expect.objectContaining({
        code: 'TEXT_VALUE_TOO_LONG',
        context: { record: 1, field: 'code' },
      }),
    );
  });

  it('cuts long text when told', () => {
    const record = { code: 1, name: 'Příliš dlouhý název zboží', price: 1, vat: 1, from: null };
    const { bytes } = write([record], {
      format: 'fixed-width',
      layouts: [priceList],
      encoding: 'utf-8',
      truncate: true,
    });

    expect(bytes.toString('utf8')).toContain('000001Příliš dlouhý       1001,0');
  });

  it('fails on a delimited value holding the delimiter', () => {
    expect(() =>
      write([{ name: 'a;b' }], { format: 'delimited', layouts: [{ columns: [{ name: 'name' }] }] }),
    ).toThrow(expect.objectContaining({ code: 'TEXT_VALUE_HAS_DELIMITER' }));
  });

  it('fails on a record type without layout', () => {
    expect(() =>
      write([{ recordType: 'footer' }], { format: 'fixed-width', layouts: aboLayouts }),
    ).toThrow(expect.objectContaining({ code: 'TEXT_RECORD_TYPE_UNKNOWN' }));
  });

  it.each([
    [1.005, 2, '1.01'],
    [-1.005, 2, '-1.01'],
    [0.1 + 0.2 - 0.3, 2, '0.00'],
    [-1e-7, 2, '0.00'],
    [1e-7, 7, '0.0000001'],
    [9.995, 2, '10.00'],
    [999.5, 0, '1000'],
    [1e21, 2, '1000000000000000000000.00'],
    [123456789.125, 2, '123456789.13'],
  ])('rounds %d to %d places as %s', (value, decimals, text) => {
    const [column] = placeLayout(
      { columns: [{ name: 'n', type: 'number', decimals, decimalPoint: '.' }] },
      false,
    ).columns;

    expect(writeCell(value, column!)).toBe(text);
  });
});
