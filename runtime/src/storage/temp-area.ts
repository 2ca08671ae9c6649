import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  PROCESS_TAG_PATTERN,
  hasTaggedProcessEnded,
  processTag,
  type TempArea,
} from '@kuryr/nodes';

/** A temporary folder of one run, created at the start and removed with everything in it. */
export type RunTempArea = TempArea & { readonly path: string; remove(): Promise<void> };

const RUN_FOLDER = new RegExp(`^run_${PROCESS_TAG_PATTERN}_`);

/**
 * Creates `parent/run_<host>_<pid>_<id>` for a run's spooled files. The machine and process in
 * the name let a later run on the same machine remove what a killed process left behind.
 */
export async function createTempArea(parent: string, runId: string): Promise<RunTempArea> {
  const path = tempAreaPath(parent, runId);
  await mkdir(path, { recursive: true, mode: 0o700 });
  let counter = 0;
  return {
    path,
    newPath(suffix = '') {
      counter++;
      return join(path, `${counter}-${randomBytes(4).toString('hex')}${suffix}`);
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** Returns the path of the temporary folder that createTempArea makes for a run of this process. */
export function tempAreaPath(parent: string, runId: string): string {
  return join(parent, `run_${processTag()}_${runId}`);
}

/** Removes the temporary folders of runs whose process no longer exists; returns their names. */
export async function removeAbandonedTempAreas(parent: string): Promise<string[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const abandoned = names.filter((name) => {
    const match = RUN_FOLDER.exec(name);
    return match !== null && hasTaggedProcessEnded(match[1]!, match[2]!);
  });
  await Promise.all(
    abandoned.map((name) => rm(join(parent, name), { recursive: true, force: true })),
  );
  return abandoned;
}
