import { createHash, randomBytes } from 'node:crypto';
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
  return join(dirname(target), fitFileName('.', basename(target), `.${suffix}.tmp`));
}

/** Maximum bytes of a file name on ext4, XFS and most Linux file systems that servers run on. */
export const MAX_NAME_BYTES = 255;

/**
 * Returns `prefix + name + suffix`, with `name` shortened when the whole would exceed
 * MAX_NAME_BYTES in UTF-8. The shortened name is cut at a character boundary and ends in `~`
 * and 8 hex digits of its SHA-256, so two long names that share a beginning still differ.
 */
export function fitFileName(prefix: string, name: string, suffix: string): string {
  const whole = prefix + name + suffix;
  if (Buffer.byteLength(whole) <= MAX_NAME_BYTES) return whole;
  const hash = `~${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  let room = MAX_NAME_BYTES - Buffer.byteLength(prefix + suffix + hash);
  let kept = '';
  for (const character of name) {
    room -= Buffer.byteLength(character);
    if (room < 0) break;
    kept += character;
  }
  return prefix + kept + hash + suffix;
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
