import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  SqliteDialect,
  type Generated,
  type Migration,
  type MigrationProvider,
} from 'kysely';
import { makePrivateDatabaseFiles } from './private-files.js';
import {
  fileClaimLeases,
  processedFiles,
  processedFilesByFlow,
} from './processed-files-migration.js';

/**
 * Tables of the service. Times are ISO 8601 text and structured values JSON text, so the same
 * queries run on PostgreSQL.
 */
export type Database = {
  runs: {
    id: string;
    flow_id: string;
    flow_name: string;
    trigger: string;
    status: string;
    started_at: string;
    finished_at: string | null;
    duration_ms: number | null;
    /** ErrorReport as JSON. */
    error: string | null;
    /** BlockReport[] as JSON: the last known state while running, the final one after. */
    blocks: string;
    /** Absolute paths of the produced files, as JSON. */
    artifacts: string;
    variables: string;
    /** TriggerDetail as JSON; null for a run started by hand. */
    trigger_detail: string | null;
  };
  /** Per schedule, the time up to which its planned times were handled. */
  schedule_marks: { flow_id: string; trigger_key: string; handled_until: string };
  /** Files a folder trigger took, by path, size and modification time. */
  taken_files: {
    flow_id: string;
    path: string;
    size: number;
    mtime_ms: number;
    taken_at: string;
    run_id: string | null;
  };
  credentials: {
    name: string;
    kind: string;
    /** The credential's values, sealed by the vault. */
    sealed: string;
    created_at: string;
    updated_at: string;
  };
  variables: {
    /** Empty for a global value, else the flow id. */
    scope: string;
    name: string;
    value: string;
  };
  users: { name: string; password_hash: string; created_at: string };
  sessions: {
    id_hash: string;
    user_name: string;
    csrf_token: string;
    created_at: string;
    expires_at: string;
  };
  api_tokens: {
    id: Generated<number>;
    label: string;
    token_hash: string;
    user_name: string;
    created_at: string;
  };
  settings: { key: string; value: string };
  /**
   * The processed-file ledger: one row per flow and version of a remote file that a committed
   * run of the flow consumed.
   */
  processed_files: {
    server: string;
    path: string;
    size: number;
    /** Modification time on the server, ISO 8601; '' when the server gives none. */
    modified_at: string;
    checksum: string;
    flow_id: string;
    run_id: string;
    processed_at: string;
    /** `done`, or `pending` while the run that downloaded the file commits. */
    state: Generated<string>;
    /** Absolute paths of the staged and the published file in the data folder, for `pending`. */
    staged_path: string | null;
    target_path: string | null;
  };
  /** Remote files that a run is downloading, so an overlapping run of the flow skips them. */
  file_claims: {
    flow_id: string;
    server: string;
    path: string;
    run_id: string;
    /** Host name and process id of the claiming process, to release claims of dead processes. */
    host: string;
    pid: number;
    claimed_at: string;
    /** ISO 8601 time until which the claim holds unless renewed; '' for claims without lease. */
    lease_expires_at: Generated<string>;
  };
};

/** The runtime's database: one SQLite file in the state folder, shared by `kuryr run` and the service. */
export type ServiceDatabase = Kysely<Database>;

/** File name of the database inside the state folder. */
export const DATABASE_FILE = 'kuryr.sqlite';

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('runs')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('flow_id', 'text', (column) => column.notNull())
      .addColumn('flow_name', 'text', (column) => column.notNull())
      .addColumn('trigger', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('started_at', 'text', (column) => column.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('duration_ms', 'integer')
      .addColumn('error', 'text')
      .addColumn('blocks', 'text', (column) => column.notNull())
      .addColumn('artifacts', 'text', (column) => column.notNull())
      .addColumn('variables', 'text', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('runs_flow_started')
      .on('runs')
      .columns(['flow_id', 'started_at'])
      .execute();
    await db.schema.createIndex('runs_status').on('runs').column('status').execute();
    await db.schema
      .createTable('credentials')
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('sealed', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema
      .createTable('variables')
      .addColumn('scope', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('value', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('variables_pk', ['scope', 'name'])
      .execute();
    await db.schema
      .createTable('users')
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('password_hash', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (column) => column.primaryKey())
      .addColumn('user_name', 'text', (column) => column.notNull())
      .addColumn('csrf_token', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('expires_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement())
      .addColumn('label', 'text', (column) => column.notNull())
      .addColumn('token_hash', 'text', (column) => column.notNull().unique())
      .addColumn('user_name', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (column) => column.primaryKey())
      .addColumn('value', 'text', (column) => column.notNull())
      .execute();
  },
};

const triggers: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('runs').addColumn('trigger_detail', 'text').execute();
    await db.schema
      .createTable('schedule_marks')
      .addColumn('flow_id', 'text', (column) => column.notNull())
      .addColumn('trigger_key', 'text', (column) => column.notNull())
      .addColumn('handled_until', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('schedule_marks_pk', ['flow_id', 'trigger_key'])
      .execute();
    await db.schema
      .createTable('taken_files')
      .addColumn('flow_id', 'text', (column) => column.notNull())
      .addColumn('path', 'text', (column) => column.notNull())
      .addColumn('size', 'integer', (column) => column.notNull())
      .addColumn('mtime_ms', 'real', (column) => column.notNull())
      .addColumn('taken_at', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text')
      .addPrimaryKeyConstraint('taken_files_pk', ['flow_id', 'path', 'size', 'mtime_ms'])
      .execute();
  },
};

/**
 * Every migration, by name in the order they apply. Names never change once released; a new
 * table or column is a new entry.
 */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-processed-files': processedFiles,
  '0003-triggers': triggers,
  '0004-processed-files-by-flow': processedFilesByFlow,
  '0005-file-claim-leases': fileClaimLeases,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Opens (creating when missing) `stateDir/kuryr.sqlite`, readable by its owner only, and brings
 * its tables up to date.
 * Write-ahead logging and a busy timeout let several processes (a `kuryr run` and the service)
 * use the file at once, and keep readers of the API from blocking the run history's writes.
 */
export async function openDatabase(stateDir: string): Promise<ServiceDatabase> {
  const path = join(stateDir, DATABASE_FILE);
  makePrivateDatabaseFiles(path);
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw error;
  }
  return db;
}
