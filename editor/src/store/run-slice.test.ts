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
      latest: {},
    });
    expect(store.getState().blockRuns.b?.counts.recordsOut).toBe(8);
    expect(store.getState().blockRuns.b?.rate).toBe(100);

    apply({ type: 'block.warning', runId: 'run-1', blockId: 'b', code: 'w', message: 'first' });
    apply({ type: 'block.warning', runId: 'run-1', blockId: 'b', code: 'w', message: 'second' });
    expect(store.getState().blockRuns.b?.warnings).toEqual([
      { code: 'w', count: 2, examples: [{ message: 'first' }, { message: 'second' }] },
    ]);

    const error = { code: 'E', kind: 'flow' as const, message: 'broken', context: {} };
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

  it('keeps the latest items of each port, newest first', () => {
    const store = createEditorStore();
    store.getState().startWatching('run-1');
    const progress = (latest: Record<string, unknown>) =>
      store.getState().applyRunEvent({
        type: 'block.progress',
        runId: 'run-1',
        blockId: 'b',
        counts: counts(2, 2),
        rate: 1,
        elapsedMs: 1,
        latest,
      });
    progress({ kept: { a: 1 } });
    progress({ kept: { a: 2 }, discarded: { a: 0 } });
    expect(store.getState().blockRuns.b?.samples).toEqual({
      kept: [{ a: 2 }, { a: 1 }],
      discarded: [{ a: 0 }],
    });
  });

  it('adopts a run of the flow on the canvas only', () => {
    const store = createEditorStore();
    const flowId = store.getState().meta.id;
    store.getState().applyRunEvent({ type: 'run.started', runId: 'other', flowId: 'x', at: '' });
    expect(store.getState().runId).toBeUndefined();

    store.getState().applyRunEvent({ type: 'run.started', runId: 'mine', flowId, at: '' });
    expect(store.getState().runId).toBe('mine');
    store.getState().startWatching('mine');
    expect(store.getState().runStatus).toBe('running');
  });

  it('applies a frame of events in one update', () => {
    const store = createEditorStore();
    store.getState().startWatching('run-1');
    let updates = 0;
    store.subscribe(() => updates++);
    const progress = (blockId: string, recordsOut: number, runId = 'run-1') => ({
      type: 'block.progress' as const,
      runId,
      blockId,
      counts: counts(recordsOut, recordsOut),
      rate: 10,
      elapsedMs: 5,
      latest: {},
    });
    store.getState().applyRunEvents([
      { type: 'block.started', runId: 'run-1', blockId: 'a', at: '' },
      progress('a', 10),
      progress('b', 5),
      progress('a', 20),
      {
        type: 'block.finished',
        runId: 'run-1',
        blockId: 'b',
        counts: counts(7, 7),
        rate: 1,
        elapsedMs: 9,
      },
      progress('c', 3, 'run-0'),
    ]);
    expect(updates).toBe(1);
    expect(store.getState().blockRuns.a?.counts.recordsOut).toBe(20);
    expect(store.getState().blockRuns.b?.status).toBe('succeeded');
    expect(store.getState().blockRuns.b?.counts.recordsOut).toBe(7);
    expect(store.getState().blockRuns.c).toBeUndefined();
  });

  it('keeps the order around a run start', () => {
    const store = createEditorStore();
    store.getState().loadFlow(
      {
        schemaVersion: 1,
        id: 'f',
        name: 'f',
        variables: {},
        credentials: [],
        blocks: [],
        wires: [],
      },
      true,
    );
    store.getState().startWatching('run-1');
    store.getState().applyRunEvents([
      { type: 'block.started', runId: 'run-1', blockId: 'a', at: '' },
      { type: 'run.started', runId: 'run-2', flowId: 'f', at: '' },
      { type: 'block.started', runId: 'run-2', blockId: 'b', at: '' },
    ]);
    expect(store.getState().runId).toBe('run-2');
    expect(Object.keys(store.getState().blockRuns)).toEqual(['b']);
  });
});
