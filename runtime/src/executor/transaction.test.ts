import { describe, expect, it } from 'vitest';
import { Transaction } from './transaction.js';

const succeeded = { status: 'succeeded' } as const;

describe('Transaction', () => {
  it('runs publish actions before clean-up actions', async () => {
    const transaction = new Transaction();
    const order: string[] = [];
    transaction.onCommit(async () => void order.push('clean-up 1'), 'clean-up');
    transaction.onCommit(async () => void order.push('publish 1'));
    transaction.onCommit(async () => void order.push('clean-up 2'), 'clean-up');
    transaction.onCommit(async () => void order.push('publish 2'), 'publish');

    await transaction.commit(succeeded);

    expect(order).toEqual(['publish 1', 'publish 2', 'clean-up 1', 'clean-up 2']);
  });

  it('skips clean-up and rolls back when a publish action fails', async () => {
    const transaction = new Transaction();
    const order: string[] = [];
    transaction.onCommit(async () => void order.push('clean-up'), 'clean-up');
    transaction.onCommit(async () => {
      throw new Error('rename failed');
    });
    transaction.onRollback(async () => void order.push('rollback'));

    await expect(transaction.commit(succeeded)).rejects.toThrow('rename failed');

    expect(order).toEqual(['rollback']);
  });

  it('publishes nothing when a check fails', async () => {
    const transaction = new Transaction();
    const order: string[] = [];
    transaction.onCommit(async () => void order.push('publish'));
    transaction.onCommit(async () => void order.push('clean-up'), 'clean-up');
    transaction.onCommit(async () => {
      throw new Error('claim lost');
    }, 'check');
    transaction.onRollback(async () => void order.push('rollback'));

    await expect(transaction.commit(succeeded)).rejects.toThrow('claim lost');

    expect(order).toEqual(['rollback']);
  });
});
