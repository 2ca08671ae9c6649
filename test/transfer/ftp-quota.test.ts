import { randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFtpServer } from '../../scripts/test-servers.mjs';
import { ftpAccount, useTransferServer } from '../support/transfer-run.js';

type Env = ReturnType<typeof useTransferServer<Awaited<ReturnType<typeof startFtpServer>>>>;
type RunReport = Awaited<ReturnType<Env['work']['run']>>;

/** Uploads 3 MB, more than the quota of 1 MB allows. */
async function uploadOverQuota(env: Env): Promise<RunReport> {
  await writeFile(join(env.work.data, 'export.bin'), randomBytes(3_000_000));

  return env.work.run(
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
}

function warningCodes(report: RunReport): string[] {
  const put = report.blocks.find((block) => block.id === 'put')!;
  return put.warnings.map((warning) => warning.code);
}

describe('FTP upload to a server over quota', () => {
  // pure-ftpd with a quota of 1 MB per account: a STOR beyond it fails with 552.
  const env = useTransferServer(() => startFtpServer({ quota: { files: 100, megabytes: 1 } }));

  it('fails at once with a clear message and leaves no temporary file', async () => {
    const report = await uploadOverQuota(env);

    expect(report.status).toBe('failed');
    expect(report.error?.code).toBe('REMOTE_STORAGE_FULL');
    expect(report.error?.kind).toBe('environment');
    expect(report.error?.message).toContain('552');
    expect(report.error?.hint).toContain('quota');
    expect(warningCodes(report)).not.toContain('NETWORK_RETRY');
    expect(
      (await readdir(env.server.root)).filter((name) => !name.startsWith('.ftpquota')),
    ).toEqual([]);
  });
});

describe('FTP upload over quota under a visible temporary name', () => {
  // The same quota, and -x rejects names that start with a dot, so the upload falls back to a
  // visible temporary name before the quota stops it.
  const env = useTransferServer(() =>
    startFtpServer({ quota: { files: 100, megabytes: 1 }, prohibitDotFiles: true }),
  );

  it('fails as storage full, says why the name was visible, and leaves nothing', async () => {
    const report = await uploadOverQuota(env);

    expect(report.status).toBe('failed');
    expect(report.error?.code).toBe('REMOTE_STORAGE_FULL');
    expect(report.error?.message).toContain('552');
    expect(warningCodes(report)).toContain('TEMPORARY_NAME_REJECTED');
    expect(warningCodes(report)).not.toContain('NETWORK_RETRY');
    expect(
      (await readdir(env.server.root)).filter((name) => !name.startsWith('.ftpquota')),
    ).toEqual([]);
  });
});
