import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeAbandonedStagedFiles, stagedPathFor } from './staging.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-staging-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('staged files', () => {
  it('are hidden and carry the process id', () => {
    const name = basename(stagedPathFor(join(folder, 'stock.csv')));
    expect(name).toMatch(new RegExp(`^\\.stock\\.csv\\.kuryr-${process.pid}-[0-9a-f]{12}\\.tmp$`));
  });

  it('of ended processes are removed, others kept', async () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const abandoned = `.stock.csv.kuryr-${ended.stdout.toString()}-0123456789ab.tmp`;
    const live = basename(stagedPathFor(join(folder, 'stock.csv')));
    for (const name of [abandoned, live, 'stock.csv', '.other.tmp']) {
      await writeFile(join(folder, name), 'x');
    }

    expect(await removeAbandonedStagedFiles(folder)).toEqual([abandoned]);
    expect((await readdir(folder)).sort()).toEqual(['.other.tmp', live, 'stock.csv'].sort());
  });
});
