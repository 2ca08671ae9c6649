import { homedir } from 'node:os';
import { resolve } from 'node:path';

/**
 * Returns the folder the user ran the command in. Through `pnpm kuryr`, the script runs in the
 * repository root, and pnpm passes the user's folder in INIT_CWD.
 */
export function invocationFolder(): string {
  const env = process.env;
  if (env.npm_lifecycle_event === 'kuryr' && env.INIT_CWD) return env.INIT_CWD;
  return process.cwd();
}

/** Resolves a command-line path against the folder the user ran the command in. */
export function resolveArgumentPath(path: string): string {
  return resolve(invocationFolder(), path);
}

/** Returns the default state folder, `~/.kuryr`. */
export function defaultStateDir(): string {
  return resolve(homedir(), '.kuryr');
}
