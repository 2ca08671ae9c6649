import { randomBytes } from 'node:crypto';
import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from '../../system/process.js';

const STAGED_NAME = /^\..+\.kuryr-(\d+)-[0-9a-f]+\.tmp$/;

/**
 * Returns a hidden temporary name beside `target`, carrying this process's id, so that a later
 * write into the folder can remove what a killed process left behind.
 */
export function stagedPathFor(target: string): string {
  const suffix = `kuryr-${process.pid}-${randomBytes(6).toString('hex')}`;
  return join(dirname(target), `.${basename(target)}.${suffix}.tmp`);
}

/** Removes staged files in `folder` whose process has ended; returns their names. */
export async function removeAbandonedStagedFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const abandoned = names.filter((name) => {
    const pid = STAGED_NAME.exec(name)?.[1];
    return pid !== undefined && !isProcessAlive(Number(pid));
  });
  await Promise.all(abandoned.map((name) => unlink(join(folder, name)).catch(() => undefined)));
  return abandoned;
}
