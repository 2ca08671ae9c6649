import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type ServiceDatabase } from './database.js';
import { RunHistory, type StoredRun } from './run-history.js';

let folder: string;
let db: ServiceDatabase;
let history: RunHistory;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-history-'));
  db = await openDatabase(folder);
  history = new RunHistory(db);
});

afterAll(async () => {
  await db.destroy();
  await rm(folder, { recursive: true, force: true });
});

function run(id: string, flowId: string, startedAt: string, status = 'succeeded'): StoredRun {
  return {
    id,
    flowId,
    flowName: flowId,
    trigger: 'manual',
    status: status as StoredRun['status'],
    startedAt,
    blocks: [],
    artifacts: [],
    variables: {},
  };
}

describe('RunHistory', () => {
  it('prunes by age and by count per flow, never running runs', async () => {
    await history.insert(run('old', 'a', '2026-01-01T00:00:00.000Z'));
    await history.insert(run('old-running', 'a', '2026-01-01T00:00:00.000Z', 'running'));
    for (let day = 1; day <= 4; day++) {
      await history.insert(run(`a${day}`, 'a', `2026-03-0${day}T00:00:00.000Z`));
    }
    await history.insert(run('b1', 'b', '2026-03-01T00:00:00.000Z'));

    const deleted = await history.prune(
      { maxAgeDays: 30, maxRunsPerFlow: 2 },
      new Date('2026-03-10T00:00:00.000Z'),
    );
    expect(deleted).toBe(3);
    const ids = (await history.list()).map((stored) => stored.id).sort();
    expect(ids).toEqual(['a3', 'a4', 'b1', 'old-running']);
  });

  it('marks running runs as interrupted with their last blocks', async () => {
    await history.insert(run('live', 'c', '2026-03-05T00:00:00.000Z', 'running'));
    const blocks = [
      {
        id: 'x',
        name: 'x',
        type: 't',
        status: 'running' as const,
        recordsIn: 5,
        recordsOut: 4,
        filesIn: 0,
        filesOut: 0,
        errors: 0,
        warnings: [],
        routedErrors: [],
        samples: {},
        expressions: [],
      },
    ];
    await history.updateBlocks('live', blocks);
    const interrupted = await history.markInterrupted(new Date('2026-03-05T01:00:00.000Z'));
    expect(interrupted).toContain('live');
    const stored = await history.get('live');
    expect(stored?.status).toBe('interrupted');
    expect(stored?.blocks[0]?.recordsOut).toBe(4);
    expect(stored?.blocks[0]?.status).toBe('cancelled');
    expect(stored?.finishedAt).toBe('2026-03-05T01:00:00.000Z');
  });
});
