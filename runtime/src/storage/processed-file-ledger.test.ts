import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations, openDatabase, type Database, type ServiceDatabase } from './database.js';
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
    expect(await first.isProcessed(version, 'orders')).toBe(false);
    await first.markProcessed([consumed]);

    const second = await open();
    expect(await second.isProcessed(version, 'orders')).toBe(true);
  });

  it('treats a changed size, time, path or server as a new file', async () => {
    const ledger = await open();
    await ledger.markProcessed([consumed]);

    expect(await ledger.isProcessed({ ...version, size: 121 }, 'orders')).toBe(false);
    expect(
      await ledger.isProcessed({ ...version, modifiedAt: '2026-01-05T09:04:00.000Z' }, 'orders'),
    ).toBe(false);
    expect(await ledger.isProcessed({ ...version, path: '/orders/2.csv' }, 'orders')).toBe(false);
    expect(await ledger.isProcessed({ ...version, server: 'ftp://other:21' }, 'orders')).toBe(
      false,
    );
  });

  it('keeps a file without a modification time apart, and accepts marking it twice', async () => {
    const ledger = await open();
    const undated = { ...consumed, modifiedAt: null };
    await ledger.markProcessed([undated]);
    await ledger.markProcessed([{ ...undated, runId: 'run-2' }]);

    expect(await ledger.isProcessed({ ...version, modifiedAt: null }, 'orders')).toBe(true);
    expect(await ledger.isProcessed(version, 'orders')).toBe(false);
  });

  it('keeps the files of each flow apart', async () => {
    const ledger = await open();
    await ledger.markProcessed([consumed]);

    expect(await ledger.isProcessed(version, 'orders')).toBe(true);
    expect(await ledger.isProcessed(version, 'orders-backup')).toBe(false);
  });

  it('keeps rows recorded before the flow scope for the flow that consumed them', async () => {
    const sqlite = new SQLite(join(folder, 'kuryr.sqlite'));
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    databases.push(db);
    const provider = { getMigrations: async () => migrations };
    const older = await new Migrator({ db, provider }).migrateTo('0003-triggers');
    expect(older.error).toBeUndefined();
    await db
      .insertInto('processed_files')
      .values({ ...row(consumed), flow_id: 'orders' })
      .execute();

    const ledger = await open();

    expect(await ledger.isProcessed(version, 'orders')).toBe(true);
    expect(await ledger.isProcessed(version, 'orders-backup')).toBe(false);
  });
});

describe('pending files', () => {
  const pending = { ...consumed, stagedPath: '/data/in/.1.csv.tmp', targetPath: '/data/in/1.csv' };

  it('counts a pending file as processed only once marked', async () => {
    const ledger = await open();
    await ledger.markPending([pending]);

    expect(await ledger.isProcessed(version, 'orders')).toBe(false);
    expect(await ledger.pendingFiles('orders')).toEqual([pending]);
    expect(await ledger.pendingFiles('orders-backup')).toEqual([]);

    await ledger.markProcessed([consumed]);

    expect(await ledger.isProcessed(version, 'orders')).toBe(true);
    expect(await ledger.pendingFiles('orders')).toEqual([]);
  });

  it('discards the pending files of a run, and keeps processed ones', async () => {
    const ledger = await open();
    await ledger.markProcessed([{ ...consumed, path: '/orders/2.csv' }]);
    await ledger.markPending([pending]);

    await ledger.discardPending({ runId: 'run-1' });

    expect(await ledger.pendingFiles('orders')).toEqual([]);
    expect(await ledger.isProcessed({ ...version, path: '/orders/2.csv' }, 'orders')).toBe(true);
  });
});

describe('file claims', () => {
  const request = { server: version.server, path: version.path, flowId: 'orders', runId: 'run-1' };

  it('lets one run of a flow claim a file, and other flows too', async () => {
    const ledger = await open();

    expect(await ledger.claim(request)).toBeUndefined();
    expect(await ledger.claim(request)).toBeUndefined();
    expect(await ledger.claim({ ...request, runId: 'run-2' })).toMatchObject({ runId: 'run-1' });
    expect(await ledger.claim({ ...request, flowId: 'orders-backup', runId: 'run-2' })).toBe(
      undefined,
    );
  });

  it('frees the claims of a run when they are released', async () => {
    const ledger = await open();
    await ledger.claim(request);

    await ledger.releaseClaims('run-1');

    expect(await ledger.claim({ ...request, runId: 'run-2' })).toBeUndefined();
  });

  it('takes over the claim of a run the service marked interrupted', async () => {
    const ledger = await open();
    await ledger.claim(request);
    await databases[0]!
      .insertInto('runs')
      .values({
        id: 'run-1',
        flow_id: 'orders',
        flow_name: 'Orders',
        trigger: 'manual',
        status: 'interrupted',
        started_at: '2026-01-05T09:00:00.000Z',
        finished_at: null,
        duration_ms: null,
        error: null,
        blocks: '[]',
        artifacts: '[]',
        variables: '{}',
        trigger_detail: null,
      })
      .execute();

    expect(await ledger.claim({ ...request, runId: 'run-2' })).toBeUndefined();
  });

  it('takes over a claim whose lease expired', async () => {
    const leaseMs = 60_000;
    let now = Date.parse('2026-01-05T09:00:00.000Z');
    const clock = () => now;
    const db = await openDatabase(folder);
    databases.push(db);
    const remote = createProcessedFileLedger(db, { host: 'warehouse-pc', leaseMs, now: clock });
    const local = createProcessedFileLedger(db, { leaseMs, now: clock });
    const takenOver: string[] = [];
    const claimHere = () =>
      local.claim({
        ...request,
        runId: 'run-2',
        onTakeOver: (previous) => takenOver.push(`${previous.runId} on ${previous.host}`),
      });
    try {
      expect(await remote.claim(request)).toBeUndefined();

      // The remote claimant renews its lease before it runs out, so the claim stays its own.
      now += leaseMs * 0.9;
      expect(await remote.renewClaims('run-1')).toEqual([
        { server: request.server, path: request.path },
      ]);
      now += leaseMs * 0.9;
      expect(await claimHere()).toEqual({ runId: 'run-1', claimedAt: '2026-01-05T09:00:00.000Z' });
      expect(takenOver).toEqual([]);

      // The remote claimant stopped renewing, as a dead process does, and its lease ran out.
      now += leaseMs * 0.2;
      expect(await claimHere()).toBeUndefined();
      expect(takenOver).toEqual(['run-1 on warehouse-pc']);
      // The first run's renewal finds that it no longer has the claim.
      expect(await remote.renewClaims('run-1')).toEqual([]);
    } finally {
      await remote.releaseClaims('run-1');
      await local.releaseClaims('run-2');
    }
  });

  it('takes over the claim of a process that died', async () => {
    const ledger = await open();
    const dead = spawnSync(process.execPath, ['-e', '']);
    expect(dead.status).toBe(0);
    await databases[0]!
      .insertInto('file_claims')
      .values({
        flow_id: 'orders',
        server: version.server,
        path: version.path,
        run_id: 'run-1',
        host: hostname(),
        pid: dead.pid!,
        claimed_at: '2026-01-05T09:00:00.000Z',
      })
      .execute();

    expect(await ledger.claim({ ...request, runId: 'run-2' })).toBeUndefined();
  });
});

function row(file: typeof consumed) {
  return {
    server: file.server,
    path: file.path,
    size: file.size,
    modified_at: file.modifiedAt,
    checksum: file.checksum,
    run_id: file.runId,
    processed_at: '2026-01-05T10:00:00.000Z',
  };
}
