import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type ServiceDatabase } from './database.js';
import { DatabaseTriggerStore } from './database-trigger-store.js';
import { RunHistory } from './run-history.js';

let folder: string;
let db: ServiceDatabase;
let history: RunHistory;
let store: DatabaseTriggerStore;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-trigger-store-'));
  db = await openDatabase(folder);
  history = new RunHistory(db);
  store = new DatabaseTriggerStore({
    db,
    history,
    flowName: async (flowId) => (flowId === 'known' ? 'Known flow' : undefined),
  });
});

afterAll(async () => {
  await db.destroy();
  await rm(folder, { recursive: true, force: true });
});

const file = (path: string, mtimeMs = 1_700_000_000_123.456) => ({ path, size: 10, mtimeMs });

async function insertRun(id: string): Promise<void> {
  await history.insert({
    id,
    flowId: 'known',
    flowName: 'Known flow',
    trigger: 'folder',
    status: 'succeeded',
    startedAt: '2026-01-01T00:00:00.000Z',
    blocks: [],
    artifacts: [],
    variables: {},
  });
}

describe('DatabaseTriggerStore', () => {
  it('keeps schedule marks per flow and trigger', async () => {
    expect(await store.getScheduleMark('known', 'schedule a')).toBeUndefined();
    await store.setScheduleMark('known', 'schedule a', new Date('2026-01-01T06:00:00Z'));
    await store.setScheduleMark('known', 'schedule a', new Date('2026-01-02T06:00:00Z'));
    await store.setScheduleMark('known', 'schedule b', new Date('2026-01-03T06:00:00Z'));

    expect(await store.getScheduleMark('known', 'schedule a')).toEqual(
      new Date('2026-01-02T06:00:00Z'),
    );
    await store.removeScheduleMarks('known', ['schedule b']);
    expect(await store.getScheduleMark('known', 'schedule a')).toBeUndefined();
    expect(await store.getScheduleMark('known', 'schedule b')).toBeDefined();
    await store.removeScheduleMarks('known');
    expect(await store.getScheduleMark('known', 'schedule b')).toBeUndefined();
  });

  it('records a missed run in the run history', async () => {
    await store.recordMissedRun({
      flowId: 'gone',
      triggerKey: 'schedule x',
      plannedAt: new Date('2026-01-05T06:00:00Z'),
      firstPlannedAt: new Date('2026-01-03T06:00:00Z'),
      count: 3,
      action: 'skipped',
      detectedAt: new Date('2026-01-05T12:00:00Z'),
    });

    const [missed] = await history.list({ status: 'missed' });
    expect(missed).toMatchObject({
      flowId: 'gone',
      flowName: 'gone',
      trigger: 'schedule',
      startedAt: '2026-01-05T06:00:00.000Z',
      finishedAt: '2026-01-05T12:00:00.000Z',
      triggerDetail: { count: 3, firstPlannedAt: '2026-01-03T06:00:00.000Z', action: 'skipped' },
    });
  });

  it('matches processed files by path, size and exact mtime', async () => {
    await store.addProcessedFile('known', { ...file('in/a.dbf'), takenAt: new Date() });
    await store.addProcessedFile('known', { ...file('in/a.dbf'), takenAt: new Date() });

    expect(await store.hasProcessedFile('known', file('in/a.dbf'))).toBe(true);
    expect(await store.hasProcessedFile('other', file('in/a.dbf'))).toBe(false);
    expect(await store.hasProcessedFile('known', file('in/a.dbf', 1_700_000_000_123.457))).toBe(
      false,
    );
  });

  it('prunes processed files of pruned runs unless still in place', async () => {
    await insertRun('kept-run');
    const entries = {
      kept: file('in/kept.dbf'),
      gone: file('in/gone.dbf'),
      inPlace: file('in/in-place.dbf'),
    };
    await store.addProcessedFile('known', {
      ...entries.kept,
      takenAt: new Date(),
      runId: 'kept-run',
    });
    await store.addProcessedFile('known', {
      ...entries.gone,
      takenAt: new Date(),
      runId: 'pruned',
    });
    await store.addProcessedFile('known', {
      ...entries.inPlace,
      takenAt: new Date(),
      runId: 'pruned',
    });

    const deleted = await store.pruneProcessedFiles(
      async (entry) => entry.path === 'in/in-place.dbf',
    );

    expect(await store.hasProcessedFile('known', entries.kept)).toBe(true);
    expect(await store.hasProcessedFile('known', entries.gone)).toBe(false);
    expect(await store.hasProcessedFile('known', entries.inPlace)).toBe(true);
    // in/a.dbf of the test before has no run either and is not in place.
    expect(deleted).toBe(2);
  });
});
