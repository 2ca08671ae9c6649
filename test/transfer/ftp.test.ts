import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Credential } from '@kuryr/nodes';
import { collected } from '../../runtime/test-support/blocks.js';
import { startFtpFaultProxy } from '../support/ftp-fault-proxy.js';
import { startFtpServer } from '../../scripts/test-servers.mjs';
import { ftpAccount, useTransferServer } from '../support/transfer-run.js';

const env = useTransferServer(startFtpServer);

function account(extra: Partial<Credential> = {}): Credential {
  return ftpAccount(env.server, extra);
}

/** Puts a file on the server as another program would, and returns its content. */
async function serve(path: string, content: Buffer | string): Promise<Buffer> {
  await env.server.put(path, content);
  return Buffer.from(content);
}

function codes(warnings: readonly { code: string }[]): string[] {
  return warnings.map((warning) => warning.code);
}

async function serverFiles(folder = ''): Promise<string[]> {
  return (await readdir(join(env.server.root, folder))).sort();
}

const download = (params: Record<string, unknown>) =>
  ['get', 'ftp.download', { credential: 'shop', folder: '/orders', saveTo: 'in/', ...params }] as [
    string,
    string,
    Record<string, unknown>,
  ];

describe('FTP blocks against pure-ftpd', () => {
  it('downloads matching files over explicit FTPS into the data folder, Czech names intact', async () => {
    const order = await serve('orders/Objednávka č. 1.csv', 'kód;množství\r\nA1;2\r\n');
    await serve('orders/readme.txt', 'not an order');

    const report = await env.work.run([download({ pattern: '*.CSV' })], [], account());

    expect(report.status).toBe('succeeded');
    expect(await readdir(join(env.work.data, 'in'))).toEqual(['Objednávka č. 1.csv']);
    expect(await readFile(join(env.work.data, 'in/Objednávka č. 1.csv'))).toEqual(order);
    expect(await serverFiles('orders')).toEqual(['Objednávka č. 1.csv', 'readme.txt']);
  });

  it('downloads by age: skips files changed too recently or too long ago', async () => {
    await serve('orders/new.csv', 'new');
    await serve('orders/settled.csv', 'settled');
    await serve('orders/ancient.csv', 'ancient');
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    await utimes(join(env.server.root, 'orders/settled.csv'), hoursAgo(2), hoursAgo(2));
    await utimes(join(env.server.root, 'orders/ancient.csv'), hoursAgo(100), hoursAgo(100));

    const report = await env.work.run(
      [download({ minimumAgeMinutes: 30, maximumAgeMinutes: 24 * 60 })],
      [],
      account(),
    );

    expect(report.status).toBe('succeeded');
    expect(await readdir(join(env.work.data, 'in'))).toEqual(['settled.csv']);
  });

  it('uploads under a temporary name, renames at commit and checks the size', async () => {
    await writeFile(join(env.work.data, 'Ceník žluťoučký.csv'), 'kód;cena\r\nA1;10,50\r\n');

    const report = await env.work.run(
      [
        ['read', 'file.read', { path: 'Ceník žluťoučký.csv' }],
        [
          'put',
          'ftp.upload',
          { credential: 'shop', folder: '/import/prices', createFolders: true },
        ],
        ['seen', 'test.collect', { key: 'uploaded' }],
      ],
      ['read.file>put.file', 'put.uploaded>seen.records'],
      account(),
    );

    expect(report.status).toBe('succeeded');
    expect(await serverFiles('import/prices')).toEqual(['Ceník žluťoučký.csv']);
    expect(await readFile(join(env.server.root, 'import/prices/Ceník žluťoučký.csv'), 'utf8')).toBe(
      'kód;cena\r\nA1;10,50\r\n',
    );
    expect(collected.get('uploaded')).toEqual([
      expect.objectContaining({ path: '/import/prices/Ceník žluťoučký.csv', size: 21 }),
    ]);
  });

  it('keeps an existing file when told to, with a warning, and replaces it by default', async () => {
    await serve('import/stock.csv', 'old');
    await writeFile(join(env.work.data, 'stock.csv'), 'new stock');
    const upload = (ifExists: string) =>
      env.work.run(
        [
          ['read', 'file.read', { path: 'stock.csv' }],
          ['put', 'ftp.upload', { credential: 'shop', folder: '/import', ifExists }],
        ],
        ['read.file>put.file'],
        account(),
      );

    const kept = await upload('keep');
    const put = kept.blocks.find((block) => block.id === 'put')!;
    expect(codes(put.warnings)).toContain('REMOTE_FILE_KEPT');
    // Checked before the transfer, so the kept file costs no upload and reports none.
    expect(put.recordsOut).toBe(0);
    expect(await readFile(join(env.server.root, 'import/stock.csv'), 'utf8')).toBe('old');
    expect(await serverFiles('import')).toEqual(['stock.csv']);

    expect((await upload('replace')).status).toBe('succeeded');
    expect(await readFile(join(env.server.root, 'import/stock.csv'), 'utf8')).toBe('new stock');
    expect(await serverFiles('import')).toEqual(['stock.csv']);
  });

  it('uploads and downloads names near the 255-byte limit', async () => {
    // 250 bytes in UTF-8: "č" takes two. Temporary names must stay within 255 bytes too.
    const long = (first: string) => `${first}${'č'.repeat(60)}${'x'.repeat(125)}.csv`;
    const uploaded = long('u');
    const downloaded = long('d');
    expect(Buffer.byteLength(uploaded)).toBe(250);
    await writeFile(join(env.work.data, uploaded), 'up');
    await serve(`orders/${downloaded}`, 'down');
    // A long extension must not push the name of the temporary download file over the limit.
    const longExtension = `d.${'ř'.repeat(124)}`;
    await serve(`orders/${longExtension}`, 'extension');

    const report = await env.work.run(
      [
        ['read', 'file.read', { path: uploaded }],
        ['put', 'ftp.upload', { credential: 'shop', folder: '/import', createFolders: true }],
        download({}),
      ],
      ['read.file>put.file'],
      account(),
    );

    expect(report.error).toBeUndefined();
    expect(await serverFiles('import')).toEqual([uploaded]);
    expect(await readFile(join(env.server.root, 'import', uploaded), 'utf8')).toBe('up');
    expect((await readdir(join(env.work.data, 'in'))).sort()).toEqual([longExtension, downloaded]);
    expect(await readFile(join(env.work.data, 'in', downloaded), 'utf8')).toBe('down');
    expect(await readFile(join(env.work.data, 'in', longExtension), 'utf8')).toBe('extension');
  });

  it('downloads a file dated ahead of this clock by default', async () => {
    // A server whose clock runs ahead stamps new files with times still to come here.
    await serve('orders/ahead.csv', 'ahead');
    const ahead = new Date(Date.now() + 10 * 60_000);
    await utimes(join(env.server.root, 'orders/ahead.csv'), ahead, ahead);

    const report = await env.work.run([download({})], [], account());

    expect(report.status).toBe('succeeded');
    expect(await readdir(join(env.work.data, 'in'))).toEqual(['ahead.csv']);
  });

  it('fails when two files would be saved under one name', async () => {
    await serve('a/stock.csv', 'from a');
    await serve('b/stock.csv', 'from b');

    const report = await env.work.run(
      [
        ['get-a', 'ftp.download', { credential: 'shop', folder: '/a', saveTo: 'in/' }],
        ['get-b', 'ftp.download', { credential: 'shop', folder: '/b', saveTo: 'in/' }],
      ],
      [],
      account(),
    );

    expect(report.status).toBe('failed');
    expect(report.error?.code).toBe('SAVE_NAME_CONFLICT');
    expect(report.error?.message).toContain('/a/stock.csv');
    expect(report.error?.message).toContain('/b/stock.csv');
    // The run failed, so neither file was saved and both stay for the next run.
    expect(await readdir(join(env.work.data, 'in'))).toEqual([]);
    expect(await env.work.processedFiles()).toEqual([]);
  });

  // The data folder lies on a case-sensitive file system on Linux, so the two names never meet.
  it.runIf(process.platform === 'linux')(
    'saves names that differ in case only on Linux',
    async () => {
      await serve('orders/Stock.csv', 'upper');
      await serve('orders/stock.csv', 'lower');

      const report = await env.work.run([download({})], [], account());

      expect(report.error).toBeUndefined();
      expect(report.status).toBe('succeeded');
      expect((await readdir(join(env.work.data, 'in'))).sort()).toEqual(['Stock.csv', 'stock.csv']);
      expect(await readFile(join(env.work.data, 'in/Stock.csv'), 'utf8')).toBe('upper');
      expect(await readFile(join(env.work.data, 'in/stock.csv'), 'utf8')).toBe('lower');
    },
  );

  it('lists, makes folders, moves and deletes', async () => {
    await serve('out/a.csv', 'a');
    await serve('out/b.csv', 'bb');

    const report = await env.work.run(
      [
        ['list', 'ftp.list', { credential: 'shop', folder: '/out' }],
        ['entries', 'test.collect', { key: 'entries' }],
        ['mkdir', 'ftp.make-folder', { credential: 'shop', path: '/archive/2025/12' }],
      ],
      ['list.entries>entries.records'],
      account(),
    );
    expect(report.status).toBe('succeeded');
    expect(collected.get('entries')).toEqual([
      expect.objectContaining({ name: 'a.csv', path: '/out/a.csv', kind: 'file', size: 1 }),
      expect.objectContaining({ name: 'b.csv', path: '/out/b.csv', kind: 'file', size: 2 }),
    ]);
    expect((await stat(join(env.server.root, 'archive/2025/12'))).isDirectory()).toBe(true);

    const moved = await env.work.run(
      [
        [
          'move',
          'ftp.move',
          { credential: 'shop', from: '/out/a.csv', to: '/archive/2025/12/a.csv' },
        ],
        ['delete', 'ftp.delete', { credential: 'shop', path: '/out/b.csv' }],
      ],
      [],
      account(),
    );
    expect(moved.error).toBeUndefined();
    expect(moved.status).toBe('succeeded');
    expect(await serverFiles('out')).toEqual([]);
    expect(await serverFiles('archive/2025/12')).toEqual(['a.csv']);
  });

  it('refuses a wrong password and names the server', async () => {
    const report = await env.work.run([download({})], [], account({ password: 'wrong' }));

    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'LOGIN_FAILED', kind: 'flow' });
    expect(report.error!.message).toContain(`ftp://127.0.0.1:${env.server.port}`);
    expect(report.error!.message).toContain(`user "${env.server.user}"`);
    expect(report.error!.message).not.toContain('wrong');
  });

  it('refuses a self-signed certificate by default and accepts it when the credential says so', async () => {
    await serve('orders/1.csv', '1');
    const { caCertificate: _trusted, ...untrusted } = account();

    const refused = await env.work.run([download({})], [], untrusted);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatchObject({ code: 'CERTIFICATE_REJECTED', kind: 'flow' });

    const accepted = await env.work.run([download({})], [], {
      ...untrusted,
      verifyCertificate: false,
    });
    expect(accepted.status).toBe('succeeded');
  });

  it('imports a file offered twice only once, and a changed file again', async () => {
    await serve('orders/1.csv', 'first');
    const first = await env.work.run([download({})], [], account());
    expect(first.status).toBe('succeeded');
    await rm(join(env.work.data, 'in'), { recursive: true });

    const second = await env.work.run([download({})], [], account());
    expect(second.status).toBe('succeeded');
    expect(second.blocks[0]!.filesOut).toBe(0);
    expect(codes(second.blocks[0]!.warnings)).toContain('FILES_ALREADY_PROCESSED');

    await serve('orders/1.csv', 'first, corrected');
    const third = await env.work.run([download({})], [], account());
    expect(third.blocks[0]!.filesOut).toBe(1);
    expect(await readFile(join(env.work.data, 'in/1.csv'), 'utf8')).toBe('first, corrected');
  });

  it('keeps apart the files of two accounts on one server', async () => {
    await serve('orders/1.csv', 'first');
    const first = await env.work.run([download({})], [], account());
    expect(first.blocks[0]!.filesOut).toBe(1);

    const other = await env.work.run([download({})], [], account({ user: env.server.secondUser }));

    expect(other.status).toBe('succeeded');
    expect(other.blocks[0]!.filesOut).toBe(1);
    expect((await env.work.processedFiles()).map((file) => file.server).sort()).toEqual([
      `ftp://${env.server.secondUser}@127.0.0.1:${env.server.port}`,
      `ftp://${env.server.user}@127.0.0.1:${env.server.port}`,
    ]);
  });

  it('keeps apart the files of two flows on one folder', async () => {
    await serve('orders/1.csv', 'first');
    const erp = await env.work.run([download({})], [], account(), { flowId: 'orders-to-erp' });
    expect(erp.blocks[0]!.filesOut).toBe(1);

    const backup = await env.work.run(
      [download({ saveTo: 'backup/', afterRun: 'delete' })],
      [],
      account(),
      { flowId: 'orders-backup' },
    );

    expect(backup.status).toBe('succeeded');
    expect(backup.blocks[0]!.filesOut).toBe(1);
    expect(await readFile(join(env.work.data, 'backup/1.csv'), 'utf8')).toBe('first');
    expect(await serverFiles('orders')).toEqual([]);
    const again = await env.work.run([download({})], [], account(), { flowId: 'orders-to-erp' });
    expect(again.blocks[0]!.filesOut).toBe(0);
  });

  it('skips files recorded without the user', async () => {
    await serve('orders/1.csv', 'first');
    const first = await env.work.run([download({})], [], account());
    expect(first.blocks[0]!.filesOut).toBe(1);
    // Earlier versions of the blocks named the server without the user.
    await env.work.database
      .updateTable('processed_files')
      .set({ server: `ftp://127.0.0.1:${env.server.port}` })
      .execute();

    const second = await env.work.run([download({})], [], account());

    expect(second.blocks[0]!.filesOut).toBe(0);
    expect(codes(second.blocks[0]!.warnings)).toContain('FILES_ALREADY_PROCESSED');
  });

  it('consumes nothing when another block fails at commit', async () => {
    await serve('out/stock.csv', 'A1;5');
    // A folder where the upload's rename at commit wants to put a file.
    await serve('import/stock.csv/keep.txt', 'x');

    const report = await env.work.run(
      [
        download({ folder: '/out', afterRun: 'delete' }),
        ['put', 'ftp.upload', { credential: 'shop', folder: '/import' }],
      ],
      ['get.file>put.file'],
      account(),
    );

    expect(report.status).toBe('failed');
    expect(report.error!.message).toContain('Is a directory');
    expect(await serverFiles('out')).toEqual(['stock.csv']);
    expect(await env.work.processedFiles()).toEqual([]);
  });

  it('leaves a file that changed during the run', async () => {
    await serve('orders/stock.csv', 'version 1');
    await writeFile(join(env.work.data, 'stock.csv'), 'version 2, longer');

    // The upload's rename at commit puts a new version where the download's file was.
    const report = await env.work.run(
      [
        download({ afterRun: 'delete' }),
        ['read', 'file.read', { path: 'stock.csv' }],
        ['put', 'ftp.upload', { credential: 'shop', folder: '/orders' }],
      ],
      ['read.file>put.file'],
      account(),
    );

    expect(report.error).toBeUndefined();
    expect(await readFile(join(env.work.data, 'in/stock.csv'), 'utf8')).toBe('version 1');
    expect(await readFile(join(env.server.root, 'orders/stock.csv'), 'utf8')).toBe(
      'version 2, longer',
    );
    const get = report.blocks.find((block) => block.id === 'get')!;
    expect(codes(get.warnings)).toContain('CLEAN_UP_SKIPPED');
  });

  it('fails to list a folder that does not exist', async () => {
    const report = await env.work.run(
      [['list', 'ftp.list', { credential: 'shop', folder: '/objednavky' }]],
      [],
      account(),
    );

    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'REMOTE_PATH_UNAVAILABLE', kind: 'flow' });
    expect(report.error!.message).toContain('/objednavky');
  });

  it('keeps relative paths after making a folder', async () => {
    await writeFile(join(env.work.data, 'rel.csv'), 'relative');

    const report = await env.work.run(
      [
        ['read', 'file.read', { path: 'rel.csv' }],
        ['put', 'ftp.upload', { credential: 'shop', folder: 'import/prices', createFolders: true }],
      ],
      ['read.file>put.file'],
      account(),
    );

    expect(report.error).toBeUndefined();
    expect(await serverFiles('import/prices')).toEqual(['rel.csv']);
  });

  it('routes an unreadable file to the error port and takes the others', async () => {
    await serve('orders/a.csv', 'a');
    await serve('orders/b.csv', 'b');
    await serve('orders/c.csv', 'c');
    // Owned by root with mode 0600, so the server's user cannot read it.
    await chown(join(env.server.root, 'orders/b.csv'), 0, 0);
    await chmod(join(env.server.root, 'orders/b.csv'), 0o600);

    const report = await env.work.run(
      [
        download({ afterRun: 'delete', acceptRoutedErrors: true }),
        ['errors', 'test.collect', { key: 'errors' }],
      ],
      ['get.error>errors.records'],
      account(),
    );

    expect(report.status).toBe('completed_with_errors');
    expect(await readdir(join(env.work.data, 'in'))).toEqual(['a.csv', 'c.csv']);
    expect(collected.get('errors')).toHaveLength(1);
    expect(JSON.stringify(collected.get('errors'))).toContain('/orders/b.csv');
    expect(await serverFiles('orders')).toEqual(['b.csv']);
    expect((await env.work.processedFiles()).map((file) => file.path).sort()).toEqual([
      '/orders/a.csv',
      '/orders/c.csv',
    ]);
  });

  it('deletes or moves downloaded files on the server only after a successful run', async () => {
    await serve('orders/1.csv', 'one');
    await serve('orders/2.csv', 'two');

    const moved = await env.work.run(
      [download({ pattern: '1.csv', afterRun: 'move', moveTo: '/orders/done' })],
      [],
      account(),
    );
    expect(moved.error).toBeUndefined();
    expect(moved.status).toBe('succeeded');
    expect(await serverFiles('orders/done')).toEqual(['1.csv']);

    await writeFile(join(env.work.data, 'blocker'), 'a file where a folder is needed');
    const failed = await env.work.run(
      [
        download({ pattern: '2.csv', afterRun: 'delete', saveTo: undefined }),
        ['write', 'file.write', { path: 'blocker/2.csv' }],
      ],
      ['get.file>write.file'],
      account(),
    );
    expect(failed.status).toBe('failed');
    expect(await serverFiles('orders')).toEqual(['2.csv', 'done']);

    const deleted = await env.work.run(
      [download({ pattern: '2.csv', afterRun: 'delete' })],
      [],
      account(),
    );
    expect(deleted.status).toBe('succeeded');
    expect(await serverFiles('orders')).toEqual(['done']);
  });

  it('keeps an archived file of the same name when moving', async () => {
    await serve('orders/stock.csv', 'today');
    await serve('orders/done/stock.csv', 'yesterday');

    const report = await env.work.run(
      [download({ afterRun: 'move', moveTo: '/orders/done' })],
      [],
      account(),
    );

    expect(report.status).toBe('succeeded');
    expect(report.blocks[0]!.warnings).toEqual([]);
    const archived = await serverFiles('orders/done');
    expect(archived).toHaveLength(2);
    expect(archived).toContain('stock.csv');
    const renamed = archived.find((name) => name !== 'stock.csv')!;
    expect(renamed).toMatch(/^stock\.\d{4}-\d{2}-\d{2}T\d{6}Z\.csv$/);
    expect(await readFile(join(env.server.root, 'orders/done/stock.csv'), 'utf8')).toBe(
      'yesterday',
    );
    expect(await readFile(join(env.server.root, 'orders/done', renamed), 'utf8')).toBe('today');
    expect(await serverFiles('orders')).toEqual(['done']);
  });

  it('does not mark files processed when errors went to an error port, unless the flow says so', async () => {
    await serve('orders/1.csv', 'one');
    await writeFile(join(env.work.data, 'blocker'), 'a file where a folder is needed');
    const flow = (acceptRoutedErrors: boolean) =>
      env.work.run(
        [
          download({ saveTo: undefined, acceptRoutedErrors }),
          ['write', 'file.write', { path: 'blocker/1.csv' }],
          ['errors', 'test.collect', { key: 'errors' }],
        ],
        ['get.file>write.file', 'write.error>errors.records'],
        account(),
      );

    expect((await flow(false)).status).toBe('completed_with_errors');
    const again = await flow(true);
    expect(again.status).toBe('completed_with_errors');
    expect(again.blocks[0]!.filesOut).toBe(1);
    expect((await flow(true)).blocks[0]!.filesOut).toBe(0);
  });

  it('saves nothing to saveTo when errors went to an error port', async () => {
    await serve('orders/1.csv', 'one');
    await writeFile(join(env.work.data, 'blocker'), 'a file where a folder is needed');

    const report = await env.work.run(
      [
        download({}),
        ['write', 'file.write', { path: 'blocker/1.csv' }],
        ['errors', 'test.collect', { key: 'errors' }],
      ],
      ['get.file>write.file', 'write.error>errors.records'],
      account(),
    );

    expect(report.status).toBe('completed_with_errors');
    expect(await readdir(join(env.work.data, 'in'))).toEqual([]);
    expect(await env.work.processedFiles()).toEqual([]);
  });

  it('explains implicit FTPS on an explicit port', async () => {
    const report = await env.work.run(
      [['list', 'ftp.list', { credential: 'shop', folder: '/', security: 'implicit' }]],
      [],
      account(),
    );

    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'TLS_NOT_STARTED', kind: 'flow' });
    expect(report.error!.hint).toContain('990');
    expect(codes(report.blocks[0]!.warnings)).not.toContain('NETWORK_RETRY');
  });
});

describe('FTP blocks through a fault-injecting proxy', () => {
  it('falls back from EPSV to PASV when the EPSV data connection fails, and logs it', async () => {
    await serve('orders/1.csv', 'one');
    const proxy = await startFtpFaultProxy(env.server.port, { epsvUnreachable: true });
    try {
      const report = await env.work.run(
        [download({ timeoutSeconds: 5, security: 'none' })],
        [],
        account({ port: proxy.port }),
      );
      expect(report.status).toBe('succeeded');
      expect(proxy.epsvRefused).toBeGreaterThan(0);
      expect(codes(report.blocks[0]!.warnings)).toContain('EPSV_FALLBACK');
      expect(
        env.work.logs.some((line) => line.message === 'EPSV failed, falling back to PASV'),
      ).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('drops a transfer in progress when the run is cancelled', async () => {
    await serve('orders/stock.csv', 'kód;množství\r\n');
    // The proxy never forwards RETR, so the download waits for the server's reply, and with a
    // timeout of an hour only the cancel can end it.
    const proxy = await startFtpFaultProxy(env.server.port, { holdCommand: 'RETR' });
    try {
      const controller = new AbortController();
      const running = env.work.run(
        [download({ security: 'none', timeoutSeconds: 3600, retries: 0 })],
        [],
        account({ port: proxy.port }),
        { signal: controller.signal },
      );
      await proxy.held;
      controller.abort();
      const report = await running;

      expect(report.status).toBe('cancelled');
      expect(await readdir(env.work.data)).toEqual([]);
      expect(await serverFiles('orders')).toEqual(['stock.csv']);
    } finally {
      await proxy.stop();
    }
  });

  it('shares one connection between the blocks of a run and their commit work', async () => {
    await serve('orders/1.csv', 'one');
    await writeFile(join(env.work.data, 'export.bin'), 'export');
    const proxy = await startFtpFaultProxy(env.server.port, {});
    const connection = { security: 'none', connectionsPerHost: 1 };
    try {
      const report = await env.work.run(
        [
          download({ ...connection, afterRun: 'delete' }),
          ['read', 'file.read', { path: 'export.bin' }],
          ['put', 'ftp.upload', { credential: 'shop', folder: '/', ...connection }],
          ['list', 'ftp.list', { credential: 'shop', folder: '/', ...connection }],
        ],
        ['read.file>put.file'],
        account({ port: proxy.port }),
      );
      expect(report.error).toBeUndefined();
      expect(proxy.connections).toBe(1);
      expect(await serverFiles()).toEqual(['export.bin', 'orders']);
      expect(await serverFiles('orders')).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('lists with MLSD, exact UTC times and no MDTM', async () => {
    await serve('out/a.csv', 'a');
    const changed = new Date('2026-03-29T00:59:58Z');
    await utimes(join(env.server.root, 'out/a.csv'), changed, changed);
    const proxy = await startFtpFaultProxy(env.server.port, {});
    try {
      const report = await env.work.run(
        [
          ['list', 'ftp.list', { credential: 'shop', folder: '/out', security: 'none' }],
          ['entries', 'test.collect', { key: 'entries' }],
        ],
        ['list.entries>entries.records'],
        account({ port: proxy.port }),
      );
      expect(report.error).toBeUndefined();
      expect(collected.get('entries')).toEqual([
        expect.objectContaining({ name: 'a.csv', modifiedAt: '2026-03-29T00:59:58.000Z' }),
      ]);
      expect(proxy.commands.get('MLSD')).toBe(1);
      expect(proxy.commands.get('MDTM')).toBeUndefined();
    } finally {
      await proxy.stop();
    }
  });

  it('opens separate connections for blocks with different transfer modes', async () => {
    await writeFile(join(env.work.data, 'export.bin'), 'export');
    const proxy = await startFtpFaultProxy(env.server.port, {});
    const connection = { credential: 'shop', folder: '/', security: 'none', connectionsPerHost: 1 };
    try {
      const report = await env.work.run(
        [
          ['read', 'file.read', { path: 'export.bin' }],
          ['put', 'ftp.upload', { ...connection, transferMode: 'pasv' }],
          ['list', 'ftp.list', { ...connection, transferMode: 'epsv' }],
        ],
        ['read.file>put.file'],
        account({ port: proxy.port }),
      );
      expect(report.error).toBeUndefined();
      expect(proxy.connections).toBe(2);
      expect(proxy.commands.get('PASV')).toBeGreaterThan(0);
      expect(proxy.commands.get('EPSV')).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
  });

  it('retries a download cut in the middle; no partial file is left anywhere', async () => {
    const content = await serve('orders/big.bin', randomBytes(3_000_000));
    const proxy = await startFtpFaultProxy(env.server.port, {
      cutDataConnections: 1,
      cutAfterBytes: 1_000_000,
    });
    try {
      const report = await env.work.run(
        [download({ security: 'none' })],
        [],
        account({ port: proxy.port }),
      );
      expect(report.status).toBe('succeeded');
      expect(proxy.cuts).toBe(1);
      expect(await readdir(join(env.work.data, 'in'))).toEqual(['big.bin']);
      expect((await readFile(join(env.work.data, 'in/big.bin'))).equals(content)).toBe(true);
      expect(await serverFiles('orders')).toEqual(['big.bin']);
      expect(env.work.logs.some((line) => line.message === 'network call failed, retrying')).toBe(
        true,
      );
      expect(codes(report.blocks[0]!.warnings)).toContain('NETWORK_RETRY');
      // The retry resumed after the bytes that had arrived, rather than starting over.
      expect(proxy.commands.get('REST')).toBe(1);
      const resumed = env.work.logs.find((line) => line.message === 'resuming download');
      expect(resumed?.fields.offset).toBeGreaterThan(0);
      expect(await env.work.processedFiles()).toEqual([
        expect.objectContaining({
          server: `ftp://${env.server.user}@127.0.0.1:${proxy.port}`,
          checksum: createHash('sha256').update(content).digest('hex'),
        }),
      ]);
    } finally {
      await proxy.stop();
    }
  });

  it('retries an upload cut in the middle; the server shows only the complete file', async () => {
    const content = randomBytes(3_000_000);
    await writeFile(join(env.work.data, 'export.bin'), content);
    const proxy = await startFtpFaultProxy(env.server.port, {
      cutDataConnections: 1,
      cutAfterBytes: 1_000_000,
    });
    try {
      const report = await env.work.run(
        [
          ['read', 'file.read', { path: 'export.bin' }],
          ['put', 'ftp.upload', { credential: 'shop', folder: '/', security: 'none' }],
        ],
        ['read.file>put.file'],
        account({ port: proxy.port }),
      );
      expect(report.status).toBe('succeeded');
      expect(proxy.cuts).toBe(1);
      expect(await serverFiles()).toEqual(['export.bin']);
      expect((await readFile(join(env.server.root, 'export.bin'))).equals(content)).toBe(true);
    } finally {
      await proxy.stop();
    }
  });
});
