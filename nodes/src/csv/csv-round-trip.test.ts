import { describe, expect, it } from 'vitest';
import type { DataRecord } from '../contract/block.js';
import { chunksOf, collectBatches } from '../text/chunks.test-support.js';
import { CSV_PRESETS, resolveCsvPreset } from './csv-presets.js';
import { readCsv, type FormulaGuardAction } from './csv-reader.js';
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

/**
 * Czech text with every kind of cell that needs quoting, numbers of both signs, and text that the
 * formula guard changes (`vzorec`) or leaves alone because it is a plain number.
 */
const records: DataRecord[] = [
  {
    ID: 'A-1',
    název: 'Příliš žluťoučký kůň',
    poznámka: 'úpěl; ďábelské "ódy"',
    cena: -21419.06,
    vzorec: '-5 Kč',
  },
  {
    ID: 'B-2',
    název: ' mezera na kraji ',
    poznámka: 'dva\r\nřádky, s čárkou',
    cena: 0.5,
    vzorec: "'=1+1",
  },
  { ID: 'C-3', název: 'ŠŤĚPÁN|Ř', poznámka: '', cena: 1234567, vzorec: '@SUM(1)' },
  { ID: 'D-4', název: '=1+1', poznámka: "'", cena: -1, vzorec: '-21419,06' },
];

/** Returns the records as a reader sees them: numbers as the writer wrote them. */
function asText(decimalComma: boolean): DataRecord[] {
  return records.map((record) => ({
    ...record,
    cena: decimalComma ? String(record.cena).replace('.', ',') : String(record.cena),
  }));
}

/** Returns the Read CSV setting that undoes what a writer with or without the guard did. */
function guardAction(formulaGuard: boolean): FormulaGuardAction {
  return formulaGuard ? 'remove' : 'keep';
}

async function roundTrip(preset: (typeof CSV_PRESETS)[number], encoding?: CsvEncoding) {
  const options = resolveCsvPreset(preset, { encoding });
  const encoder = createCsvEncoder(options);
  const bytes = Buffer.concat([encoder.encode(records), encoder.finish()]);
  const read = await collectBatches(
    readCsv(chunksOf(bytes, 3), {
      file: 'round-trip.csv',
      encoding: readEncodings[options.encoding],
      formulaGuard: guardAction(options.formulaGuard),
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

  it('reads back empty cells of one column', async () => {
    const written: DataRecord[] = [
      { ean: '8594001234567' },
      { ean: '' },
      { ean: null },
      { ean: '\u001a' },
      { ean: '8594001234574' },
    ];
    for (const preset of CSV_PRESETS) {
      const options = resolveCsvPreset(preset, {});
      const encoder = createCsvEncoder(options);
      const bytes = Buffer.concat([encoder.encode(written), encoder.finish()]);

      const read = await collectBatches(
        readCsv(chunksOf(bytes, 2), {
          file: 'one-column.csv',
          encoding: readEncodings[options.encoding],
          header: true,
          formulaGuard: guardAction(options.formulaGuard),
        }),
      );

      const expected = written.map(({ ean }) => ({ ean: ean ?? '' }));
      expect(read, preset).toEqual(expected);
    }
  });

  it('reads Czech numbers back as numbers', async () => {
    const encoder = createCsvEncoder(resolveCsvPreset('excel-cz', {}));
    const bytes = Buffer.concat([encoder.encode(records), encoder.finish()]);
    const read = await collectBatches(
      readCsv(chunksOf(bytes, 7), {
        file: 'excel.csv',
        values: 'czech',
        textColumns: ['ID', 'vzorec'],
        formulaGuard: 'remove',
      }),
    );

    expect(read).toEqual(records);
  });

  // Write CSV output of every preset and encoding reads back unchanged with Read CSV's detection
  // and the matching formula guard setting, whatever the text holds: apostrophes, formula
  // characters, plain numbers, quotes, the delimiter, line breaks, spaces at the edges.
  it('reads back random text of every preset and encoding', async () => {
    const random = createRandom(4180);
    for (let iteration = 0; iteration < 300; iteration++) {
      const preset = choose(random, CSV_PRESETS);
      const encoding = random() < 0.5 ? undefined : choose(random, CSV_ENCODINGS);
      const options = resolveCsvPreset(preset, { encoding });
      const letters = CZECH_ENCODINGS.includes(options.encoding) ? ['Ř', 'š'] : ['é'];
      // Half the files need no quoting at all, so that apostrophes stand alone in them.
      const plain = ['a', ...letters, '1', "'", "'x'", '-', '=', '+', '@', '5', ',5'];
      const quoted = [' ', '"', options.delimiter, '\r\n', '\n', '\t'];
      const pieces = random() < 0.5 ? plain : [...plain, ...quoted];
      const cell = () =>
        Array.from({ length: Math.floor(random() * 5) }, () => choose(random, pieces)).join('');
      const written = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        kód: cell(),
        název: cell(),
        pozn: cell(),
      }));
      const encoder = createCsvEncoder(options);
      const bytes = Buffer.concat([encoder.encode(written), encoder.finish()]);

      const read = await collectBatches(
        readCsv(chunksOf(bytes, 5), {
          file: 'random.csv',
          encoding: readEncodings[options.encoding],
          formulaGuard: guardAction(options.formulaGuard),
        }),
      );

      const label = `${preset} in ${options.encoding}: ${JSON.stringify(written)}`;
      expect(read, label).toEqual(written);
    }
  });
});
