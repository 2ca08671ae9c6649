import type { CommitOutcome, CommitPhase, RunTransaction } from '@kuryr/nodes';

/** Collects the commit and rollback actions that blocks register during a run. */
export class Transaction implements RunTransaction {
  private readonly commits: Record<CommitPhase, ((outcome: CommitOutcome) => Promise<void>)[]> = {
    publish: [],
    'clean-up': [],
  };
  private readonly rollbacks: (() => Promise<void>)[] = [];

  onCommit(
    action: (outcome: CommitOutcome) => Promise<void>,
    phase: CommitPhase = 'publish',
  ): void {
    this.commits[phase].push(action);
  }

  onRollback(action: () => Promise<void>): void {
    this.rollbacks.push(action);
  }

  /**
   * Runs the publish actions, then the clean-up actions, each in order. The first failure rolls
   * back and is rethrown, so a failed publish action skips every clean-up action.
   */
  async commit(outcome: CommitOutcome): Promise<void> {
    try {
      for (const action of this.commits.publish) await action(outcome);
      for (const action of this.commits['clean-up']) await action(outcome);
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
