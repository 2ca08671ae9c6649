import { copyFile, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repositoryRoot, runKuryr } from '../support/kuryr.js';

// Read DBF and Write DBF through the `kuryr` command, as a user meets them, on inputs that must
// fail cleanly or work although they are unusual.

const fixtures = join(repositoryRoot, 'nodes/src/dbf/fixtures');
let work: string;
let data: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kuryr-dbf-hostile-'));
  data = join(work, 'data');
  await mkdir(join(data, 'out'), { recursive: true });
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

type Block = { id: string; type: string; parameters: Record<string, unknown> };

/** Writes a flow of blocks wired one after another and returns its path. */
async function chainFlow(blocks: Block[], ports: [string, string][]): Promise<string> {
  const wires = ports.map(([from, to], index) => ({
    from: { block: blocks[index]!.id, port: from },
    to: { block: blocks[index + 1]!.id, port: to },
  }));
  const flow = { schemaVersion: 1, id: 'hostile', name: 'Hostile', variables: {}, credentials: [] };
  const path = join(work, 'flow.json');
  await writeFile(path, JSON.stringify({ ...flow, blocks, wires }));
  return path;
}

/** Part of the `--json` summary that these tests check. */
type RunSummary = {
  error?: { context: { block?: string; file?: string } };
};

async function runJson(flowPath: string) {
  const result = await runKuryr([
    'run',
    flowPath,
    '--data-dir',
    data,
    '--state-dir',
    join(work, 'state'),
    '--json',
  ]);
  return { code: result.code, summary: JSON.parse(result.stdout) as RunSummary };
}

/** Read DBF → Write DBF → Write File into out/copy.dbf. */
function copyFlow(readPath: string, writeParameters: Record<string, unknown>) {
  return chainFlow(
    [
      { id: 'read', type: 'dbf.read', parameters: { path: readPath } },
      { id: 'write', type: 'dbf.write', parameters: { fileName: 'copy.dbf', ...writeParameters } },
      { id: 'save', type: 'file.write', parameters: { path: 'out/copy.dbf' } },
    ],
    [
      ['records', 'records'],
      ['file', 'file'],
    ],
  );
}

describe('Read DBF and Write DBF on hostile input', () => {
  it('rejects memo link out of data folder', async () => {
    const outside = join(work, 'outside');
    await mkdir(outside);
    await copyFile(join(fixtures, 'vfp9_memo_with_deleted.fpt'), join(outside, 'private.fpt'));
    await copyFile(join(fixtures, 'vfp9_memo_with_deleted.dbf'), join(data, 'memo.dbf'));
    await symlink(join(outside, 'private.fpt'), join(data, 'memo.fpt'));

    const { code, summary } = await runJson(
      await copyFlow('memo.dbf', { template: 'memo.dbf', format: 'visual-foxpro' }),
    );

    expect(code).toBe(1);
    // Read DBF and Write DBF (through its template) open the same memo concurrently, and the
    // run reports whichever of them rejects the link first.
    expect(['read', 'write']).toContain(summary.error?.context.block);
    expect(await readdir(join(data, 'out'))).toEqual([]);
  });

  it('names table in field list error', async () => {
    await copyFile(join(fixtures, 'shp_date_field.dbf'), join(data, 'dates.dbf'));
    const fields = [
      { name: 'DAY', type: 'D' },
      { name: 'day', type: 'D' },
    ];

    const { code, summary } = await runJson(await copyFlow('dates.dbf', { fields }));

    expect(code).toBe(1);
    expect(summary.error?.context.block).toBe('write');
    expect(summary.error?.context.file).toBe('copy.dbf');
  });

  it('copies dBase IV template with float', async () => {
    for (const extension of ['dbf', 'dbt']) {
      const name = `dbase4_memo_types.${extension}`;
      await copyFile(join(fixtures, name), join(data, `types.${extension}`));
    }

    const { code, summary } = await runJson(await copyFlow('types.dbf', { template: 'types.dbf' }));

    expect(summary.error).toBeUndefined();
    expect(code).toBe(0);
    expect((await readdir(join(data, 'out'))).sort()).toEqual(['copy.dbf', 'copy.dbt']);
  });
});
