import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDbfWriter, openDbf } from '../dbf/index.js';
import { demoItemFields, demoItems, generateItems } from './demo-items.js';

describe('demoItems', () => {
  it('holds 25 items with unique codes', () => {
    expect(demoItems).toHaveLength(25);
    expect(new Set(demoItems.map((item) => item.CODE)).size).toBe(25);
  });

  it('covers the cases exports must handle', () => {
    const names = demoItems.map((item) => item.NAME);
    expect(demoItems.some((item) => !item.ACTIVE)).toBe(true);
    expect(demoItems.some((item) => item.STOCK === 0)).toBe(true);
    expect(demoItems.some((item) => item.STOCK === null)).toBe(true);
    expect(demoItems.filter((item) => item.PRICE === null)).toHaveLength(1);
    expect(demoItems.map((item) => item.STOCK)).toEqual(expect.arrayContaining([1.5, 7.125]));
    expect(demoItems).toContainEqual(expect.objectContaining({ PRICE: 3.5, VAT: 21 }));
    expect(demoItems).toContainEqual(expect.objectContaining({ PRICE: 4.35, VAT: 10 }));
    expect(names.some((name) => name.includes(';'))).toBe(true);
    expect(names.some((name) => name.includes('"'))).toBe(true);
    expect(names.some((name) => name.startsWith(' '))).toBe(true);
    expect(names.some((name) => /^[=-]/.test(name))).toBe(true);
    expect(names.every((name) => name.length <= 40)).toBe(true);
  });

  it('has valid EAN-13 check digits', () => {
    for (const { EAN } of demoItems) {
      if (EAN === null) continue;
      const digits = [...EAN].map(Number);
      const sum = digits.reduce((total, digit, index) => total + digit * (index % 2 ? 3 : 1), 0);
      expect(sum % 10, EAN).toBe(0);
    }
  });
});

describe('generateItems', () => {
  it('yields the same items for the same seed', () => {
    const first = [...generateItems(250, 7, 100)];
    const second = [...generateItems(250, 7, 100)];
    expect(first.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(second).toEqual(first);
    expect([...generateItems(250, 8, 100)]).not.toEqual(first);
  });

  it('yields items that the writer accepts in Kamenický', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'kuryr-demo-'));
    try {
      const path = join(folder, 'generated.dbf');
      const writer = await createDbfWriter(path, { fields: demoItemFields, codePage: 'kamenicky' });
      const written = [];
      for (const batch of generateItems(3000, 42, 1000)) {
        await writer.write(batch);
        written.push(...batch);
      }
      await writer.close();

      const table = await openDbf(path);
      const read = [];
      for await (const batch of table.records(1000)) read.push(...batch);
      await table.close();
      expect(read).toEqual(written);
      expect(read.some((item) => /[ěščřžýáíéůú]/i.test(String(item.NAME)))).toBe(true);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
