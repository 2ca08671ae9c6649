import { describe, expect, it } from 'vitest';
import type { DataRecord, WarningDetails } from '../contract/block.js';
import { chunksOf, collectBatches } from './chunks.test-support.js';
import type { TextLayout } from './fixed-width.js';
import { readText } from './text-reader.js';
import { createTextEncoder, type TextEncoderOptions } from './text-writer.js';

const plu: TextLayout = {
  columns: [
    { name: 'name', width: 8 },
    { name: 'price', width: 8, type: 'number', decimals: 2, padding: '0' },
    { name: 'from', width: 6, type: 'date', dateFormat: 'ddMMyy' },
  ],
};

type Warning = { code: string; details: { record?: number; field?: string } };

function write(records: DataRecord[], options: Partial<TextEncoderOptions> = {}) {
  const warnings: Warning[] = [];
  const encoder = createTextEncoder({
    format: 'fixed-width',
    layouts: [plu],
    recordSeparator: 'LF',
    onWarning: (code, _message, details) => warnings.push({ code, details }),
    ...options,
  });
  const bytes = Buffer.concat([encoder.encode(records), encoder.finish()]);
  return { bytes, warnings };
}

describe('Write Text faults', () => {
  it('writes float noise as zero', () => {
    const { bytes } = write([{ name: 'a', price: 0.1 + 0.2 - 0.3, from: null }]);

    expect(bytes.toString('latin1')).toBe('a       00000000      \n');
  });

  it('rejects a number too large for its column', () => {
    expect(() => write([{ name: 'a', price: 1e21, from: null }])).toThrow(
      expect.objectContaining({ context: expect.objectContaining({ field: 'price' }) }),
    );
  });

  it('keeps the width for a character outside the BMP', () => {
    const { bytes } = write([{ name: 'x😀y', price: 1, from: null }], { encoding: '1250' });

    expect(bytes.length).toBe(8 + 8 + 6 + 1);
  });

  it('rejects a line break inside a fixed-width value', () => {
    expect(() => write([{ name: 'ab\r\ncd', price: 1, from: null }])).toThrow(
      expect.objectContaining({ context: expect.objectContaining({ field: 'name' }) }),
    );
  });

  it('rejects an ISO date that names no calendar day', () => {
    expect(() => write([{ name: 'a', price: 1, from: '2024-13-45' }])).toThrow(
      expect.objectContaining({ code: 'TEXT_VALUE_INVALID' }),
    );
  });

  it('names the record with an unmappable character', () => {
    const records = [
      { name: 'a', price: 1, from: null },
      { name: 'Ω', price: 1, from: null },
      { name: 'b', price: 1, from: null },
    ];

    const { warnings } = write(records, { encoding: '1250' });

    expect(warnings).toEqual([
      { code: 'TEXT_CHARACTER_UNMAPPABLE', details: { record: 2, field: 'name' } },
    ]);
  });
});

describe('Read Text delimited faults', () => {
  const layout: TextLayout = {
    columns: [{ name: 'a' }, { name: 'n', type: 'number', decimalPoint: ',' }],
  };
  const text = 'a;n\r\nx;1,5\r\ny;abc\r\nz;2\r\n';

  async function read(badLines: 'fail' | 'skip' | 'keep') {
    const warnings: { code: string; message: string; details: WarningDetails }[] = [];
    const records = await collectBatches<DataRecord>(
      readText(chunksOf(Buffer.from(text), 4), {
        file: 'in.txt',
        format: 'delimited',
        layouts: [layout],
        header: true,
        badLines,
        onWarning: (code, message, details) => warnings.push({ code, message, details }),
      }),
    );
    return { records, warnings };
  }

  it('names the line of an invalid number', async () => {
    await expect(read('fail')).rejects.toMatchObject({
      message: expect.stringContaining('line 3'),
    });
  });

  it('skips a line with an invalid number', async () => {
    const { records, warnings } = await read('skip');

    expect(records).toEqual([
      { a: 'x', n: 1.5 },
      { a: 'z', n: 2 },
    ]);
    expect(warnings.map((warning) => warning.details.line)).toEqual([3]);
  });
});
