import {
  appendFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFlow } from '../../test-support/blocks.js';
import { startTestTriggers } from '../../test-support/start-run.js';
import type { Flow } from '../flow/flow-schema.js';
import type { FolderTrigger } from '../flow/trigger-schema.js';
import { MemoryTriggerStore } from './trigger-store.js';

let root: string;
let folder: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'kuryr-watch-'));
  folder = join(root, 'data');
  await mkdir(join(folder, 'inbox'), { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Copies each arrived file to out/NAME; with `fail`, the run fails instead. */
function importFlow(trigger: Partial<FolderTrigger> = {}, fail = false): Flow {
  const blocks: Parameters<typeof buildFlow>[0] = [
    ['read', 'file.read', { path: { expression: '$vars.FILE' } }],
    ['write', 'file.write', { path: { expression: '"out/" & $split($vars.FILE, "/")[-1]' } }],
  ];
  if (fail) blocks.push(['fail', 'test.generate', { count: 1, failAfter: 0 }]);
  return {
    ...buildFlow(blocks, ['read.file>write.file'], { FILE: { description: 'arrived file' } }),
    id: 'import',
    triggers: [
      {
        type: 'folder',
        path: 'inbox',
        pattern: '*.csv',
        stableSeconds: 5,
        archivePath: 'archive',
        fileVariable: 'FILE',
        ...trigger,
      },
    ],
  };
}

const setUp = (flow: Flow, store?: MemoryTriggerStore) => startTestTriggers(flow, folder, store);

const list = (path: string) => readdir(join(folder, path)).catch(() => [] as string[]);

describe('folder trigger', () => {
  it('takes a file once it stayed the same and archives it', async () => {
    await writeFile(join(folder, 'inbox', 'orders.csv'), 'a;b\n1;2\n');
    await writeFile(join(folder, 'inbox', 'notes.txt'), 'not matched');
    const { runs, store, advance, manager } = await setUp(importFlow());
    await advance(4000);
    expect(runs).toEqual([]);

    await advance(2000);
    expect(runs).toMatchObject([
      {
        flowId: 'import',
        trigger: { type: 'folder', path: 'inbox/orders.csv', size: 8 },
        variables: { FILE: 'inbox/orders.csv' },
      },
    ]);
    expect(await readFile(join(folder, 'out', 'orders.csv'), 'utf8')).toBe('a;b\n1;2\n');
    expect(await list('inbox')).toEqual(['notes.txt']);
    expect(await list('archive')).toEqual(['orders.csv']);
    expect([...store.processedFiles.values()]).toMatchObject([
      { flowId: 'import', path: 'inbox/orders.csv', size: 8, runId: 'run-1' },
    ]);
    await manager.stop();
  });

  it('waits while a file is still growing', async () => {
    await writeFile(join(folder, 'inbox', 'big.csv'), 'a;b\n');
    const { runs, advance, manager } = await setUp(importFlow());
    await advance(2000);
    await appendFile(join(folder, 'inbox', 'big.csv'), '1;2\n');
    await advance(4000);
    expect(runs).toEqual([]);

    await advance(4000);
    expect(runs).toHaveLength(1);
    expect(await readFile(join(folder, 'out', 'big.csv'), 'utf8')).toBe('a;b\n1;2\n');
    await manager.stop();
  });

  it('does not take a file again after a restart', async () => {
    await writeFile(join(folder, 'inbox', 'stock.csv'), 'x\n');
    const store = new MemoryTriggerStore();
    const flow = importFlow({ archivePath: undefined });
    const first = await setUp(flow, store);
    await first.advance(6000);
    expect(first.runs).toHaveLength(1);
    await first.manager.stop();

    const second = await setUp(flow, store);
    await second.advance(20_000);
    expect(second.runs).toEqual([]);

    await writeFile(join(folder, 'inbox', 'stock.csv'), 'x\ny\n');
    await second.advance(8000);
    expect(second.runs).toMatchObject([{ trigger: { path: 'inbox/stock.csv', size: 4 } }]);
    await second.manager.stop();
  });

  it('leaves the file in place after a failed run', async () => {
    await writeFile(join(folder, 'inbox', 'bad.csv'), 'x\n');
    const { runs, advance, manager, logger } = await setUp(importFlow({}, true));
    await advance(6000);
    await advance(10_000);

    expect(runs).toHaveLength(1);
    expect(await list('inbox')).toEqual(['bad.csv']);
    expect(await list('archive')).toEqual([]);
    expect(logger.lines.filter((line) => line.message === 'file archived')).toEqual([]);
    await manager.stop();
  });

  it('archives under a new name when the name is taken', async () => {
    await mkdir(join(folder, 'archive'));
    await writeFile(join(folder, 'archive', 'day.csv'), 'old');
    await writeFile(join(folder, 'inbox', 'day.csv'), 'new');
    const { advance, manager } = await setUp(importFlow());
    await advance(6000);

    const archived = await list('archive');
    expect(archived).toHaveLength(2);
    const renamed = archived.find((name) => name !== 'day.csv')!;
    expect(renamed).toBe('day-2026-06-01T08-00-06-000Z.csv');
    expect(await readFile(join(folder, 'archive', renamed), 'utf8')).toBe('new');
    await manager.stop();
  });

  it('rejects a watched folder outside the data folder', async () => {
    await mkdir(join(root, 'outside'));
    await writeFile(join(root, 'outside', 'secret.csv'), 'x');
    const { runs, advance, manager, logger } = await setUp(importFlow({ path: '../outside' }));
    await advance(10_000);

    expect(runs).toEqual([]);
    const errors = logger.lines.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      message: 'watched folder could not be read',
      fields: { code: 'PATH_OUTSIDE_DATA_FOLDER', flowId: 'import' },
    });
    await manager.stop();
  });

  it('skips a symbolic link that leads out of the data folder', async () => {
    await mkdir(join(root, 'outside'));
    await writeFile(join(root, 'outside', 'secret.csv'), 'x');
    await symlink(join(root, 'outside', 'secret.csv'), join(folder, 'inbox', 'a-link.csv'));
    await writeFile(join(folder, 'inbox', 'fine.csv'), 'y');
    const { runs, advance, manager, logger } = await setUp(importFlow());
    await advance(10_000);

    expect(runs.map((run) => run.variables.FILE)).toEqual(['inbox/fine.csv']);
    const skipped = logger.lines.filter(
      (line) => line.message === 'file in the watched folder skipped',
    );
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.fields).toMatchObject({
      file: 'a-link.csv',
      code: 'PATH_OUTSIDE_DATA_FOLDER',
    });
    await manager.stop();
  });
});
