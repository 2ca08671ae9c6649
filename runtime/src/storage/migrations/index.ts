import type { Migration } from 'kysely/migration';
import { processedFiles } from './0001-processed-files.js';

/**
 * Every migration of the runtime's database, by name in the order they apply. Names never
 * change once released; a new table or column is a new entry.
 */
export const migrations: Record<string, Migration> = {
  '0001-processed-files': processedFiles,
};
