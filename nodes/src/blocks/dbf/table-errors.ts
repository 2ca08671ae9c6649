import { isAbsolute, relative } from 'node:path';
import { KuryrError } from '../../contract/errors.js';
import type { DataFolder } from '../../contract/storage.js';
import { describeFileError } from '../file/file-errors.js';

/** The table as the flow gave it and as it was resolved. */
export type TableLocation = {
  /** Path from the block's `path` parameter, relative to the data folder. */
  path: string;
  /** Absolute path that the data folder resolved `path` to. */
  file: string;
  /** Absolute root of the data folder. */
  root: string;
};

/**
 * Returns `details` with a `file` inside the data folder `root` given by its path there, as a
 * flow names it, so that messages do not show where the server keeps its data folder.
 */
export function inDataFolder<T extends { file?: unknown }>(details: T, root: string): T {
  const { file } = details;
  if (typeof file !== 'string' || !isAbsolute(file)) return details;
  const path = relative(root, file);
  if (path.startsWith('..') || isAbsolute(path)) return details;
  return { ...details, file: path };
}

/**
 * Turns a file-system error raised while opening a table into a KuryrError with a hint. It names
 * the table by the path the flow gave, and a memo file beside it by its path in the data folder.
 * A KuryrError passes with its file named by its path in the data folder.
 */
export function describeTableError(error: unknown, location: TableLocation): KuryrError {
  if (error instanceof KuryrError) {
    error.context = inDataFolder(error.context, location.root);
    return error;
  }
  const failedPath = (error as NodeJS.ErrnoException).path;
  const shownPath =
    failedPath === undefined || failedPath === location.file
      ? location.path
      : relative(location.root, failedPath);
  return describeFileError(error, shownPath, 'read');
}

/**
 * Returns the check that a table's memo or `.cpg` file passes before it is opened: the data
 * folder resolves its path as it resolved the table's, so a companion that is a symbolic link
 * out of the data folder is rejected.
 */
export function companionResolver(files: DataFolder): (path: string) => Promise<string> {
  return (path) => files.resolve(relative(files.root, path));
}
