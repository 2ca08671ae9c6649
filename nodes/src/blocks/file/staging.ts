import { randomBytes } from 'node:crypto';
import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PROCESS_TAG_PATTERN, hasTaggedProcessEnded, processTag } from '../../system/process.js';

const STAGED_NAME = new RegExp(`^\\..+\\.kuryr_${PROCESS_TAG_PATTERN}_[0-9a-f]{12}\\.tmp$`);

/**
 * Returns a hidden temporary name beside `target`, carrying this machine's name and process id,
 * so that a later write into the folder can remove what a killed process left behind.
 */
export function stagedPathFor(target: string): string {
  const suffix = `kuryr_${processTag()}_${randomBytes(6).toString('hex')}`;
  return join(dirname(target), `.${basename(target)}.${suffix}.tmp`);
}

/** Removes staged files in `folder` whose process has ended; returns their names. */
export async function removeAbandonedStagedFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const abandoned = names.filter((name) => {
    const match = STAGED_NAME.exec(name);
    return match !== null && hasTaggedProcessEnded(match[1]!, match[2]!);
  });
  await Promise.all(abandoned.map((name) => unlink(join(folder, name)).catch(() => undefined)));
  return abandoned;
}
