import { spawnSync } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCsvEncoder, encodeText, resolveCsvPreset } from '@kuryr/nodes';
import { requireSystemTool } from '../../scripts/system-packages.mjs';
import { repositoryRoot, runKuryr } from '../support/kuryr.js';
import { useRunFolders } from '../support/run-folders.js';

const flowPath = join(repositoryRoot, 'flows/supplier-pricelist-excel.json');
const fixtures = join(repositoryRoot, 'flows/fixtures/supplier-pricelist-excel');
const prepareRun = useRunFolders('kuryr-pricelist-');

type Summary = {
  status: string;
  blocks: { id: string; warnings: { code: string; count: number }[] }[];
};

async function runFlow(work: string, source: string): Promise<Summary> {
  const variables = [`SOURCE_CSV=${source}`, 'TARGET_CSV=excel.csv'];
  const folders = { '--data-dir': join(work, 'data'), '--state-dir': join(work, 'state') };
  const args = [
    ...Object.entries(folders).flat(),
    ...variables.flatMap((pair) => ['--var', pair]),
    '--json',
  ];
  const result = await runKuryr(['run', flowPath, ...args]);
  expect(result.stderr).not.toContain('error:');
  return JSON.parse(result.stdout) as Summary;
}

const warningsOf = (summary: Summary, block: string) =>
  (summary.blocks.find((entry) => entry.id === block)?.warnings ?? []).map(
    (warning) => warning.code,
  );

describe('supplier price list flow', () => {
  it('writes the expected Excel CZ bytes and reports the dialect', async () => {
    const { work, data } = await prepareRun();
    await cp(join(fixtures, 'pricelist.csv'), join(data, 'pricelist.csv'));
    const summary = await runFlow(work, 'pricelist.csv');

    expect(summary.status).toBe('succeeded');
    expect(warningsOf(summary, 'read-csv')).toEqual(['CSV_DIALECT_DETECTED']);
    const written = await readFile(join(data, 'excel.csv'));
    expect(written.equals(await readFile(join(fixtures, 'expected.csv')))).toBe(true);
  });

  it('reads the same list in windows-1250 with CRLF', async () => {
    const { work, data } = await prepareRun();
    const text = (await readFile(join(fixtures, 'pricelist.csv'), 'utf8')).replace(
      /\n(?=[A-Z0-9]|$)/g,
      '\r\n',
    );
    await writeFile(join(data, 'pricelist.csv'), encodeText(text, '1250').bytes);
    const summary = await runFlow(work, 'pricelist.csv');

    expect(summary.status).toBe('succeeded');
    expect(warningsOf(summary, 'read-csv').sort()).toEqual([
      'CSV_DIALECT_DETECTED',
      'TEXT_ENCODING_FALLBACK',
    ]);
    const written = await readFile(join(data, 'excel.csv'));
    expect(written.equals(await readFile(join(fixtures, 'expected.csv')))).toBe(true);
  });
});

type Cell = { type: string; value: string };

/** Cells of each row of the first sheet of a flat ODS file. */
function readFlatOds(xml: string): Cell[][] {
  const decode = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  const rows = xml.match(/<table:table-row[^>]*>[\s\S]*?<\/table:table-row>/g) ?? [];
  return rows.map((row) => {
    const cells = row.match(
      /<table:table-cell[^>]*\/>|<table:table-cell[\s\S]*?<\/table:table-cell>/g,
    );
    return (cells ?? []).map((cell) => {
      const type = /office:value-type="([^"]+)"/.exec(cell)?.[1] ?? 'empty';
      const number = /office:value="([^"]+)"/.exec(cell)?.[1];
      const paragraphs = [...cell.matchAll(/<text:p>([\s\S]*?)<\/text:p>/g)].map((match) =>
        decode(match[1]!),
      );
      return { type, value: number ?? paragraphs.join('\n') };
    });
  });
}

/**
 * Opens an Excel CZ file in LibreOffice Calc and returns the cells of its first sheet. The filter
 * options: field separator 59 (;), text delimiter 34 ("), character set 33 (windows-1250), from
 * line 1, standard column types, language 1029 (Czech) so that decimal commas are numbers.
 */
async function openInLibreOffice(work: string, csvPath: string): Promise<Cell[][]> {
  const profile = pathToFileURL(join(work, 'libreoffice-profile')).href;
  const converted = spawnSync(
    'soffice',
    [
      `-env:UserInstallation=${profile}`,
      '--headless',
      '--infilter=CSV:59,34,33,1,,1029',
      '--convert-to',
      'fods',
      '--outdir',
      join(work, 'converted'),
      csvPath,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  expect(converted.status, converted.stderr).toBe(0);
  const name = basename(csvPath).replace(/\.csv$/, '.fods');
  return readFlatOds(await readFile(join(work, 'converted', name), 'utf8'));
}

describe('Excel CZ output in LibreOffice', () => {
  it('opens with the right columns, Czech text and numbers', async () => {
    requireSystemTool('soffice');
    const { work, data } = await prepareRun();
    await cp(join(fixtures, 'pricelist.csv'), join(data, 'pricelist.csv'));
    await runFlow(work, 'pricelist.csv');

    const rows = await openInLibreOffice(work, join(data, 'excel.csv'));

    expect(rows).toHaveLength(4);
    expect(rows[0]!.map((cell) => cell.value)).toEqual([
      'kód',
      'název',
      'cena bez DPH',
      'DPH',
      'platí od',
      'poznámka',
      'EAN',
    ]);
    expect(rows[1]!.slice(0, 4)).toEqual([
      { type: 'float', value: '815' },
      { type: 'string', value: 'Šroub M8 pozinkovaný' },
      { type: 'float', value: '1234.5' },
      { type: 'float', value: '21' },
    ]);
    expect(rows[1]![5]).toEqual({ type: 'string', value: 'balení; 100 ks' });
    expect(rows[2]![1]).toEqual({ type: 'string', value: 'Žluťoučký kůň (figurka)' });
    expect(rows[2]![2]).toEqual({ type: 'float', value: '-21419.06' });
    expect(rows[2]![5]).toEqual({ type: 'string', value: 'dva\nřádky' });
    expect(rows[3]![1]).toEqual({ type: 'string', value: 'Čaj "Earl Grey"' });
    expect(rows[3]![2]).toEqual({ type: 'float', value: '0.5' });
    expect(rows[3]![5]).toEqual({ type: 'string', value: "'=1+1" });
  });

  // LibreOffice Calc 7.4 runs =1+1 from a CSV file and reads -5 as a number. The guard keeps
  // formulas from running, and leaves plain numbers alone so that they stay numbers.
  it('opens guarded formulas as text and plain numbers as numbers', async () => {
    requireSystemTool('soffice');
    const { work, data } = await prepareRun();
    const encoder = createCsvEncoder(resolveCsvPreset('excel-cz', {}));
    const record = {
      number: -5,
      numberText: '-21419,06',
      equals: '=1+1',
      sum: '+1+1',
      at: '@SUM(1)',
      amount: '-5 Kč',
    };
    const bytes = Buffer.concat([encoder.encode([record]), encoder.finish()]);
    await writeFile(join(data, 'guard.csv'), bytes);
    const unguarded = createCsvEncoder(resolveCsvPreset('excel-cz', { formulaGuard: false }));
    const formula = Buffer.concat([unguarded.encode([{ equals: '=1+1' }]), unguarded.finish()]);
    await writeFile(join(data, 'unguarded.csv'), formula);

    const rows = await openInLibreOffice(work, join(data, 'guard.csv'));
    const unguardedRows = await openInLibreOffice(work, join(data, 'unguarded.csv'));

    expect(rows[1]).toEqual([
      { type: 'float', value: '-5' },
      { type: 'float', value: '-21419.06' },
      { type: 'string', value: "'=1+1" },
      { type: 'string', value: "'+1+1" },
      { type: 'string', value: "'@SUM(1)" },
      { type: 'string', value: "'-5 Kč" },
    ]);
    // Without the guard the same cell runs, which shows that the guard is what stops it.
    expect(unguardedRows[1]).toEqual([{ type: 'float', value: '2' }]);
  });
});
