import { describe, expect, it } from 'vitest';
import type { DataRecord } from '../contract/block.js';
import { chunksOf, collectBatches } from '../text/chunks.test-support.js';
import { CSV_PRESETS, resolveCsvPreset } from './csv-presets.js';
import { readCsv } from './csv-reader.js';
import { createCsvEncoder } from './csv-writer.js';
import type { CodePage } from '../codepages/code-page.js';
import { createRandom } from '../demo/random.js';
import { choose } from '../text/mutate.test-support.js';
import { decodeText, encodeText } from '../codepages/codec.js';
import { CSV_ENCODINGS, codePageOfCsvEncoding, type CsvEncoding } from './text-encoding.js';

/** The encoding each read of a written encoding sets; UTF-8 is detected. */
const readEncodings: Readonly<Record<CsvEncoding, 'auto' | Exclude<CodePage, 'utf-8'>>> = {
  'utf-8': 'auto',
  'utf-8-bom': 'auto',
  ...codePageOfCsvEncoding,
};

/** Western code pages lack Czech letters, which the round trip writes as ? with a warning. */
const CZECH_ENCODINGS: readonly CsvEncoding[] = [
  'utf-8',
  'utf-8-bom',
  'windows-1250',
  'cp852',
  'kamenicky',
];

/** Czech text with every kind of cell that needs quoting, and numbers of both signs. */
const records: DataRecord[] = [
  { ID: 'A-1', název: 'Příliš žluťoučký kůň', poznámka: 'úpěl; ďábelské "ódy"', cena: -21419.06 },
  { ID: 'B-2', název: ' mezera na kraji ', poznámka: 'dva\r\nřádky, s čárkou', cena: 0.5 },
  { ID: 'C-3', název: 'ŠŤĚPÁN|Ř', poznámka: '', cena: 1234567 },
];

/** Returns the records as a reader sees them: numbers as the writer wrote them. */
function asText(decimalComma: boolean): DataRecord[] {
  return records.map((record) => ({
    ...record,
    cena: decimalComma ? String(record.cena).replace('.', ',') : String(record.cena),
  }));
}

async function roundTrip(preset: (typeof CSV_PRESETS)[number], encoding?: CsvEncoding) {
  const options = resolveCsvPreset(preset, { encoding });
  const encoder = createCsvEncoder(options);
  const bytes = Buffer.concat([encoder.encode(records), encoder.finish()]);
  const read = await collectBatches(
    readCsv(chunksOf(bytes, 3), {
      file: 'round-trip.csv',
      encoding: readEncodings[options.encoding],
    }),
  );
  return { read, options };
}

describe('CSV round trip', () => {
  for (const preset of CSV_PRESETS) {
    it(`reads back the ${preset} preset`, async () => {
      const { read, options } = await roundTrip(preset);

      expect(read).toEqual(asText(options.decimalComma));
    });
  }

  for (const encoding of CZECH_ENCODINGS) {
    it(`reads back ${encoding}`, async () => {
      const { read } = await roundTrip('custom', encoding);

      expect(read).toEqual(asText(false));
    });
  }

  for (const encoding of CSV_ENCODINGS.filter((name) => !CZECH_ENCODINGS.includes(name))) {
    it(`reads back ${encoding} with ? for missing letters`, async () => {
      const codePage = readEncodings[encoding] as Exclude<CodePage, 'utf-8'>;
      const inCodePage = (text: string) => decodeText(encodeText(text, codePage).bytes, codePage);
      const expected = asText(false).map((record) =>
        Object.fromEntries(
          Object.entries(record).map(([name, value]) => [
            inCodePage(name),
            inCodePage(String(value)),
          ]),
        ),
      );

      const { read } = await roundTrip('custom', encoding);

      expect(read).toEqual(expected);
      expect(JSON.stringify(read)).toContain('?');
    });
  }

  it('reads Czech numbers back as numbers', async () => {
    const encoder = createCsvEncoder(resolveCsvPreset('excel-cz', {}));
    const bytes = Buffer.concat([encoder.encode(records), encoder.finish()]);
    const read = await collectBatches(
      readCsv(chunksOf(bytes, 7), { file: 'excel.csv', values: 'czech', textColumns: ['ID'] }),
    );

    expect(read).toEqual(records);
  });

  // Write CSV output of every preset reads back unchanged with Read CSV's defaults, whatever the
  // text holds: apostrophes, quotes, the delimiter, line breaks, spaces at the edges.
  it('reads back random text of every preset with the default options', async () => {
    const random = createRandom(4180);
    for (let iteration = 0; iteration < 200; iteration++) {
      const preset = choose(random, CSV_PRESETS);
      const options = resolveCsvPreset(preset, {});
      // Half the files need no quoting at all, so that apostrophes stand alone in them.
      const plain = ['a', 'Ř', 'š', '1', "'", "'x'"];
      const quoted = [' ', '"', options.delimiter, '\r\n', '\n'];
      const pieces = random() < 0.5 ? plain : [...plain, ...quoted];
      // A leading formula character would be prefixed by the guard; the guard has its own tests.
      const cell = () =>
        Array.from({ length: Math.floor(random() * 5) }, () => choose(random, pieces))
          .join('')
          .replace(/^[-=+@\t\r]/, 'a');
      const written = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        kód: cell(),
        název: cell(),
        pozn: cell(),
      }));
      const encoder = createCsvEncoder(options);
      const bytes = Buffer.concat([encoder.encode(written), encoder.finish()]);

      const read = await collectBatches(readCsv(chunksOf(bytes, 5), { file: 'random.csv' }));

      expect(read, `${preset}: ${JSON.stringify(written)}`).toEqual(written);
    }
  });
});
