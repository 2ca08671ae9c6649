import { setFlagsFromString } from 'node:v8';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { moderateHeapGrowth, withBulkTransferHeapGrowth } from './heap-growth.js';

// V8 offers no way to read a flag back, so the calls that set them are recorded instead.
vi.mock('node:v8', () => ({ setFlagsFromString: vi.fn() }));
const setFlags = vi.mocked(setFlagsFromString);

const lastFlag = () => setFlags.mock.calls.at(-1)?.[0];

describe('withBulkTransferHeapGrowth', () => {
  beforeEach(() => {
    moderateHeapGrowth();
    setFlags.mockClear();
  });

  it('restores the moderate growth after a failed transfer', async () => {
    const failing = withBulkTransferHeapGrowth(async () => {
      expect(lastFlag()).toBe('--heap-growing-percent=0');
      throw new Error('connection reset');
    });

    await expect(failing).rejects.toThrow('connection reset');
    expect(lastFlag()).toBe('--heap-growing-percent=100');
  });

  it('restores it only after the last of overlapping transfers', async () => {
    let finishFirst = () => {};
    const first = withBulkTransferHeapGrowth(
      () => new Promise<void>((resolve) => (finishFirst = resolve)),
    );
    await expect(
      withBulkTransferHeapGrowth(async () => Promise.reject(new Error('cancelled'))),
    ).rejects.toThrow('cancelled');
    expect(lastFlag()).toBe('--heap-growing-percent=0');

    finishFirst();
    await first;

    expect(lastFlag()).toBe('--heap-growing-percent=100');
    expect(setFlags).toHaveBeenCalledTimes(2);
  });

  it('leaves the flags alone in a process that never moderated', async () => {
    vi.resetModules();
    const fresh = await import('./heap-growth.js');
    setFlags.mockClear();

    await fresh.withBulkTransferHeapGrowth(async () => undefined);

    expect(setFlags).not.toHaveBeenCalled();
  });
});
