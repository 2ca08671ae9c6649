import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Credential } from '@kuryr/nodes';
import { collected } from '../../runtime/test-support/blocks.js';
import {
  startPasswordSftpServer,
  type PasswordSftpServer,
} from '../support/password-sftp-server.js';
import { TransferWorkspace } from '../support/transfer-run.js';

let server: PasswordSftpServer;
let work: TransferWorkspace;

beforeAll(async () => {
  server = await startPasswordSftpServer();
  await mkdir(join(server.root, 'orders'));
  await writeFile(join(server.root, 'orders/Objednávka 7.csv'), 'kód;množství\r\nB2;5\r\n');
});
afterAll(async () => {
  await work?.remove();
  await server?.stop();
});
beforeEach(async () => {
  await work?.remove();
  work = await TransferWorkspace.create();
  collected.clear();
  server.logins.length = 0;
  server.loginMethod = 'password';
});

// Compared by SHA-256, because a deep comparison of megabytes takes vitest half a minute.
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function account(password: string): Credential {
  return {
    host: '127.0.0.1',
    port: server.port,
    user: server.user,
    password,
    hostKeyFingerprint: server.hostKeyFingerprint,
  };
}

describe('SFTP blocks against a password-only SFTP v3 server', () => {
  it('lists and downloads with the correct password', async () => {
    const report = await work.run(
      [
        ['list', 'sftp.list', { credential: 'shop', folder: '/orders' }],
        ['seen', 'test.collect', { key: 'entries' }],
        ['get', 'sftp.download', { credential: 'shop', folder: '/orders', saveTo: 'in/' }],
      ],
      ['list.entries>seen.records'],
      account(server.password),
    );

    expect(report.error).toBeUndefined();
    expect(report.status).toBe('succeeded');
    expect(server.logins).toContain('password accepted');
    expect(collected.get('entries')).toEqual([
      expect.objectContaining({ name: 'Objednávka 7.csv', kind: 'file', size: 23 }),
    ]);
    expect(await readdir(join(work.data, 'in'))).toEqual(['Objednávka 7.csv']);
    expect(await readFile(join(work.data, 'in/Objednávka 7.csv'), 'utf8')).toBe(
      'kód;množství\r\nB2;5\r\n',
    );
  });

  it('uploads and replaces without posix-rename', async () => {
    await mkdir(join(server.root, 'in'), { recursive: true });
    await writeFile(join(server.root, 'in/stock.csv'), 'old');
    await writeFile(join(work.data, 'stock.csv'), 'new stock');

    const report = await work.run(
      [
        ['read', 'file.read', { path: 'stock.csv' }],
        ['put', 'sftp.upload', { credential: 'shop', folder: '/in' }],
      ],
      ['read.file>put.file'],
      account(server.password),
    );

    expect(report.error).toBeUndefined();
    expect(await readdir(join(server.root, 'in'))).toEqual(['stock.csv']);
    expect(await readFile(join(server.root, 'in/stock.csv'), 'utf8')).toBe('new stock');
  });

  // This server states no limits@openssh.com, so requests take ssh2's size for other servers.
  it('round-trips a large file without stated limits', async () => {
    const content = randomBytes(12 * 1024 * 1024 + 4321);
    await mkdir(join(server.root, 'large'), { recursive: true });
    await writeFile(join(work.data, 'large.bin'), content);

    const uploaded = await work.run(
      [
        ['read', 'file.read', { path: 'large.bin' }],
        ['put', 'sftp.upload', { credential: 'shop', folder: '/large' }],
      ],
      ['read.file>put.file'],
      account(server.password),
    );

    expect(uploaded.error).toBeUndefined();
    expect(await readdir(join(server.root, 'large'))).toEqual(['large.bin']);
    expect(sha256(await readFile(join(server.root, 'large/large.bin')))).toBe(sha256(content));

    const downloaded = await work.run(
      [['get', 'sftp.download', { credential: 'shop', folder: '/large', saveTo: 'in/' }]],
      [],
      account(server.password),
    );

    expect(downloaded.error).toBeUndefined();
    expect(sha256(await readFile(join(work.data, 'in/large.bin')))).toBe(sha256(content));
  });

  it('fails with a wrong password, without showing it', async () => {
    const report = await work.run(
      [['list', 'sftp.list', { credential: 'shop', folder: '/orders' }]],
      [],
      account('Heslo-wrong'),
    );

    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'LOGIN_FAILED', kind: 'flow' });
    expect(report.error!.message).toContain(`sftp://127.0.0.1:${server.port}`);
    expect(report.error!.message).not.toContain('Heslo-wrong');
    expect(server.logins).toContain('password rejected');
    expect(server.logins).not.toContain('password accepted');
  });

  it('logs in through keyboard-interactive', async () => {
    server.loginMethod = 'keyboard-interactive';

    const report = await work.run(
      [['get', 'sftp.download', { credential: 'shop', folder: '/orders', saveTo: 'in/' }]],
      [],
      account(server.password),
    );

    expect(report.error).toBeUndefined();
    expect(server.logins).toContain('keyboard-interactive accepted');
    expect(await readdir(join(work.data, 'in'))).toEqual(['Objednávka 7.csv']);
  });

  it('fails keyboard-interactive with a wrong password', async () => {
    server.loginMethod = 'keyboard-interactive';

    const report = await work.run(
      [['list', 'sftp.list', { credential: 'shop', folder: '/orders' }]],
      [],
      account('Heslo-wrong'),
    );

    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'LOGIN_FAILED', kind: 'flow' });
    expect(report.error!.message).not.toContain('Heslo-wrong');
    expect(server.logins).toContain('keyboard-interactive rejected');
  });
});
