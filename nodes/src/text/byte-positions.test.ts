import { describe, expect, it } from 'vitest';
import type { DataRecord, WarningDetails } from '../contract/block.js';
import { encodeText } from '../codepages/codec.js';
import { createRandom } from '../demo/random.js';
import { CHUNK_SIZES, chunksOf, collectBatches } from './chunks.test-support.js';
import type { TextLayout } from './fixed-width.js';
import { choose } from './mutate.test-support.js';
import { readText, type TextReaderOptions } from './text-reader.js';
import { createTextEncoder, type TextEncoderOptions } from './text-writer.js';

/** Code 4 bytes, name 10 bytes, price 6 bytes: 20 bytes, whatever the name's letters. */
const layout: TextLayout = {
  columns: [
    { name: 'code', width: 4 },
    { name: 'name', width: 10 },
    { name: 'price', width: 6, type: 'number', decimals: 2, padding: '0' },
  ],
};

type Warning = { code: string; message: string; details: WarningDetails };

async function read(bytes: Uint8Array, options: Partial<TextReaderOptions> = {}, chunkSize = 7) {
  const warnings: Warning[] = [];
  const records = await collectBatches<DataRecord>(
    readText(chunksOf(bytes, chunkSize), {
      file: 'in.txt',
      format: 'fixed-width',
      layouts: [layout],
      positions: 'bytes',
      onWarning: (code, message, details) => warnings.push({ code, message, details }),
      ...options,
    }),
  );
  return { records, warnings };
}

function write(records: DataRecord[], options: Partial<TextEncoderOptions> = {}): Buffer {
  const encoder = createTextEncoder({
    format: 'fixed-width',
    layouts: [layout],
    encoding: 'utf-8',
    positions: 'bytes',
    ...options,
  });
  return Buffer.concat([encoder.encode(records), encoder.finish()]);
}

describe('byte positions', () => {
  it('reads UTF-8 columns by bytes', async () => {
    // "Řeka" is 5 bytes, so the name column has 5 spaces after it, not 6.
    const bytes = Buffer.from('A1  Řeka     001250\r\nB2  čž      000099\r\n', 'utf8');

    for (const size of CHUNK_SIZES) {
      const { records } = await read(bytes, {}, size);

      expect(records, `chunks of ${size} bytes`).toEqual([
        { code: 'A1', name: 'Řeka', price: 12.5 },
        { code: 'B2', name: 'čž', price: 0.99 },
      ]);
    }
  });

  it('counts characters by default', async () => {
    const bytes = Buffer.from('A1  Řeka      001250\r\n', 'utf8');

    const { records } = await read(bytes, { positions: 'characters' });

    expect(records).toEqual([{ code: 'A1', name: 'Řeka', price: 12.5 }]);
  });

  it('reports a line length in bytes', async () => {
    const bytes = Buffer.from('A1  Řeka      001250\r\n', 'utf8');

    await expect(read(bytes)).rejects.toMatchObject({
      code: 'TEXT_LINE_LENGTH',
      message: 'in.txt: line 1 has 21 bytes, but the layout has 20',
    });
  });

  it('reports a cut character with line and byte', async () => {
    // "ř" takes bytes 14 and 15, across the boundary between name (5 to 14) and price.
    const bytes = Buffer.from('A1  ok        001250\r\nA1  abcdefghiř00125\r\n', 'utf8');

    await expect(read(bytes)).rejects.toMatchObject({
      code: 'TEXT_CHARACTER_CUT',
      message:
        'in.txt: line 2, byte 15: column name (bytes 5 to 14) begins or ends inside a ' +
        'multibyte character',
      context: { file: 'in.txt', line: 2, field: 'name' },
    });
  });

  it('keeps a line with a cut character when asked', async () => {
    const bytes = Buffer.from('A1  abcdefghiř00125\r\n', 'utf8');

    const { records, warnings } = await read(bytes, { badLines: 'keep' });

    expect(warnings.map((warning) => warning.code)).toEqual([
      'TEXT_CHARACTER_CUT',
      'TEXT_CHARACTER_CUT',
    ]);
    expect(records).toEqual([{ code: 'A1', name: 'abcdefghi\ufffd', price: '\ufffd00125' }]);
  });

  it('reads the same either way in a code page', async () => {
    const text = 'A1  Řeka      001250\r\n';
    const bytes = encodeText(text, '1250').bytes;

    const byBytes = await read(bytes, { encoding: '1250' });
    const byCharacters = await read(bytes, { encoding: '1250', positions: 'characters' });

    expect(byBytes.records).toEqual([{ code: 'A1', name: 'Řeka', price: 12.5 }]);
    expect(byCharacters.records).toEqual(byBytes.records);
  });

  it('rejects byte positions in UTF-16', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('A1\r\n', 'utf16le')]);

    await expect(read(bytes)).rejects.toMatchObject({
      code: 'TEXT_OPTION_INVALID',
      context: { parameter: 'positions' },
    });
  });

  it('cuts records without separators by bytes', async () => {
    const bytes = Buffer.from('A1  Řeka     001250B2  čž      000099', 'utf8');

    const { records } = await read(bytes, { recordSeparator: 'none' }, 3);

    expect(records).toEqual([
      { code: 'A1', name: 'Řeka', price: 12.5 },
      { code: 'B2', name: 'čž', price: 0.99 },
    ]);
  });

  it('reports a record length inside a character', async () => {
    const bytes = Buffer.from('A1  Řeka     00125ř', 'utf8');

    await expect(read(bytes, { recordSeparator: 'none' })).rejects.toMatchObject({
      code: 'TEXT_CHARACTER_CUT',
      message:
        'in.txt: record 1, byte 20: a multibyte character crosses the record length of 20 bytes',
    });
  });

  it('writes UTF-8 columns by bytes', () => {
    const bytes = write([
      { code: 'A1', name: 'Řeka', price: 12.5 },
      { code: 'B2', name: 'čž', price: 0.99 },
    ]);

    expect(bytes.toString('utf8')).toBe('A1  Řeka     001250\r\nB2  čž      000099\r\n');
    expect(
      bytes
        .toString('utf8')
        .split('\r\n')
        .map((line) => Buffer.byteLength(line)),
    ).toEqual([20, 20, 0]);
  });

  it('rejects a value wider in bytes', () => {
    expect(() => write([{ code: 'A1', name: 'ŘŘŘŘŘŘ', price: 1 }])).toThrow(
      'record 1: "ŘŘŘŘŘŘ" is wider than column name (10 bytes)',
    );
  });

  it('cuts a long value at a whole character', () => {
    const bytes = write([{ code: 'A1', name: 'abcdefghiř', price: 1 }], { truncate: true });

    expect(bytes.toString('utf8')).toBe('A1  abcdefghi 000100\r\n');
  });

  it('rejects padding of several bytes', () => {
    const padded: TextLayout = { columns: [{ name: 'name', width: 4, padding: 'ž' }] };

    expect(() => write([], { layouts: [padded] })).toThrow(
      'column name pads with "ž", which takes more than one byte in UTF-8',
    );
  });

  it('rejects overlapping columns that cut a character', () => {
    const overlapping: TextLayout = {
      columns: [
        { name: 'a', start: 1, width: 2 },
        { name: 'b', start: 2, width: 2 },
      ],
    };

    expect(() => write([{ a: 'ř', b: 'xy' }], { layouts: [overlapping] })).toThrow(
      'record 1, byte 1: the prefix or overlapping columns of the layout cut a multibyte character',
    );
  });

  it('round-trips random Czech text', async () => {
    const random = createRandom(2024);
    const letters = ['a', 'Z', 'ř', 'Ž', 'é', '€', '1', ' ', '😀'];
    for (let iteration = 0; iteration < 100; iteration++) {
      const records = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
        let name = '';
        while (true) {
          const next = name + choose(random, letters);
          if (Buffer.byteLength(next) > 10) break;
          name = next;
          if (random() < 0.2) break;
        }
        return { code: choose(random, ['A1', 'ř', 'xyz']), name: name.trim(), price: 1.5 };
      });
      const recordSeparator = choose(random, ['CRLF', 'LF', 'none'] as const);
      const bytes = write(records, { recordSeparator });

      const { records: readBack } = await read(
        bytes,
        { recordSeparator },
        1 + Math.floor(random() * 9),
      );

      expect(readBack, JSON.stringify(records)).toEqual(records);
    }
  });
});
