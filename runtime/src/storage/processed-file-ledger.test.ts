import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type ServiceDatabase } from './database.js';
import { createProcessedFileLedger } from './processed-file-ledger.js';

let folder: string;
let databases: ServiceDatabase[];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-ledger-'));
  databases = [];
});

afterEach(async () => {
  await Promise.all(databases.map((db) => db.destroy()));
  await rm(folder, { recursive: true, force: true });
});

async function open() {
  const db = await openDatabase(folder);
  databases.push(db);
  return createProcessedFileLedger(db);
}

const version = {
  server: 'ftp://shop.example.cz:21',
  path: '/orders/1.csv',
  size: 120,
  modifiedAt: '2026-01-05T09:03:00.000Z',
};
const consumed = { ...version, checksum: 'ab'.repeat(32), flowId: 'orders', runId: 'run-1' };

describe('processed-file ledger', () => {
  it('remembers a processed version across processes sharing the database', async () => {
    const first = await open();
    expect(await first.isProcessed(version)).toBe(false);
    await first.markProcessed([consumed]);

    const second = await open();
    expect(await second.isProcessed(version)).toBe(true);
  });

  it('treats a changed size, time, path or server as a new file', async () => {
    const ledger = await open();
    await ledger.markProcessed([consumed]);

    expect(await ledger.isProcessed({ ...version, size: 121 })).toBe(false);
    expect(await ledger.isProcessed({ ...version, modifiedAt: '2026-01-05T09:04:00.000Z' })).toBe(
      false,
    );
    expect(await ledger.isProcessed({ ...version, path: '/orders/2.csv' })).toBe(false);
    expect(await ledger.isProcessed({ ...version, server: 'ftp://other:21' })).toBe(false);
  });

  it('keeps a file without a modification time apart, and accepts marking it twice', async () => {
    const ledger = await open();
    const undated = { ...consumed, modifiedAt: null };
    await ledger.markProcessed([undated]);
    await ledger.markProcessed([{ ...undated, runId: 'run-2' }]);

    expect(await ledger.isProcessed({ ...version, modifiedAt: null })).toBe(true);
    expect(await ledger.isProcessed(version)).toBe(false);
  });
});
