import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TempArea } from '@kuryr/nodes';

/** A temporary folder of one run, created at the start and removed with everything in it. */
export type RunTempArea = TempArea & { readonly path: string; remove(): Promise<void> };

/** Creates `parent/run-<id>` for a run's spooled files. */
export async function createTempArea(parent: string, runId: string): Promise<RunTempArea> {
  const path = join(parent, `run-${runId}`);
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
