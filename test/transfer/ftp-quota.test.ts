import { randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFtpServer } from '../../scripts/test-servers.mjs';
import { ftpAccount, useTransferServer } from '../support/transfer-run.js';

// pure-ftpd with a quota of 1 MB per account: a STOR beyond it fails with 552.
const env = useTransferServer(() => startFtpServer({ quota: { files: 100, megabytes: 1 } }));

describe('FTP upload to a server over quota', () => {
  it('fails at once with a clear message and leaves no temporary file', async () => {
    await writeFile(join(env.work.data, 'export.bin'), randomBytes(3_000_000));

    const report = await env.work.run(
      [
        ['read', 'file.read', { path: 'export.bin' }],
        [
          'put',
          'ftp.upload',
          { credential: 'shop', folder: '/', security: 'none', retryDelaySeconds: 0 },
        ],
      ],
      ['read.file>put.file'],
      ftpAccount(env.server),
    );

    expect(report.status).toBe('failed');
    expect(report.error?.code).toBe('REMOTE_STORAGE_FULL');
    expect(report.error?.kind).toBe('environment');
    expect(report.error?.message).toContain('552');
    expect(report.error?.hint).toContain('quota');
    const put = report.blocks.find((block) => block.id === 'put')!;
    expect(put.warnings.map((warning) => warning.code)).not.toContain('NETWORK_RETRY');
    expect(
      (await readdir(env.server.root)).filter((name) => !name.startsWith('.ftpquota')),
    ).toEqual([]);
  });
});
