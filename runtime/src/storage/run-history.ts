import type { BlockReport, ErrorReport, RunReport } from '../executor/run-report.js';
import type { TriggerInfo } from '../triggers/start-run.js';
import type { MissedRun } from '../triggers/trigger-store.js';
import type { Database, ServiceDatabase } from './database.js';

/**
 * Status of a stored run: a final RunStatus, `queued` until the flow's earlier run finishes,
 * `running`, `interrupted` by a stopped process, or `missed` for planned times of a schedule that
 * passed without a run.
 */
export type StoredRunStatus = RunReport['status'] | 'queued' | 'running' | 'interrupted' | 'missed';

/** Statuses of runs that have not ended; pruning keeps them. */
const UNFINISHED = ['queued', 'running'];

/** Planned times of a schedule that passed without a run, as a `missed` entry records them. */
export type MissedRunDetail = { type: 'schedule' } & Pick<
  MissedRun,
  'triggerKey' | 'count' | 'action'
> & {
    /** ISO time of the latest missed planned time. */
    plannedAt: string;
    /** ISO time of the earliest missed planned time. */
    firstPlannedAt: string;
  };

/** What started a run (a schedule's planned time, a file), or what a `missed` entry stands for. */
export type TriggerDetail = TriggerInfo | MissedRunDetail;

/** A run as the history stores it. */
export type StoredRun = {
  id: string;
  flowId: string;
  flowName: string;
  /** `manual`, `schedule` or `folder`; runs stored by older versions may have `api`. */
  trigger: string;
  /** Absent for a run started by hand. */
  triggerDetail?: TriggerDetail;
  status: StoredRunStatus;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  error?: ErrorReport;
  blocks: BlockReport[];
  artifacts: string[];
  variables: Record<string, string>;
};

export type RunFilter = {
  flowId?: string;
  status?: string;
  /** ISO time; runs started at or after it. */
  since?: string;
  /** ISO time; runs started before it. */
  until?: string;
  /** Default 100, at most 1000. */
  limit?: number;
};

/** How long runs are kept: both limits apply, per flow. */
export type RetentionPolicy = { maxAgeDays: number; maxRunsPerFlow: number };

/** Run history in the service database: one row per run with its blocks as JSON. */
export class RunHistory {
  constructor(private readonly db: ServiceDatabase) {}

  /** Stores a run; a queued run with the same id becomes this one. */
  async insert(run: StoredRun): Promise<void> {
    const row = toRow(run);
    await this.db
      .insertInto('runs')
      .values(row)
      .onConflict((conflict) => conflict.column('id').doUpdateSet(row))
      .execute();
  }

  /**
   * Stores a queued run, unless a run with its id is already stored: the queue may have started
   * it in the meantime.
   */
  async insertQueued(run: StoredRun): Promise<void> {
    await this.db
      .insertInto('runs')
      .values(toRow({ ...run, status: 'queued' }))
      .onConflict((conflict) => conflict.column('id').doNothing())
      .execute();
  }

  /** Ends a queued run that never started, e.g. because the service stopped. */
  async dropQueued(id: string, status: StoredRunStatus, at: string, error: ErrorReport) {
    await this.db
      .updateTable('runs')
      .set({ status, finished_at: at, error: JSON.stringify(error) })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .execute();
  }

  /** Stores the last known block states of a running run, so a crash keeps them. */
  async updateBlocks(id: string, blocks: BlockReport[]): Promise<void> {
    await this.db
      .updateTable('runs')
      .set({ blocks: JSON.stringify(blocks) })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  async finish(report: RunReport): Promise<void> {
    await this.db
      .updateTable('runs')
      .set({
        status: report.status,
        finished_at: report.finishedAt,
        duration_ms: report.durationMs,
        error: report.error === undefined ? null : JSON.stringify(report.error),
        blocks: JSON.stringify(report.blocks),
        artifacts: JSON.stringify(report.artifacts),
      })
      .where('id', '=', report.runId)
      .execute();
  }

  /**
   * Marks runs that were running or queued when the process stopped as interrupted. Their blocks
   * keep the counts of the last stored state, and those still running or pending become
   * cancelled, because they will not finish. Returns the ids.
   */
  async markInterrupted(at: Date): Promise<string[]> {
    const rows = await this.db
      .selectFrom('runs')
      .select(['id', 'blocks'])
      .where('status', 'in', UNFINISHED)
      .execute();
    for (const row of rows) {
      const blocks = (JSON.parse(row.blocks) as BlockReport[]).map((block) =>
        block.status === 'running' || block.status === 'pending'
          ? { ...block, status: 'cancelled' as const }
          : block,
      );
      await this.db
        .updateTable('runs')
        .set({
          status: 'interrupted',
          finished_at: at.toISOString(),
          blocks: JSON.stringify(blocks),
        })
        .where('id', '=', row.id)
        .where('status', 'in', UNFINISHED)
        .execute();
    }
    return rows.map((row) => row.id);
  }

  async get(id: string): Promise<StoredRun | undefined> {
    const row = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : fromRow(row);
  }

  /** Lists runs, newest first. */
  async list(filter: RunFilter = {}): Promise<StoredRun[]> {
    let query = this.db.selectFrom('runs').selectAll();
    if (filter.flowId !== undefined) query = query.where('flow_id', '=', filter.flowId);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.since !== undefined) query = query.where('started_at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('started_at', '<', filter.until);
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const rows = await query.orderBy('started_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map(fromRow);
  }

  /**
   * Deletes finished runs older than the policy's age, and beyond its count per flow (newest
   * kept). Running and queued runs are never deleted. Returns how many were deleted.
   */
  async prune(policy: RetentionPolicy, now: Date, flowId?: string): Promise<number> {
    const cutoff = new Date(now.getTime() - policy.maxAgeDays * 86_400_000).toISOString();
    let deleted = 0;
    let byAge = this.db
      .deleteFrom('runs')
      .where('status', 'not in', UNFINISHED)
      .where('started_at', '<', cutoff);
    if (flowId !== undefined) byAge = byAge.where('flow_id', '=', flowId);
    deleted += Number((await byAge.executeTakeFirst()).numDeletedRows);

    const flows =
      flowId !== undefined
        ? [flowId]
        : (await this.db.selectFrom('runs').select('flow_id').distinct().execute()).map(
            (row) => row.flow_id,
          );
    for (const flow of flows) {
      const beyond = await this.db
        .selectFrom('runs')
        .select('id')
        .where('flow_id', '=', flow)
        .where('status', 'not in', UNFINISHED)
        .orderBy('started_at', 'desc')
        .orderBy('id')
        .offset(policy.maxRunsPerFlow)
        .limit(1_000_000)
        .execute();
      if (beyond.length === 0) continue;
      const ids = beyond.map((row) => row.id);
      const result = await this.db.deleteFrom('runs').where('id', 'in', ids).executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted;
  }
}

function toRow(run: StoredRun): Database['runs'] {
  return {
    id: run.id,
    flow_id: run.flowId,
    flow_name: run.flowName,
    trigger: run.trigger,
    trigger_detail: run.triggerDetail === undefined ? null : JSON.stringify(run.triggerDetail),
    status: run.status,
    started_at: run.startedAt,
    finished_at: run.finishedAt ?? null,
    duration_ms: run.durationMs ?? null,
    error: run.error === undefined ? null : JSON.stringify(run.error),
    blocks: JSON.stringify(run.blocks),
    artifacts: JSON.stringify(run.artifacts),
    variables: JSON.stringify(run.variables),
  };
}

function fromRow(row: Database['runs']): StoredRun {
  return {
    id: row.id,
    flowId: row.flow_id,
    flowName: row.flow_name,
    trigger: row.trigger,
    ...(row.trigger_detail === null
      ? {}
      : { triggerDetail: JSON.parse(row.trigger_detail) as TriggerDetail }),
    status: row.status as StoredRunStatus,
    startedAt: row.started_at,
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
    ...(row.duration_ms === null ? {} : { durationMs: row.duration_ms }),
    ...(row.error === null ? {} : { error: JSON.parse(row.error) as ErrorReport }),
    blocks: JSON.parse(row.blocks) as BlockReport[],
    artifacts: JSON.parse(row.artifacts) as string[],
    variables: JSON.parse(row.variables) as Record<string, string>,
  };
}
