import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataFolder } from './data-folder.js';

let base: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'kuryr-data-folder-'));
  await mkdir(join(base, 'data/in'), { recursive: true });
  await mkdir(join(base, 'data/state'), { recursive: true });
  await mkdir(join(base, 'outside'));
  await symlink(join(base, 'outside'), join(base, 'data/escape'));
  await symlink(join(base, 'data/state'), join(base, 'data/to-state'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('createDataFolder', () => {
  it('resolves paths inside the folder, existing or not', async () => {
    const folder = await createDataFolder(join(base, 'data'), join(base, 'state-elsewhere'));
    expect(await folder.resolve('in/items.dbf')).toBe(join(base, 'data/in/items.dbf'));
    expect(await folder.resolve('new/deep/out.csv')).toBe(join(base, 'data/new/deep/out.csv'));
    expect(await folder.resolve(join(base, 'data/in/a.csv'))).toBe(join(base, 'data/in/a.csv'));
  });

  it.each([
    ['../outside/x', 'it leaves the data folder'],
    ['in/../../x', 'it leaves the data folder'],
    ['/etc/passwd', 'it leaves the data folder'],
    ['escape/x.csv', 'a symbolic link leads out of the data folder'],
    ['', 'the path is empty'],
  ])('rejects %j', async (path, reason) => {
    const folder = await createDataFolder(join(base, 'data'), join(base, 'state-elsewhere'));
    await expect(folder.resolve(path)).rejects.toThrow(reason);
  });

  it('rejects paths into a state folder that lies inside it', async () => {
    const folder = await createDataFolder(join(base, 'data'), join(base, 'data/state'));
    await expect(folder.resolve('state/vault.key')).rejects.toThrow(
      'it lies inside the state folder',
    );
    await expect(folder.resolve('to-state/vault.key')).rejects.toThrow(
      'it lies inside the state folder',
    );
    expect(await folder.resolve('in/a.csv')).toBe(join(base, 'data/in/a.csv'));
  });
});
