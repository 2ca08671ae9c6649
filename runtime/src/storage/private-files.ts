import { chmodSync, closeSync, openSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';

/**
 * Creates `folder` with mode 0700, or narrows an existing folder that others may read. Returns
 * the former mode when it was wider, for the caller to log.
 */
export async function makePrivateFolder(folder: string): Promise<number | undefined> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const mode = (await stat(folder)).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  await chmod(folder, 0o700);
  return mode;
}

/**
 * Creates the SQLite file `path` with mode 0600 before SQLite opens it, and narrows it and its
 * -wal and -shm files when they exist already. SQLite creates -wal and -shm with the mode of the
 * database file, so they stay private whatever the process's umask.
 */
export function makePrivateDatabaseFiles(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(file, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
