import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  generateItems,
  createDbfWriter,
  demoItemFields,
  demoItems,
  writeDemoItemsDbf,
  type CodePage,
} from '@kuryr/nodes';
import { kuryrBin, repositoryRoot, runKuryr } from '../support/kuryr.js';

const flowPath = join(repositoryRoot, 'flows/eshop-stock-csv.json');
const fixtures = join(repositoryRoot, 'flows/fixtures/eshop-stock-csv');
let work: string;
let data: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kuryr-eshop-'));
  data = join(work, 'data');
  await mkdir(join(data, 'eshop'), { recursive: true });
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the flow (or another) on `source`, writing eshop/stock.csv unless variables say otherwise. */
function runFlow(
  source: string,
  options: { flow?: string; variables?: Record<string, string> } = {},
) {
  const variables = { SOURCE_DBF: source, TARGET_CSV: 'eshop/stock.csv', ...options.variables };
  const pairs = Object.entries(variables).flatMap(([name, value]) => ['--var', `${name}=${value}`]);
  const folders = ['--data-dir', data, '--state-dir', join(work, 'state')];
  return runKuryr(['run', options.flow ?? flowPath, ...folders, ...pairs]);
}

/** Asserts that the failed run left neither the stock file nor a temporary file behind. */
async function expectNoOutput() {
  expect(await readdir(join(data, 'eshop'))).toEqual([]);
}

describe('e-shop stock flow', () => {
  it('writes the expected bytes from the 852 items table', async () => {
    await cp(join(fixtures, 'items-852.dbf'), join(data, 'items.dbf'));
    const result = await runFlow('items.dbf');
    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    const written = await readFile(join(data, 'eshop/stock.csv'));
    expect(written.equals(await readFile(join(fixtures, 'expected.csv')))).toBe(true);
  });

  it('writes the same bytes without code generation', async () => {
    // Read DBF, the expressions and Write CSV generate code with `new Function` for speed. Where
    // Node.js forbids that, they take their code written by hand and write the same file.
    await cp(join(fixtures, 'items-852.dbf'), join(data, 'items.dbf'));
    const variables = ['--var', 'SOURCE_DBF=items.dbf', '--var', 'TARGET_CSV=eshop/stock.csv'];
    const folders = ['--data-dir', data, '--state-dir', join(work, 'state')];
    const result = await runKuryr(['run', flowPath, ...folders, ...variables, '--json'], {
      env: { NODE_OPTIONS: '--disallow-code-generation-from-strings' },
    });
    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    const written = await readFile(join(data, 'eshop/stock.csv'));
    expect(written.equals(await readFile(join(fixtures, 'expected.csv')))).toBe(true);
    const summary = JSON.parse(result.stdout) as {
      blocks: { id: string; expressions: { isCompiled: boolean }[] }[];
    };
    const expressions = summary.blocks.flatMap((block) => block.expressions);
    expect(expressions.length).toBeGreaterThanOrEqual(2);
    expect(expressions.every((expression) => expression.isCompiled)).toBe(true);
  });

  it.each<CodePage>(['852', 'kamenicky', '1250'])(
    'writes the same bytes from demo items in %s',
    async (codePage) => {
      await writeDemoItemsDbf(join(data, 'items.dbf'), codePage);
      const result = await runFlow('items.dbf');
      expect(result.code).toBe(0);
      const written = await readFile(join(data, 'eshop/stock.csv'));
      expect(written.toString('latin1')).toBe(
        (await readFile(join(fixtures, 'demo-expected.csv'))).toString('latin1'),
      );
      expect(result.stdout).toContain(
        'Warning in block "keep-in-stock": item A111 has no PRICE or VAT and is left out of the export',
      );
    },
  );

  it('rejects an empty export', async () => {
    const inactive = demoItems.map((item) => ({ ...item, ACTIVE: false }));
    const writer = await createDbfWriter(join(data, 'items.dbf'), {
      fields: demoItemFields,
      codePage: '852',
    });
    await writer.write(inactive);
    await writer.close();
    const result = await runFlow('items.dbf');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'block "write-file" (Save stock file): eshop/stock.csv not written: the file contains no records',
    );
    await expectNoOutput();
  });
});

describe('e-shop stock flow with a code page given', () => {
  it('reads a 1250 table without a language driver, guessed or through CODE_PAGE', async () => {
    await writeDemoItemsDbf(join(data, 'items.dbf'), '1250');
    const bytes = await readFile(join(data, 'items.dbf'));
    bytes[29] = 0;
    await writeFile(join(data, 'items.dbf'), bytes);

    const guessed = await runFlow('items.dbf');
    expect(guessed.code).toBe(0);
    expect(guessed.stdout).toContain('Warning in block "read-items"');
    expect(guessed.stdout).toContain('read as code page 1250');
    const guessedCsv = await readFile(join(data, 'eshop/stock.csv'));
    expect(guessedCsv.equals(await readFile(join(fixtures, 'demo-expected.csv')))).toBe(true);

    const result = await runFlow('items.dbf', { variables: { CODE_PAGE: '1250' } });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('read as code page');
    const written = await readFile(join(data, 'eshop/stock.csv'));
    expect(written.equals(await readFile(join(fixtures, 'demo-expected.csv')))).toBe(true);
  });
});

describe('e-shop stock flow on bad input', () => {
  async function demoBytes(): Promise<Buffer> {
    await writeDemoItemsDbf(join(work, 'demo.dbf'), '852');
    return readFile(join(work, 'demo.dbf'));
  }

  it('fails on a truncated table and names the file', async () => {
    const bytes = await demoBytes();
    const headerLength = bytes.readUInt16LE(8);
    const recordLength = bytes.readUInt16LE(10);
    await writeFile(
      join(data, 'items.dbf'),
      bytes.subarray(0, headerLength + recordLength * 10 + 7),
    );
    const result = await runFlow('items.dbf');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('block "read-items" (Read items)');
    expect(result.stderr).toContain('truncated: header says 25 records, file holds 10');
    expect(result.stderr).toContain('items.dbf');
    expect(result.stderr).toContain('hint:');
    await expectNoOutput();
  });

  it('fails when the header length disagrees with the field list', async () => {
    const bytes = await demoBytes();
    bytes.writeUInt16LE(bytes.readUInt16LE(8) - 64, 8);
    await writeFile(join(data, 'items.dbf'), bytes);
    const result = await runFlow('items.dbf');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/header length/i);
    expect(result.stderr).toContain('byte offset');
    await expectNoOutput();
  });

  it('fails on an unknown field type and names the field', async () => {
    const bytes = await demoBytes();
    const nameField = 32 + 2 * 32;
    bytes[nameField + 11] = 'X'.charCodeAt(0);
    await writeFile(join(data, 'items.dbf'), bytes);
    const result = await runFlow('items.dbf');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('NAME');
    expect(result.stderr).toContain('byte offset');
    await expectNoOutput();
  });

  it('fails on an invalid expression and names the block and position', async () => {
    const flow = JSON.parse(await readFile(flowPath, 'utf8'));
    flow.blocks[1].parameters.expression = '{ "code": CODE, "name": }';
    await writeFile(join(work, 'flow.json'), JSON.stringify(flow));
    await writeDemoItemsDbf(join(data, 'items.dbf'), '852');
    const result = await runFlow('items.dbf', { flow: join(work, 'flow.json') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'block "map-stock" (Map to stock lines): invalid JSONata in "expression" at character',
    );
    expect(result.stderr).toContain('hint:');
    await expectNoOutput();
  });

  it('fails on an expression error in one record and names the record', async () => {
    const items = demoItems.map((item, index) =>
      index === 6 ? { ...item, EAN: 'NOT-A-NUMBER' } : item,
    );
    const writer = await createDbfWriter(join(data, 'items.dbf'), {
      fields: demoItemFields,
      codePage: '852',
    });
    await writer.write(items);
    await writer.close();
    const flow = JSON.parse(await readFile(flowPath, 'utf8'));
    flow.blocks[1].parameters.expression = '{ "code": CODE, "ean": EAN ? $number(EAN) : null }';
    await writeFile(join(work, 'flow.json'), JSON.stringify(flow));
    const result = await runFlow('items.dbf', { flow: join(work, 'flow.json') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'block "map-stock" (Map to stock lines): expression in "expression" failed on record 7',
    );
    expect(result.stderr).toContain('"EAN":"NOT-A-NUMBER"');
    await expectNoOutput();
  });

  it('fails when the header counts fewer records than the file holds', async () => {
    const bytes = await demoBytes();
    bytes.writeUInt32LE(10, 4);
    await writeFile(join(data, 'items.dbf'), bytes);
    const result = await runFlow('items.dbf');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the header declares 10 records, but the file contains 25');
    await expectNoOutput();
  });

  it('fails on a target path through a file', async () => {
    await writeDemoItemsDbf(join(data, 'items.dbf'), '852');
    const result = await runFlow('items.dbf', { variables: { TARGET_CSV: 'items.dbf/stock.csv' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('items.dbf/stock.csv leads through a file, not a folder');
  });

  it('fails on a table without a required column', async () => {
    const bytes = await demoBytes();
    bytes.write('CODM', 32, 'latin1');
    await writeFile(join(data, 'items.dbf'), bytes);
    const result = await runFlow('items.dbf');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('items.dbf is missing the fields CODE');
    await expectNoOutput();
  });

  it('fails on a missing table with a hint', async () => {
    const result = await runFlow('nope.dbf');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nope.dbf was not found in the data folder');
    expect(result.stderr).toContain('hint:');
  });

  it('fails cleanly on random bytes', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 8; round++) {
      const length = Math.floor(random() * 2000);
      const bytes = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
      if (round % 2 === 0 && length > 0) bytes[0] = 0x03;
      await writeFile(join(data, 'items.dbf'), bytes);
      const result = await runFlow('items.dbf');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('error: block "read-items"');
    }
    await expectNoOutput();
  });
});

describe('e-shop stock flow when interrupted', () => {
  it('stops on SIGINT and leaves nothing behind', async () => {
    const writer = await createDbfWriter(join(data, 'items.dbf'), {
      fields: demoItemFields,
      codePage: '852',
    });
    for (const batch of generateItems(300_000, 1)) await writer.write(batch);
    await writer.close();

    const child = spawn(kuryrBin, [
      'run',
      flowPath,
      '--data-dir',
      data,
      '--state-dir',
      join(work, 'state'),
      '--var',
      'SOURCE_DBF=items.dbf',
      '--var',
      'TARGET_CSV=eshop/stock.csv',
    ]);
    let stderr = '';
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!child.killed && stderr.includes('Map to stock lines')) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(code).toBe(1);
    expect(stderr).toContain('error: the run was cancelled (SIGINT)');
    expect(stdout).toContain('cancelled');
    await expectNoOutput();
    expect(await readdir(join(work, 'state/tmp'))).toEqual([]);
  });
});
