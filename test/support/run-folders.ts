import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A fresh folder for one run, and the data folder inside it. */
export type RunFolders = { work: string; data: string };

/**
 * Creates one temporary folder for the calling test file, removed after its tests, and returns
 * a function that makes a fresh folder inside it for each run.
 */
export function useRunFolders(prefix: string): () => Promise<RunFolders> {
  let root = '';
  let runs = 0;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  return async () => {
    const work = join(root, String(++runs));
    await mkdir(join(work, 'data'), { recursive: true });
    return { work, data: join(work, 'data') };
  };
}
