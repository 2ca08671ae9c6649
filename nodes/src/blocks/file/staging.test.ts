import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processTag } from '../../system/process.js';
import { removeAbandonedStagedFiles, stagedPathFor } from './staging.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-staging-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('staged files', () => {
  it('are hidden and carry the machine and process', () => {
    const name = basename(stagedPathFor(join(folder, 'stock.csv')));
    expect(name).toMatch(new RegExp(`^\\.stock\\.csv\\.kuryr_${processTag()}_[0-9a-f]{12}\\.tmp$`));
  });

  it('of ended local processes are removed', async () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const host = processTag().split('_')[0];
    const abandoned = `.stock.csv.kuryr_${host}_${ended.stdout.toString()}_0123456789ab.tmp`;
    const otherMachine = `.stock.csv.kuryr_elsewhere_${ended.stdout.toString()}_0123456789ab.tmp`;
    const live = basename(stagedPathFor(join(folder, 'stock.csv')));
    for (const name of [abandoned, otherMachine, live, 'stock.csv', '.other.tmp']) {
      await writeFile(join(folder, name), 'x');
    }

    expect(await removeAbandonedStagedFiles(folder)).toEqual([abandoned]);
    expect((await readdir(folder)).sort()).toEqual(
      ['.other.tmp', live, otherMachine, 'stock.csv'].sort(),
    );
  });
});
