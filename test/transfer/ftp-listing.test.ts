import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collected } from '../../runtime/test-support/blocks.js';
import { startScriptedFtpServer } from '../support/scripted-ftp-server.js';
import { TransferWorkspace } from '../support/transfer-run.js';

let server: Awaited<ReturnType<typeof startScriptedFtpServer>>;
let work: TransferWorkspace;

beforeAll(async () => {
  server = await startScriptedFtpServer([
    '12-22-25  08:21PM              1048576 EXPORT_2025.DBF',
    '01-05-26  09:03AM       <DIR>          Objednávky zpracované',
    '01-06-26  12:00PM                  517 Ceník pro pobočku Brno.csv',
    '01-06-26  12:30AM                    0 prázdný.txt',
  ]);
  work = await TransferWorkspace.create();
});

afterAll(async () => {
  await work?.remove();
  await server?.stop();
});

describe('FTP List against a server answering in MS-DOS format, as IIS does', () => {
  it('lists files and folders with sizes, times, spaces and Czech letters', async () => {
    const report = await work.run(
      [
        ['list', 'ftp.list', { credential: 'shop', folder: '/export', security: 'none' }],
        ['entries', 'test.collect', { key: 'dos' }],
      ],
      ['list.entries>entries.records'],
      { host: '127.0.0.1', port: server.port, user: 'shop', password: 'any' },
    );

    expect(report.error).toBeUndefined();
    expect(collected.get('dos')).toEqual([
      {
        name: 'EXPORT_2025.DBF',
        path: '/export/EXPORT_2025.DBF',
        kind: 'file',
        size: 1048576,
        modifiedAt: '2025-12-22T20:21:00.000Z',
      },
      {
        name: 'Objednávky zpracované',
        path: '/export/Objednávky zpracované',
        kind: 'folder',
        size: 0,
        modifiedAt: '2026-01-05T09:03:00.000Z',
      },
      {
        name: 'Ceník pro pobočku Brno.csv',
        path: '/export/Ceník pro pobočku Brno.csv',
        kind: 'file',
        size: 517,
        modifiedAt: '2026-01-06T12:00:00.000Z',
      },
      {
        name: 'prázdný.txt',
        path: '/export/prázdný.txt',
        kind: 'file',
        size: 0,
        modifiedAt: '2026-01-06T00:30:00.000Z',
      },
    ]);
  });

  it('reads listing times in the server time zone', async () => {
    const report = await work.run(
      [
        [
          'list',
          'ftp.list',
          {
            credential: 'shop',
            folder: '/export',
            security: 'none',
            serverTimeZone: 'Europe/Prague',
          },
        ],
        ['entries', 'test.collect', { key: 'prague' }],
      ],
      ['list.entries>entries.records'],
      { host: '127.0.0.1', port: server.port, user: 'shop', password: 'any' },
    );

    expect(report.error).toBeUndefined();
    // Winter time in Prague is UTC+1.
    expect(
      (collected.get('prague') as { modifiedAt: string }[]).map((entry) => entry.modifiedAt),
    ).toEqual([
      '2025-12-22T19:21:00.000Z',
      '2026-01-05T08:03:00.000Z',
      '2026-01-06T11:00:00.000Z',
      '2026-01-05T23:30:00.000Z',
    ]);
  });

  it('rejects an unknown server time zone', async () => {
    const running = work.run(
      [
        [
          'list',
          'ftp.list',
          {
            credential: 'shop',
            folder: '/export',
            security: 'none',
            serverTimeZone: 'Europe/Brno',
          },
        ],
      ],
      [],
      { host: '127.0.0.1', port: server.port, user: 'shop', password: 'any' },
    );

    await expect(running).rejects.toThrow(
      'parameter "serverTimeZone": unknown time zone "Europe/Brno"; use an IANA name such as Europe/Prague',
    );
  });

  it('names the first unreadable line of an unknown format', async () => {
    // An OpenVMS listing, which no parser here reads.
    const vms = await startScriptedFtpServer([
      'Directory DISK$USER:[SHOP.ORDERS]',
      'ORDERS.CSV;1             1/3          5-MAR-2025 10:21:12  [SHOP,ORDERS]  (RWED,RWED,RE,)',
    ]);
    try {
      const report = await work.run(
        [['list', 'ftp.list', { credential: 'shop', folder: '/orders', security: 'none' }]],
        [],
        { host: '127.0.0.1', port: vms.port, user: 'shop', password: 'any' },
      );

      expect(report.status).toBe('failed');
      expect(report.error?.code).toBe('LISTING_FORMAT_UNSUPPORTED');
      expect(report.error?.message).toBe(
        `ftp://127.0.0.1:${vms.port} listed /orders in a format that is not Unix, MS-DOS or ` +
          'MLSD; the first line that could not be read: "Directory DISK$USER:[SHOP.ORDERS]"',
      );
      expect(report.error?.hint).toContain('Unix');
    } finally {
      await vms.stop();
    }
  });
});
