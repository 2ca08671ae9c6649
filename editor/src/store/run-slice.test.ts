import { describe, expect, it } from 'vitest';
import { createEditorStore } from './index.js';

const counts = (recordsIn: number, recordsOut: number) => ({
  recordsIn,
  recordsOut,
  filesIn: 0,
  filesOut: 0,
  errors: 0,
});

describe('run slice', () => {
  it('follows a block from progress to failure', () => {
    const store = createEditorStore();
    store.getState().startWatching('run-1');
    const apply = store.getState().applyRunEvent;
    apply({ type: 'block.started', runId: 'run-1', blockId: 'b', at: '' });
    expect(store.getState().blockRuns.b?.status).toBe('running');

    apply({
      type: 'block.progress',
      runId: 'run-1',
      blockId: 'b',
      counts: counts(10, 8),
      rate: 100,
      elapsedMs: 5,
    });
    expect(store.getState().blockRuns.b?.counts.recordsOut).toBe(8);
    expect(store.getState().blockRuns.b?.rate).toBe(100);

    apply({ type: 'block.warning', runId: 'run-1', blockId: 'b', code: 'w', message: 'first' });
    apply({ type: 'block.warning', runId: 'run-1', blockId: 'b', code: 'w', message: 'second' });
    expect(store.getState().blockRuns.b?.warnings).toEqual([
      { code: 'w', count: 2, examples: [{ message: 'first' }, { message: 'second' }] },
    ]);

    const error = { code: 'E', kind: 'flow', message: 'broken', context: {} };
    apply({
      type: 'block.failed',
      runId: 'run-1',
      blockId: 'b',
      error,
      routed: false,
      counts: counts(11, 8),
      elapsedMs: 6,
    });
    expect(store.getState().blockRuns.b?.status).toBe('failed');
    expect(store.getState().blockRuns.b?.error?.message).toBe('broken');

    apply({ type: 'run.finished', runId: 'run-1', status: 'failed', durationMs: 7 });
    expect(store.getState().runStatus).toBe('failed');
  });

  it('ignores events of another run', () => {
    const store = createEditorStore();
    store.getState().startWatching('run-1');
    store.getState().applyRunEvent({ type: 'block.started', runId: 'run-2', blockId: 'b', at: '' });
    expect(store.getState().blockRuns).toEqual({});
  });

  it('keeps the latest output sample per port', () => {
    const store = createEditorStore();
    store.getState().startWatching('run-1');
    store.getState().applyRunEvent({
      type: 'block.sample',
      runId: 'run-1',
      blockId: 'b',
      port: 'kept',
      items: [{ a: 1 }],
    });
    store.getState().applyRunEvent({
      type: 'block.sample',
      runId: 'run-1',
      blockId: 'b',
      port: 'kept',
      items: [{ a: 2 }],
    });
    expect(store.getState().blockRuns.b?.samples).toEqual({ kept: [{ a: 2 }] });
  });
});
