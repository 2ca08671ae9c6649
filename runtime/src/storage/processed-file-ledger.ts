import { hostname } from 'node:os';
import {
  EnvironmentError,
  type ClaimedFile,
  type FileClaim,
  type FileClaimRequest,
  type ProcessedFile,
  type ProcessedFileLedger,
  type RemoteFileVersion,
} from '@kuryr/nodes';
import type { Insertable, Selectable } from 'kysely';
import type { Database, ServiceDatabase } from './database.js';

type ClaimRow = Selectable<Database['file_claims']>;

/** Statuses of a run that may still be downloading, as the run history stores them. */
const LIVE_RUN_STATUSES = new Set(['queued', 'running']);

/**
 * How long a claim stays valid without renewal. A live process renews its claims three times as
 * often, so a claim of a process that died, e.g. on another host, frees within this time.
 */
export const DEFAULT_CLAIM_LEASE_MS = 10 * 60_000;

/** Settings of the ledger; tests give another host name, lease and clock. */
export type LedgerOptions = {
  /** Host name recorded with this process's claims; the machine's name by default. */
  host?: string;
  leaseMs?: number;
  /** Current time in ms since the epoch. */
  now?: () => number;
};

/** The processed-file ledger in the runtime's database, scoped by flow. */
export function createProcessedFileLedger(
  db: ServiceDatabase,
  options: LedgerOptions = {},
): ProcessedFileLedger {
  const { host = hostname(), leaseMs = DEFAULT_CLAIM_LEASE_MS, now = Date.now } = options;
  const leaseEnd = () => new Date(now() + leaseMs).toISOString();
  /** Timers that renew the claims of this process's live runs, by run id. */
  const renewals = new Map<string, NodeJS.Timeout>();

  async function renewClaims(runId: string): Promise<ClaimedFile[]> {
    return db
      .updateTable('file_claims')
      .set({ lease_expires_at: leaseEnd() })
      .where('run_id', '=', runId)
      .returning(['server', 'path'])
      .execute();
  }

  function keepRenewing(runId: string): void {
    if (renewals.has(runId)) return;
    const timer = setInterval(() => {
      // A failed renewal (e.g. the database busy) is tried again at the next tick; the lease
      // lasts for three ticks.
      renewClaims(runId).catch(() => undefined);
    }, leaseMs / 3);
    timer.unref();
    renewals.set(runId, timer);
  }

  /**
   * Returns why the claiming run can no longer download, or undefined while it may: its process
   * on this host is gone, its lease expired without renewal, or the run history records that
   * it ended. The service marks the runs of a crashed process interrupted when it starts again.
   * NOTE: the claimant's clock sets the lease end and this process's clock reads it, so clocks
   * of two hosts that differ by more than the lease let a live claim be taken over.
   */
  async function abandonment(claim: ClaimRow): Promise<'process' | 'lease' | 'run' | undefined> {
    if (claim.host === host && !isProcessAlive(claim.pid)) return 'process';
    if (claim.lease_expires_at !== '' && Date.parse(claim.lease_expires_at) < now()) {
      return 'lease';
    }
    const run = await db
      .selectFrom('runs')
      .select('status')
      .where('id', '=', claim.run_id)
      .executeTakeFirst();
    return run !== undefined && !LIVE_RUN_STATUSES.has(run.status) ? 'run' : undefined;
  }

  return {
    async isProcessed(file: RemoteFileVersion, flowId: string) {
      const row = await db
        .selectFrom('processed_files')
        .select('run_id')
        .where('flow_id', '=', flowId)
        .where('server', '=', file.server)
        .where('path', '=', file.path)
        .where('size', '=', file.size)
        .where('modified_at', '=', file.modifiedAt ?? '')
        .where('state', '=', 'done')
        .executeTakeFirst();
      return row !== undefined;
    },

    async markProcessed(files: readonly ProcessedFile[]) {
      if (files.length === 0) return;
      await db
        .insertInto('processed_files')
        .values(files.map((file) => toRow(file, 'done')))
        .onConflict((conflict) =>
          conflict
            .columns(['flow_id', 'server', 'path', 'size', 'modified_at'])
            .doUpdateSet({ state: 'done', staged_path: null, target_path: null })
            .where('processed_files.state', '=', 'pending'),
        )
        .execute();
    },

    async markPending(files: readonly ProcessedFile[]) {
      if (files.length === 0) return;
      await db
        .insertInto('processed_files')
        .values(files.map((file) => toRow(file, 'pending')))
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    },

    async pendingFiles(flowId: string) {
      const rows = await db
        .selectFrom('processed_files')
        .selectAll()
        .where('flow_id', '=', flowId)
        .where('state', '=', 'pending')
        .execute();
      return rows.map((row): ProcessedFile => ({
        server: row.server,
        path: row.path,
        size: row.size,
        modifiedAt: row.modified_at === '' ? null : row.modified_at,
        checksum: row.checksum,
        flowId: row.flow_id,
        runId: row.run_id,
        ...(row.staged_path === null ? {} : { stagedPath: row.staged_path }),
        ...(row.target_path === null ? {} : { targetPath: row.target_path }),
      }));
    },

    async discardPending(target) {
      const pending = db.deleteFrom('processed_files').where('state', '=', 'pending');
      if ('runId' in target) {
        await pending.where('run_id', '=', target.runId).execute();
        return;
      }
      for (const file of target.files) {
        await pending
          .where('flow_id', '=', file.flowId)
          .where('server', '=', file.server)
          .where('path', '=', file.path)
          .where('size', '=', file.size)
          .where('modified_at', '=', file.modifiedAt ?? '')
          .execute();
      }
    },

    // Each statement is atomic and the primary key admits one claim per flow and file, so of
    // two runs inserting at once exactly one succeeds.
    async claim(request: FileClaimRequest): Promise<FileClaim | undefined> {
      const row: Insertable<Database['file_claims']> = {
        flow_id: request.flowId,
        server: request.server,
        path: request.path,
        run_id: request.runId,
        host,
        pid: process.pid,
        claimed_at: new Date(now()).toISOString(),
        lease_expires_at: leaseEnd(),
      };
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const inserted = await db
          .insertInto('file_claims')
          .values(row)
          .onConflict((conflict) => conflict.doNothing())
          .executeTakeFirst();
        if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) {
          keepRenewing(request.runId);
          return undefined;
        }
        const holder = await db
          .selectFrom('file_claims')
          .selectAll()
          .where('flow_id', '=', request.flowId)
          .where('server', '=', request.server)
          .where('path', '=', request.path)
          .executeTakeFirst();
        if (holder === undefined) continue;
        if (holder.run_id === request.runId) return undefined;
        const reason = await abandonment(holder);
        if (reason === undefined) return { runId: holder.run_id, claimedAt: holder.claimed_at };
        if (reason === 'lease') {
          request.onTakeOver?.({
            runId: holder.run_id,
            host: holder.host,
            claimedAt: holder.claimed_at,
            leaseExpiredAt: holder.lease_expires_at,
          });
        }
        await db
          .deleteFrom('file_claims')
          .where('flow_id', '=', request.flowId)
          .where('server', '=', request.server)
          .where('path', '=', request.path)
          .where('run_id', '=', holder.run_id)
          .execute();
      }
      throw new EnvironmentError(
        'FILE_CLAIM_FAILED',
        `${request.path} on ${request.server} could not be claimed: other runs of the flow ` +
          'kept taking over the same claim',
        { hint: 'Run the flow again; a file that no other run holds is claimed at once.' },
      );
    },

    renewClaims,

    async releaseClaims(runId: string) {
      clearInterval(renewals.get(runId));
      renewals.delete(runId);
      await db.deleteFrom('file_claims').where('run_id', '=', runId).execute();
    },
  };
}

function toRow(file: ProcessedFile, state: 'done' | 'pending') {
  return {
    server: file.server,
    path: file.path,
    size: file.size,
    modified_at: file.modifiedAt ?? '',
    checksum: file.checksum,
    flow_id: file.flowId,
    run_id: file.runId,
    processed_at: new Date().toISOString(),
    state,
    staged_path: state === 'pending' ? (file.stagedPath ?? null) : null,
    target_path: state === 'pending' ? (file.targetPath ?? null) : null,
  };
}

/** True when a process with this id exists; EPERM means it exists under another user. */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
