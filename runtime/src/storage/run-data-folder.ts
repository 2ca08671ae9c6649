import { FlowAuthorError, type DataFolder } from '@kuryr/nodes';

/**
 * Wraps the data folder for one run, so that a run never writes a file that it also reads: a
 * flow whose target variable names its own source would otherwise replace the table it reads.
 */
export function createRunDataFolder(folder: DataFolder): DataFolder {
  const read = new Set<string>();
  const written = new Set<string>();
  return {
    root: folder.root,
    async resolve(path, purpose = 'read') {
      const resolved = await folder.resolve(path, purpose);
      const other = purpose === 'write' ? read : written;
      if (other.has(resolved)) {
        throw new FlowAuthorError(
          'PATH_READ_AND_WRITTEN',
          `${path} is both read and written by this run`,
          {
            hint: 'Write the output to another file than the input, e.g. by another variable value.',
            context: { file: path },
          },
        );
      }
      (purpose === 'write' ? written : read).add(resolved);
      return resolved;
    },
  };
}
