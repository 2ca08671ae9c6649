import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFtpServer } from '../../scripts/test-servers.mjs';
import { killServerSessions } from '../support/kill-sessions.js';
import { ftpAccount, useTransferServer } from '../support/transfer-run.js';

// pure-ftpd at 2 MiB/s per transfer, so that a 4 MB file is still moving when the test kills
// the process that serves the connection.
const env = useTransferServer(() => startFtpServer({ kilobytesPerSecond: 2048 }));

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Waits until `sizeOf` returns at least `bytes`, checking every 20 ms. */
async function waitForBytes(sizeOf: () => Promise<number>, bytes: number): Promise<void> {
  while ((await sizeOf()) < bytes) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Total size of the files under `folder`, or 0 when it does not exist. */
async function bytesUnder(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const sizes = await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map((entry) =>
        stat(join(entry.parentPath, entry.name)).then(
          (info) => info.size,
          () => 0,
        ),
      ),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

describe.runIf(process.platform === 'linux')('FTP transfers whose server process is killed', () => {
  it('retries a download and imports the file once', async () => {
    const content = randomBytes(4_000_000);
    await env.server.put('orders/big.bin', content);

    const running = env.work.run(
      [['get', 'ftp.download', { credential: 'shop', folder: '/orders', saveTo: 'in/' }]],
      [],
      ftpAccount(env.server),
    );
    await waitForBytes(() => bytesUnder(join(env.work.state, 'tmp')), 1_000_000);
    expect(await killServerSessions(env.server.pid)).toBeGreaterThan(0);
    const report = await running;

    expect(report.error).toBeUndefined();
    const warnings = report.blocks[0]!.warnings.map((warning) => warning.code);
    expect(warnings).toContain('NETWORK_RETRY');
    expect(await readdir(join(env.work.data, 'in'))).toEqual(['big.bin']);
    expect(sha256(await readFile(join(env.work.data, 'in/big.bin')))).toBe(sha256(content));
    expect(await env.work.processedFiles()).toHaveLength(1);
  });

  it('retries an upload and shows only the complete file', async () => {
    const content = randomBytes(4_000_000);
    await writeFile(join(env.work.data, 'export.bin'), content);

    const running = env.work.run(
      [
        ['read', 'file.read', { path: 'export.bin' }],
        ['put', 'ftp.upload', { credential: 'shop', folder: '/' }],
      ],
      ['read.file>put.file'],
      ftpAccount(env.server),
    );
    await waitForBytes(() => bytesUnder(env.server.root), 1_000_000);
    expect(await killServerSessions(env.server.pid)).toBeGreaterThan(0);
    const report = await running;

    expect(report.error).toBeUndefined();
    const put = report.blocks.find((block) => block.id === 'put')!;
    expect(put.warnings.map((warning) => warning.code)).toContain('NETWORK_RETRY');
    expect(await readdir(env.server.root)).toEqual(['export.bin']);
    expect(sha256(await readFile(join(env.server.root, 'export.bin')))).toBe(sha256(content));
  });
});
