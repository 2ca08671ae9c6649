import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startImplicitFtpsServer } from '../../scripts/test-servers.mjs';
import { useTransferServer } from '../support/transfer-run.js';

const env = useTransferServer(startImplicitFtpsServer);

describe('FTP blocks against vsftpd with implicit FTPS', () => {
  it('uploads and downloads over TLS from the first byte', async () => {
    const account = {
      host: '127.0.0.1',
      port: env.server.port,
      user: 'anonymous',
      caCertificate: env.server.certificate,
    };
    const connection = { credential: 'shop', security: 'implicit' };
    await writeFile(join(env.work.data, 'Ceník.csv'), 'kód;cena\r\n');

    const up = await env.work.run(
      [
        ['read', 'file.read', { path: 'Ceník.csv' }],
        ['put', 'ftp.upload', { ...connection, folder: '/pub' }],
      ],
      ['read.file>put.file'],
      account,
    );
    expect(up.error).toBeUndefined();
    expect(await readFile(join(env.server.root, 'Ceník.csv'), 'utf8')).toBe('kód;cena\r\n');

    const down = await env.work.run(
      [['get', 'ftp.download', { ...connection, folder: '/pub', saveTo: 'in/' }]],
      [],
      account,
    );
    expect(down.error).toBeUndefined();
    expect(await readFile(join(env.work.data, 'in/Ceník.csv'), 'utf8')).toBe('kód;cena\r\n');
  });
});
