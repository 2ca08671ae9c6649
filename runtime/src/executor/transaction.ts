import type { RunTransaction } from '@kuryr/nodes';

/** Collects the commit and rollback actions that blocks register during a run. */
export class Transaction implements RunTransaction {
  private readonly commits: (() => Promise<void>)[] = [];
  private readonly rollbacks: (() => Promise<void>)[] = [];

  onCommit(action: () => Promise<void>): void {
    this.commits.push(action);
  }

  onRollback(action: () => Promise<void>): void {
    this.rollbacks.push(action);
  }

  /** Runs the commit actions in order; on the first failure rolls back and rethrows. */
  async commit(): Promise<void> {
    try {
      for (const action of this.commits) await action();
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  /** Runs every rollback action; one failing does not stop the others. */
  async rollback(): Promise<void> {
    await Promise.allSettled(this.rollbacks.map((action) => action()));
  }
}
