import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileItem } from '../../contract/files.js';
import { Channel } from '../../streams/channel.js';
import { processTag } from '../../system/process.js';
import { CollectingPort, createTestContext } from '../block-harness.test-support.js';
import {
  fitFileName,
  MAX_NAME_BYTES,
  removeAbandonedStagedFiles,
  stagedPathFor,
} from './staging.js';
import { writeFileBlock } from './write-file.block.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-staging-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('staged files', () => {
  it('are hidden and carry the machine and process', () => {
    const name = basename(stagedPathFor(join(folder, 'stock.csv')));
    expect(name).toMatch(new RegExp(`^\\.stock\\.csv\\.kuryr_${processTag()}_[0-9a-f]{12}\\.tmp$`));
  });

  it('of names near the limit stay within 255 bytes and apart', async () => {
    const common = 'ž'.repeat(120);
    const first = basename(stagedPathFor(join(folder, `${common}-first.csv`)));
    const second = basename(stagedPathFor(join(folder, `${common}-second.csv`)));

    expect(Buffer.byteLength(first)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(first).toMatch(/^\.ž+~[0-9a-f]{8}\.kuryr_/);
    expect(first.split('~')[1]).not.toBe(second.split('~')[1]);
    // The file system accepts the name.
    await writeFile(join(folder, first), 'x');
    await rm(join(folder, first));
  });

  it('keep a name that fits as it is', () => {
    expect(fitFileName('.', 'stock.csv', '.part')).toBe('.stock.csv.part');
    const fitted = fitFileName('', 'a'.repeat(300), '.tmp');
    expect(Buffer.byteLength(fitted)).toBe(MAX_NAME_BYTES);
    expect(fitted.endsWith('.tmp')).toBe(true);
  });

  it('of ended local processes are removed', async () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const host = processTag().split('_')[0];
    const abandoned = `.stock.csv.kuryr_${host}_${ended.stdout.toString()}_0123456789ab.tmp`;
    const otherMachine = `.stock.csv.kuryr_elsewhere_${ended.stdout.toString()}_0123456789ab.tmp`;
    const live = basename(stagedPathFor(join(folder, 'stock.csv')));
    for (const name of [abandoned, otherMachine, live, 'stock.csv', '.other.tmp']) {
      await writeFile(join(folder, name), 'x');
    }

    expect(await removeAbandonedStagedFiles(folder)).toEqual([abandoned]);
    expect((await readdir(folder)).sort()).toEqual(
      ['.other.tmp', live, otherMachine, 'stock.csv'].sort(),
    );
  });
});

describe('Write File with a companion', () => {
  it('renames the memo file before the table at commit', async () => {
    const work = join(folder, 'companions');
    await mkdir(work);
    await writeFile(join(work, 'spool.dbf'), 'table');
    await writeFile(join(work, 'spool.fpt'), 'memo');
    const table: FileItem = {
      name: 'items.dbf',
      mediaType: 'application/dbase',
      size: 5,
      content: { kind: 'temp', path: join(work, 'spool.dbf') },
      companions: [
        {
          name: 'items.fpt',
          mediaType: 'application/octet-stream',
          size: 4,
          content: { kind: 'temp', path: join(work, 'spool.fpt') },
        },
      ],
    };
    const commits: (() => Promise<void>)[] = [];
    const input = new Channel<FileItem>();
    const context = createTestContext({
      params: writeFileBlock.parameters.parse({ path: 'out/items.dbf' }),
      folder: work,
      inputs: { file: input },
      outputs: { file: new CollectingPort() },
      warnings: [],
    });
    context.transaction = {
      onCommit: (action) => commits.push(() => action({ status: 'succeeded' })),
      onRollback: () => {},
    };

    const running = writeFileBlock.run(context);
    await input.send([table]);
    input.end();
    await running;

    expect(commits).toHaveLength(2);
    await commits[0]!();
    const visible = async () =>
      (await readdir(join(work, 'out'))).filter((name) => !name.startsWith('.'));
    // A consumer that sees the new table must already find the new memo file beside it.
    expect(await visible()).toEqual(['items.fpt']);
    await commits[1]!();
    expect((await visible()).sort()).toEqual(['items.dbf', 'items.fpt']);
  });
});
