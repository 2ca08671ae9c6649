import type { CodePage } from '../codepages/index.js';
import { createDbfWriter, type DbfWriteField } from '../dbf/dbf-writer.js';
import { createRandom } from './random.js';

/**
 * Fields of the demo warehouse items table. PRICE is without VAT, VAT is a percentage, STOCK is
 * in UNIT, CHANGED is the date of the last change.
 */
export const demoItemFields: readonly DbfWriteField[] = [
  { name: 'CODE', type: 'C', length: 13 },
  { name: 'EAN', type: 'C', length: 13 },
  { name: 'NAME', type: 'C', length: 40 },
  { name: 'PRICE', type: 'N', length: 12, decimals: 2 },
  { name: 'VAT', type: 'N', length: 2, decimals: 0 },
  { name: 'STOCK', type: 'N', length: 10, decimals: 3 },
  { name: 'UNIT', type: 'C', length: 3 },
  { name: 'CHANGED', type: 'D', length: 8 },
  { name: 'ACTIVE', type: 'L', length: 1 },
];

/** One row of the demo items table, as the DBF reader returns it. */
export type DemoItem = {
  CODE: string;
  EAN: string | null;
  NAME: string;
  PRICE: number | null;
  VAT: number;
  STOCK: number | null;
  UNIT: string;
  CHANGED: string;
  ACTIVE: boolean;
};

/** Appends the EAN-13 check digit to 12 digits. */
function ean13(digits: string): string {
  const sum = [...digits].reduce(
    (total, digit, index) => total + Number(digit) * (index % 2 ? 3 : 1),
    0,
  );
  return digits + String((10 - (sum % 10)) % 10);
}

type Row = [
  string,
  string | null,
  string,
  number | null,
  number,
  number | null,
  string,
  string,
  boolean,
];

// Chosen to exercise exports: diacritics, CSV and formula characters in names, blank and
// fractional values, inactive items.
const rows: Row[] = [
  ['A100', '859400000100', 'Mýdlo levandulové', 24.9, 21, 12, 'ks', '2026-11-30', true],
  ['A101', '859400000101', 'Čaj černý; sypaný', 0.5, 21, 3.5, 'kg', '2026-11-28', true],
  ['A102', null, 'Ořechy "lískové"', 150, 12, 0.25, 'kg', '2026-11-27', true],
  ['A103', '859400000103', 'Rýže dlouhozrnná', 32.1, 12, 0, 'kg', '2026-11-20', true],
  ['A104', '859400000104', 'Žvýkačky mátové', 3.5, 21, 140, 'ks', '2026-11-30', true],
  ['A105', '859400000105', 'Šampiňóny čerstvé', 39.9, 12, 7.125, 'kg', '2026-11-29', true],
  ['A106', '859400000106', 'Křen strouhaný', 4.35, 10, 9, 'ks', '2026-11-25', true],
  ['A107', '859400000107', ' Sleva podzimní', 10, 21, 1, 'ks', '2026-10-01', true],
  ['A108', '859400000108', '=Dárková sada', 299, 21, 4, 'ks', '2026-11-15', true],
  ['A109', '859400000109', '-Zlevněný přípravek', 59.9, 21, 2, 'ks', '2026-09-30', true],
  ['A110', '859400000110', 'Bez zásoby', 5, 21, null, 'ks', '2026-11-30', true],
  ['A111', '859400000111', 'Cena neurčena', null, 21, 6, 'ks', '2026-11-30', true],
  ['A112', '859400000112', 'Ďábelská omáčka pálivá', 74.5, 12, 1.5, 'l', '2026-11-18', true],
  ['A113', '859400000113', 'Ťuhýkovo pečivo', 12.9, 12, 30, 'ks', '2026-11-30', true],
  ['A114', '859400000114', 'Úplně stará zásoba', 18, 21, 0, 'ks', '2025-01-02', false],
  ['A115', '859400000115', 'Kůň houpací dřevěný', 1234.5, 21, 2, 'ks', '2026-06-30', true],
  ['A116', '859400000116', 'Příliš žluťoučký med', 149, 12, 11.75, 'kg', '2026-11-22', true],
  ['A117', '859400000117', 'Vyřazená položka', 45, 21, 3, 'ks', '2024-12-31', false],
  ['A118', null, 'Ňoky bramborové', 27.9, 12, 24, 'ks', '2026-11-26', true],
  ['A119', '859400000119', 'Ovesné vločky jemné', 21.5, 12, 60, 'kg', '2026-11-29', true],
  ['A120', '859400000120', 'Prací prášek Ekologický', 189, 21, 8, 'ks', '2026-11-10', true],
  ['A121', '859400000121', 'Sůl mořská hrubá', 19.9, 12, 0.5, 'kg', '2026-11-21', true],
  ['A122', '859400000122', 'Žárovka LED 9 W', 89, 21, 17, 'ks', '2026-11-05', false],
  ['A123', '859400000123', 'Čočka červená půlená', 44, 12, null, 'kg', '2026-11-30', true],
  ['A124', '859400000124', 'Šumivé víno Bílé 0,75 l', 219, 21, 36, 'ks', '2026-11-30', true],
];

/** The demo warehouse items, 25 rows in CODE order. */
export const demoItems: readonly DemoItem[] = rows.map(
  ([code, ean, name, price, vat, stock, unit, changed, active]) => ({
    CODE: code,
    EAN: ean === null ? null : ean13(ean),
    NAME: name,
    PRICE: price,
    VAT: vat,
    STOCK: stock,
    UNIT: unit,
    CHANGED: changed,
    ACTIVE: active,
  }),
);

/** Writes the demo items as a dBase III table in `codePage`. */
export async function writeDemoItemsDbf(path: string, codePage: CodePage): Promise<void> {
  const writer = await createDbfWriter(path, {
    fields: demoItemFields,
    codePage,
    lastUpdate: new Date(2026, 10, 30),
  });
  try {
    await writer.write(demoItems);
  } finally {
    await writer.close();
  }
}

const adjectives = [
  'Český',
  'Žlutý',
  'Šťavnatý',
  'Čerstvý',
  'Úžasný',
  'Křupavý',
  'Ďábelský',
  'Řízný',
];
const nouns = ['chléb', 'sýr', 'čaj', 'džus', 'řízek', 'koláč', 'ořech', 'jogurt', 'salám', 'džem'];
const units = ['ks', 'kg', 'l'];

/**
 * Yields `count` pseudo-random items of the demo schema in batches of `batchSize` (default
 * 10,000), the same for the same seed. Made for benchmarks, so it keeps no more than one batch in memory.
 */
export function* generateItems(
  count: number,
  seed: number,
  batchSize = 10_000,
): Generator<DemoItem[]> {
  const random = createRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;

  for (let first = 0; first < count; first += batchSize) {
    const batch: DemoItem[] = [];
    for (let index = first; index < Math.min(count, first + batchSize); index++) {
      const day = 1 + Math.floor(random() * 28);
      batch.push({
        CODE: `G${String(index + 1).padStart(8, '0')}`,
        EAN: ean13(`859${String(index).padStart(9, '0')}`),
        NAME: `${pick(adjectives)} ${pick(nouns)} ${index + 1}`,
        PRICE: Math.round(random() * 1_000_000) / 100,
        VAT: pick([12, 21]),
        STOCK: Math.round(random() * 100_000) / 1000,
        UNIT: pick(units),
        CHANGED: `2026-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        ACTIVE: random() < 0.9,
      });
    }
    yield batch;
  }
}
