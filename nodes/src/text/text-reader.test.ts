import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { DataRecord, WarningDetails } from '../contract/block.js';
import { encodeText } from '../codepages/codec.js';
import { aboLayouts } from './abo-layouts.test-support.js';
import { CHUNK_SIZES, chunksOf, collectBatches } from './chunks.test-support.js';
import type { TextLayout } from './fixed-width.js';
import { readText, type TextReaderOptions } from './text-reader.js';

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url));

type Warning = { code: string; message: string; details: WarningDetails };

async function read(bytes: Uint8Array, options: Partial<TextReaderOptions>, chunkSize = 65_536) {
  const warnings: Warning[] = [];
  const records = await collectBatches<DataRecord>(
    readText(chunksOf(bytes, chunkSize), {
      file: 'in.txt',
      format: 'fixed-width',
      layouts: aboLayouts,
      onWarning: (code, message, details) => warnings.push({ code, message, details }),
      ...options,
    }),
  );
  return { records, warnings };
}

async function readInChunks(bytes: Uint8Array, options: Partial<TextReaderOptions> = {}) {
  const whole = await read(bytes, options);
  for (const size of CHUNK_SIZES) {
    const chunked = await read(bytes, options, size);
    expect(chunked, `chunks of ${size} bytes`).toEqual(whole);
  }
  return whole;
}

describe('readText', () => {
  it('reads an ABO statement', async () => {
    const { records, warnings } = await readInChunks(await fixture('abo_gpc_basic_2tx.abo'));

    expect(warnings).toEqual([]);
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({
      recordType: 'statement',
      account: '0000000001234567',
      accountName: 'Test Account Name',
      oldBalanceDate: '2025-08-20',
      oldBalance: 99474.7,
      oldBalanceSign: '+',
      newBalance: 93201.15,
      statementNumber: 27,
      statementDate: '2025-08-21',
    });
    expect(records.slice(1).map((record) => record.amount)).toEqual([1100.01, 1330.01]);
    expect(records[1]).toMatchObject({
      recordType: 'transaction',
      counterAccount: '0000000100785108',
      variableSymbol: '1746581670',
      valueDate: '2025-08-21',
      clientName: '',
    });
  });

  it('reports a line longer than its layout', async () => {
    const bytes = await fixture('abo_extended_long_line.abo');
    const kept = await readInChunks(bytes, { badLines: 'keep' });

    expect(kept.warnings.map((warning) => [warning.code, warning.details.line])).toEqual([
      ['TEXT_LINE_LENGTH', 2],
      ['TEXT_VALUE_INVALID', 2],
    ]);
    expect(kept.records[0]).toMatchObject({
      accountName: 'Extended Test Accoun',
      oldBalance: 200000,
    });
    expect(kept.records[1]).toMatchObject({ amount: 100, dueDate: 'icesAd' });
    await expect(read(bytes, {})).rejects.toMatchObject({
      code: 'TEXT_LINE_LENGTH',
      message: 'in.txt: line 2 has 936 characters, but the layout transaction has 128',
      context: { line: 2 },
    });
  });

  it('skips and reports every malformed line', async () => {
    const { records, warnings } = await readInChunks(await fixture('abo_malformed.abo'), {
      badLines: 'skip',
    });

    expect(records).toEqual([]);
    expect(warnings.map((warning) => [warning.code, warning.details.line])).toEqual([
      ['TEXT_LINE_LENGTH', 1],
      ['TEXT_LINE_LENGTH', 2],
      ['TEXT_RECORD_TYPE_UNKNOWN', 3],
      ['TEXT_LINE_LENGTH', 4],
    ]);
  });

  it('keeps invalid values as text when told', async () => {
    const { records, warnings } = await read(await fixture('abo_malformed.abo'), {
      badLines: 'keep',
    });

    expect(records).toHaveLength(4);
    expect(records[1]).toMatchObject({ recordType: 'transaction', type: '075', account: 'short' });
    expect(records[2]).toEqual({ text: '999unknown_record_type' });
    expect(records[3]).toMatchObject({ oldBalanceDate: '012345' });
    expect(warnings.map((warning) => [warning.code, warning.details.line])).toContainEqual([
      'TEXT_VALUE_INVALID',
      4,
    ]);
  });

  it('reads an empty file as no records', async () => {
    expect((await read(await fixture('abo_empty.abo'), {})).records).toEqual([]);
  });

  it('reads Kamenický records without separators', async () => {
    const layout: TextLayout = {
      columns: [
        { name: 'code', width: 4, type: 'number', padding: '0' },
        { name: 'name', width: 12 },
        { name: 'price', width: 8, type: 'number', decimals: 2, decimalPoint: ',' },
        { name: 'date', width: 10, type: 'date', dateFormat: 'd.M.yyyy', align: 'left' },
      ],
    };
    const text = '0012Šťovík         12,50 1.2.2024 ' + '0000Žluťák      -1234,5031.12.1999';
    const bytes = encodeText(text, 'kamenicky').bytes;
    const { records } = await readInChunks(bytes, {
      layouts: [layout],
      recordSeparator: 'none',
      encoding: 'kamenicky',
    });

    expect(records).toEqual([
      { code: 12, name: 'Šťovík', price: 12.5, date: '2024-02-01' },
      { code: 0, name: 'Žluťák', price: -1234.5, date: '1999-12-31' },
    ]);
  });

  it('reads back a character outside the BMP as one place', async () => {
    const layout: TextLayout = {
      columns: [
        { name: 'name', width: 4 },
        { name: 'code', width: 2 },
      ],
    };
    const { records } = await readInChunks(Buffer.from('x😀y 42\r\n'), { layouts: [layout] });

    expect(records).toEqual([{ name: 'x😀y', code: '42' }]);
    const joined = await readInChunks(Buffer.from('x😀y 42ab😀 07'), {
      layouts: [layout],
      recordSeparator: 'none',
    });
    expect(joined.records).toEqual([
      { name: 'x😀y', code: '42' },
      { name: 'ab😀', code: '07' },
    ]);
  });

  it('ignores a line break after the last record without separators', async () => {
    const layout: TextLayout = { columns: [{ name: 'code', width: 3 }] };
    const { records } = await readInChunks(Buffer.from('abcdef\r\n'), {
      layouts: [layout],
      recordSeparator: 'none',
    });

    expect(records).toEqual([{ code: 'abc' }, { code: 'def' }]);
  });

  it('hints at the separator when records without one hold line breaks', async () => {
    const layout: TextLayout = { columns: [{ name: 'code', width: 3 }] };

    await expect(
      read(Buffer.from('abc\r\ndef\r\n'), { layouts: [layout], recordSeparator: 'none' }),
    ).rejects.toMatchObject({ hint: expect.stringContaining('record separator') });
  });

  it('reads delimited text by the layout', async () => {
    const layout: TextLayout = {
      columns: [{ name: 'ean' }, { name: 'count', type: 'number', decimals: 3, decimalPoint: ',' }],
    };
    const bytes = encodeText('8594001234567|1,500\r\n8594001234574|2\r\n', '852').bytes;
    const { records } = await readInChunks(bytes, {
      format: 'delimited',
      delimiter: '|',
      layouts: [layout],
      encoding: '852',
    });

    expect(records).toEqual([
      { ean: '8594001234567', count: 1.5 },
      { ean: '8594001234574', count: 2 },
    ]);
  });

  it('skips the end-of-file mark of delimited text', async () => {
    for (const ending of ['\x1a', '\x1a\r\n']) {
      const bytes = Buffer.from(`8594001234567|1,500\r\n${ending}`);

      const { records, warnings } = await readInChunks(bytes, {
        format: 'delimited',
        delimiter: '|',
        layouts: [],
      });

      expect(records, JSON.stringify(ending)).toEqual([
        { field1: '8594001234567', field2: '1,500' },
      ]);
      expect(warnings, JSON.stringify(ending)).toEqual([]);
    }
  });

  it('fails on a line longer than the maximum', async () => {
    const bytes = Buffer.from('075' + 'x'.repeat(5000));

    await expect(read(bytes, { maxRecordLength: 1000 }, 512)).rejects.toMatchObject({
      code: 'TEXT_LINE_TOO_LONG',
    });
  });
});
