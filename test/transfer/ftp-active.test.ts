import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Credential } from '@kuryr/nodes';
import { collected } from '../../runtime/test-support/blocks.js';
import { startFtpFaultProxy } from '../support/ftp-fault-proxy.js';
import { startFtpServer } from '../../scripts/test-servers.mjs';
import { ftpAccount, useTransferServer } from '../support/transfer-run.js';

// pure-ftpd in NAT mode rejects PASV and EPSV, so every transfer here needs active mode.
const env = useTransferServer(() => startFtpServer({ activeOnly: true }));

function account(extra: Partial<Credential> = {}): Credential {
  return ftpAccount(env.server, extra);
}

/** Runs a flow that lists /orders, uploads export.bin into /up and downloads /orders/*.bin. */
function roundTrip(connection: Record<string, unknown>) {
  return env.work.run(
    [
      ['list', 'ftp.list', { credential: 'shop', folder: '/orders', ...connection }],
      ['seen', 'test.collect', { key: 'entries' }],
      ['read', 'file.read', { path: 'export.bin' }],
      [
        'put',
        'ftp.upload',
        { credential: 'shop', folder: '/up', createFolders: true, ...connection },
      ],
      [
        'get',
        'ftp.download',
        { credential: 'shop', folder: '/orders', pattern: '*.bin', saveTo: 'in/', ...connection },
      ],
    ],
    ['list.entries>seen.records', 'read.file>put.file'],
    account(),
  );
}

describe('FTP active mode against pure-ftpd that rejects passive mode', () => {
  it('fails in the passive modes, naming the server', async () => {
    await env.server.put('orders/a.bin', 'a');

    const report = await env.work.run(
      [['list', 'ftp.list', { credential: 'shop', folder: '/orders', security: 'none' }]],
      [],
      account(),
    );

    expect(report.status).toBe('failed');
    expect(report.error!.message).toContain(`ftp://127.0.0.1:${env.server.port}`);
  });

  for (const security of ['none', 'explicit'] as const) {
    it(`lists, uploads and downloads in active mode, security ${security}`, async () => {
      const order = randomBytes(300_000);
      const exported = randomBytes(200_000);
      await env.server.put('orders/order.bin', order);
      await writeFile(join(env.work.data, 'export.bin'), exported);

      const report = await roundTrip({ security, transferMode: 'active' });

      expect(report.error).toBeUndefined();
      expect(report.status).toBe('succeeded');
      expect(collected.get('entries')).toEqual([
        expect.objectContaining({ name: 'order.bin', size: 300_000, kind: 'file' }),
      ]);
      expect((await readFile(join(env.work.data, 'in/order.bin'))).equals(order)).toBe(true);
      expect(await readdir(join(env.server.root, 'up'))).toEqual(['export.bin']);
      const uploaded = await readFile(join(env.server.root, 'up/export.bin'));
      expect(uploaded.equals(exported)).toBe(true);
    });
  }

  it('sends EPRT first and falls back to PORT when the server rejects it', async () => {
    const order = randomBytes(100_000);
    await env.server.put('orders/order.bin', order);
    const proxy = await startFtpFaultProxy(env.server.port, { eprtUnknown: true });
    try {
      const report = await env.work.run(
        [
          [
            'get',
            'ftp.download',
            {
              credential: 'shop',
              folder: '/orders',
              saveTo: 'in/',
              security: 'none',
              transferMode: 'active',
            },
          ],
        ],
        [],
        account({ port: proxy.port }),
      );

      expect(report.error).toBeUndefined();
      expect(proxy.eprtRejected).toBeGreaterThan(0);
      expect(proxy.commands.get('PORT')).toBeGreaterThan(0);
      expect(proxy.commands.get('EPSV')).toBeUndefined();
      expect(proxy.commands.get('PASV')).toBeUndefined();
      expect((await readFile(join(env.work.data, 'in/order.bin'))).equals(order)).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('uses EPRT, not PORT, when the server supports it', async () => {
    await env.server.put('orders/order.bin', 'x');
    const proxy = await startFtpFaultProxy(env.server.port, {});
    try {
      const report = await env.work.run(
        [
          [
            'list',
            'ftp.list',
            { credential: 'shop', folder: '/orders', security: 'none', transferMode: 'active' },
          ],
        ],
        [],
        account({ port: proxy.port }),
      );

      expect(report.error).toBeUndefined();
      expect(proxy.commands.get('EPRT')).toBeGreaterThan(0);
      expect(proxy.commands.get('PORT')).toBeUndefined();
    } finally {
      await proxy.stop();
    }
  });
});
