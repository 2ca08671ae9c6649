import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Credential } from '@kuryr/nodes';
import { collected } from '../../runtime/test-support/blocks.js';
import { startImplicitFtpsServer } from '../../scripts/test-servers.mjs';
import { expectLinkedFileTaken, LINKED_CONTENT } from '../support/symbolic-links.js';
import { ftpAccount, useTransferServer } from '../support/transfer-run.js';

const env = useTransferServer(startImplicitFtpsServer);

function account(extra: Partial<Credential> = {}): Credential {
  return ftpAccount(env.server, extra);
}

const connection = { credential: 'shop', security: 'implicit' };

// The account writes only in /files, the folder that `env.server.root` is.

describe('FTP blocks against vsftpd with implicit FTPS', () => {
  it('lists, uploads and downloads', async () => {
    const order = randomBytes(250_000);
    await env.server.put('orders/Objednávka 3.bin', order);
    await writeFile(join(env.work.data, 'Ceník.csv'), 'kód;cena\r\nA1;10,50\r\n');

    const report = await env.work.run(
      [
        ['list', 'ftp.list', { ...connection, folder: '/files/orders' }],
        ['seen', 'test.collect', { key: 'entries' }],
        ['read', 'file.read', { path: 'Ceník.csv' }],
        ['put', 'ftp.upload', { ...connection, folder: '/files/import', createFolders: true }],
        ['get', 'ftp.download', { ...connection, folder: '/files/orders', saveTo: 'in/' }],
      ],
      ['list.entries>seen.records', 'read.file>put.file'],
      account(),
    );

    expect(report.error).toBeUndefined();
    expect(report.status).toBe('succeeded');
    expect(collected.get('entries')).toEqual([
      expect.objectContaining({ name: 'Objednávka 3.bin', kind: 'file', size: 250_000 }),
    ]);
    const downloaded = await readFile(join(env.work.data, 'in/Objednávka 3.bin'));
    expect(downloaded.equals(order)).toBe(true);
    expect(await readdir(join(env.server.root, 'import'))).toEqual(['Ceník.csv']);
    expect(await readFile(join(env.server.root, 'import/Ceník.csv'), 'utf8')).toBe(
      'kód;cena\r\nA1;10,50\r\n',
    );
  });

  it('rejects a self-signed certificate by default', async () => {
    await env.server.put('orders/1.csv', '1');
    const { caCertificate: _trusted, ...untrusted } = account();

    const report = await env.work.run(
      [['list', 'ftp.list', { ...connection, folder: '/files/orders' }]],
      [],
      untrusted,
    );

    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'CERTIFICATE_REJECTED', kind: 'flow' });
    expect(report.error!.message).toContain(`ftp://127.0.0.1:${env.server.port}`);
  });

  it('fails when the block expects explicit FTPS on the implicit port', async () => {
    const report = await env.work.run(
      [
        [
          'list',
          'ftp.list',
          { ...connection, security: 'explicit', folder: '/files', retries: 0, timeoutSeconds: 2 },
        ],
      ],
      [],
      account({}),
    );

    expect(report.status).toBe('failed');
    expect(report.error!.message).toContain(`ftp://127.0.0.1:${env.server.port}`);
  });

  it('sends MDTM only for files the pattern takes', async () => {
    // vsftpd offers no MLSD, and its LIST shows no seconds, so each time costs an MDTM.
    await env.server.put('orders/1.csv', 'one');
    await env.server.put('orders/2.csv', 'two');
    for (let index = 0; index < 20; index++) {
      await env.server.put(`orders/photo-${index}.jpg`, 'jpeg');
    }

    // The server's log contains the commands of the earlier tests as well.
    const before = (await env.server.commands('MDTM')).length;
    const report = await env.work.run(
      [['get', 'ftp.download', { ...connection, folder: '/files/orders', pattern: '*.csv' }]],
      [],
      account(),
    );

    expect(report.error).toBeUndefined();
    expect(report.blocks[0]!.filesOut).toBe(2);
    expect((await env.server.commands('MDTM')).slice(before).sort()).toEqual([
      '/files/orders/1.csv',
      '/files/orders/2.csv',
    ]);
    const processed = await env.work.database
      .selectFrom('processed_files')
      .select(['path', 'modified_at'])
      .execute();
    // The ledger has the exact times that MDTM returned.
    expect(processed.map((row) => row.modified_at === '')).toEqual([false, false]);
  });

  it('downloads a link to a file and warns about a link it cannot resolve', async () => {
    // vsftpd lists links as such (`lrwxrwxrwx … name -> target`), without the target's type.
    await env.server.put('shared/stock.csv', LINKED_CONTENT);
    await mkdir(join(env.server.root, 'orders'));
    await symlink('../shared/stock.csv', join(env.server.root, 'orders/stock.csv'));
    await symlink('../shared/missing.csv', join(env.server.root, 'orders/gone.csv'));
    await symlink('../shared', join(env.server.root, 'orders/shared-folder.csv'));

    const report = await env.work.run(
      [
        ['get', 'ftp.download', { ...connection, folder: '/files/orders', saveTo: 'in/' }],
        ['list', 'ftp.list', { ...connection, folder: '/files/orders' }],
        ['entries', 'test.collect', { key: 'entries' }],
      ],
      ['list.entries>entries.records'],
      account(),
    );

    await expectLinkedFileTaken(report, env.work.data, {
      skipped: ['gone.csv', 'shared-folder.csv'],
      listed: [
        ['gone.csv', 'other'],
        ['shared-folder.csv', 'other'],
        ['stock.csv', 'file'],
      ],
    });
  });
});
