import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive, type TempArea } from '@kuryr/nodes';

/** A temporary folder of one run, created at the start and removed with everything in it. */
export type RunTempArea = TempArea & { readonly path: string; remove(): Promise<void> };

const RUN_FOLDER = /^run-(\d+)-/;

/**
 * Creates `parent/run-<pid>-<id>` for a run's spooled files. The process id in the name lets a
 * later run remove what a killed process left behind.
 */
export async function createTempArea(parent: string, runId: string): Promise<RunTempArea> {
  const path = join(parent, `run-${process.pid}-${runId}`);
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

/** Removes the temporary folders of runs whose process no longer exists; returns their names. */
export async function removeAbandonedTempAreas(parent: string): Promise<string[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const abandoned = names.filter((name) => {
    const pid = RUN_FOLDER.exec(name)?.[1];
    return pid !== undefined && !isProcessAlive(Number(pid));
  });
  await Promise.all(
    abandoned.map((name) => rm(join(parent, name), { recursive: true, force: true })),
  );
  return abandoned;
}
