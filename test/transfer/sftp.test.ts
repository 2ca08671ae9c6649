import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Credential } from '@kuryr/nodes';
import { collected } from '../../runtime/test-support/blocks.js';
import { startSftpServer } from '../../scripts/test-servers.mjs';
import { expectLinkedFileTaken, LINKED_CONTENT } from '../support/symbolic-links.js';
import { killServerSessions } from '../support/kill-sessions.js';
import { startTcpFaultProxy } from '../support/tcp-fault-proxy.js';
import { useTransferServer } from '../support/transfer-run.js';

const env = useTransferServer(startSftpServer);

function account(extra: Partial<Credential> = {}): Credential {
  return {
    host: '127.0.0.1',
    port: env.server.port,
    user: env.server.user,
    privateKey: env.server.privateKey,
    hostKeyFingerprint: env.server.hostKeyFingerprint,
    ...extra,
  };
}

/** Absolute SFTP path of `path` inside the test's server folder. */
const remote = (path: string) => join(env.server.root, path);

async function serve(path: string, content: Buffer | string): Promise<Buffer> {
  await mkdir(dirname(remote(path)), { recursive: true });
  await writeFile(remote(path), content);
  return Buffer.from(content);
}

// Compared by SHA-256, because a deep comparison of megabytes takes vitest half a minute.
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const serverFiles = async (folder = '') => (await readdir(remote(folder))).sort();
const codes = (warnings: readonly { code: string }[]) => warnings.map((warning) => warning.code);

const download = (params: Record<string, unknown> = {}) =>
  [
    'get',
    'sftp.download',
    { credential: 'shop', folder: remote('orders'), saveTo: 'in/', ...params },
  ] as [string, string, Record<string, unknown>];

const upload = (params: Record<string, unknown> = {}) => [
  ['read', 'file.read', { path: 'export.bin' }] as [string, string, Record<string, unknown>],
  ['put', 'sftp.upload', { credential: 'shop', folder: remote('import'), ...params }] as [
    string,
    string,
    Record<string, unknown>,
  ],
];

describe('SFTP blocks against OpenSSH', () => {
  it('downloads with a private key and a pinned host key, Czech names intact, once', async () => {
    const order = await serve('orders/Objednávka č. 7.csv', 'kód;množství\r\n');
    await serve('orders/skip.txt', 'no');

    const first = await env.work.run([download({ pattern: '*.csv' })], [], account());
    expect(first.error).toBeUndefined();
    expect(await readFile(join(env.work.data, 'in/Objednávka č. 7.csv'))).toEqual(order);

    const second = await env.work.run(
      [download({ pattern: '*.csv', afterRun: 'delete' })],
      [],
      account(),
    );
    expect(second.blocks[0]!.filesOut).toBe(0);
    expect(await serverFiles('orders')).toEqual(['skip.txt']);
  });

  it('uploads under a temporary name, renames at commit and replaces an existing file', async () => {
    await serve('import/export.bin', 'old');
    await writeFile(join(env.work.data, 'export.bin'), 'new content');

    const report = await env.work.run(
      upload({ createFolders: true }),
      ['read.file>put.file'],
      account(),
    );

    expect(report.error).toBeUndefined();
    expect(await serverFiles('import')).toEqual(['export.bin']);
    expect(await readFile(remote('import/export.bin'), 'utf8')).toBe('new content');
  });

  it('lists, makes folders, moves and deletes', async () => {
    await serve('out/a.csv', 'a');
    await serve('out/b.csv', 'bb');

    const report = await env.work.run(
      [
        ['list', 'sftp.list', { credential: 'shop', folder: remote('out') }],
        ['entries', 'test.collect', { key: 'entries' }],
        ['mkdir', 'sftp.make-folder', { credential: 'shop', path: remote('archive/2025') }],
      ],
      ['list.entries>entries.records'],
      account(),
    );
    expect(report.error).toBeUndefined();
    expect(collected.get('entries')!.map((entry) => [entry.name, entry.kind, entry.size])).toEqual(
      expect.arrayContaining([
        ['a.csv', 'file', 1],
        ['b.csv', 'file', 2],
      ]),
    );

    const moved = await env.work.run(
      [
        [
          'move',
          'sftp.move',
          { credential: 'shop', from: remote('out/a.csv'), to: remote('archive/2025/a.csv') },
        ],
        ['delete', 'sftp.delete', { credential: 'shop', path: remote('out/b.csv') }],
      ],
      [],
      account(),
    );
    expect(moved.error).toBeUndefined();
    expect(await serverFiles('out')).toEqual([]);
    expect(await serverFiles('archive/2025')).toEqual(['a.csv']);
  });

  it('skips hidden files unless the pattern starts with a dot', async () => {
    await serve('orders/.order.csv.kuryr-0123456789ab.part', 'half');
    await serve('orders/order.csv', 'whole');

    const all = await env.work.run([download({ pattern: '*' })], [], account());
    expect(all.error).toBeUndefined();
    expect(await readdir(join(env.work.data, 'in'))).toEqual(['order.csv']);

    const hidden = await env.work.run(
      [download({ pattern: '.*.part', saveTo: 'hidden/' })],
      [],
      account(),
    );
    expect(hidden.error).toBeUndefined();
    expect(await readdir(join(env.work.data, 'hidden'))).toEqual([
      '.order.csv.kuryr-0123456789ab.part',
    ]);
  });

  it('creates uploaded files with mode 0644', async () => {
    await writeFile(join(env.work.data, 'export.bin'), 'stock');
    await mkdir(remote('import'));

    const report = await env.work.run(upload(), ['read.file>put.file'], account());

    expect(report.error).toBeUndefined();
    expect((await stat(remote('import/export.bin'))).mode & 0o777).toBe(0o644);
  });

  it('accepts a fingerprint written with padding or as WinSCP shows it', async () => {
    await serve('orders/1.csv', '1');
    const base64 = env.server.hostKeyFingerprint.replace(/^SHA256:/, '');
    for (const written of [`SHA256:${base64}=`, `ssh-ed25519 255 ${base64}`, base64]) {
      const report = await env.work.run(
        [['list', 'sftp.list', { credential: 'shop', folder: remote('orders') }]],
        [],
        account({ hostKeyFingerprint: written }),
      );
      expect(report.error).toBeUndefined();
    }
  });

  it('accepts a pinned RSA key beside an Ed25519 key', async () => {
    await serve('orders/1.csv', '1');

    const report = await env.work.run(
      [['list', 'sftp.list', { credential: 'shop', folder: remote('orders') }]],
      [],
      account({ hostKeyFingerprint: env.server.rsaHostKeyFingerprint }),
    );

    expect(report.error).toBeUndefined();
    expect(report.status).toBe('succeeded');
  });

  it('rejects an unreadable private key without retrying', async () => {
    const report = await env.work.run(
      [download()],
      [],
      account({ privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n' }),
    );

    expect(report.error).toMatchObject({ code: 'CREDENTIAL_INVALID', kind: 'flow' });
    expect(codes(report.blocks[0]!.warnings)).not.toContain('NETWORK_RETRY');
  });

  it('refuses to delete a folder without retrying', async () => {
    await mkdir(remote('m/dir'), { recursive: true });

    const report = await env.work.run(
      [['op', 'sftp.delete', { credential: 'shop', path: remote('m/dir') }]],
      [],
      account(),
    );

    expect(report.error).toMatchObject({ code: 'REMOTE_COMMAND_REFUSED', kind: 'flow' });
    expect(codes(report.blocks[0]!.warnings)).not.toContain('NETWORK_RETRY');
  });

  it('refuses a wrong password', async () => {
    const { privateKey: _key, ...withoutKey } = account();
    const report = await env.work.run([download()], [], { ...withoutKey, password: 'wrong' });

    expect(report.error).toMatchObject({ code: 'LOGIN_FAILED', kind: 'flow' });
    expect(report.error!.message).not.toContain('wrong');
  });

  it('refuses a server whose host key does not match, showing both fingerprints', async () => {
    const pinned = 'SHA256:' + randomBytes(32).toString('base64').replace(/=+$/, '');
    const report = await env.work.run([download()], [], account({ hostKeyFingerprint: pinned }));

    expect(report.error).toMatchObject({ code: 'HOST_KEY_MISMATCH', kind: 'flow' });
    expect(report.error!.message).toContain(pinned);
    expect(report.error!.message).toContain(env.server.hostKeyFingerprint);
  });

  it('refuses a credential without a host key fingerprint, showing the offered one', async () => {
    const report = await env.work.run([download()], [], account({ hostKeyFingerprint: undefined }));

    expect(report.error).toMatchObject({ code: 'HOST_KEY_UNKNOWN', kind: 'flow' });
    expect(report.error!.hint).toContain(env.server.hostKeyFingerprint);
  });
});

describe('SFTP blocks through a fault-injecting proxy', () => {
  it('retries a download cut in the middle; no partial file is left', async () => {
    const content = await serve('orders/big.bin', randomBytes(3_000_000));
    const proxy = await startTcpFaultProxy(env.server.port, {
      cutConnections: 1,
      cutAfterBytes: 1_000_000,
    });
    try {
      const report = await env.work.run([download()], [], account({ port: proxy.port }));
      expect(report.error).toBeUndefined();
      expect(proxy.cuts).toBe(1);
      expect(await readdir(join(env.work.data, 'in'))).toEqual(['big.bin']);
      expect((await readFile(join(env.work.data, 'in/big.bin'))).equals(content)).toBe(true);
      expect(codes(report.blocks[0]!.warnings)).toContain('NETWORK_RETRY');
      // The retry resumed after the bytes that had arrived, and the ledger's SHA-256 covers
      // both parts.
      const resumed = env.work.logs.find((line) => line.message === 'resuming download');
      expect(resumed?.fields.offset).toBeGreaterThan(0);
      expect(await env.work.processedFiles()).toEqual([
        expect.objectContaining({
          server: `sftp://${env.server.user}@127.0.0.1:${proxy.port}`,
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
    await mkdir(remote('import'));
    const proxy = await startTcpFaultProxy(env.server.port, {
      cutConnections: 1,
      cutAfterBytes: 1_000_000,
    });
    try {
      const report = await env.work.run(
        upload(),
        ['read.file>put.file'],
        account({ port: proxy.port }),
      );
      expect(report.error).toBeUndefined();
      expect(proxy.cuts).toBe(1);
      expect(await serverFiles('import')).toEqual(['export.bin']);
      expect((await readFile(remote('import/export.bin'))).equals(content)).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('leaves no file when a run is cancelled during an upload', async () => {
    await writeFile(join(env.work.data, 'export.bin'), randomBytes(20_000_000));
    await mkdir(remote('import'));
    const proxy = await startTcpFaultProxy(env.server.port, { stallAfterBytes: 5_000_000 });
    try {
      const controller = new AbortController();
      const running = env.work.run(
        upload({ timeoutSeconds: 3600, retries: 0 }),
        ['read.file>put.file'],
        account({ port: proxy.port }),
        { signal: controller.signal },
      );
      await proxy.stalled;
      expect(await serverFiles('import')).toEqual([
        expect.stringMatching(/^\.export\.bin\.kuryr-[0-9a-f]{12}\.part$/),
      ]);
      controller.abort();
      const report = await running;

      expect(report.status).toBe('cancelled');
      // The rollback deleted the part that reached the server, over a connection of its own.
      expect(await serverFiles('import')).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('saves nothing when a run is cancelled during a download', async () => {
    await serve('orders/big.bin', randomBytes(20_000_000));
    const proxy = await startTcpFaultProxy(env.server.port, { stallAfterBytes: 5_000_000 });
    try {
      const controller = new AbortController();
      const running = env.work.run(
        [download({ timeoutSeconds: 3600, retries: 0 })],
        [],
        account({ port: proxy.port }),
        { signal: controller.signal },
      );
      await proxy.stalled;
      controller.abort();
      const report = await running;

      expect(report.status).toBe('cancelled');
      expect(await readdir(env.work.data)).toEqual([]);
      expect(await serverFiles('orders')).toEqual(['big.bin']);
      expect(await env.work.processedFiles()).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('fails a slow run whose claim another run took over', async () => {
    const content = await serve('orders/big.bin', randomBytes(20_000_000));
    const proxy = await startTcpFaultProxy(env.server.port, { stallAfterBytes: 5_000_000 });
    try {
      // The slow run's clock is two leases behind, so its claim looks expired to the other run
      // although the slow run still holds and renews it.
      const slow = env.work.run(
        [download({ timeoutSeconds: 3600, retries: 0 })],
        [],
        account({ port: proxy.port }),
        { ledger: { host: 'slow-host', leaseMs: 60_000, now: () => Date.now() - 120_000 } },
      );
      await proxy.stalled;

      const fast = await env.work.run([download()], [], account({ port: proxy.port }));
      expect(fast.status).toBe('succeeded');
      expect(codes(fast.blocks[0]!.warnings)).toContain('FILE_CLAIM_TAKEN_OVER');
      expect((await readFile(join(env.work.data, 'in/big.bin'))).equals(content)).toBe(true);

      proxy.resume();
      const report = await slow;

      // The file was imported once, by the run that took the claim over.
      expect(report.status).toBe('failed');
      expect(report.error?.code).toBe('FILE_CLAIM_LOST');
      expect(report.error?.message).toContain(remote('orders/big.bin'));
      expect(await env.work.processedFiles()).toHaveLength(1);
      expect(await readdir(join(env.work.data, 'in'))).toEqual(['big.bin']);
    } finally {
      await proxy.stop();
    }
  });

  it.runIf(process.platform === 'linux')(
    'retries a download whose server process was killed',
    async () => {
      const content = await serve('orders/big.bin', randomBytes(20_000_000));
      const proxy = await startTcpFaultProxy(env.server.port, { stallAfterBytes: 5_000_000 });
      try {
        const running = env.work.run([download()], [], account({ port: proxy.port }));
        await proxy.stalled;
        expect(await killServerSessions(env.server.pid)).toBeGreaterThan(0);
        // The connection ends as the kernel closed it, once the proxy forwards again.
        proxy.resume();
        const report = await running;

        expect(report.error).toBeUndefined();
        expect(codes(report.blocks[0]!.warnings)).toContain('NETWORK_RETRY');
        expect(await readdir(join(env.work.data, 'in'))).toEqual(['big.bin']);
        expect(sha256(await readFile(join(env.work.data, 'in/big.bin')))).toBe(sha256(content));
        expect(await env.work.processedFiles()).toHaveLength(1);
      } finally {
        await proxy.stop();
      }
    },
  );

  it.runIf(process.platform === 'linux')(
    'retries an upload whose server process was killed',
    async () => {
      const content = randomBytes(20_000_000);
      await writeFile(join(env.work.data, 'export.bin'), content);
      await mkdir(remote('import'));
      const proxy = await startTcpFaultProxy(env.server.port, { stallAfterBytes: 5_000_000 });
      try {
        const running = env.work.run(
          upload(),
          ['read.file>put.file'],
          account({ port: proxy.port }),
        );
        await proxy.stalled;
        expect(await killServerSessions(env.server.pid)).toBeGreaterThan(0);
        // The connection ends as the kernel closed it, once the proxy forwards again.
        proxy.resume();
        const report = await running;

        expect(report.error).toBeUndefined();
        expect(codes(report.blocks[1]!.warnings)).toContain('NETWORK_RETRY');
        expect(await serverFiles('import')).toEqual(['export.bin']);
        expect(sha256(await readFile(remote('import/export.bin')))).toBe(sha256(content));
      } finally {
        await proxy.stop();
      }
    },
  );

  it('counts an upload as done when the server resets the connection after the disconnect', async () => {
    await writeFile(join(env.work.data, 'export.bin'), 'stock');
    await mkdir(remote('import'));
    const proxy = await startTcpFaultProxy(env.server.port, { resetOnClientClose: true });
    try {
      const report = await env.work.run(
        upload(),
        ['read.file>put.file'],
        account({ port: proxy.port }),
      );
      expect(report.error).toBeUndefined();
      expect(report.status).toBe('succeeded');
      expect(proxy.resets).toBeGreaterThan(0);
      expect(await readFile(remote('import/export.bin'), 'utf8')).toBe('stock');
      expect(codes(report.blocks.find((block) => block.id === 'put')!.warnings)).toContain(
        'DISCONNECT_PROBLEM',
      );
    } finally {
      await proxy.stop();
    }
  });

  it('downloads a link to a file and warns about a dangling link', async () => {
    await serve('shared/stock.csv', LINKED_CONTENT);
    await mkdir(remote('orders'));
    await symlink(remote('shared/stock.csv'), remote('orders/stock.csv'));
    await symlink(remote('shared/missing.csv'), remote('orders/gone.csv'));
    await symlink(remote('shared'), remote('orders/shared-folder'));

    const report = await env.work.run(
      [
        download(),
        ['list', 'sftp.list', { credential: 'shop', folder: remote('orders') }],
        ['entries', 'test.collect', { key: 'entries' }],
      ],
      ['list.entries>entries.records'],
      account(),
    );

    // stat follows the link to a folder, which is then listed as one and not downloaded.
    await expectLinkedFileTaken(report, env.work.data, {
      skipped: ['gone.csv'],
      listed: [
        ['gone.csv', 'other'],
        ['shared-folder', 'folder'],
        ['stock.csv', 'file'],
      ],
    });
  });
});
