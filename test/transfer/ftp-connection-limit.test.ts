import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFtpServer } from '../../scripts/test-servers.mjs';
import { forwardLines } from '../support/ftp-fault-proxy.js';
import { ftpAccount, useTransferServer } from '../support/transfer-run.js';

// pure-ftpd replies 421 to a second connection from 127.0.0.1, as servers with a per-address
// or per-account limit do.
const env = useTransferServer(() => startFtpServer({ maxClientsPerIp: 1 }));

/** Two downloads that start together, so the run wants two connections at once. */
const downloads = (params: Record<string, unknown>) =>
  (['a', 'b'] as const).map(
    (folder) =>
      [
        `get-${folder}`,
        'ftp.download',
        { credential: 'shop', folder: `/${folder}`, saveTo: `in-${folder}/`, ...params },
      ] as [string, string, Record<string, unknown>],
  );

describe('FTP against a server that grants fewer connections than asked', () => {
  it('goes on with the connections granted and warns once', async () => {
    for (const name of ['1.csv', '2.csv', '3.csv']) {
      await env.server.put(`a/${name}`, `a ${name}`);
      await env.server.put(`b/${name}`, `b ${name}`);
    }

    const report = await env.work.run(
      downloads({ security: 'none', connectionsPerHost: 2, retries: 0 }),
      [],
      ftpAccount(env.server),
    );

    expect(report.error).toBeUndefined();
    expect(report.status).toBe('succeeded');
    expect(await readdir(join(env.work.data, 'in-a'))).toEqual(['1.csv', '2.csv', '3.csv']);
    expect(await readdir(join(env.work.data, 'in-b'))).toEqual(['1.csv', '2.csv', '3.csv']);
    const warnings = report.blocks.flatMap((block) => block.warnings);
    const limited = warnings.filter((warning) => warning.code === 'CONNECTION_LIMIT_REACHED');
    expect(limited).toHaveLength(1);
    expect(limited[0]!.count).toBe(1);
    const message = limited[0]!.examples[0]!.message;
    expect(message).toContain(`ftp://127.0.0.1:${env.server.port}`);
    expect(message).toContain('421');
    expect(message).toContain('1 of 2 connections');
  });

  it('fails when not even one connection is accepted', async () => {
    await env.server.put('a/1.csv', 'a');
    await env.server.put('b/1.csv', 'b');
    // Another client takes the one connection the server allows.
    const other = connect(env.server.port, '127.0.0.1');
    await new Promise<void>((resolve) => forwardLines(other, () => resolve()));
    try {
      const report = await env.work.run(
        downloads({ security: 'none', connectionsPerHost: 2, retries: 0 }),
        [],
        ftpAccount(env.server),
      );

      expect(report.status).toBe('failed');
      expect(report.error?.code).toBe('REMOTE_CONNECTION_FAILED');
      expect(report.error?.message).toContain('421');
    } finally {
      other.destroy();
    }
  });
});
