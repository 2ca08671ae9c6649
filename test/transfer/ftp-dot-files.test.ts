import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFtpServer } from '../../scripts/test-servers.mjs';
import { ftpAccount, useTransferServer } from '../support/transfer-run.js';

// pure-ftpd with -x rejects writing names that start with a dot, as some hosting servers do.
const env = useTransferServer(() => startFtpServer({ prohibitDotFiles: true }));

/** Uploads the named files of the data folder in one block. */
const upload = (names: string[], params: Record<string, unknown>) =>
  env.work.run(
    [
      ...names.map(
        (name, index) =>
          [`read-${index}`, 'file.read', { path: name }] as [
            string,
            string,
            Record<string, unknown>,
          ],
      ),
      ['put', 'ftp.upload', { credential: 'shop', folder: '/', security: 'none', ...params }],
    ],
    names.map((_, index) => `read-${index}.file>put.file`),
    ftpAccount(env.server),
  );

describe('FTP upload to a server that rejects names starting with a dot', () => {
  it('falls back to a visible temporary name with one warning', async () => {
    await writeFile(join(env.work.data, 'a.csv'), 'first');
    await writeFile(join(env.work.data, 'b.csv'), 'second');

    const report = await upload(['a.csv', 'b.csv'], {});

    expect(report.error).toBeUndefined();
    expect((await readdir(env.server.root)).sort()).toEqual(['a.csv', 'b.csv']);
    expect(await readFile(join(env.server.root, 'b.csv'), 'utf8')).toBe('second');
    const put = report.blocks.find((block) => block.id === 'put')!;
    const rejected = put.warnings.find((warning) => warning.code === 'TEMPORARY_NAME_REJECTED');
    expect(rejected?.count).toBe(1);
    expect(rejected?.examples[0]?.message).toContain('temporaryName');
  });

  it('uses a visible temporary name when set', async () => {
    await writeFile(join(env.work.data, 'a.csv'), 'first');

    const report = await upload(['a.csv'], { temporaryName: 'suffix' });

    expect(report.error).toBeUndefined();
    expect(await readdir(env.server.root)).toEqual(['a.csv']);
    const put = report.blocks.find((block) => block.id === 'put')!;
    expect(put.warnings).toEqual([]);
  });

  it('never downloads a visible upload in progress', async () => {
    await env.server.put('orders/stock.csv', 'stock');
    await env.server.put('orders/stock.csv.kuryr-0123456789ab.part', 'half');

    const report = await env.work.run(
      [
        [
          'get',
          'ftp.download',
          { credential: 'shop', folder: '/orders', saveTo: 'in/', security: 'none' },
        ],
      ],
      [],
      ftpAccount(env.server),
    );

    expect(report.error).toBeUndefined();
    expect(await readdir(join(env.work.data, 'in'))).toEqual(['stock.csv']);
  });
});
