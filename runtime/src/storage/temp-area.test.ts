import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processTag } from '@kuryr/nodes';
import { createTempArea, removeAbandonedTempAreas } from './temp-area.js';

let parent: string;

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'kuryr-temp-area-'));
});

afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe('temp areas', () => {
  it('removes the folder and its content', async () => {
    const area = await createTempArea(parent, 'a');
    await mkdir(area.newPath('.d'));
    await area.remove();
    await expect(stat(area.path)).rejects.toThrow();
  });

  it('removes folders of ended local processes only', async () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const endedPid = ended.stdout.toString();
    const host = processTag().split('_')[0];
    await mkdir(join(parent, `run_${host}_${endedPid}_old`));
    await mkdir(join(parent, `run_elsewhere_${endedPid}_remote`));
    const live = await createTempArea(parent, 'live');
    await mkdir(join(parent, 'unrelated'));

    expect(await removeAbandonedTempAreas(parent)).toEqual([`run_${host}_${endedPid}_old`]);
    expect((await readdir(parent)).sort()).toEqual(
      [`run_${processTag()}_live`, `run_elsewhere_${endedPid}_remote`, 'unrelated'].sort(),
    );
    await live.remove();
  });
});
