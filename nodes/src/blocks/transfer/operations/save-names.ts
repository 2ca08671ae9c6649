import { lstat, open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { BlockContext } from '../../../contract/block.js';
import { FlowAuthorError } from '../../../contract/errors.js';
import { stagedPathFor } from '../../file/staging.js';

/** Name matching of a folder's file system: whether it ignores case and Unicode normalization. */
export type NameMatching = { ignoresCase: boolean; ignoresNormalization: boolean };

/** Per run: the name matching of each saveTo folder, and the saved files by comparison key. */
type RunSaves = {
  matching: Map<string, Promise<NameMatching>>;
  saved: Map<string, { relative: string; remote: string }>;
};
const savesByRun = new Map<string, RunSaves>();

/**
 * Reserves the local path `local` (`relative` in the data folder) for the remote file `remote`
 * in this run, or throws SAVE_NAME_CONFLICT naming both files when another download of the run
 * saves a file there already. Paths are compared the way the folder's file system matches
 * names, probed once per folder and run: `A.csv` and `a.csv` conflict on a case-insensitive file
 * system (Windows, macOS) and are two files on a case-sensitive one (Linux). The folder of
 * `local` must exist.
 */
export async function reserveSavePath(
  context: BlockContext<unknown>,
  local: string,
  relative: string,
  remote: string,
): Promise<void> {
  let saves = savesByRun.get(context.runId);
  if (saves === undefined) {
    saves = { matching: new Map(), saved: new Map() };
    savesByRun.set(context.runId, saves);
    const forget = async () => void savesByRun.delete(context.runId);
    context.transaction.onCommit(forget, 'clean-up');
    context.transaction.onRollback(forget);
  }
  const folder = dirname(local);
  let matching = saves.matching.get(folder);
  if (matching === undefined) {
    matching = probeNameMatching(folder);
    saves.matching.set(folder, matching);
  }
  const key = comparisonKey(local, await matching);
  const earlier = saves.saved.get(key);
  if (earlier === undefined) {
    saves.saved.set(key, { relative, remote });
    return;
  }
  throw new FlowAuthorError(
    'SAVE_NAME_CONFLICT',
    `${remote} and ${earlier.remote} would both be saved as ${earlier.relative} in one run, and ` +
      'the later would replace the earlier',
    {
      context: { file: remote },
      hint: 'Give the downloads different "Save to folder" values, or narrow their patterns.',
    },
  );
}

/** Returns the key under which the file system in `matching` finds `path`. */
export function comparisonKey(path: string, matching: NameMatching): string {
  const normalized = matching.ignoresNormalization ? path.normalize('NFC') : path;
  return matching.ignoresCase ? normalized.toLowerCase() : normalized;
}

/**
 * Probes how the file system of the existing `folder` matches names. Creates a staged file
 * whose name has lower-case letters and an "é" in decomposed form (NFD), looks it up in upper
 * case and in composed form (NFC), and removes it. The staged name lets a later write remove
 * the file when a killed process left it. When the probe cannot run (a read-only folder), this
 * assumes a file system that ignores both, so a possible conflict still fails the run.
 * NOTE: tested on Linux only; the folding case has not run on NTFS or APFS.
 */
export async function probeNameMatching(folder: string): Promise<NameMatching> {
  const path = stagedPathFor(join(folder, 'name-probe-e\u0301'));
  const name = basename(path);
  try {
    await (await open(path, 'wx')).close();
  } catch {
    return { ignoresCase: true, ignoresNormalization: true };
  }
  try {
    const created = await lstat(path);
    const sameFile = async (variant: string) => {
      const found = await lstat(join(folder, variant)).catch(() => undefined);
      return found !== undefined && found.ino === created.ino && found.dev === created.dev;
    };
    return {
      ignoresCase: await sameFile(name.toUpperCase()),
      ignoresNormalization: await sameFile(name.normalize('NFC')),
    };
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
