import { writeFile } from 'node:fs/promises';
import type { CommitOutcome, CommitPhase, RunTransaction } from '@kuryr/nodes';

/** Collects the commit and rollback actions that blocks register during a run. */
export class Transaction implements RunTransaction {
  private readonly commits: Record<CommitPhase, ((outcome: CommitOutcome) => Promise<void>)[]> = {
    check: [],
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
   * Runs the check actions, then the publish actions, then the clean-up actions, each in order.
   * The first failure rolls back and is rethrown, so a failed check publishes nothing and a
   * failed publish action skips every clean-up action.
   */
  async commit(outcome: CommitOutcome): Promise<void> {
    try {
      for (const action of this.commits.check) await action(outcome);
      const pauseAfter = pauseAfterPublishActions();
      for (const [index, action] of this.commits.publish.entries()) {
        if (index === pauseAfter) await pauseForever();
        await action(outcome);
      }
      if (pauseAfter !== undefined && pauseAfter >= this.commits.publish.length) {
        await pauseForever();
      }
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

/**
 * Test hook for crash tests: with `KURYR_TEST_PAUSE_AFTER_PUBLISH_ACTIONS=N` and
 * `KURYR_TEST_PAUSE_MARKER=FILE`, a commit runs N publish actions (all of them when N is larger),
 * creates FILE and waits until the test kills the process. Unset in normal use.
 */
function pauseAfterPublishActions(): number | undefined {
  const count = process.env.KURYR_TEST_PAUSE_AFTER_PUBLISH_ACTIONS;
  if (count === undefined || process.env.KURYR_TEST_PAUSE_MARKER === undefined) return undefined;
  return Number(count);
}

async function pauseForever(): Promise<never> {
  await writeFile(process.env.KURYR_TEST_PAUSE_MARKER!, `${process.pid}\n`);
  return new Promise<never>(() => setInterval(() => undefined, 60_000));
}
