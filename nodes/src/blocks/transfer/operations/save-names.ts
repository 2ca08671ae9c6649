import type { BlockContext } from '../../../contract/block.js';
import { FlowAuthorError } from '../../../contract/errors.js';

/** Per run: the files that downloads save, by comparison key of the local path. */
const savedByRun = new Map<string, Map<string, { relative: string; remote: string }>>();

/**
 * Reserves the local path `local` (`relative` in the data folder) for the remote file `remote`
 * in this run, or throws SAVE_NAME_CONFLICT naming both files when another download of the run saves a file
 * there already. Paths are compared in NFC and ignoring case, so a flow that also runs on a
 * case-insensitive file system (Windows, macOS) never replaces one file by another silently.
 */
export function reserveSavePath(
  context: BlockContext<unknown>,
  local: string,
  relative: string,
  remote: string,
): void {
  let saved = savedByRun.get(context.runId);
  if (saved === undefined) {
    saved = new Map();
    savedByRun.set(context.runId, saved);
    const forget = async () => void savedByRun.delete(context.runId);
    context.transaction.onCommit(forget, 'clean-up');
    context.transaction.onRollback(forget);
  }
  const key = local.normalize('NFC').toLowerCase();
  const earlier = saved.get(key);
  if (earlier === undefined) {
    saved.set(key, { relative, remote });
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
