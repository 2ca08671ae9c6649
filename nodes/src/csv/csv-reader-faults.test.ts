import { describe, expect, it } from 'vitest';
import type { DataRecord } from '../contract/block.js';
import { chunksOf, collectBatches } from '../text/chunks.test-support.js';
import { readCsv, type CsvReaderOptions } from './csv-reader.js';
import { createCsvEncoder } from './csv-writer.js';
import { resolveCsvPreset } from './csv-presets.js';

/** Reads CSV bytes with the block's defaults unless `options` sets them. */
function read(input: string | Uint8Array, options: Partial<CsvReaderOptions> = {}) {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  return collectBatches<DataRecord>(readCsv(chunksOf(bytes, 3), { file: 'in.csv', ...options }));
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('readCsv faults', () => {
  it('reports an unclosed quote in a short semicolon file', async () => {
    const text =
      'datum;doklad;částka;pozn\r\n' +
      '08.01.2024;PR-1;-21.419,06;"nezavřená\r\n' +
      '09.01.2024;PR-2;1,5;ok\r\n';

    await expect(read(text, { values: 'czech' })).rejects.toMatchObject({
      code: 'CSV_QUOTE_UNCLOSED',
    });
  });

  it('never reads an unclosed quote as data', async () => {
    await expect(read('a;b\r\n1;"2\r\n3;4\r\n')).rejects.toMatchObject({
      code: 'CSV_QUOTE_UNCLOSED',
    });
  });

  it('reads one column of decimal commas', async () => {
    const records = await read('hmotnost\r\n1,5\r\n2,25\r\n', { values: 'czech' });

    expect(records).toEqual([{ hmotnost: 1.5 }, { hmotnost: 2.25 }]);
  });

  it('skips the sep= line that Excel understands', async () => {
    const records = await read('sep=;\r\nkód;název\r\n1;a\r\n');

    expect(records).toEqual([{ kód: '1', název: 'a' }]);
  });

  it('reads back apostrophes that Write CSV wrote', async () => {
    const written: DataRecord[] = [{ kód: "'A1'", název: 'x' }];
    const encoder = createCsvEncoder(resolveCsvPreset('shoptet-upgates', {}));
    const bytes = Buffer.concat([encoder.encode(written), encoder.finish()]);

    expect(await read(bytes, { encoding: '1250' })).toEqual(written);
  });

  it('keeps a UTF-8 BOM out of the header with a set code page', async () => {
    const bytes = Buffer.concat([UTF8_BOM, Buffer.from('"kod;x";nazev\r\n"A;1";b\r\n')]);

    const records = await read(bytes, { encoding: '1250' });

    expect(records).toEqual([{ 'kod;x': 'A;1', nazev: 'b' }]);
  });

  it('counts the BOM in the offset of invalid UTF-8', async () => {
    const bytes = Buffer.concat([UTF8_BOM, Buffer.from('a;b\r\n'), Buffer.from([0x9a, 0xe8])]);

    await expect(read(bytes)).rejects.toMatchObject({
      code: 'TEXT_NOT_UTF8',
      context: { offset: 8 },
    });
  });

  it('fails on a UTF-16 file cut in a character', async () => {
    const text = Buffer.from('\ufeffa;b\r\n1;2', 'utf16le');
    const bytes = Buffer.concat([text, Buffer.from([0x41])]);

    await expect(read(bytes)).rejects.toMatchObject({ context: { file: 'in.csv' } });
  });

  it('fails on a lone UTF-16 surrogate', async () => {
    const bytes = Buffer.concat([
      Buffer.from('\ufeffa;b\r\n1;', 'utf16le'),
      Buffer.from([0x00, 0xd8]),
      Buffer.from('x\r\n', 'utf16le'),
    ]);

    await expect(read(bytes)).rejects.toMatchObject({ context: { file: 'in.csv' } });
  });
});

describe('createCsvEncoder faults', () => {
  it('warns about fields the first record lacks', () => {
    const warnings: string[] = [];
    const encoder = createCsvEncoder({ onWarning: (code) => warnings.push(code) });

    encoder.encode([{ a: 1 }]);
    encoder.encode([{ a: 2, b: 3 }]);

    expect(warnings).toHaveLength(1);
  });
});
