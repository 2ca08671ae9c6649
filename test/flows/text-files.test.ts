import { spawnSync } from 'node:child_process';
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireSystemTool } from '../../scripts/system-packages.mjs';
import { repositoryRoot, runKuryr } from '../support/kuryr.js';
import { useRunFolders } from '../support/run-folders.js';

const flows = join(repositoryRoot, 'flows');
const prepareRun = useRunFolders('kuryr-text-flows-');

/** Copies `input` into a fresh data folder and runs `flow` on it with the given variables. */
async function runFlow(flow: string, input: string, variables: Record<string, string>) {
  const { work, data } = await prepareRun();
  await cp(input, join(data, 'input'));
  const folders = ['--data-dir', data, '--state-dir', join(work, 'state')];
  const pairs = Object.entries(variables).flatMap(([name, value]) => ['--var', `${name}=${value}`]);
  const result = await runKuryr(['run', join(flows, flow), ...folders, ...pairs]);
  return { ...result, data };
}

describe('bank statement flow', () => {
  const fixtures = join(flows, 'fixtures/bank-statement-csv');
  const variables = { SOURCE_ABO: 'input', TARGET_CSV: 'transactions.csv' };

  it('writes the transactions of an ABO statement', async () => {
    const result = await runFlow(
      'bank-statement-csv.json',
      join(fixtures, 'statement.gpc'),
      variables,
    );

    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    const written = await readFile(join(result.data, 'transactions.csv'));
    expect(written.equals(await readFile(join(fixtures, 'expected.csv')))).toBe(true);
  });

  it('fails on a line longer than the format and names it', async () => {
    const original = join(repositoryRoot, 'nodes/src/text/fixtures/abo_gpc_basic_2tx.abo');
    const result = await runFlow('bank-statement-csv.json', original, variables);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'input: line 1 has 130 characters, but the layout statement has 128',
    );
  });
});

describe('cash register flow', () => {
  const fixtures = join(flows, 'fixtures/cash-register-plu');

  it('writes the fixed-width PLU file in Kamenický', async () => {
    requireSystemTool('recode');
    const result = await runFlow('cash-register-plu.json', join(fixtures, 'pricelist.csv'), {
      SOURCE_CSV: 'input',
      TARGET_PLU: 'plu.txt',
    });

    expect(result.code).toBe(0);
    const written = await readFile(join(result.data, 'plu.txt'));
    expect(written.equals(await readFile(join(fixtures, 'expected.txt')))).toBe(true);
    // GNU recode's KEYBCS2 table is an independent reading of the Kamenický bytes.
    const decoded = spawnSync('recode', ['KEYBCS2..UTF-8'], { input: written, encoding: 'utf8' });
    expect(decoded.status).toBe(0);
    expect(decoded.stdout.split('\r\n')).toEqual([
      '0815  Šroub M8 pozinkovaný000012345021202402018594001234567',
      'A-7   Žluťoučký kůň (figur-00214190612202312310000000000000',
      'B-8   Čaj "Earl Grey"     000000005012202401080012345678905',
      '',
    ]);
  });
});
