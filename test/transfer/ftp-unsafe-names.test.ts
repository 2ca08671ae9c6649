import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedFtpServer } from '../support/scripted-ftp-server.js';
import { TransferWorkspace } from '../support/transfer-run.js';

let server: Awaited<ReturnType<typeof startScriptedFtpServer>>;
let work: TransferWorkspace;

// The scripted server refuses every RETR, so a download that tried one of these names fails.
beforeAll(async () => {
  server = await startScriptedFtpServer([
    '12-01-25  09:00PM                    5 ../escape.csv',
    '12-01-25  09:00PM                    5 sub/../../flows-evil.json',
    '12-01-25  09:00PM                    5 deep\\nested.csv',
  ]);
  work = await TransferWorkspace.create();
});

afterAll(async () => {
  await work?.remove();
  await server?.stop();
});

describe('FTP Download of names that lead out of the folder', () => {
  it('skips them with a warning that names them', async () => {
    const report = await work.run(
      [
        [
          'get',
          'ftp.download',
          { credential: 'shop', folder: '/orders', saveTo: 'inbox/orders/', security: 'none' },
        ],
      ],
      [],
      { host: '127.0.0.1', port: server.port, user: 'shop', password: 'any' },
    );

    expect(report.error).toBeUndefined();
    expect(report.status).toBe('succeeded');
    const warning = report.blocks[0]!.warnings.find(
      (candidate) => candidate.code === 'UNSAFE_FILE_NAME_SKIPPED',
    );
    expect(warning?.examples[0]?.message).toContain('../escape.csv');
    expect(warning?.examples[0]?.message).toContain('sub/../../flows-evil.json');
    expect(warning?.examples[0]?.message).toContain('deep\\\\nested.csv');
    expect(await readdir(work.data)).toEqual([]);
    expect(await readdir(join(work.state))).not.toContain('flows-evil.json');
  });
});
