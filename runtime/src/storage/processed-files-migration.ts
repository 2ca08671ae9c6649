import type { Kysely } from 'kysely';
import type { Migration } from 'kysely';

/**
 * The processed-file ledger: one row per version of a remote file that a committed run
 * consumed. A version is its server, path, size and modification time ('' when unknown).
 */
export const processedFiles: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('processed_files')
      .addColumn('server', 'text', (column) => column.notNull())
      .addColumn('path', 'text', (column) => column.notNull())
      .addColumn('size', 'integer', (column) => column.notNull())
      .addColumn('modified_at', 'text', (column) => column.notNull())
      .addColumn('checksum', 'text', (column) => column.notNull())
      .addColumn('flow_id', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      .addColumn('processed_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('processed_files_version', ['server', 'path', 'size', 'modified_at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('processed_files').execute();
  },
};
