import type { CommitOutcome, RunTransaction } from '@kuryr/nodes';

/** Collects the commit and rollback actions that blocks register during a run. */
export class Transaction implements RunTransaction {
  private readonly commits: ((outcome: CommitOutcome) => Promise<void>)[] = [];
  private readonly rollbacks: (() => Promise<void>)[] = [];

  onCommit(action: (outcome: CommitOutcome) => Promise<void>): void {
    this.commits.push(action);
  }

  onRollback(action: () => Promise<void>): void {
    this.rollbacks.push(action);
  }

  /** Runs the commit actions in order; on the first failure rolls back and rethrows. */
  async commit(outcome: CommitOutcome): Promise<void> {
    try {
      for (const action of this.commits) await action(outcome);
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
