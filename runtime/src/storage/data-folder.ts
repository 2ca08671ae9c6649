import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { FlowAuthorError, type DataFolder } from '@kuryr/nodes';

/** True when `path` is `folder` or lies inside it; both must be absolute and normalised. */
export function isInside(folder: string, path: string): boolean {
  const rest = relative(folder, path);
  return rest === '' || (!rest.startsWith('..' + sep) && rest !== '..' && !isAbsolute(rest));
}

/** Resolves symbolic links in the longest part of `path` that exists. */
async function realpathOfExisting(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return resolve(await realpath(current), ...missing.reverse());
    } catch (error) {
      // ENOTDIR: a part of the path is a file; the block that opens the path reports it.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(basename(current));
      current = parent;
    }
  }
}

/**
 * Creates the data folder that confines file blocks. Both folders must exist; symbolic links are
 * resolved before checking, so a link out of the data folder or into the state folder is rejected.
 */
export async function createDataFolder(root: string, stateDir: string): Promise<DataFolder> {
  const realRoot = await realpath(root);
  const realState = await realpathOfExisting(resolve(stateDir));

  const reject = (path: string, reason: string): never => {
    throw new FlowAuthorError('PATH_OUTSIDE_DATA_FOLDER', `rejected path "${path}": ${reason}`, {
      hint: `Use a path inside the data folder ${realRoot}, or run with another --data-dir.`,
      context: { file: path },
    });
  };

  return {
    root: realRoot,
    async resolve(path) {
      if (path.trim() === '') reject(path, 'the path is empty');
      if (path.includes('\0')) reject(path, 'the path contains a NUL character');
      const lexical = resolve(realRoot, path);
      if (!isInside(realRoot, lexical)) reject(path, 'it leaves the data folder');
      const real = await realpathOfExisting(lexical);
      if (!isInside(realRoot, real)) reject(path, 'a symbolic link leads out of the data folder');
      if (isInside(realState, real)) reject(path, 'it lies inside the state folder');
      return real;
    },
  };
}
