import {
  EnvironmentError,
  FlowAuthorError,
  KuryrError,
  toKuryrError,
} from '../../contract/errors.js';

/**
 * Turns a file-system error on `path` (as the flow gave it) into an error that names the file
 * and the next step. Errors that are already KuryrErrors only gain the file in their context.
 */
export function describeFileError(
  error: unknown,
  path: string,
  action: 'read' | 'write',
): KuryrError {
  if (error instanceof KuryrError) return error.withContext({ file: path });
  const context = { file: path };
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return new FlowAuthorError('FILE_NOT_FOUND', `${path} was not found in the data folder`, {
        cause: error,
        hint: 'Check the path, or the variable that gives it; paths are relative to the data folder.',
        context,
      });
    case 'EISDIR':
      return new FlowAuthorError('FILE_IS_FOLDER', `${path} is a folder, not a file`, {
        cause: error,
        hint: 'Give the path of a file inside that folder.',
        context,
      });
    case 'ENOTDIR':
      return new FlowAuthorError(
        'PATH_THROUGH_FILE',
        `${path} leads through a file, not a folder`,
        {
          cause: error,
          hint: 'A part of the path before the file name is a file; check the path.',
          context,
        },
      );
    case 'EACCES':
    case 'EPERM':
      return new EnvironmentError('FILE_ACCESS_DENIED', `permission denied to ${action} ${path}`, {
        cause: error,
        hint: `Let the user that runs Kurýr ${action} the file, or choose another path.`,
        context,
      });
    case 'ENOSPC':
      return new EnvironmentError('DISK_FULL', `no space left on the disk to write ${path}`, {
        cause: error,
        hint: 'Free disk space and run the flow again.',
        context,
      });
    default:
      return toKuryrError(error).withContext(context);
  }
}
