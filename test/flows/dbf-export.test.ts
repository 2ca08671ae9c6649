import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDbf, type DataRecord } from '@kuryr/nodes';
import { repositoryRoot, runKuryr } from '../support/kuryr.js';

// Read DBF → Write DBF → Write File through the real executor: the memo file travels as the
// table's companion and is staged and renamed beside it.

const fixtures = join(repositoryRoot, 'nodes/src/dbf/fixtures');
let work: string;
let data: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kuryr-dbf-export-'));
  data = join(work, 'data');
  await mkdir(join(data, 'out'), { recursive: true });
  await copyFile(join(fixtures, 'vfp9_memo_with_deleted.dbf'), join(data, 'memo.dbf'));
  await copyFile(join(fixtures, 'vfp9_memo_with_deleted.fpt'), join(data, 'memo.fpt'));
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function readRecords(path: string): Promise<DataRecord[]> {
  const table = await openDbf(path);
  try {
    const records: DataRecord[] = [];
    for await (const batch of table.records()) records.push(...batch);
    return records;
  } finally {
    await table.close();
  }
}

/** Writes a flow that copies memo.dbf through Write DBF with `writeParameters` to out/copy.dbf. */
async function writeFlow(writeParameters: Record<string, unknown>): Promise<string> {
  const flow = {
    schemaVersion: 1,
    id: 'dbf-export',
    name: 'DBF export',
    variables: {},
    credentials: [],
    blocks: [
      { id: 'read', type: 'dbf.read', parameters: { path: 'memo.dbf' } },
      { id: 'write-dbf', type: 'dbf.write', parameters: writeParameters },
      { id: 'save', type: 'file.write', parameters: { path: 'out/copy.dbf' } },
    ],
    wires: [
      { from: { block: 'read', port: 'records' }, to: { block: 'write-dbf', port: 'records' } },
      { from: { block: 'write-dbf', port: 'file' }, to: { block: 'save', port: 'file' } },
    ],
  };
  const path = join(work, 'flow.json');
  await writeFile(path, JSON.stringify(flow));
  return path;
}

function run(flowPath: string) {
  return runKuryr(['run', flowPath, '--data-dir', data, '--state-dir', join(work, 'state')]);
}

describe('DBF export flow', () => {
  it('writes the table and its memo file beside it', async () => {
    const result = await run(await writeFlow({ template: 'memo.dbf', fileName: 'copy.dbf' }));
    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);

    expect((await readdir(join(data, 'out'))).sort()).toEqual(['copy.dbf', 'copy.fpt']);
    const expected = await readRecords(join(data, 'memo.dbf'));
    expect(await readRecords(join(data, 'out/copy.dbf'))).toEqual(expected);
  });

  it('fails on a value too long and leaves no file', async () => {
    const fields = [
      { name: 'ID', type: 'N', length: 5 },
      { name: 'CHAR', type: 'C', length: 3 },
      { name: 'MEMO', type: 'M' },
    ];
    const result = await run(await writeFlow({ fields, format: 'foxpro' }));

    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain(
      'record 1, field CHAR: the value is 5 bytes long, but the field is 3 bytes wide',
    );
    expect(await readdir(join(data, 'out'))).toEqual([]);
  });
});
