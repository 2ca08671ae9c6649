import type { ServiceDatabase } from './database.js';

/** Scope of the values that apply to every flow. */
export const GLOBAL_SCOPE = '';

/** Variable values kept by the service: global ones and per-flow ones (a customer's settings). */
export class VariableStore {
  constructor(private readonly db: ServiceDatabase) {}

  /** Returns the values of one scope: GLOBAL_SCOPE or a flow id. */
  async get(scope: string): Promise<Record<string, string>> {
    const rows = await this.db
      .selectFrom('variables')
      .select(['name', 'value'])
      .where('scope', '=', scope)
      .orderBy('name')
      .execute();
    return Object.fromEntries(rows.map((row) => [row.name, row.value]));
  }

  /** Replaces all values of one scope. */
  async replace(scope: string, values: Record<string, string>): Promise<void> {
    await this.db.transaction().execute(async (transaction) => {
      await transaction.deleteFrom('variables').where('scope', '=', scope).execute();
      const rows = Object.entries(values).map(([name, value]) => ({ scope, name, value }));
      if (rows.length > 0) await transaction.insertInto('variables').values(rows).execute();
    });
  }

  /**
   * Returns the stored values for a run of `flowId`: global values overridden by the flow's own.
   * Only the names in `declared` are taken, because a run rejects undeclared variables.
   */
  async forRun(flowId: string, declared: readonly string[]): Promise<Record<string, string>> {
    const merged = { ...(await this.get(GLOBAL_SCOPE)), ...(await this.get(flowId)) };
    return Object.fromEntries(
      declared.filter((name) => name in merged).map((n) => [n, merged[n]!]),
    );
  }
}
