import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodePage } from '../codepages/index.js';
import { demoItemFields, demoItems, writeDemoItemsDbf } from '../demo/demo-items.js';
import { createDbfWriter } from './index.js';
import { readAll, readError } from './read-table.test-support.js';

/** File offset of the NAME value of record 1 in a demo items table. */
const FIRST_NAME_OFFSET = 321 + 1 + 26;

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kuryr-dbf-code-page-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Writes the demo items with NAME replaced, then clears the language-driver byte. */
async function writeNamedItems(path: string, codePage: CodePage, name: string) {
  const writer = await createDbfWriter(path, { fields: demoItemFields, codePage });
  await writer.write(demoItems.map((item) => ({ ...item, NAME: name })));
  await writer.close();
  await clearLanguageDriver(path);
}

async function clearLanguageDriver(path: string) {
  const bytes = await readFile(path);
  bytes[29] = 0;
  await writeFile(path, bytes);
}

describe('openDbf code page guess', () => {
  it.each<CodePage>(['852', '1250', 'kamenicky'])('guesses demo items in %s', async (codePage) => {
    const path = join(scratch, `guess-${codePage}.dbf`);
    await writeDemoItemsDbf(path, codePage);
    await clearLanguageDriver(path);

    const { codePage: guessed, records, warnings } = await readAll(path);
    expect(guessed).toBe(codePage);
    expect(records.map((record) => record.NAME)).toEqual(demoItems.map((item) => item.NAME));
    expect(warnings.map((warning) => warning.code)).toEqual(['DBF_CODE_PAGE_GUESSED']);
    expect(warnings[0]!.message).toContain(`read as code page ${codePage}`);
    expect(warnings[0]!.message).toContain('set the code page of the Read DBF block');
  });

  it('does not guess for ASCII text', async () => {
    const path = join(scratch, 'ascii.dbf');
    await writeNamedItems(path, '852', 'Plain soap');

    const { codePage, records, warnings } = await readAll(path);
    expect(codePage).toBeUndefined();
    expect(records[0]!.NAME).toBe('Plain soap');
    expect(warnings).toEqual([]);
  });

  it('does not guess when the option sets the code page', async () => {
    const path = join(scratch, 'given.dbf');
    await writeDemoItemsDbf(path, '1250');
    await clearLanguageDriver(path);

    const { records, warnings } = await readAll(path, { codePage: '1250' });
    expect(records[0]!.NAME).toBe('Mýdlo levandulové');
    expect(warnings).toEqual([]);
  });

  it('rejects text that fits no candidate', async () => {
    // Box drawing in the DOS pages, and symbols without letters in the Windows pages.
    const path = join(scratch, 'boxes.dbf');
    await writeNamedItems(path, '437', '░▒▓');

    const error = await readError(path);
    expect(error.code).toBe('DBF_CODE_PAGE_UNKNOWN');
    expect(error.message).toContain('record 1, field NAME');
    expect(error.hint).toContain('code page');
    expect(error.context).toMatchObject({
      file: path,
      record: 1,
      field: 'NAME',
      offset: FIRST_NAME_OFFSET,
    });
  });
});

describe('openDbf code page order', () => {
  it('prefers a .cpg file to the language driver', async () => {
    const path = join(scratch, 'cpg-1250.dbf');
    await writeNamedItems(path, '1250', 'Žluťoučký kůň');
    const bytes = await readFile(path);
    bytes[29] = 0x64;
    await writeFile(path, bytes);
    await writeFile(join(scratch, 'cpg-1250.cpg'), 'windows-1250\r\n');

    const { records, codePage, warnings } = await readAll(path);
    expect(codePage).toBe('1250');
    expect(records[0]!.NAME).toBe('Žluťoučký kůň');
    expect(warnings).toEqual([]);
  });

  it('prefers the block setting to a .cpg file', async () => {
    const path = join(scratch, 'cpg-wrong.dbf');
    await writeNamedItems(path, '852', 'Žluťoučký kůň');
    await writeFile(join(scratch, 'cpg-wrong.cpg'), '1250');

    const { records, codePage } = await readAll(path, { codePage: '852' });
    expect(codePage).toBe('852');
    expect(records[0]!.NAME).toBe('Žluťoučký kůň');
  });
});

describe('openDbf unmappable bytes', () => {
  async function writeUnmappable(): Promise<string> {
    const path = join(scratch, 'unmappable-1252.dbf');
    await writeNamedItems(path, '1252', 'Cafe');
    const bytes = await readFile(path);
    bytes[29] = 0x03;
    // 0x81 has no character in Windows-1252.
    bytes[FIRST_NAME_OFFSET + 2] = 0x81;
    await writeFile(path, bytes);
    return path;
  }

  it('reads an unmappable byte as U+FFFD and warns', async () => {
    const path = await writeUnmappable();

    const { codePage, records, warnings } = await readAll(path);
    expect(codePage).toBe('1252');
    expect(records[0]!.NAME).toBe('Ca\uFFFDe');
    expect(records[1]!.NAME).toBe('Cafe');
    expect(warnings.map((warning) => warning.code)).toEqual(['DBF_BYTE_UNMAPPABLE']);
    expect(warnings[0]!.message).toBe(
      `record 1, field NAME: byte 0x81 at byte ${FIRST_NAME_OFFSET + 2} has no character in ` +
        'code page 1252 and is read as U+FFFD',
    );
    expect(warnings[0]!.details).toMatchObject({
      file: path,
      record: 1,
      field: 'NAME',
      offset: FIRST_NAME_OFFSET + 2,
    });
  });

  it('rejects an unmappable byte when strict', async () => {
    const path = await writeUnmappable();

    const error = await readError(path, { strict: true });
    expect(error.code).toBe('DBF_BYTE_UNMAPPABLE');
    expect(error.message).toContain('byte 0x81');
    expect(error.hint).toContain('code page');
    expect(error.context).toMatchObject({
      record: 1,
      field: 'NAME',
      offset: FIRST_NAME_OFFSET + 2,
    });
  });
});
