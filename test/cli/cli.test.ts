import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repositoryRoot, runKuryr } from '../support/kuryr.js';

let work: string;
const flowPath = join(repositoryRoot, 'flows/eshop-stock-csv.json');
const itemsPath = join(repositoryRoot, 'flows/fixtures/eshop-stock-csv/items-852.dbf');

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kuryr-cli-'));
  await mkdir(join(work, 'data'));
  await cp(itemsPath, join(work, 'data/items.dbf'));
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const stateArgs = () => ['--state-dir', join(work, 'state')];

/** Arguments of `kuryr run` on the e-shop flow with this test's data and state folders. */
function runArgs(variables: Record<string, string>, ...extra: string[]): string[] {
  const pairs = Object.entries(variables).flatMap(([name, value]) => ['--var', `${name}=${value}`]);
  return ['run', flowPath, '--data-dir', join(work, 'data'), ...stateArgs(), ...pairs, ...extra];
}

describe('kuryr', () => {
  it('describes every command and option', async () => {
    const main = await runKuryr(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('run FLOW_FILE');
    expect(main.stdout).toContain('validate FLOW_FILE');
    const run = await runKuryr(['run', '--help']);
    expect(run.code).toBe(0);
    for (const option of [
      '--var NAME=VALUE',
      '--data-dir DIR',
      '--state-dir DIR',
      '--json',
      '--log-level',
    ]) {
      expect(run.stdout).toContain(option);
    }
    const validate = await runKuryr(['validate', '--help']);
    expect(validate.stdout).toContain('Usage: kuryr validate FLOW_FILE');
  });

  it('rejects an unknown command and option with exit code 2', async () => {
    expect((await runKuryr(['launch'])).code).toBe(2);
    const result = await runKuryr(['run', flowPath, '--colour']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--colour'");
  });

  it('runs a flow with paths relative to the current folder', async () => {
    await cp(flowPath, join(work, 'flow.json'));
    const result = await runKuryr(
      [
        'run',
        'flow.json',
        '--data-dir',
        'data',
        '--var',
        'SOURCE_DBF=items.dbf',
        '--var',
        'TARGET_CSV=out/stock.csv',
        ...stateArgs(),
      ],
      { cwd: work },
    );
    expect(result.stderr).toContain('Read items');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Wrote out/stock.csv');
    expect((await readFile(join(work, 'data/out/stock.csv'))).length).toBeGreaterThan(0);
  });

  it('resolves paths against INIT_CWD when run as pnpm kuryr', async () => {
    await cp(flowPath, join(work, 'flow.json'));
    const result = await runKuryr(
      [
        'run',
        'flow.json',
        '--data-dir',
        'data',
        '--var',
        'SOURCE_DBF=items.dbf',
        '--var',
        'TARGET_CSV=stock.csv',
        ...stateArgs(),
      ],
      { cwd: repositoryRoot, env: { npm_lifecycle_event: 'kuryr', INIT_CWD: work } },
    );
    expect(result.code).toBe(0);
    expect(await readdir(join(work, 'data'))).toContain('stock.csv');
  });

  it('prints a JSON summary with --json', async () => {
    const result = await runKuryr([
      'run',
      flowPath,
      '--json',
      '--data-dir',
      join(work, 'data'),
      '--var',
      'SOURCE_DBF=items.dbf',
      '--var',
      'TARGET_CSV=stock.csv',
      ...stateArgs(),
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ status: 'succeeded', exitCode: 0, flowId: 'eshop-stock-csv' });
    expect(summary.artifacts).toEqual([
      { path: 'stock.csv', absolutePath: join(work, 'data/stock.csv') },
    ]);
    const counts = Object.fromEntries(
      summary.blocks.map((block: { id: string; recordsOut: number }) => [
        block.id,
        block.recordsOut,
      ]),
    );
    expect(counts).toMatchObject({ 'read-items': 11, 'map-stock': 11, 'keep-in-stock': 7 });
    expect(summary.blocks[0].samples).toBeUndefined();
  });

  it('rejects an undeclared --var with exit code 2', async () => {
    const result = await runKuryr(runArgs({ SOURCE_DFB: 'items.dbf', TARGET_CSV: 'x.csv' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the flow does not declare the variable SOURCE_DFB');
  });

  it('rejects a missing variable before running', async () => {
    const result = await runKuryr(runArgs({ TARGET_CSV: 'x.csv' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no value for SOURCE_DBF');
    expect(result.stderr).not.toContain('Read items');
  });

  it('rejects a missing data folder with exit code 2', async () => {
    const result = await runKuryr([
      'run',
      flowPath,
      '--data-dir',
      join(work, 'nope'),
      ...stateArgs(),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('does not exist');
  });

  it('rejects a path that leaves the data folder', async () => {
    const result = await runKuryr(runArgs({ SOURCE_DBF: '../items.dbf', TARGET_CSV: 'x.csv' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'block "read-items" (Read items): rejected path "../items.dbf": it leaves the data folder',
    );
  });

  it('never reads inside the state folder', async () => {
    await mkdir(join(work, 'data/state'), { recursive: true });
    await writeFile(join(work, 'data/state/vault.key'), 'secret');
    const result = await runKuryr([
      'run',
      flowPath,
      '--data-dir',
      join(work, 'data'),
      '--state-dir',
      join(work, 'data/state'),
      '--var',
      'SOURCE_DBF=state/vault.key',
      '--var',
      'TARGET_CSV=x.csv',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('it lies inside the state folder');
  });

  it('validates a flow and lists every problem', async () => {
    expect((await runKuryr(['validate', flowPath])).code).toBe(0);
    const broken = JSON.parse(await readFile(flowPath, 'utf8'));
    broken.blocks[1].parameters.expression = '{ "x": $vars.PRICE_LIST }';
    broken.blocks[2].type = 'transform.filtr';
    await writeFile(join(work, 'broken.json'), JSON.stringify(broken));
    const result = await runKuryr(['validate', join(work, 'broken.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'block "map-stock", parameter "expression": uses the undeclared variable $vars.PRICE_LIST',
    );
    expect(result.stderr).toContain(
      'block "keep-in-stock", type: unknown block type "transform.filtr"',
    );
  });

  it('exits with 3 when errors went to an error port', async () => {
    const flow = JSON.parse(await readFile(flowPath, 'utf8'));
    flow.blocks[1].parameters.expression =
      'CODE = "B105" ? $error("rejected for the test") : { "code": CODE, "active": ACTIVE, "stock": STOCK, "price_vat": "1,00" }';

    flow.blocks.push({ id: 'errors', type: 'csv.write', parameters: { fileName: 'errors.csv' } });
    flow.blocks.push({ id: 'save-errors', type: 'file.write', parameters: { path: 'errors.csv' } });
    flow.wires.push({
      from: { block: 'map-stock', port: 'error' },
      to: { block: 'errors', port: 'records' },
    });
    flow.wires.push({
      from: { block: 'errors', port: 'file' },
      to: { block: 'save-errors', port: 'file' },
    });
    await writeFile(join(work, 'routed.json'), JSON.stringify(flow));
    const result = await runKuryr([
      'run',
      join(work, 'routed.json'),
      '--data-dir',
      join(work, 'data'),
      '--var',
      'SOURCE_DBF=items.dbf',
      '--var',
      'TARGET_CSV=stock.csv',
      ...stateArgs(),
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('1 error went to error ports.');
    expect(result.stdout).toContain(
      'Error sent to the error port of block "map-stock": expression in "expression" failed on record 6',
    );
    expect(await readFile(join(work, 'data/errors.csv'), 'utf8')).toContain(
      'rejected for the test',
    );
  });

  it('rejects a target that is a folder', async () => {
    const result = await runKuryr(runArgs({ SOURCE_DBF: 'items.dbf', TARGET_CSV: '.' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'block "write-file" (Save stock file): . is a folder, not a file name',
    );
    expect((await readdir(work)).sort()).toEqual(['data', 'state']);
  });

  it('rejects writing the file the run reads', async () => {
    const result = await runKuryr(runArgs({ SOURCE_DBF: 'items.dbf', TARGET_CSV: './items.dbf' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('./items.dbf is both read and written by this run');
    expect(await readFile(join(work, 'data/items.dbf'))).toEqual(await readFile(itemsPath));
  });

  it('prints JSON when the run cannot start', async () => {
    const result = await runKuryr([
      'run',
      flowPath,
      '--json',
      '--data-dir',
      join(work, 'data'),
      ...stateArgs(),
    ]);
    expect(result.code).toBe(2);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      status: 'not_started',
      exitCode: 2,
      error: { code: 'VARIABLE_MISSING' },
    });
  });

  it('rejects a variable given twice', async () => {
    const result = await runKuryr(runArgs({ SOURCE_DBF: 'a.dbf' }, '--var', 'SOURCE_DBF=b.dbf'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--var SOURCE_DBF is given twice');
  });

  it('rejects a state folder that is a file', async () => {
    await writeFile(join(work, 'state-file'), '');
    const result = await runKuryr([
      'run',
      flowPath,
      '--data-dir',
      join(work, 'data'),
      '--state-dir',
      join(work, 'state-file'),
      '--var',
      'SOURCE_DBF=items.dbf',
      '--var',
      'TARGET_CSV=x.csv',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a folder');
  });

  it('accepts a flow file with a byte order mark', async () => {
    await writeFile(join(work, 'bom.json'), '\uFEFF' + (await readFile(flowPath, 'utf8')));
    expect((await runKuryr(['validate', join(work, 'bom.json')])).code).toBe(0);
  });
});
