import { sql, type Kysely, type Migration } from 'kysely';

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

/**
 * Scopes the ledger by flow: a file that one flow consumed is still new for every other flow.
 * Rows recorded before already name the flow whose run consumed them, so they keep counting for
 * that flow only. SQLite cannot change a primary key in place, so the table is copied.
 * Rows in state `pending` are files of a run in its commit, with where the file was staged and
 * published, so the next run can tell whether a killed commit published them.
 * Adds the claims that keep two overlapping runs of one flow from taking the same file.
 */
export const processedFilesByFlow: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('processed_files_by_flow')
      .addColumn('flow_id', 'text', (column) => column.notNull())
      .addColumn('server', 'text', (column) => column.notNull())
      .addColumn('path', 'text', (column) => column.notNull())
      .addColumn('size', 'integer', (column) => column.notNull())
      .addColumn('modified_at', 'text', (column) => column.notNull())
      .addColumn('checksum', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      .addColumn('processed_at', 'text', (column) => column.notNull())
      .addColumn('state', 'text', (column) => column.notNull().defaultTo('done'))
      .addColumn('staged_path', 'text')
      .addColumn('target_path', 'text')
      .addPrimaryKeyConstraint('processed_files_flow_version', [
        'flow_id',
        'server',
        'path',
        'size',
        'modified_at',
      ])
      .execute();
    await sql`
      insert into processed_files_by_flow
        (flow_id, server, path, size, modified_at, checksum, run_id, processed_at)
      select flow_id, server, path, size, modified_at, checksum, run_id, processed_at
      from processed_files
    `.execute(db);
    await db.schema.dropTable('processed_files').execute();
    await db.schema.alterTable('processed_files_by_flow').renameTo('processed_files').execute();

    await db.schema
      .createTable('file_claims')
      .addColumn('flow_id', 'text', (column) => column.notNull())
      .addColumn('server', 'text', (column) => column.notNull())
      .addColumn('path', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      .addColumn('host', 'text', (column) => column.notNull())
      .addColumn('pid', 'integer', (column) => column.notNull())
      .addColumn('claimed_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('file_claims_pk', ['flow_id', 'server', 'path'])
      .execute();
    await db.schema.createIndex('file_claims_run').on('file_claims').column('run_id').execute();
  },
};

/**
 * Gives each file claim a lease that its live process renews, so that a claim of a process on
 * another host that died expires. Claims from before have no lease ('').
 */
export const fileClaimLeases: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('file_claims')
      .addColumn('lease_expires_at', 'text', (column) => column.notNull().defaultTo(''))
      .execute();
  },
};
