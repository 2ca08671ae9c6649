import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodePage } from '../codepages/index.js';
import type { DataRecord } from '../contract/block.js';
import { createRandom } from '../demo/random.js';
import {
  createDbfWriter,
  openDbf,
  type DbfWriteField,
  type DbfWriteFieldType,
  type DbfWriteFormat,
} from './index.js';
import { readAll } from './read-table.test-support.js';
import { readWithDbfread } from './reference-readers.test-support.js';

// The record decoder on generated tables of every field type the writer makes, with seeded
// random values: what the reader returns must equal what was written, and what python3-dbfread
// returns. On the corpus, any batch size must give the values the corpus tests establish.
// dbfread reads a varchar (V) field as text with its length byte, so its values are cut to that
// length before they are compared. Nullable Visual FoxPro fields are left to the writer tests.

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const RECORDS = 300;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kuryr-dbf-decoder-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const letters = 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;-';
const czechLetters = 'áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ';

type Generated = { fields: DbfWriteField[]; records: DataRecord[] };

/** Returns a field of each type the format has, and `count` records of random values. */
function generateTable(format: DbfWriteFormat, seed: number, count: number): Generated {
  const random = createRandom(seed);
  const types: DbfWriteFieldType[] =
    format === 'visual-foxpro'
      ? ['C', 'N', 'F', 'D', 'L', 'M', 'I', 'Y', 'B', 'T', 'V', 'V']
      : format === 'foxpro'
        ? ['C', 'N', 'F', 'D', 'L', 'M']
        : ['C', 'N', 'D', 'L', 'M'];
  const fields = types.map((type, index) => fieldOf(type, index, random));
  const records = Array.from({ length: count }, () =>
    Object.fromEntries(fields.map((field) => [field.name, valueOf(field, random)])),
  );
  return { fields, records };
}

function fieldOf(type: DbfWriteFieldType, index: number, random: () => number): DbfWriteField {
  const name = `${type}_FIELD${index}`;
  if (type === 'C' || type === 'V') return { name, type, length: 1 + Math.floor(random() * 60) };
  if (type === 'N' || type === 'F') {
    const length = 3 + Math.floor(random() * 15);
    return { name, type, length, decimals: Math.floor(random() * Math.min(6, length - 2)) };
  }
  return { name, type };
}

function text(random: () => number, maxLength: number): string {
  const alphabet = letters + czechLetters;
  const length = Math.floor(random() * (maxLength + 1));
  const characters = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]);
  // The reader trims trailing spaces.
  return characters.join('').trimEnd();
}

function valueOf(field: DbfWriteField, random: () => number): unknown {
  const isNull = random() < 0.1 && !'IYB'.includes(field.type);
  if (isNull) return null;
  switch (field.type) {
    case 'C': {
      const value = text(random, field.length!);
      return value === '' ? null : value;
    }
    case 'V': {
      // A varchar shorter than its field keeps trailing spaces, so some values get them. One
      // as wide as the field has no length byte and reads back trimmed, as a C value does.
      const value = text(random, field.length!);
      const spaces = Math.floor(random() * (field.length! - value.length));
      return value === '' ? null : value + ' '.repeat(random() < 0.5 ? spaces : 0);
    }
    case 'M': {
      const lines = Array.from({ length: 1 + Math.floor(random() * 40) }, () => text(random, 70));
      return lines.join(random() < 0.5 ? '\r\n' : '\n') || null;
    }
    case 'N':
    case 'F': {
      const integerDigits = field.length! - field.decimals! - (field.decimals! > 0 ? 2 : 1);
      const scale = 10 ** field.decimals!;
      const units = Math.floor(random() * 10 ** (integerDigits + field.decimals!));
      // Adding 0 turns -0 into 0, as a number field stores no sign for zero.
      return (random() < 0.3 ? -units : units) / scale + 0;
    }
    case 'D':
      return randomDay(random);
    case 'L':
      return random() < 0.5;
    case 'I':
      return Math.floor(random() * 0x1_0000_0000) - 0x8000_0000;
    case 'Y':
      return Math.round((random() - 0.5) * 2e12) / 10_000;
    case 'B':
      return (random() - 0.5) * 10 ** Math.floor(random() * 30 - 10);
    case 'T': {
      const seconds = Math.floor(random() * 86_400);
      const time = new Date(seconds * 1000).toISOString().slice(11, 19);
      return `${randomDay(random)}T${time}`;
    }
  }
}

function randomDay(random: () => number): string {
  const time = Date.UTC(1900, 0, 1) + Math.floor(random() * 200 * 365.25) * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

async function writeGenerated(
  name: string,
  table: Generated,
  format: DbfWriteFormat,
  codePage: CodePage,
) {
  const path = join(scratch, name);
  const writer = await createDbfWriter(path, { fields: table.fields, codePage, format });
  for (let first = 0; first < table.records.length; first += 64) {
    await writer.write(table.records.slice(first, first + 64));
  }
  await writer.close();
  return path;
}

/**
 * Cuts the V values dbfread returns to the length in their last byte when their bit in
 * `_NullFlags` is set, and drops `_NullFlags`. The generated tables have no nullable fields, so
 * the V fields hold the bits from 0 in field order.
 */
function varcharAsWritten(records: DataRecord[], fields: DbfWriteField[]): DataRecord[] {
  const varchars = fields.filter((field) => field.type === 'V');
  return records.map(({ _NullFlags: flags, ...record }) => {
    varchars.forEach(({ name }, bit) => {
      const value = record[name];
      const flagByte = typeof flags === 'string' ? flags.charCodeAt(bit >> 3) : 0;
      if (typeof value !== 'string' || (flagByte & (1 << (bit & 7))) === 0) return;
      record[name] = value.slice(0, value.charCodeAt(value.length - 1)) || null;
    });
    return record;
  });
}

describe('record decoder on generated tables', () => {
  it.each([
    ['dbase3', '852', 'cp852', 1],
    ['foxpro', '1250', 'cp1250', 2],
    ['visual-foxpro', '1250', 'cp1250', 3],
  ] as const)(
    'decodes every %s field type as written',
    async (format, codePage, encoding, seed) => {
      const table = generateTable(format, seed, RECORDS);
      const path = await writeGenerated(`${format}.dbf`, table, format, codePage);

      const { records, warnings } = await readAll(path);
      expect(warnings).toEqual([]);
      expect(records).toEqual(table.records);
      expect(varcharAsWritten(await readWithDbfread(path, encoding), table.fields)).toEqual(
        table.records,
      );
    },
  );

  it('decodes Kamenický text and memos as written', async () => {
    const table = generateTable('foxpro', 4, RECORDS);
    const path = await writeGenerated('kamenicky.dbf', table, 'foxpro', 'kamenicky');
    expect((await readAll(path)).records).toEqual(table.records);
  });
});

describe('record decoder on the corpus', () => {
  it('gives the same values in any batch size', async () => {
    const tables = (await readdir(fixtures, { recursive: true })).filter((file) =>
      file.toLowerCase().endsWith('.dbf'),
    );
    expect(tables.length).toBeGreaterThan(30);
    for (const file of tables) {
      const path = join(fixtures, file);
      // Tables that fail to read (dBase 7, damaged headers) have no values to compare.
      const whole = await readAll(path, { lenient: true }).catch(() => undefined);
      if (whole === undefined) continue;

      const table = await openDbf(path, { lenient: true });
      const records: DataRecord[] = [];
      try {
        for await (const batch of table.records(1)) records.push(...batch);
      } finally {
        await table.close();
      }
      expect(records, file).toEqual(whole.records);
    }
  });
});
