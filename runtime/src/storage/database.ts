import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrations } from './migrations/index.js';

/** Tables of the runtime's database; each migration in ./migrations adds its own. */
export type DatabaseSchema = {
  processed_files: ProcessedFilesTable;
};

export type ProcessedFilesTable = {
  server: string;
  path: string;
  size: number;
  modified_at: string;
  checksum: string;
  flow_id: string;
  run_id: string;
  processed_at: string;
};

/** The runtime's database: one SQLite file in the state folder, shared by every command. */
export type RuntimeDatabase = Kysely<DatabaseSchema>;

/** File name of the database inside the state folder. */
export const DATABASE_FILE = 'kuryr.db';

/**
 * Opens `stateDir/kuryr.db`, creating it when missing, and applies pending migrations. WAL mode
 * and a busy timeout let several processes (a run and the service) use the file at once.
 */
export async function openDatabase(stateDir: string): Promise<RuntimeDatabase> {
  const sqlite = new Database(join(stateDir, DATABASE_FILE));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw error;
  }
  return db;
}
