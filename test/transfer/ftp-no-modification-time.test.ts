import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedFtpServer } from '../support/scripted-ftp-server.js';
import { TransferWorkspace } from '../support/transfer-run.js';

let server: Awaited<ReturnType<typeof startScriptedFtpServer>>;
let work: TransferWorkspace;

// A Unix listing gives a recent file's date without the year, and the scripted server refuses
// MDTM, so the file's modification time stays unknown. pure-ftpd has no option to refuse MDTM.
beforeAll(async () => {
  server = await startScriptedFtpServer([
    '-rw-r--r--    1 shop     shop            5 Dec 04 10:00 order.csv',
  ]);
  work = await TransferWorkspace.create();
});

afterAll(async () => {
  await work?.remove();
  await server?.stop();
});

describe('FTP Download without modification times', () => {
  it('warns that the age filter skipped them', async () => {
    const report = await work.run(
      [
        [
          'get',
          'ftp.download',
          { credential: 'shop', folder: '/orders', minimumAgeMinutes: 5, security: 'none' },
        ],
      ],
      [],
      { host: '127.0.0.1', port: server.port, user: 'shop', password: 'any' },
    );

    expect(report.error).toBeUndefined();
    expect(report.status).toBe('succeeded');
    expect(report.blocks[0]!.filesOut).toBe(0);
    const warning = report.blocks[0]!.warnings.find(
      (candidate) => candidate.code === 'MODIFICATION_TIME_UNKNOWN',
    );
    expect(warning?.examples[0]?.message).toContain('order.csv');
  });
});
