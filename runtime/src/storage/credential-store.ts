import type { ServiceDatabase } from './database.js';
import type { Vault } from './vault.js';

/** Public part of a credential, as the API lists it: never its values. */
export type CredentialSummary = {
  name: string;
  kind: string;
  createdAt: string;
  updatedAt: string;
};

/** Credentials sealed by the vault; their values leave this class only through `values`. */
export class VaultCredentials {
  constructor(
    private readonly db: ServiceDatabase,
    private readonly vault: Vault,
  ) {}

  async list(): Promise<CredentialSummary[]> {
    const rows = await this.db
      .selectFrom('credentials')
      .select(['name', 'kind', 'created_at', 'updated_at'])
      .orderBy('name')
      .execute();
    return rows.map((row) => ({
      name: row.name,
      kind: row.kind,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  async exists(name: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('credentials')
      .select('name')
      .where('name', '=', name)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Creates a credential; returns false when the name is taken. */
  async create(name: string, kind: string, values: Record<string, string>): Promise<boolean> {
    if (await this.exists(name)) return false;
    const now = new Date().toISOString();
    await this.db
      .insertInto('credentials')
      .values({ name, kind, sealed: this.seal(name, values), created_at: now, updated_at: now })
      .execute();
    return true;
  }

  /** Replaces a credential's kind and values; returns false when there is none. */
  async update(name: string, kind: string, values: Record<string, string>): Promise<boolean> {
    const result = await this.db
      .updateTable('credentials')
      .set({ kind, sealed: this.seal(name, values), updated_at: new Date().toISOString() })
      .where('name', '=', name)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async remove(name: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('credentials')
      .where('name', '=', name)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Opens a credential's values for a block at run time. */
  async values(name: string): Promise<Record<string, string> | undefined> {
    const row = await this.db
      .selectFrom('credentials')
      .select('sealed')
      .where('name', '=', name)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return JSON.parse(this.vault.open(row.sealed, associatedData(name))) as Record<string, string>;
  }

  private seal(name: string, values: Record<string, string>): string {
    return this.vault.seal(JSON.stringify(values), associatedData(name));
  }
}

function associatedData(name: string): string {
  return `credential:${name}`;
}
